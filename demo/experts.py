"""Demo expert database for `load_demo_content`: two reviewers and a chair, the call for applications,
and batches 1 to 4 run through the real pipeline with dates counted back from the day of loading.

Batches 1 to 3 are closed and their experts are in the directory (batch 3 with one objection dismissed
and one upheld, so one applicant was withdrawn); batch 4 was published on the latest working day and is
in its notice period with one objection waiting. A few applications wait in the reviewers' queue and
one has been returned for changes. Every person here is fictitious; what the pipeline would e-mail
them goes nowhere. Running it again, on the same day or later, changes nothing.

The call, the applicants, the reviews and the objections are in demo/data/experts.json.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Locale, Page

from demo.members import OFFICER_EMAIL, SCAN, _person, pay_dues
from demo.site import load as load_data
from experts import services
from experts.models import (
    ExpertApplication,
    ExpertBatch,
    ExpertQualification,
    Language,
    ServiceType,
    Specialty,
    chinese_number,
)
from members import services as member_services
from members.models import MembershipApplication, MembershipType
from portal.localization.services import machine_translate
from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS, MEMBERSHIP_OFFICERS
from portal.vetting import services as vetting
from portal.vetting import workdays
from portal.vetting.enums import ObjectionOutcome

REVIEWER_EMAIL = "reviewer@example.com"
REVIEWER2_EMAIL = "reviewer2@example.com"
CHAIR_EMAIL = "chair@example.com"
CALL_SLUG = "expert-database-call"
# The national counsellor certificate was last awarded in 2017.
LAST_COUNSELLOR_CERTIFICATES = 2017

# Days before the day of loading: the call, then batches 1 to 3 (about 11, 10, 7 and 3 months).
CALL_DAYS_AGO = 330
BATCH_DAYS_AGO = {1: 300, 2: 210, 3: 90, 4: 0}


@dataclass(frozen=True)
class Applicant:
    email: str
    name: str
    title: str
    employer: str
    district: str
    specialties: tuple[str, ...]
    services: tuple[str, ...]
    languages: tuple[str, ...]
    years: int
    bio: str
    stage: str  # a batch number, "queue", "queue-reviewed" or "returned"
    qualification: str = "国家二级心理咨询师"
    projects: str = ""
    publications: str = ""
    hidden: frozenset[str] = field(default_factory=frozenset)  # consents not given
    contact: bool = False  # shows a public e-mail address

    @classmethod
    def from_dict(cls, data: dict) -> Applicant:
        lists = ("specialties", "services", "languages")
        return cls(**data | {name: tuple(data[name]) for name in lists} | {"hidden": frozenset(data.get("hidden", ()))})

    @property
    def consents(self) -> dict[str, bool]:
        given = {consent: consent not in self.hidden for consent in ExpertApplication.CONSENTS}
        return given | {"show_photo": False, "show_contact": self.contact}


def _objection(item: dict) -> tuple:
    """(objector, contact, about, grounds, outcome, resolution): a pending objection has no outcome."""
    outcome = ObjectionOutcome(item["outcome"]) if item["outcome"] else None
    return (item["objector"], item["contact"], item["about"], item["grounds"], outcome, item["resolution"])


DATA = load_data("experts.json")
CALL = DATA["call"]
CALL_TITLE = CALL["title"]
TAGS = tuple(CALL["tags"])
# The association titled its second batch's notice after the 市科协 database it reports to.
NOTICE_TITLES = {int(number): title for number, title in DATA["notice_titles"].items()}
# Each qualification: the membership application's code for it, and who issues the certificate.
QUALIFICATIONS = {item["name"]: (item["code"], item["issued_by"]) for item in DATA["qualifications"]}
APPLICANTS = [Applicant.from_dict(item) for item in DATA["applicants"]]
RETURN_NOTE = DATA["return_note"]
# Each reviewer's scores (资质, 经验, 贡献, 伦理) and comment, in turn.
REVIEWS = [
    (
        tuple(item["first"]["scores"]),
        tuple(item["second"]["scores"]),
        item["first"]["comment"],
        item["second"]["comment"],
    )
    for item in DATA["reviews"]
]
PROPOSAL_NOTE = DATA["proposal_note"]
OBJECTIONS = {int(batch): [_objection(item) for item in items] for batch, items in DATA["objections"].items()}


def _on_or_before(day: datetime.date) -> datetime.date:
    """The last working day on or before `day`."""
    while not workdays.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _after(day: datetime.date) -> datetime.date:
    """The first working day after `day`."""
    return workdays.working_days_from(day + datetime.timedelta(days=1), 1)[0]


def _certified_in(applicant: Applicant, today: datetime.date) -> int:
    year = today.year - applicant.years + 1
    if applicant.qualification == "国家二级心理咨询师":
        return min(year, LAST_COUNSELLOR_CERTIFICATES)
    return year


def _scores(values: tuple[int, ...]) -> dict[str, int]:
    return {key: value for (key, _label), value in zip(ExpertApplication.REVIEW_CRITERIA, values, strict=True)}


def _notice_index():
    from notices.models import NoticeIndexPage

    return NoticeIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()


def _call_notice(on: datetime.date, editor):
    """采集专家信息建立心理咨询专家库的通知: the call that opened the database to applications."""
    from notices.models import NoticeCategory, NoticePage

    index = _notice_index()
    existing = NoticePage.objects.child_of(index).filter(slug=CALL_SLUG).first()
    if existing is not None:
        return existing, False
    years = chinese_number(settings.EXPERT_TERM_YEARS)
    paragraphs = [html.replace("{years}", years) for html in CALL["body_html"]]
    page = NoticePage(
        title=CALL_TITLE,
        slug=CALL_SLUG,
        date=on,
        author=CALL["author"],
        source=CALL["source"],
        summary=CALL["summary"],
        body=json.dumps([{"type": "paragraph", "value": f"<p>{html}</p>"} for html in paragraphs], ensure_ascii=False),
        category=NoticeCategory.objects.filter(slug="expert-database", locale=Locale.get_default()).first(),
    )
    index.add_child(instance=page)
    page.tags.add(*TAGS)
    page.save_revision(user=editor, log_action=False).publish(
        user=editor, log_action=False, skip_permission_checks=True
    )
    return page, True


def _member(applicant: Applicant, officer, individual: MembershipType, today: datetime.date):
    """A member in good standing, admitted through a membership application like the demo members."""
    user = _person(applicant.email, applicant.name)
    application = MembershipApplication.objects.create(
        applicant=user,
        full_name=applicant.name,
        phone="13900000002",
        employer=applicant.employer,
        district=applicant.district,
        qualification=QUALIFICATIONS[applicant.qualification][0],
        certificate_number="DEMO-0002",
        years_of_practice=applicant.years,
        membership_type=individual,
        charter_agreed=True,
    )
    application.certificate_scan.save("demo.pdf", ContentFile(SCAN))
    member_services.submit_application(application, by=user)
    joined_on = datetime.date(today.year - min(applicant.years, 6), 3, 1)
    pay_dues(member_services.approve_application(application, by=officer, joined_on=joined_on), officer=officer)
    return user


def _application(applicant: Applicant, user, number: int, today: datetime.date) -> ExpertApplication:
    application = ExpertApplication.objects.create(
        applicant=user,
        full_name=applicant.name,
        title=applicant.title,
        employer=applicant.employer,
        district=applicant.district,
        years_of_practice=applicant.years,
        training_hours=300 + applicant.years * 40,
        supervision_hours=60 + applicant.years * 8,
        projects=applicant.projects,
        publications=applicant.publications,
        bio=applicant.bio,
        public_email=applicant.email if applicant.contact else "",
        phone="13900000002",
        notice_consent=True,
        **applicant.consents,
    )
    application.specialties.set(Specialty.objects.filter(slug__in=applicant.specialties))
    application.services.set(ServiceType.objects.filter(slug__in=applicant.services))
    application.languages.set(Language.objects.filter(slug__in=applicant.languages))
    ExpertQualification.objects.create(
        application=application,
        name=applicant.qualification,
        number=f"DEMO-E{number:03d}",
        issued_by=QUALIFICATIONS[applicant.qualification][1],
        year=_certified_in(applicant, today),
        scan=ContentFile(SCAN, name="certificate.pdf"),
    )
    services.submit_application(application, by=user)
    return application


def _review(application: ExpertApplication, reviewers, number: int, *, only_second: bool = False) -> None:
    first, second, comment, comment2 = REVIEWS[number % len(REVIEWS)]
    if not only_second:
        vetting.submit_review(application, reviewers[0], scores=_scores(first), comment=comment)
    vetting.submit_review(application, reviewers[1], scores=_scores(second), comment=comment2)


def _batch(number: int, applications, *, chair, reviewers, published_on: datetime.date, today: datetime.date, close):
    """Batch `number`: proposed, published on `published_on` and its objections raised; a past batch's
    objections are resolved and it is closed on the first working day after its notice period."""
    for application in applications:
        services.propose(application, by=chair, note=PROPOSAL_NOTE)
    batch = services.open_batch()
    if batch.number != number:
        raise RuntimeError(f"The demo expects to open batch {number}, not {batch.number}.")
    services.add_to_batch(batch, applications)
    batch = services.publish_batch(batch, by=chair, today=published_on)
    if number in NOTICE_TITLES:
        page = batch.notice_page
        page.title = page.draft_title = NOTICE_TITLES[number]
        page.save_revision(user=chair, log_action=False).publish(
            user=chair, log_action=False, skip_permission_checks=True
        )
    by_name = {application.full_name: application for application in applications}
    raised_on = min(today, batch.notice_ends)
    for objector, contact, about, grounds, outcome, resolution in OBJECTIONS.get(number, []):
        objection = services.raise_objection(
            batch,
            name=objector,
            contact=contact,
            grounds=grounds,
            application_id=by_name[about].pk,
            today=batch.notice_starts if outcome else raised_on,
        )
        if outcome:
            services.resolve_objection(objection, outcome=outcome, note=resolution, by=reviewers[0])
    if close:
        batch = services.close_batch(batch, by=chair, today=_after(batch.notice_ends))
    return batch


def _translate(pages, editor, progress) -> int:
    """The notices in 繁體 too, like every other notice of the demo (where the 繁體 site exists)."""
    zh_hant = Locale.objects.filter(language_code="zh-hant").first()
    index = _notice_index()
    if zh_hant is None or not Page.objects.filter(translation_key=index.translation_key, locale=zh_hant).exists():
        return 0
    missing = [
        page for page in pages if not Page.objects.filter(translation_key=page.translation_key, locale=zh_hant).exists()
    ]
    for page in missing:
        machine_translate(page, zh_hant, editor)
    if missing:
        progress(f"  expert database notices in 繁體： {len(missing)}")
    return len(missing)


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many expert applicants were added (0 once batches exist)."""
    if _notice_index() is None:
        progress("  expert database: no notice centre to publish in, skipped")
        return 0
    # The people are fictitious: the pipeline's e-mails to them go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            reviewers = [
                _person(REVIEWER_EMAIL, "评审专家（演示）", groups=(EXPERT_REVIEWERS,)),
                _person(REVIEWER2_EMAIL, "评审专家二（演示）", groups=(EXPERT_REVIEWERS,)),
            ]
            chair = _person(CHAIR_EMAIL, "评审组长（演示）", groups=(EXPERT_CHAIRS,))
            editor = editor or chair
            call, created = _call_notice(_on_or_before(today - datetime.timedelta(days=CALL_DAYS_AGO)), editor)
            if created:
                progress(f"  expert database call for applications: {CALL_TITLE}")
            added = 0 if ExpertBatch.objects.exists() else _pipeline(today, reviewers, chair, progress)
    batches = ExpertBatch.objects.filter(number__in=BATCH_DAYS_AGO).select_related("notice_page", "result_page")
    pages = [call] + [page for batch in batches for page in (batch.notice_page, batch.result_page) if page]
    _translate(pages, editor, progress)
    return added


