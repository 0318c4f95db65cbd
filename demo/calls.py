"""Demo calls (征集) for `load_demo_content`: member organisations (four branches, an institutional
member with a named contact), the open call for the industry directory (行业大全·机构篇) with three
entries accepted and listed in 机构名录, one waiting and one draft, and closed calls: the 2021 awards
and the 2019 branch evaluation (graded 优秀, 合格), announced and closed with their results notices
and certificates; the 2019 project call, three of four proposals recommended after their 公示; the
2018 expert proposals, scored by two call reviewers with one score still waiting; the 2019 work
reports, two branches missing; and the return-to-work survey with four organisations' answers.

The calls, their forms and the submissions are in demo/data/calls.json. Submissions, reviews,
decisions and announcements go through calls.services and calls.announcements as people's would.
Running it again changes nothing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from calls import announcements, services
from calls.models import CallAnnouncement, CallCategory, CallCriterion, CallField, CallPage, CallSubmission
from demo.members import OFFICER_EMAIL, _person, pay_dues
from demo.site import load as load_data
from members import services as member_services
from members.models import Member, MembershipApplication, MembershipType, OrganisationContact
from notices.models import NoticeIndexPage
from portal.localization.services import machine_translate
from portal.roles import CALL_OFFICERS, CALL_REVIEWERS

DATA = load_data("calls.json")
CALL_OFFICER_EMAIL = "calls@example.com"
CALL_REVIEWER_EMAILS = ("callreviewer@example.com", "callreviewer2@example.com")


def _organisation(spec: dict, officer, today: datetime.date) -> Member:
    """An institutional member or branch, admitted and paid up like the demo members."""
    user = _person(spec["email"], spec["name"])
    member = Member.objects.filter(user=user).first()
    if member is None:
        application = MembershipApplication.objects.create(
            applicant=user,
            full_name=spec["name"],
            phone="0411-80000000",
            employer=spec["name"],
            district=spec["district"],
            qualification="other",
            certificate_number="DEMO-ORG",
            years_of_practice=5,
            membership_type=MembershipType.objects.get(name=spec["type"]),
            charter_agreed=True,
        )
        member_services.submit_application(application, by=user)
        member = member_services.approve_application(
            application, by=officer, joined_on=datetime.date(today.year - 2, 3, 1)
        )
        pay_dues(member, officer=officer)
    for contact in spec["contacts"]:
        person = _person(contact["email"])
        OrganisationContact.objects.get_or_create(organisation=member, user=person, defaults={"role": contact["role"]})
    return member


def _call(spec: dict, index: NoticeIndexPage, editor, today: datetime.date) -> CallPage:
    now = timezone.now()
    page = CallPage(
        title=spec["title"],
        slug=spec["slug"],
        date=today - datetime.timedelta(days=spec["opened_days_ago"]),
        author="协会秘书处",
        source="大连市心理咨询师协会",
        summary=spec["summary"],
        body=json.dumps(
            [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in spec["body"]], ensure_ascii=False
        ),
        kind=spec["kind"],
        eligibility=spec["eligibility"],
        opens_at=now - datetime.timedelta(days=spec["opened_days_ago"]),
        # Open while the demo's submissions are made; a closed call is closed afterwards.
        closes_at=now + datetime.timedelta(days=max(spec["closes_in_days"], 1)),
        instructions=spec["instructions"],
        instructions_en=spec["instructions_en"],
        reviews_required=spec["reviews_required"],
        period=spec.get("period", ""),
        grades=spec.get("grades", ""),
        grades_en=spec.get("grades_en", ""),
    )
    index.add_child(instance=page)
    for order, field in enumerate(spec["fields"]):
        CallField.objects.create(page=page, sort_order=order, **field)
    for order, category in enumerate(spec["categories"]):
        CallCategory.objects.create(page=page, sort_order=order, **category)
    for order, criterion in enumerate(spec["criteria"]):
        CallCriterion.objects.create(page=page, sort_order=order, **criterion)
    page.save_revision(user=editor, log_action=False).publish(
        user=editor, log_action=False, skip_permission_checks=True
    )
    return CallPage.objects.get(pk=page.pk)


def _submit(call: CallPage, spec: dict, organisations: dict[str, Member]) -> CallSubmission:
    with transaction.atomic():
        version = services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))
    by_label = {field["label"]: field["key"] for field in version.fields}
    categories = version.categories
    criteria = [criterion["key"] for criterion in version.criteria]
    return services.save_submission(
        call,
        _person(spec["by"]),
        organisation=organisations.get(spec.get("organisation", "")),
        version=version,
        answers={by_label[label]: value for label, value in spec["answers"].items()},
        category_key=categories[spec["category"]]["key"] if "category" in spec else "",
        self_scores=dict(zip(criteria, spec["self_scores"], strict=True)) if "self_scores" in spec else None,
        nominee_email=spec.get("nominee"),  # "" for oneself
        submit=spec["submit"],
    )


def _review(submission: CallSubmission, reviews: list[dict]) -> None:
    keys = [key for key, *_rest in submission.review_criteria()]
    for review in reviews:
        scores = dict(zip(keys, review["scores"], strict=True))
        services.review(submission, _person(review["by"]), scores=scores, comment=review["comment"])


def _announce(call: CallPage, spec: dict, sent: list, today: datetime.date) -> None:
    """The chair's decisions, the 公示 some days after the deadline and, once its period is over,
    the results notice (and the certificates). The data leaves at least 20 days between the 公示
    and its closing, so the notice period is over whatever holidays fall in it."""
    chair = _person(CALL_OFFICER_EMAIL)
    for submission, submission_spec in sent:
        services.decide(
            CallSubmission.objects.get(pk=submission.pk),
            decision=submission_spec["decision"],
            by=chair,
            note=submission_spec.get("note", ""),
            grade=submission_spec.get("grade", ""),
        )
    timing = spec["announce"]
    announcement = announcements.announce(
        call,
        by=chair,
        working_days=timing["working_days"],
        today=today - datetime.timedelta(days=timing["days_ago"]),
    )
    announcements.close(announcement, by=chair, today=today - datetime.timedelta(days=timing["closed_days_ago"]))


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many calls were added."""
    index = NoticeIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
    if index is None:
        progress("  calls: no notice centre to publish in, skipped")
        return 0
    if CallPage.objects.filter(slug__in=[spec["slug"] for spec in DATA["calls"]]).exists():
        return 0
    officer = _person(OFFICER_EMAIL)
    _person(CALL_OFFICER_EMAIL, "征集工作人员（演示）", groups=(CALL_OFFICERS,))
    for number, email in enumerate(CALL_REVIEWER_EMAILS, start=1):
        _person(email, f"评审专家{number}（演示）", groups=(CALL_REVIEWERS,))
    organisations = {spec["email"]: _organisation(spec, officer, today) for spec in DATA["organisations"]}
    zh_hant = Locale.objects.filter(language_code="zh-hant").first()
    for spec in DATA["calls"]:
        call = _call(spec, index, editor, today)
        sent = [(_submit(call, submission, organisations), submission) for submission in spec["submissions"]]
        if spec["closes_in_days"] < 0:
            call.closes_at = timezone.now() + datetime.timedelta(days=spec["closes_in_days"])
            call.save_revision(user=editor, log_action=False).publish(
                user=editor, log_action=False, skip_permission_checks=True
            )
            for submission, submission_spec in sent:  # reviewed after the deadline
                _review(CallSubmission.objects.get(pk=submission.pk), submission_spec.get("reviews", []))
            if "announce" in spec:
                _announce(call, spec, sent, today)
        if "announce" not in spec:  # a directory entry accepted is listed in 机构名录 at once
            chair = _person(CALL_OFFICER_EMAIL)
            for submission, submission_spec in sent:
                if "decision" in submission_spec:
                    services.decide(submission, decision=submission_spec["decision"], by=chair)
        if zh_hant is not None and Page.objects.filter(translation_key=index.translation_key, locale=zh_hant).exists():
            machine_translate(call, zh_hant, editor)
            announced = CallAnnouncement.objects.filter(call=call).select_related("notice_page", "result_page").first()
            for notice in (announced.notice_page, announced.result_page) if announced else ():
                machine_translate(notice, zh_hant, editor)
        progress(f"  call: {spec['title']} ({len(spec['submissions'])} submissions)")
    return len(DATA["calls"])
