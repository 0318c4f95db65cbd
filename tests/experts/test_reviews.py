"""Independent reviews: nobody reads the others' scores before giving their own, a submitted review
is final, nobody reviews their own application or one they stepped aside from, and the chair decides
only once enough reviews are in."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from experts import services
from experts.models import ExpertApplication, ExpertReview
from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS
from portal.vetting import services as vetting
from portal.vetting.enums import Status
from portal.vetting.services import ReviewNotAllowed
from tests.experts.factories import good_scores, make_applicant, make_application, make_chair, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return make_application(full_name="李文静")


@pytest.fixture
def reviewers():
    return [make_reviewer(f"reviewer{n}@example.com") for n in range(1, 4)]


def review(application, reviewer, value=4, comment="资质齐全。"):
    return vetting.submit_review(application, reviewer, scores=good_scores(value), comment=comment)


def scores_seen(application, user, **kwargs) -> dict[str, dict]:
    return {r.reviewer.email: r.scores for r in vetting.reviews_visible_to(application, user, **kwargs)}


# Independence -------------------------------------------------------------------------------------


def test_a_reviewer_sees_no_other_scores_before_submitting_their_own(application, reviewers):
    first, second, third = reviewers
    review(application, first, 5)

    assert scores_seen(application, second) == {}
    assert scores_seen(application, third) == {}

    review(application, second, 3)

    assert scores_seen(application, second) == {
        "reviewer1@example.com": good_scores(5),
        "reviewer2@example.com": good_scores(3),
    }
    assert scores_seen(application, first) == scores_seen(application, second)
    assert scores_seen(application, third) == {}


def test_the_chair_sees_every_review(application, reviewers, chair):
    review(application, reviewers[0], 5)
    review(application, reviewers[1], 2)

    assert set(scores_seen(application, chair, chair=True)) == {"reviewer1@example.com", "reviewer2@example.com"}


def test_a_submitted_review_cannot_be_changed(application, reviewers):
    first = reviewers[0]
    review(application, first, 2, comment="经验不足。")
    review(application, reviewers[1], 5)

    with pytest.raises(ReviewNotAllowed):
        review(application, first, 5, comment="看了别人的意见后改主意。")
    with pytest.raises(ReviewNotAllowed):
        vetting.declare_conflict(application, first, note="后来想起是同事")

    stored = ExpertReview.objects.get(submission=application, reviewer=first)
    assert (stored.scores, stored.comment, stored.conflict) == (good_scores(2), "经验不足。", False)


def test_only_submitted_applications_are_reviewed(reviewers):
    draft = make_application(status=Status.DRAFT)

    with pytest.raises(ReviewNotAllowed):
        review(draft, reviewers[0])
    assert not ExpertReview.objects.exists()


# Own applications and conflicts --------------------------------------------------------------------


def test_a_reviewer_never_reviews_their_own_application(reviewers):
    reviewer_who_applies = make_applicant("reviewer.applicant@example.com")
    reviewer_who_applies.groups.add(Group.objects.get(name=EXPERT_REVIEWERS))
    own = make_application(reviewer_who_applies, full_name="自荐者")
    other = make_application(full_name="李文静")

    with pytest.raises(ReviewNotAllowed):
        review(own, reviewer_who_applies)
    with pytest.raises(ReviewNotAllowed):
        vetting.declare_conflict(own, reviewer_who_applies)

    assert not own.reviews.exists()
    assert list(services.review_queue(reviewer_who_applies)) == [other]
    assert set(services.review_queue(reviewers[0])) == {own, other}


def test_the_chair_never_decides_their_own_application(reviewers, settings):
    settings.EXPERT_REVIEWS_REQUIRED = 2
    chair_who_applies = make_applicant("chair.applicant@example.com")
    chair_who_applies.groups.add(Group.objects.get(name=EXPERT_CHAIRS))
    own = make_application(chair_who_applies, full_name="组长本人")
    review(own, reviewers[0])
    review(own, reviewers[1])

    for decide in (
        lambda: services.propose(own, by=chair_who_applies),
        lambda: services.reject(own, by=chair_who_applies, reason="自行撤下。"),
        lambda: services.return_for_changes(own, by=chair_who_applies, comments="自行修改。"),
    ):
        with pytest.raises(ValidationError):
            decide()
    assert ExpertApplication.objects.get(pk=own.pk).status == Status.SUBMITTED

    services.propose(own, by=make_chair("other.chair@example.com"))
    assert ExpertApplication.objects.get(pk=own.pk).status == Status.APPROVED


def test_a_declared_conflict_excludes_the_reviewer(application, reviewers, chair, settings):
    settings.EXPERT_REVIEWS_REQUIRED = 2
    first, second, third = reviewers
    vetting.declare_conflict(application, first, note="曾为同一单位同事")

    with pytest.raises(ReviewNotAllowed):
        review(application, first)
    review(application, second)

    queued = {item.pk: item for item in services.review_queue(first)}
    assert queued[application.pk].conflict_for_me
    assert queued[application.pk].review_count == 1
    assert vetting.completed_reviews(application) == 1
    with pytest.raises(ValidationError):
        services.propose(application, by=chair)

    review(application, third)
    services.propose(application, by=chair)
    assert ExpertApplication.objects.get(pk=application.pk).status == Status.APPROVED


def test_the_queue_marks_what_the_reviewer_has_done(application, reviewers):
    review(application, reviewers[0])

    mine = services.review_queue(reviewers[0]).get(pk=application.pk)
    theirs = services.review_queue(reviewers[1]).get(pk=application.pk)
    assert mine.reviewed_by_me and not theirs.reviewed_by_me
    assert mine.review_count == theirs.review_count == 1


# What a review must contain ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scores",
    [
        {"qualification": 4, "experience": 4, "contribution": 4},  # one criterion left out
        {**good_scores(), "charisma": 5},  # a criterion that does not exist
        {**good_scores(), "ethics": 0},
        {**good_scores(), "ethics": 6},
        {**good_scores(), "ethics": "5"},
        {**good_scores(), "ethics": 4.5},
        {},
    ],
)
def test_scores_cover_every_criterion_within_the_scale(application, reviewers, scores):
    with pytest.raises(ValidationError):
        vetting.submit_review(application, reviewers[0], scores=scores, comment="资质齐全。")

    assert not application.reviews.exists()


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_a_review_needs_a_comment(application, reviewers, comment):
    with pytest.raises(ValidationError):
        vetting.submit_review(application, reviewers[0], scores=good_scores(), comment=comment)

    assert not application.reviews.exists()


def test_the_lowest_and_highest_scores_are_allowed(application, reviewers):
    review(application, reviewers[0], 1)
    review(application, reviewers[1], 5)

    assert vetting.completed_reviews(application) == 2


# The chair's decision -----------------------------------------------------------------------------


def test_the_chair_decides_only_after_enough_reviews(application, reviewers, chair, settings):
    settings.EXPERT_REVIEWS_REQUIRED = 3
    review(application, reviewers[0])
    review(application, reviewers[1])

    with pytest.raises(ValidationError, match="3"):
        services.propose(application, by=chair)
    with pytest.raises(ValidationError):
        services.reject(application, by=chair, reason="从业年限不足。")
    assert ExpertApplication.objects.get(pk=application.pk).status == Status.SUBMITTED

    review(application, reviewers[2])
    services.propose(application, by=chair)

    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Status.APPROVED, chair)


def test_rejecting_also_waits_for_enough_reviews(application, reviewers, chair, settings):
    settings.EXPERT_REVIEWS_REQUIRED = 3
    for reviewer in reviewers:
        review(application, reviewer, 1, comment="不符合条件。")

    services.reject(application, by=chair, reason="从业年限不足。")

    assert ExpertApplication.objects.get(pk=application.pk).status == Status.REJECTED


def test_the_chair_can_return_an_application_before_any_review(application, chair, settings):
    settings.EXPERT_REVIEWS_REQUIRED = 3

    services.return_for_changes(application, by=chair, comments="请补充督导时数证明。")

    application.refresh_from_db()
    assert application.status == Status.RETURNED
    assert application.decision_note == "请补充督导时数证明。"


def test_the_score_summary_averages_submitted_reviews(application, reviewers):
    vetting.submit_review(
        application,
        reviewers[0],
        scores={"qualification": 5, "experience": 4, "contribution": 3, "ethics": 5},
        comment="优秀。",
    )
    vetting.submit_review(
        application,
        reviewers[1],
        scores={"qualification": 4, "experience": 4, "contribution": 2, "ethics": 4},
        comment="良好。",
    )
    vetting.declare_conflict(application, reviewers[2], note="亲属")

    summary = vetting.score_summary(application, vetting.reviews_visible_to(application, reviewers[0]))

    assert summary["count"] == 2
    assert {key: value["average"] for key, value in summary["criteria"].items()} == {
        "qualification": 4.5,
        "experience": 4.0,
        "contribution": 2.5,
        "ethics": 4.5,
    }
    assert summary["average_total"] == 15.5  # (17 + 14) / 2
    assert str(summary["criteria"]["ethics"]["label"]) == "职业伦理"


def test_the_score_summary_of_no_reviews_is_empty(application):
    summary = vetting.score_summary(application, [])

    assert summary["count"] == 0 and summary["average_total"] is None
    assert all(value["average"] is None for value in summary["criteria"].values())


# A returned application is reviewed afresh --------------------------------------------------------


def test_a_resubmitted_application_is_reviewed_again_and_the_first_round_stays_on_record(application, reviewers, chair):
    first, second, _third = reviewers
    review(application, first, value=2, comment="材料不全。")
    review(application, second, value=2, comment="缺督导证明。")
    services.return_for_changes(application, by=chair, comments="请补充督导证明。")
    services.submit_application(application, by=application.applicant)

    assert vetting.completed_reviews(application) == 0
    with pytest.raises(ValidationError, match="需要至少 2 位"):
        services.propose(application, by=chair)
    assert services.review_queue(first).get(pk=application.pk).reviewed_by_me is False
    assert scores_seen(application, chair, chair=True) == {}

    review(application, first, value=5, comment="已补充，同意。")
    review(application, second, value=4, comment="同意。")
    services.propose(application, by=chair)
    assert ExpertReview.objects.filter(submission=application).count() == 4
    assert {r.comment for r in vetting.reviews_visible_to(application, chair, chair=True)} == {
        "已补充，同意。",
        "同意。",
    }


def test_a_conflict_outlasts_a_round_and_hides_the_others_reviews(application, reviewers, chair):
    first, second, _third = reviewers
    vetting.declare_conflict(application, first, note="同一单位")
    review(application, second)
    assert scores_seen(application, first) == {first.email: {}}
    services.return_for_changes(application, by=chair, comments="请补充材料。")
    services.submit_application(application, by=application.applicant)
    with pytest.raises(ReviewNotAllowed, match="利益冲突"):
        review(application, first)