def _pipeline(today: datetime.date, reviewers, chair, progress) -> int:
    officer = _person(OFFICER_EMAIL, "秘书处（演示）", groups=(MEMBERSHIP_OFFICERS,))
    individual = MembershipType.objects.get(name="个人会员")
    stages: dict[str, list[ExpertApplication]] = {}
    for number, applicant in enumerate(APPLICANTS, 1):
        user = _member(applicant, officer, individual, today)
        application = _application(applicant, user, number, today)
        if applicant.stage.isdigit():
            _review(application, reviewers, number)
        elif applicant.stage == "queue-reviewed":
            _review(application, reviewers, number, only_second=True)
        elif applicant.stage == "returned":
            services.return_for_changes(application, by=chair, comments=RETURN_NOTE)
        stages.setdefault(applicant.stage, []).append(application)
    progress(f"  expert applicants {len(APPLICANTS)}, reviewed by {REVIEWER_EMAIL} and {REVIEWER2_EMAIL}")
    for number, days_ago in BATCH_DAYS_AGO.items():
        published_on = _on_or_before(today - datetime.timedelta(days=days_ago))
        batch = _batch(
            number,
            stages[str(number)],
            chair=chair,
            reviewers=reviewers,
            published_on=published_on,
            today=today,
            close=days_ago > 0,
        )
        if batch.closed_at:
            state = f"closed {_after(batch.notice_ends):%Y-%m-%d}, {batch.experts.count()} experts admitted"
        else:
            state = f"in its notice period until {batch.notice_ends:%Y-%m-%d}"
        progress(f"  expert batch {number}: published {published_on:%Y-%m-%d}, {state}")
    return len(APPLICANTS)
