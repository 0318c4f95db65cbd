"""Reviewing and deciding on a call's submissions in the admin: independent scores against the
call's criteria, conflicts, the ranking, self-assessment beside the reviewers' scores, and the
chair's (or the council's) decision within each category's places."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from calls import services
from calls.enums import CallKind
from calls.models import CallCriterion, CallPage, CallReview, CallSubmission
from portal.roles import CALL_OFFICERS, CALL_REVIEWERS, EDITORS, MEMBERSHIP_OFFICERS
from portal.vetting.enums import Status
from tests.calls.factories import make_call
from tests.calls.test_one_submission import submit, version_of
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member
from tests.portal.factories import html

pytestmark = pytest.mark.django_db

NAME = [{"field_type": "short_text", "label": "姓名", "label_en": "Name"}]
CRITERIA = (("工作业绩", "Work", 40), ("社会影响", "Impact", 30), ("创新", "Innovation", 30))


def reviewed_call(notices, *, quota=2, kind=CallKind.NOMINATION, **options):
    call = make_call(
        notices, fields=NAME, categories=(("先进个人", "Outstanding individual", quota),), kind=kind, **options
    )
    for order, (name, name_en, marks) in enumerate(CRITERIA):
        CallCriterion.objects.create(page=call, sort_order=order, name=name, name_en=name_en, full_marks=marks)
    return CallPage.objects.get(pk=call.pk)


def nominate(call, count: int) -> list[CallSubmission]:
    submissions = []
    category = version_of(call).categories[0]["key"]
    for number in range(count):
        member = make_member(f"m{number}@example.com", number=f"DL-2020-{number:04d}", full_name=f"会员{number}")
        submission = submit(call, member.user, name=f"候选人{number}")
        submission.category_key = category
        submission.save(update_fields=["category_key"])
        submissions.append(submission)
    return submissions


def close(call):
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    call.refresh_from_db()


def staff(email, group) -> Client:
    client = Client()
    sign_in(client, make_user(email, groups=(group,)))
    return client


def score(client, submission, marks=(30, 20, 20), comment="事迹突出。"):
    criteria = submission.review_criteria()
    data = {"action": "score", "comment": comment}
    data.update({f"score_{key}": value for (key, *_rest), value in zip(criteria, marks, strict=True)})
    return client.post(f"/admin/calls/submissions/review/{submission.pk}/", data)


@pytest.fixture
def call(notices):
    return reviewed_call(notices)


def test_reviews_start_when_the_call_has_closed(call):
    submission = nominate(call, 1)[0]
    reviewer = staff("reviewer@example.com", CALL_REVIEWERS)

    early = reviewer.get(f"/admin/calls/submissions/review/{submission.pk}/", follow=True)
    close(call)
    page = reviewer.get(f"/admin/calls/submissions/review/{submission.pk}/")

    assert "征集截止后才开始评审。" in html(early)
    assert page.status_code == 200
    assert "工作业绩（40）" in html(page) or "工作业绩" in html(page)


def test_a_reviewer_scores_each_criterion_within_its_full_marks_and_then_sees_the_others(call):
    first, _second = nominate(call, 2)
    close(call)
    reviewer, other = staff("r1@example.com", CALL_REVIEWERS), staff("r2@example.com", CALL_REVIEWERS)
    score(other, first, (35, 25, 25), comment="另一位评审人的意见。")

    hidden = html(reviewer.get(f"/admin/calls/submissions/inspect/{first.pk}/"))
    too_high = score(reviewer, first, (41, 20, 20))
    refused = not CallReview.objects.filter(reviewer__email="r1@example.com").exists()
    done = score(reviewer, first, (30, 20, 20))
    shown = html(reviewer.get(f"/admin/calls/submissions/inspect/{first.pk}/"))

    assert "另一位评审人的意见。" not in hidden
    assert too_high.status_code == 200 and refused
    assert "Ensure this value is less than or equal to 40." in html(too_high) or "40" in html(too_high)
    assert done.status_code == 302
    assert CallReview.objects.get(reviewer__email="r1@example.com").scores == dict(
        zip([key for key, *_ in first.review_criteria()], [30, 20, 20], strict=True)
    )
    assert "另一位评审人的意见。" in shown and "77.5" in shown  # (70 + 85) / 2


def test_a_reviewer_who_declared_a_conflict_never_scores_that_submission(call):
    submission = nominate(call, 1)[0]
    close(call)
    reviewer = staff("r1@example.com", CALL_REVIEWERS)

    reviewer.post(
        f"/admin/calls/submissions/review/{submission.pk}/", {"action": "conflict", "conflict_note": "同一单位"}
    )
    again = score(reviewer, submission)

    assert again.status_code == 302
    review = CallReview.objects.get(submission=submission)
    assert review.conflict and review.scores == {}
    assert services.review_queue(review.reviewer).count() == 0


def test_nobody_reviews_their_own_organisations_submission(notices):
    call = reviewed_call(notices, kind=CallKind.EVALUATION, eligibility="organisations")
    branch = make_member("branch@example.com", number="DL-2020-0100", type_name="分支机构", full_name="青少年心理分会")
    reviewer = make_user("r1@example.com", groups=(CALL_REVIEWERS,))
    branch.contacts.create(user=reviewer)
    submission = submit(call, branch.user, branch)
    close(call)
    submission = CallSubmission.objects.get(pk=submission.pk)

    assert services.review_refusal(submission, reviewer) == "不能评审自己或本单位的材料。"
    assert submission not in services.review_queue(reviewer)


def test_the_ranking_orders_by_average_total(call, django_assert_max_num_queries):
    submissions = nominate(call, 3)
    close(call)
    submissions = list(CallSubmission.objects.order_by("number"))
    reviewers = [make_user(f"r{n}@example.com", groups=(CALL_REVIEWERS,)) for n in range(2)]
    for submission, marks in zip(submissions, [(10, 10, 10), (40, 30, 30), (20, 20, 20)], strict=True):
        for reviewer in reviewers:
            services.review(
                submission,
                reviewer,
                scores=dict(zip([k for k, *_ in submission.review_criteria()], marks, strict=True)),
                comment="意见",
            )
    officer = staff("officer@example.com", CALL_OFFICERS)
    officer.get(f"/admin/calls/submissions/ranking/{call.pk}/")

    with django_assert_max_num_queries(20):
        page = html(officer.get(f"/admin/calls/submissions/ranking/{call.pk}/"))
    order = [page.index(f"{call.pk}-{number:04d}") for number in (2, 3, 1)]
    assert order == sorted(order)
    assert "100.0" in page and "60.0" in page and "30.0" in page


def test_the_ranking_costs_the_same_for_three_or_twelve_submissions(call, django_assert_max_num_queries):
    officer = staff("officer@example.com", CALL_OFFICERS)
    nominate(call, 3)
    close(call)
    officer.get(f"/admin/calls/submissions/ranking/{call.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        officer.get(f"/admin/calls/submissions/ranking/{call.pk}/")
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() + datetime.timedelta(days=1))
    call.refresh_from_db()
    for number in range(9):
        member = make_member(f"y{number}@example.com", number=f"DL-2022-{number:04d}")
        submit(call, member.user)
    close(call)
    with CaptureQueriesContext(connection) as many:
        officer.get(f"/admin/calls/submissions/ranking/{call.pk}/")

    assert len(many) == len(few)


def test_the_chair_selects_within_the_places_of_a_category(notices):
    call = reviewed_call(notices, quota=1)
    first, second = nominate(call, 2)
    close(call)
    officer = staff("officer@example.com", CALL_OFFICERS)

    officer.post(f"/admin/calls/submissions/decide/{first.pk}/", {"decision": "select", "meeting_on": "2022-01-20"})
    refused = officer.post(f"/admin/calls/submissions/decide/{second.pk}/", {"decision": "select"})
    unexplained = officer.post(f"/admin/calls/submissions/decide/{second.pk}/", {"decision": "not_selected"})
    officer.post(f"/admin/calls/submissions/decide/{second.pk}/", {"decision": "not_selected", "note": "名额已满。"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.APPROVED and first.council_meeting_on == datetime.date(2022, 1, 20)
    assert "“先进个人”的名额为 1 个，已全部选定。" in html(refused)
    assert "请填写理由" in html(unexplained)
    assert second.status == Status.REJECTED and second.decision_note == "名额已满。"
    assert "理事会 2022-01-20 审议" in html(officer.get(f"/admin/calls/submissions/inspect/{first.pk}/"))


def test_a_returned_submission_is_changed_and_sent_again_after_the_deadline(call):
    submission = nominate(call, 1)[0]
    close(call)
    officer = staff("officer@example.com", CALL_OFFICERS)
    officer.post(f"/admin/calls/submissions/decide/{submission.pk}/", {"decision": "return", "note": "请补充推荐表。"})
    member_client = Client()
    sign_in(member_client, submission.applicant)

    page = html(member_client.get(f"/calls/{call.pk}/"))
    again = submit(call, submission.applicant, name="候选人0（补充）")

    assert "请补充推荐表。" in page and "退回修改" in page
    assert again.pk == submission.pk and again.status == Status.SUBMITTED


def test_an_evaluation_carries_the_submitters_self_assessment_beside_the_reviewers_scores(notices):
    call = reviewed_call(notices, kind=CallKind.EVALUATION)
    member = make_member("wang@example.com", number="DL-2020-0001")
    client = Client()
    sign_in(client, member.user)
    form = html(client.get(f"/calls/{call.pk}/"))
    version = version_of(call)
    name_key = version.fields[0]["key"]
    data = {"version": version.pk, "category": version.categories[0]["key"], f"f_{name_key}": "王晓明", "submit": ""}

    missing = client.post(f"/calls/{call.pk}/", data)
    criteria = [key for key, *_ in version.review_criteria()]
    data.update({f"self_{key}": value for key, value in zip(criteria, (36, 25, 28), strict=True)})
    client.post(f"/calls/{call.pk}/", data)
    close(call)
    submission = CallSubmission.objects.get()  # as the admin loads it, the call closed
    reviewer = make_user("r1@example.com", groups=(CALL_REVIEWERS,))
    services.review(submission, reviewer, scores=dict(zip(criteria, (30, 20, 20), strict=True)), comment="意见")
    officer = staff("officer@example.com", CALL_OFFICERS)
    inspect = html(officer.get(f"/admin/calls/submissions/inspect/{submission.pk}/"))

    assert "自评：工作业绩（满分 40）" in form
    assert "请自评打分。" in html(missing)
    assert submission.self_total == 89
    assert "填报单位自评" in inspect and "89" in inspect and "70" in inspect


# What each role gets: the page (200), the sign-in (login), or the admin's refusal (denied).
@pytest.mark.parametrize(
    ("role", "review", "decide", "ranking"),
    [
        ("anonymous", "login", "login", "login"),
        ("member", "login", "login", "login"),
        (CALL_REVIEWERS, 200, "denied", 200),
        (CALL_OFFICERS, "denied", 200, 200),
        (EDITORS, "denied", "denied", "denied"),
        (MEMBERSHIP_OFFICERS, "denied", "denied", "denied"),
        ("superuser", 200, 200, 200),
    ],
)
def test_who_may_review_decide_and_see_the_ranking(call, role, review, decide, ranking):
    submission = nominate(call, 1)[0]
    close(call)
    client = Client()
    if role == "member":
        sign_in(client, make_user("someone@example.com"))
    elif role == "superuser":
        sign_in(client, make_user("root@example.com", superuser=True))
    elif role != "anonymous":
        sign_in(client, make_user("staff@example.com", groups=(role,)))

    def outcome(url):
        response = client.get(url)
        if response.status_code == 200:
            return 200
        if response.status_code == 302 and "/login/" in response["Location"]:
            return "login"
        # The admin turns a refusal into a message on its dashboard (or a 403 outside it).
        assert response.status_code in (302, 403) and url not in response.get("Location", ""), url
        return "denied"

    codes = (
        outcome(f"/admin/calls/submissions/review/{submission.pk}/"),
        outcome(f"/admin/calls/submissions/decide/{submission.pk}/"),
        outcome(f"/admin/calls/submissions/ranking/{call.pk}/"),
    )

    assert codes == (review, decide, ranking)


def test_the_submitter_and_the_organisation_are_told_the_decision(
    notices, mailoutbox, django_capture_on_commit_callbacks
):
    call = reviewed_call(notices, kind=CallKind.EVALUATION, eligibility="organisations")
    branch = make_member("branch@example.com", number="DL-2020-0100", type_name="分支机构", full_name="青少年心理分会")
    contact = make_user("contact@example.com")
    branch.contacts.create(user=contact)
    submission = submit(call, contact, branch)
    close(call)
    officer = staff("officer@example.com", CALL_OFFICERS)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            f"/admin/calls/submissions/decide/{submission.pk}/", {"decision": "return", "note": "请补充自评说明。"}
        )

    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["branch@example.com", "contact@example.com"]
    assert "需要修改" in mailoutbox[0].subject and "请补充自评说明。" in mailoutbox[0].body
    assert f"/calls/{call.pk}/for/{branch.pk}/" in mailoutbox[0].body


def test_the_ranking_is_read_category_by_category_and_page_by_page(notices, monkeypatch):
    call = make_call(notices, fields=NAME, categories=(("先进集体", "Organisation", 5), ("先进个人", "Individual", 10)))
    CallCriterion.objects.create(page=call, name="工作业绩", full_marks=40)
    call = CallPage.objects.get(pk=call.pk)
    version = version_of(call)
    collective, individual = (category["key"] for category in version.categories)
    for number in range(3):
        submission = submit(call, make_member(f"m{number}@example.com", number=f"DL-2020-{number:04d}").user)
        CallSubmission.objects.filter(pk=submission.pk).update(category_key=collective if number == 0 else individual)
    close(call)
    officer = staff("officer@example.com", CALL_OFFICERS)
    monkeypatch.setattr("calls.admin.views.RANKING_PER_PAGE", 1)
    url = f"/admin/calls/submissions/ranking/{call.pk}/"

    individuals = html(officer.get(f"{url}?category={individual}"))
    second_page = html(officer.get(f"{url}?category={individual}&page=2"))

    assert f"{call.pk}-0002" in individuals and f"{call.pk}-0001" not in individuals
    assert "第 1 页，共 2 页" in individuals and f"{call.pk}-0003" in second_page
    assert officer.get(f"{url}?category=nonsense").status_code == 404
    assert officer.get(f"{url}?page=99").status_code == 404
