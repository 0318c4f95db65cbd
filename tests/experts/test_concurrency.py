"""Several people acting at once end with one outcome: batch numbers, reviews and admissions
(PostgreSQL only: SQLite serialises every write)."""

import datetime

import pytest
from django.core import mail
from django.db import connection

from experts import services
from experts.models import Expert, ExpertApplication, ExpertBatch, ExpertReview
from notices.models import NoticePage
from portal.vetting import services as vetting
from portal.vetting.enums import NoticeStatus, Status
from portal.vetting.services import ReviewNotAllowed, TransitionNotAllowed
from tests.conftest import run_at_once
from tests.experts.factories import good_scores, make_application, make_batch, make_chair, make_reviewer

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_two_batches_opened_at_once_get_two_numbers():
    outcomes = run_at_once(2, lambda index: services.open_batch())

    assert all(isinstance(outcome, ExpertBatch) for outcome in outcomes), outcomes
    assert sorted(batch.number for batch in outcomes) == [1, 2]
    assert sorted(ExpertBatch.objects.values_list("number", flat=True)) == [1, 2]


def test_two_reviewers_submitting_at_once_are_both_recorded():
    application = make_application()
    reviewers = [make_reviewer(f"reviewer{n}@example.com") for n in range(2)]

    outcomes = run_at_once(
        2,
        lambda index: vetting.submit_review(
            ExpertApplication.objects.get(pk=application.pk),
            reviewers[index],
            scores=good_scores(index + 3),
            comment="资质齐全。",
        ),
    )

    assert all(isinstance(outcome, ExpertReview) for outcome in outcomes), outcomes
    assert vetting.completed_reviews(application) == 2
    assert sorted(review.total for review in application.reviews.all()) == [12, 16]


def test_a_reviewer_submitting_twice_at_once_gives_one_review():
    application = make_application()
    reviewer = make_reviewer("reviewer@example.com")

    outcomes = run_at_once(
        2,
        lambda index: vetting.submit_review(
            ExpertApplication.objects.get(pk=application.pk),
            reviewer,
            scores=good_scores(index + 2),
            comment=f"第{index + 1}次提交。",
        ),
    )

    assert sum(isinstance(outcome, ExpertReview) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, ReviewNotAllowed) for outcome in outcomes) == 1, outcomes
    (winner,) = [outcome for outcome in outcomes if isinstance(outcome, ExpertReview)]
    stored = ExpertReview.objects.get()
    assert (stored.pk, stored.reviewer, stored.comment, stored.scores) == (
        winner.pk,
        reviewer,
        winner.comment,
        winner.scores,
    )
    assert vetting.completed_reviews(application) == 1


def test_closing_a_batch_twice_at_once_admits_each_expert_once(notice_index):
    chair = make_chair()
    applications = [
        make_application(status=Status.APPROVED, full_name=name, by=chair) for name in ("李文静", "王海涛", "赵敏")
    ]
    batch = make_batch(applications, by=chair, published_on=datetime.date(2025, 9, 26))
    mail.outbox.clear()

    outcomes = run_at_once(
        2,
        lambda index: services.close_batch(
            ExpertBatch.objects.get(pk=batch.pk), by=chair, today=datetime.date(2025, 10, 10)
        ),
    )

    assert sum(isinstance(outcome, ExpertBatch) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, TransitionNotAllowed) for outcome in outcomes) == 1, outcomes
    assert ExpertBatch.objects.get(pk=batch.pk).status == NoticeStatus.CLOSED
    assert sorted(Expert.objects.values_list("full_name", flat=True)) == ["李文静", "王海涛", "赵敏"]
    assert set(ExpertApplication.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
    for application in applications:
        assert application.transitions().filter(to_status=Status.ACCEPTED).count() == 1
    assert NoticePage.objects.filter(slug="expert-batch-1-admitted").count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(a.applicant.email for a in applications)
