"""The demo expert database: the real pipeline, dated from the day of loading, loaded once and only once."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from demo import experts as demo
from experts import services
from experts.directory import DirectoryQuery, search_database
from experts.models import BatchObjection, Expert, ExpertApplication, ExpertBatch, ExpertReview
from members.models import Member, User
from notices.models import NoticeCategory, NoticePage
from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

pytestmark = pytest.mark.django_db

TITLES = [
    "采集专家信息建立心理咨询专家库的通知",
    "关于报审第一批入库专家名单的通告",
    "关于大连市心理咨询行业专家库第一批入库专家名单的通告",
    "关于报审市科协《大连市心理咨询行业专家库》第二批入库专家名单的通告",
    "关于大连市心理咨询行业专家库第二批入库专家名单的通告",
    "关于报审第三批入库专家名单的通告",
    "关于大连市心理咨询行业专家库第三批入库专家名单的通告",
    "关于报审第四批入库专家名单的通告",
]


def row_counts() -> dict[str, int]:
    models = (User, Member, ExpertApplication, ExpertReview, ExpertBatch, BatchObjection, Expert, NoticePage)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def category(db):
    from wagtail.models import Locale

    return NoticeCategory.objects.create(slug="expert-database", name="专家库", locale=Locale.get_default())


def test_the_demo_runs_the_pipeline_once_with_dates_counted_from_today(notice_index, category):
    today = timezone.localdate()
    progress: list[str] = []

    added = demo.load(today, progress=progress.append)
    loaded = row_counts()
    again = demo.load(today + datetime.timedelta(days=40), progress=progress.append)

    assert added == len(demo.APPLICANTS) >= 12 and again == 0
    assert row_counts() == loaded
    assert any("expert batch 4" in line for line in progress)

    # Staff who sign in with a verified address; two-factor is set up at their first visit.
    for email, group in (
        (demo.REVIEWER_EMAIL, EXPERT_REVIEWERS),
        (demo.REVIEWER2_EMAIL, EXPERT_REVIEWERS),
        (demo.CHAIR_EMAIL, EXPERT_CHAIRS),
    ):
        user = User.objects.get(email=email)
        assert user.is_staff and user.check_password("portal-demo-2026")
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()

    # Applicants are members in good standing.
    for applicant in demo.APPLICANTS:
        assert services.member_in_good_standing(User.objects.get(email=applicant.email)) is not None

    # Batches 1 to 3 closed after their notice periods, months ago; batch 4 in its notice period today.
    batches = {batch.number: batch for batch in ExpertBatch.objects.all()}
    assert sorted(batches) == [1, 2, 3, 4]
    assert [batches[number].status for number in (1, 2, 3, 4)] == [NoticeStatus.CLOSED] * 3 + [NoticeStatus.NOTICE]
    assert batches[1].notice_starts < batches[2].notice_starts < batches[3].notice_starts < batches[4].notice_starts
    assert batches[3].notice_ends < today - datetime.timedelta(days=60)
    assert batches[4].notice_starts <= today <= batches[4].notice_ends
    assert batches[4].accepts_objections(today)
    for number in (1, 2, 3):
        admitted_on = batches[number].experts.values_list("admitted_on", flat=True).first()
        assert admitted_on > batches[number].notice_ends

    # Every application in a batch had two reviews with scores and a comment.
    for application in ExpertApplication.objects.filter(batch__isnull=False):
        reviews = list(application.reviews.all())
        assert len(reviews) == 2 and all(review.scores and review.comment for review in reviews)

    # Batch 3: one objection dismissed, one upheld (that applicant withdrawn); batch 4: one pending.
    outcomes = sorted(batches[3].objections.values_list("outcome", flat=True))
    assert outcomes == [ObjectionOutcome.DISMISSED, ObjectionOutcome.UPHELD]
    upheld = batches[3].objections.get(outcome=ObjectionOutcome.UPHELD)
    assert upheld.application.status == Status.WITHDRAWN
    assert not Expert.objects.filter(user=upheld.application.applicant).exists()
    assert list(batches[4].objections.values_list("outcome", flat=True)) == [ObjectionOutcome.PENDING]
    assert set(batches[4].applications.values_list("status", flat=True)) == {Status.NOTICE}

    # Work for the reviewers: three in the queue (one already reviewed once), one returned.
    reviewer = User.objects.get(email=demo.REVIEWER_EMAIL)
    queue = list(services.review_queue(reviewer))
    assert len(queue) == 3
    assert sorted(application.review_count for application in queue) == [0, 0, 1]
    assert not any(application.reviewed_by_me for application in queue)
    assert ExpertApplication.objects.filter(status=Status.RETURNED).count() == 1

    # The directory finds the admitted experts of batches 1 to 3, and only them.
    admitted = set(Expert.objects.values_list("full_name", flat=True))
    results = search_database(DirectoryQuery())
    assert {expert.full_name for expert in results.experts} == admitted
    closed = [applicant for applicant in demo.APPLICANTS if applicant.stage in ("1", "2", "3")]
    assert results.total == len(admitted) == len(closed) - 1  # one withdrawn after the upheld objection
    # Consents vary: some experts keep their employer or biography to themselves.
    assert Expert.objects.filter(show_employer=False).exists() and Expert.objects.filter(show_bio=False).exists()
    assert len(set(Expert.objects.values_list("district", flat=True))) >= 5

    # The notice centre: the call, each batch's notice and each closed batch's final list, all live.
    notices = NoticePage.objects.child_of(notice_index).live()
    assert sorted(notices.values_list("title", flat=True)) == sorted(TITLES)
    assert set(notices.values_list("category", flat=True)) == {category.pk}
    call = notices.get(slug=demo.CALL_SLUG)
    assert call.date < batches[1].notice_starts
    assert "/experts/apply/" in str(call.body)
    assert batches[4].notice_page.date == batches[4].notice_starts
