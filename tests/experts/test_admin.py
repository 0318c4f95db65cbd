"""The 专家库 admin: who sees what, and the reviewers' and chairs' work done through it."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from experts import directory
from experts.models import BatchObjection, Expert, ExpertBatch
from portal.roles import EDITORS, MEMBERSHIP_OFFICERS
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status
from tests.conftest import make_user
from tests.experts.factories import good_scores, login, make_application, make_chair, make_reviewer


@pytest.fixture
def people(db):
    return {
        "member": make_user("plain@example.com"),
        "editor": make_user("ed@example.com", groups=(EDITORS,)),
        "officer": make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,)),
        "reviewer": make_reviewer("reviewer@example.com"),
        "chair": make_chair("chair@example.com"),
        "superuser": make_user("root@example.com", superuser=True),
    }


def test_only_reviewers_chairs_and_superusers_reach_the_expert_admin(people):
    application = make_application()
    urls = [
        reverse("expert_applications:index"),
        reverse("expert_applications:queue"),
        reverse("expert_applications:inspect", args=[application.pk]),
        reverse("expert_batches:index"),
        reverse("expert_objections:index"),
        reverse("expert_changes:index"),
    ]
    allowed = {"reviewer", "chair", "superuser"}
    for role, user in people.items():
        client = login(user)
        for url in urls:
            status = client.get(url).status_code
            if role in allowed:
                assert status == 200, (role, url)
            else:
                assert status in (302, 403), (role, url, status)
    assert Client().get(urls[0]).status_code == 302


def test_reviewers_may_not_decide_and_chairs_may_not_skip_the_reviews(people):
    application = make_application()
    decide = reverse("expert_applications:decide", args=[application.pk])
    assert login(people["reviewer"]).post(decide, {"decision": "propose"}).status_code in (302, 403)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    refused = login(people["chair"]).post(decide, {"decision": "propose"}, follow=True).content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert "需要至少 2 位评审人的独立评审" in refused
    assert login(people["officer"]).get(reverse("expert_batches:open")).status_code in (302, 403)


def test_review_then_decide_through_the_admin(people, django_capture_on_commit_callbacks, mailoutbox):
    application = make_application(full_name="周明")
    first, second = people["reviewer"], make_reviewer("reviewer2@example.com")
    inspect = reverse("expert_applications:inspect", args=[application.pk])
    review = reverse("expert_applications:review", args=[application.pk])
    scores = {f"score_{key}": value for key, value in good_scores(5).items()}
    login(first).post(review, {"action": "score", "comment": "优秀，同意入库。", **scores})
    before = login(second).get(inspect).content.decode()
    assert "优秀，同意入库" not in before and "提交您自己的评审意见后" in before
    missing = login(second).post(review, {"action": "score", "comment": ""})
    assert "请评分" in missing.content.decode() and "请填写评审意见" in missing.content.decode()
    login(second).post(review, {"action": "score", "comment": "经验扎实。", **dict.fromkeys(scores, 3)})
    after = login(second).get(inspect).content.decode()
    assert "优秀，同意入库" in after and "经验扎实" in after
    with django_capture_on_commit_callbacks(execute=True):
        login(people["chair"]).post(
            reverse("expert_applications:decide", args=[application.pk]), {"decision": "propose", "note": ""}
        )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert any("通过评审" in mail.subject for mail in mailoutbox)


def test_a_reviewer_declares_a_conflict_and_cannot_then_score(people):
    application = make_application()
    reviewer = people["reviewer"]
    review = reverse("expert_applications:review", args=[application.pk])
    login(reviewer).post(review, {"action": "conflict", "conflict_note": "同一科室"})
    scores = {f"score_{key}": 5 for key in good_scores()}
    login(reviewer).post(review, {"action": "score", "comment": "好", **scores})
    assert application.reviews.get(reviewer=reviewer).conflict
    queue = login(reviewer).get(reverse("expert_applications:queue")).content.decode()
    assert "已回避" in queue


def test_own_application_is_not_in_the_reviewers_queue(people):
    reviewer = people["reviewer"]
    from members.models import Member, MembershipType

    Member.objects.create(
        user=reviewer,
        number="DL-2020-0500",
        membership_type=MembershipType.objects.get(name="个人会员"),
        full_name="评审人本人",
        joined_on=datetime.date(2020, 1, 1),
    )
    own = make_application(user=reviewer, full_name="评审人本人")
    queue = login(reviewer).get(reverse("expert_applications:queue")).content.decode()
    assert "评审人本人" not in queue
    assert (
        login(reviewer).post(reverse("expert_applications:review", args=[own.pk]), {"action": "conflict"}).status_code
        == 302
    )
    assert not own.reviews.exists()


def test_a_batch_from_opening_to_admission_through_the_admin(people, notice_index, client):
    chair = people["chair"]
    admin = login(chair)
    with time_machine.travel(datetime.datetime(2026, 9, 24, 9), tick=False):
        application = make_application(status=Status.APPROVED, full_name="吴晓丽", employer="大连理工大学")
        admin.post(reverse("expert_batches:open"), {"idempotency_key": "first-batch-form"})
        batch = ExpertBatch.objects.get()
        assert batch.number == 1
        admin.post(reverse("expert_batches:add", args=[batch.pk]), {"applications": [application.pk]})
        preview = admin.get(reverse("expert_batches:publish", args=[batch.pk])).content.decode()
        # Five working days: the Mid-Autumn Festival (25–27 Sep) and National Day (1–7 Oct) are skipped.
        assert "2026-09-24 至 2026-10-08" in preview
        admin.post(reverse("expert_batches:publish", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == NoticeStatus.NOTICE
    assert (batch.notice_starts, batch.notice_ends) == (datetime.date(2026, 9, 24), datetime.date(2026, 10, 8))
    notice = client.get(batch.notice_page.url).content.decode()
    assert "关于报审第一批入库专家名单的通告" in notice and "吴晓丽" in notice and "大连理工大学" in notice
    objection = BatchObjection.objects.create(
        batch=batch, application=application, name="匿名", contact="x", grounds="理由理由理由理由理由"
    )
    with time_machine.travel(datetime.datetime(2026, 10, 9, 9), tick=False):
        refused = admin.post(reverse("expert_batches:close", args=[batch.pk]), follow=True).content.decode()
        assert "未处理的异议" in refused
        login(people["reviewer"]).post(
            reverse("expert_objections:resolve", args=[objection.pk]),
            {"outcome": ObjectionOutcome.DISMISSED, "note": "经核实，申请材料属实。"},
        )
        admin.post(reverse("expert_batches:close", args=[batch.pk]))
        batch.refresh_from_db()
        assert batch.status == NoticeStatus.CLOSED
        expert = Expert.objects.get(user=application.applicant)
        assert expert.expires_on == datetime.date(2029, 10, 8)
        final = client.get(batch.result_page.url).content.decode()
        assert "关于大连市心理咨询行业专家库第一批入库专家名单的通告" in final and "吴晓丽" in final
        csv_export = admin.get(reverse("expert_batches:export", args=[batch.pk, "csv"]))
        assert "吴晓丽" in csv_export.content.decode("utf-8-sig")
        pdf_export = admin.get(reverse("expert_batches:export", args=[batch.pk, "pdf"]))
        assert pdf_export.content.startswith(b"%PDF")
        assert login(people["editor"]).get(reverse("expert_batches:export", args=[batch.pk, "csv"])).status_code in (
            302,
            403,
        )


def test_the_dashboard_tells_a_reviewer_what_waits(people):
    make_application()
    page = login(people["reviewer"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "份入库申请等待您评审" in page
    assert "份入库申请等待您评审" not in login(people["editor"]).get(reverse("wagtailadmin_home")).content.decode()


def test_a_chair_renames_a_specialty_and_the_directory_follows_in_each_language(people, notice_index, client):
    from experts.models import Specialty
    from tests.experts.factories import make_expert

    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        make_expert(admitted_on=datetime.date(2026, 6, 1), specialties=("youth",))
    youth = Specialty.objects.get(slug="youth")
    edit = reverse("expert_specialties:edit", args=[youth.pk])
    assert login(people["reviewer"]).get(edit).status_code in (302, 403)
    response = login(people["chair"]).post(
        edit,
        {
            "name": "儿童青少年心理",
            "name_zh_hant": "",
            "name_en": "Child and adolescent mental health",
            "slug": "youth",
            "sort_order": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False):
        assert "儿童青少年心理 <span" in client.get("/experts/").content.decode()
        assert "兒童青少年心理 <span" in client.get("/zh-hant/experts/").content.decode()
        assert "Child and adolescent mental health <span" in client.get("/en/experts/").content.decode()
        # The renamed term is searchable at once: the experts using it were brought up to date.
        assert directory.search_database(directory.DirectoryQuery(text="儿童青少年")).total == 1


def test_a_reviewer_approves_a_profile_change_seeing_what_changes(people, notice_index):
    from tests.experts.factories import make_expert

    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        expert = make_expert(admitted_on=datetime.date(2026, 6, 1), employer="旧单位")
    from experts import services

    change = services.propose_change(expert, by=expert.user, values={"employer": "新单位"}, many={})
    reviewer = login(people["reviewer"])
    page = reviewer.get(reverse("expert_changes:inspect", args=[change.pk])).content.decode()
    assert "旧单位" in page and "新单位" in page
    refused = reviewer.post(reverse("expert_changes:decide", args=[change.pk]), {"decision": "reject", "note": ""})
    assert "请填写理由" in refused.content.decode()
    reviewer.post(reverse("expert_changes:decide", args=[change.pk]), {"decision": "approve"})
    expert.refresh_from_db()
    assert expert.employer == "新单位"
    assert login(people["officer"]).get(reverse("expert_changes:inspect", args=[change.pk])).status_code in (302, 403)


def test_pressing_open_twice_opens_one_batch(people):
    admin = login(people["chair"])
    page = admin.get(reverse("expert_batches:open")).content.decode()
    import re

    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    first = admin.post(reverse("expert_batches:open"), {"idempotency_key": key})
    second = admin.post(reverse("expert_batches:open"), {"idempotency_key": key})
    assert first["Location"] == second["Location"]
    assert ExpertBatch.objects.count() == 1


def test_a_chair_removes_an_application_from_an_open_batch_with_a_post_only(people):
    application = make_application(status=Status.APPROVED, full_name="吴晓丽")
    batch = ExpertBatch.objects.create(number=1, idempotency_key="batch-1")
    application.batch = batch
    application.save(update_fields=["batch"])
    remove = reverse("expert_batches:remove", args=[batch.pk, application.pk])

    followed_link = login(people["chair"]).get(remove)
    by_a_reviewer = login(people["reviewer"]).post(remove)
    application.refresh_from_db()
    kept = application.batch_id
    removed = login(people["chair"]).post(remove, follow=True)
    application.refresh_from_db()

    assert followed_link.status_code == 405
    assert by_a_reviewer.status_code in (302, 403)
    assert kept == batch.pk
    assert application.batch_id is None
    assert "已移出批次。" in removed.content.decode()


def test_a_published_batch_takes_no_more_applications_and_says_why(people):
    batch = ExpertBatch.objects.create(number=1, idempotency_key="batch-1", status=NoticeStatus.NOTICE)
    application = make_application(status=Status.APPROVED)

    chair = login(people["chair"])
    offered = chair.get(reverse("expert_batches:add", args=[batch.pk]), follow=True)
    refused = chair.post(
        reverse("expert_batches:add", args=[batch.pk]), {"applications": [application.pk]}, follow=True
    )

    for response in (offered, refused):
        assert response.redirect_chain[-1][0] == reverse("expert_batches:inspect", args=[batch.pk])
        assert "只能向筹备中的批次添加申请。" in response.content.decode()
    application.refresh_from_db()
    assert application.batch_id is None


def test_publishing_warns_when_the_years_holidays_are_not_known_yet(people):
    batch = ExpertBatch.objects.create(number=1, idempotency_key="batch-1")
    publish = reverse("expert_batches:publish", args=[batch.pk])

    with time_machine.travel(datetime.datetime(2026, 9, 24, 9), tick=False):
        known = login(people["chair"]).get(publish).content.decode()
    with time_machine.travel(datetime.datetime(2045, 12, 20, 9), tick=False):
        unknown = login(people["chair"]).get(publish).content.decode()

    warning = "该年度的法定节假日安排尚未收录"
    assert warning not in known and "2026-09-24 至 2026-10-08" in known
    assert warning in unknown


def test_a_reviewer_who_declares_a_conflict_goes_back_to_the_queue(people):
    application = make_application(full_name="周明")

    stepped_aside = login(people["reviewer"]).post(
        reverse("expert_applications:review", args=[application.pk]),
        {"action": "conflict", "conflict_note": "同一单位直接上下级"},
        follow=True,
    )

    assert stepped_aside.redirect_chain[-1][0] == reverse("expert_applications:queue")
    assert "已申明利益冲突，您不再参与该申请的评审。" in stepped_aside.content.decode()
    assert not application.reviews.filter(scores__isnull=False).exclude(scores={}).exists()


def test_a_batch_still_in_its_notice_period_is_not_offered_for_closing(people, notice_index):
    application = make_application(status=Status.APPROVED, full_name="吴晓丽")
    chair = login(people["chair"])
    with time_machine.travel(datetime.datetime(2026, 9, 24, 9), tick=False):
        chair.post(reverse("expert_batches:open"), {"idempotency_key": "batch-in-notice"})
        batch = ExpertBatch.objects.get()
        chair.post(reverse("expert_batches:add", args=[batch.pk]), {"applications": [application.pk]})
        chair.post(reverse("expert_batches:publish", args=[batch.pk]))
        close_page = chair.get(reverse("expert_batches:close", args=[batch.pk]), follow=True)
        publish_again = chair.get(reverse("expert_batches:publish", args=[batch.pk]), follow=True)

    assert close_page.redirect_chain[-1][0] == reverse("expert_batches:inspect", args=[batch.pk])
    assert "公示期至 2026-10-08 结束，之后才能结束公示。" in close_page.content.decode()
    assert "公示已经发布，不能再次发布。" in publish_again.content.decode()
    batch.refresh_from_db()
    assert batch.status == NoticeStatus.NOTICE
