"""An application's way through the pipeline: submitted by a member in good standing, returned,
rejected or proposed by the chair, announced in a numbered batch for a notice period counted in
working days, objected to, and admitted (or not) when the batch closes."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from experts import services
from experts.models import BatchObjection, Expert, ExpertApplication, ExpertBatch
from members.models import Standing
from notices.models import NoticePage
from portal.vetting import services as vetting
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status
from portal.vetting.services import TransitionNotAllowed
from tests.conftest import make_user
from tests.experts.factories import (
    good_scores,
    make_applicant,
    make_application,
    make_batch,
    make_reviewer,
)
from tests.members.factories import make_invoice, make_period

pytestmark = pytest.mark.django_db

DAY = datetime.date
# Published on Friday 26 September 2025: five working days are 26, 28 (Sunday, 调休), 29, 30 September
# and 9 October, after the National Day holiday.
PUBLISHED = DAY(2025, 9, 26)
LAST_NOTICE_DAY = DAY(2025, 10, 9)
AFTER_NOTICE = DAY(2025, 10, 10)


@pytest.fixture
def clock():
    """Time stands still on the morning the batch is published; a test moves it on."""
    with time_machine.travel("2025-09-26 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and what it leaves for after the commit (its e-mail)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def reviewed(application, count=2):
    for n in range(count):
        reviewer = make_reviewer(f"r{application.pk}-{n}@example.com")
        vetting.submit_review(application, reviewer, scores=good_scores(), comment="资质齐全。")
    return application


def history(application) -> list[tuple[str, str, str]]:
    return [(t.from_status, t.to_status, t.note) for t in application.transitions()]


def fresh(application) -> ExpertApplication:
    return ExpertApplication.objects.get(pk=application.pk)


def page_text(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


# Applying ----------------------------------------------------------------------------------------


def test_a_member_in_good_standing_submits_an_application():
    application = make_application(status=Status.DRAFT)

    services.submit_application(application, by=application.applicant)

    application = fresh(application)
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    transition = application.transitions().get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        Status.DRAFT,
        Status.SUBMITTED,
        application.applicant,
    )


def test_a_lapsed_member_cannot_submit():
    user = make_applicant()
    make_invoice(user.member, make_period(2020, due=DAY(2020, 3, 31), grace_days=90))
    application = make_application(user, status=Status.DRAFT)

    assert user.member.standing() == Standing.LAPSED
    with pytest.raises(PermissionDenied):
        services.submit_application(application, by=user)
    assert fresh(application).status == Status.DRAFT
    assert not application.transitions().exists()


def test_a_resigned_member_or_someone_without_membership_cannot_submit():
    resigned = make_applicant(resigned_on=DAY(2024, 12, 31))
    outsider = make_user("outsider@example.com")
    for user in (resigned, outsider):
        application = ExpertApplication.objects.create(applicant=user, full_name="外人")
        with pytest.raises(PermissionDenied):
            services.submit_application(application, by=user)
        assert fresh(application).status == Status.DRAFT


def test_a_member_in_the_grace_period_may_still_submit():
    user = make_applicant()
    today = datetime.date.today()
    make_invoice(user.member, make_period(today.year - 1, due=today - datetime.timedelta(days=10), grace_days=90))
    application = make_application(user, status=Status.DRAFT)

    assert user.member.standing() == Standing.GRACE
    services.submit_application(application, by=user)
    assert fresh(application).status == Status.SUBMITTED


def test_an_applicant_has_one_application_in_progress_at_a_time():
    application = make_application()

    with pytest.raises(IntegrityError):
        ExpertApplication.objects.create(applicant=application.applicant, full_name="又一份")


def test_the_applicant_withdraws_and_may_apply_again():
    application = make_application()

    services.withdraw_application(application, by=application.applicant)

    assert fresh(application).status == Status.WITHDRAWN
    assert history(application)[-1] == (Status.SUBMITTED, Status.WITHDRAWN, "申请人撤回")
    again = make_application(application.applicant, status=Status.SUBMITTED)
    assert services.current_application(application.applicant) == again


def test_a_withdrawn_application_cannot_come_back():
    application = make_application()
    services.withdraw_application(application, by=application.applicant)

    with pytest.raises(TransitionNotAllowed):
        services.submit_application(application, by=application.applicant)
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_application(application, by=application.applicant)


# The chair's decisions ---------------------------------------------------------------------------


def test_returned_for_changes_then_resubmitted(chair, committed, mailoutbox):
    application = make_application()

    with pytest.raises(ValidationError):
        services.return_for_changes(application, by=chair, comments="  ")
    committed(services.return_for_changes, application, by=chair, comments="请补充督导时数证明。")

    assert fresh(application).status == Status.RETURNED and fresh(application).is_editable
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [application.applicant.email]
    assert "需要修改" in mailoutbox[0].subject and "请补充督导时数证明。" in mailoutbox[0].body

    application.supervision_hours = 200
    application.save()
    services.submit_application(application, by=application.applicant)

    assert fresh(application).status == Status.SUBMITTED
    assert [(source, target) for source, target, _note in history(application)] == [
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.RETURNED),
        (Status.RETURNED, Status.SUBMITTED),
    ]


def test_a_rejection_gives_its_reason(chair, committed, mailoutbox):
    application = reviewed(make_application(full_name="赵明"))

    with pytest.raises(ValidationError):
        services.reject(application, by=chair, reason="")
    assert fresh(application).status == Status.SUBMITTED
    committed(services.reject, application, by=chair, reason="从业年限不足五年。")

    application = fresh(application)
    assert (application.status, application.decision_note, application.decided_by) == (
        Status.REJECTED,
        "从业年限不足五年。",
        chair,
    )
    assert len(mailoutbox) == 1
    assert "未通过" in mailoutbox[0].subject
    assert "从业年限不足五年。" in mailoutbox[0].body and "赵明" in mailoutbox[0].body
    with pytest.raises(TransitionNotAllowed):
        services.propose(application, by=chair)


def test_proposing_tells_the_applicant(chair, committed, mailoutbox):
    application = reviewed(make_application())

    committed(services.propose, application, by=chair, note="同意入库")

    assert fresh(application).status == Status.APPROVED
    assert list(services.proposed_applications()) == [application]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [application.applicant.email]
    assert "已通过评审" in mailoutbox[0].subject


# Batches -----------------------------------------------------------------------------------------


def test_batches_are_numbered_one_after_another():
    first, second = services.open_batch(), services.open_batch()

    assert (first.number, second.number) == (1, 2)
    assert (str(first), str(second)) == ("第一批", "第二批")
    assert first.working_days == 5 and first.status == NoticeStatus.OPEN
    from django.utils import translation

    with translation.override("zh-hant"):
        assert str(second) == "第二批"
    with translation.override("en"):
        assert str(second) == "Batch 2"


def test_only_approved_applications_not_in_another_batch_are_added(chair):
    approved = make_application(status=Status.APPROVED, full_name="甲", by=chair)
    taken = make_application(status=Status.APPROVED, full_name="乙", by=chair)
    submitted = make_application(full_name="丙")
    draft = make_application(status=Status.DRAFT, full_name="丁")
    first = make_batch([taken])
    second = services.open_batch()

    added = services.add_to_batch(second, [approved, taken, submitted, draft])

    assert added == 1
    assert list(second.applications.all()) == [approved]
    assert list(first.applications.all()) == [taken]
    assert list(services.proposed_applications()) == []


def test_a_published_batch_takes_no_more_applications(chair, notice_index):
    batch = make_batch([make_application(status=Status.APPROVED, by=chair)], by=chair, published_on=PUBLISHED)
    late = make_application(status=Status.APPROVED, full_name="迟到", by=chair)

    with pytest.raises(ValidationError):
        services.add_to_batch(batch, [late])
    assert fresh(late).batch is None


def test_an_empty_batch_cannot_be_published(chair, notice_index):
    batch = services.open_batch()

    with pytest.raises(ValidationError):
        services.publish_batch(batch, by=chair, today=PUBLISHED)
    assert ExpertBatch.objects.get(pk=batch.pk).status == NoticeStatus.OPEN
    assert not NoticePage.objects.exists()


def test_publishing_announces_the_batch_in_the_notice_centre(clock, chair, notice_index, committed, mailoutbox, client):
    first = make_application(
        status=Status.APPROVED, full_name="李文静", employer="大连市第七人民医院", specialties=("youth",), by=chair
    )
    second = make_application(
        status=Status.APPROVED,
        full_name="王海涛",
        employer="大连理工大学心理健康教育中心",
        specialties=("crisis", "family"),
        by=chair,
    )
    batch = make_batch([first, second])

    batch = committed(services.publish_batch, batch, by=chair)

    batch.refresh_from_db()
    assert batch.status == NoticeStatus.NOTICE
    assert (batch.notice_starts, batch.notice_ends) == (PUBLISHED, LAST_NOTICE_DAY)
    page = batch.notice_page
    assert page.live and page.get_parent().specific == notice_index
    assert page.title == "关于报审第一批入库专家名单的通告"
    assert page.date == PUBLISHED
    text = page_text(client, page)
    for expected in (
        "关于报审第一批入库专家名单的通告",
        "李文静",
        "大连市第七人民医院",
        "青少年心理",
        "王海涛",
        "大连理工大学心理健康教育中心",
        "婚姻家庭、危机干预",  # in the vocabulary's order
        "2025年09月26日 至 2025年10月09日",
    ):
        assert expected in text, expected
    assert {fresh(first).status, fresh(second).status} == {Status.NOTICE}
    assert sorted(message.to[0] for message in mailoutbox) == sorted([first.applicant.email, second.applicant.email])
    assert all("第一批" in message.subject for message in mailoutbox)
    assert all("2025-09-26 至 2025-10-09" in message.body for message in mailoutbox)


def test_the_second_batch_is_announced_as_the_second(chair, notice_index):
    make_batch([make_application(status=Status.APPROVED, full_name="甲", by=chair)], by=chair, published_on=PUBLISHED)
    second = make_batch(
        [make_application(status=Status.APPROVED, full_name="乙", by=chair)], by=chair, published_on=PUBLISHED
    )

    assert second.notice_page.title == "关于报审第二批入库专家名单的通告"
    assert NoticePage.objects.count() == 2


def test_a_batch_published_during_the_holiday_starts_after_it(chair, notice_index):
    application = make_application(status=Status.APPROVED, by=chair)

    batch = make_batch([application], by=chair, published_on=DAY(2025, 10, 1))

    assert (batch.notice_starts, batch.notice_ends) == (DAY(2025, 10, 9), DAY(2025, 10, 14))


def test_a_batch_is_published_once(chair, notice_index):
    batch = make_batch([make_application(status=Status.APPROVED, by=chair)], by=chair, published_on=PUBLISHED)

    with pytest.raises(ValidationError):
        services.publish_batch(batch, by=chair, today=AFTER_NOTICE)
    assert ExpertBatch.objects.get(pk=batch.pk).notice_starts == PUBLISHED


# Closing -----------------------------------------------------------------------------------------


@pytest.fixture
def published(clock, chair, notice_index):
    """A batch of two, published on 26 September 2025 (notice period until 9 October)."""
    admitted = make_application(status=Status.APPROVED, full_name="李文静", employer="大连市第七人民医院", by=chair)
    objected = make_application(status=Status.APPROVED, full_name="王海涛", employer="某某咨询工作室", by=chair)
    batch = make_batch([admitted, objected], by=chair, published_on=PUBLISHED)
    return batch, admitted, objected


def test_a_batch_cannot_close_before_its_notice_period_ends(published, chair):
    batch, admitted, _objected = published

    for day in (PUBLISHED, DAY(2025, 10, 5), LAST_NOTICE_DAY):
        with pytest.raises(TransitionNotAllowed, match="2025-10-09"):
            services.close_batch(batch, by=chair, today=day)
    assert ExpertBatch.objects.get(pk=batch.pk).status == NoticeStatus.NOTICE
    assert not Expert.objects.exists()
    assert fresh(admitted).status == Status.NOTICE


def test_a_batch_cannot_close_while_an_objection_is_pending(published, chair):
    batch, _admitted, objected = published
    objection = services.raise_objection(
        batch,
        name="张三",
        contact="13900000000",
        grounds="其资质证书有疑问。",
        application_id=objected.pk,
        today=PUBLISHED,
    )

    with pytest.raises(TransitionNotAllowed):
        services.close_batch(batch, by=chair, today=AFTER_NOTICE)
    assert not Expert.objects.exists()

    services.resolve_objection(objection, outcome=ObjectionOutcome.DISMISSED, note="经核实证书真实有效。", by=chair)
    services.close_batch(batch, by=chair, today=AFTER_NOTICE)
    assert Expert.objects.count() == 2


def test_a_closed_batch_cannot_close_again(published, chair):
    batch = published[0]
    services.close_batch(batch, by=chair, today=AFTER_NOTICE)

    with pytest.raises(TransitionNotAllowed):
        services.close_batch(batch, by=chair, today=AFTER_NOTICE)
    assert Expert.objects.count() == 2


def test_closing_admits_everyone_without_an_upheld_objection(published, clock, chair, committed, mailoutbox, client):
    batch, admitted, objected = published
    clock.move_to("2025-10-09 16:00 +0800")
    objection = services.raise_objection(
        batch, name="张三", contact="13900000000", grounds="其执业期间曾受行业处分。", application_id=objected.pk
    )
    services.resolve_objection(objection, outcome=ObjectionOutcome.UPHELD, note="经核实曾受行业通报批评。", by=chair)
    clock.move_to("2025-10-10 09:00 +0800")
    mailoutbox.clear()

    batch = committed(services.close_batch, batch, by=chair)

    batch.refresh_from_db()
    assert batch.status == NoticeStatus.CLOSED and batch.closed_by == chair
    expert = Expert.objects.get()
    assert (expert.user, expert.full_name, expert.batch) == (admitted.applicant, "李文静", batch)
    assert expert.admitted_on == AFTER_NOTICE
    assert expert.expires_on == DAY(2028, 10, 9)  # three years, less a day
    assert expert.is_listed(AFTER_NOTICE)
    assert set(expert.specialties.values_list("slug", flat=True)) == {"youth"}
    assert fresh(admitted).status == Status.ACCEPTED

    assert fresh(objected).status == Status.WITHDRAWN
    assert history(objected)[-1] == (Status.NOTICE, Status.WITHDRAWN, "公示期异议成立：经核实曾受行业通报批评。")
    assert not Expert.objects.filter(user=objected.applicant).exists()

    to = {message.to[0]: message for message in mailoutbox}
    assert set(to) == {admitted.applicant.email, objected.applicant.email}
    assert "入选" in to[admitted.applicant.email].subject and "2028-10-09" in to[admitted.applicant.email].body
    assert "经核实曾受行业通报批评。" in to[objected.applicant.email].body

    page = batch.result_page
    assert page.title == "关于大连市心理咨询行业专家库第一批入库专家名单的通告"
    assert page.get_parent().specific.pk == batch.notice_page.get_parent().pk
    text = page_text(client, page)
    assert "李文静" in text and "大连市第七人民医院" in text
    assert "王海涛" not in text and "某某咨询工作室" not in text
    assert "以下 1 位专家" in text


def test_the_admission_term_follows_the_setting(published, chair, settings):
    settings.EXPERT_TERM_YEARS = 5
    batch = published[0]

    services.close_batch(batch, by=chair, today=DAY(2025, 10, 13))

    assert set(Expert.objects.values_list("expires_on", flat=True)) == {DAY(2030, 10, 12)}


def test_a_dismissed_objection_does_not_keep_anyone_out(published, chair):
    batch, _admitted, objected = published
    objection = services.raise_objection(
        batch, name="张三", contact="13900000000", grounds="不认可。", application_id=objected.pk, today=PUBLISHED
    )
    services.resolve_objection(objection, outcome=ObjectionOutcome.DISMISSED, note="异议缺乏事实依据。", by=chair)

    services.close_batch(batch, by=chair, today=AFTER_NOTICE)

    assert fresh(objected).status == Status.ACCEPTED
    assert Expert.objects.filter(user=objected.applicant).exists()


def test_an_applicant_who_withdrew_during_the_notice_is_not_admitted(published, chair, client):
    batch, admitted, objected = published
    services.withdraw_application(objected, by=objected.applicant)

    batch = services.close_batch(batch, by=chair, today=AFTER_NOTICE)

    assert list(Expert.objects.values_list("full_name", flat=True)) == ["李文静"]
    assert "王海涛" not in page_text(client, batch.result_page)


# Objections --------------------------------------------------------------------------------------


def object_to(batch, application=None, *, today):
    return services.raise_objection(
        batch,
        name="张三",
        contact="13900000000",
        grounds="有异议。",
        application_id=application.pk if application else None,
        today=today,
    )


def test_objections_are_accepted_only_during_the_notice_period(chair, notice_index, committed, mailoutbox):
    application = make_application(status=Status.APPROVED, by=chair)
    batch = make_batch([application])
    reviewer = make_reviewer("objections@example.com")

    with pytest.raises(ValidationError):
        object_to(batch, application, today=PUBLISHED)  # not published yet
    batch = services.publish_batch(batch, by=chair, today=PUBLISHED)
    with pytest.raises(ValidationError):
        object_to(batch, application, today=DAY(2025, 9, 25))
    with pytest.raises(ValidationError):
        object_to(batch, application, today=AFTER_NOTICE)
    mailoutbox.clear()

    objection = committed(object_to, batch, application, today=LAST_NOTICE_DAY)

    assert BatchObjection.objects.get() == objection
    assert (objection.application, objection.outcome) == (application, ObjectionOutcome.PENDING)
    assert len(mailoutbox) == 1 and reviewer.email in mailoutbox[0].to and chair.email in mailoutbox[0].to
    assert application.applicant.email not in mailoutbox[0].to


def test_an_objection_concerns_someone_in_the_batch(chair, notice_index):
    mine = make_application(status=Status.APPROVED, full_name="甲", by=chair)
    elsewhere = make_application(status=Status.APPROVED, full_name="乙", by=chair)
    batch = make_batch([mine], by=chair, published_on=PUBLISHED)
    make_batch([elsewhere], by=chair, published_on=PUBLISHED)
    waiting = make_application(status=Status.APPROVED, full_name="丙", by=chair)

    for stranger in (elsewhere, waiting):
        with pytest.raises(ValidationError):
            object_to(batch, stranger, today=PUBLISHED)
    assert not BatchObjection.objects.exists()

    general = object_to(batch, today=PUBLISHED)  # about the list as a whole
    assert general.application is None


def test_resolving_needs_a_note_and_happens_once(published, chair):
    batch, _admitted, objected = published
    objection = object_to(batch, objected, today=PUBLISHED)

    with pytest.raises(ValidationError):
        services.resolve_objection(objection, outcome=ObjectionOutcome.DISMISSED, note=" ", by=chair)
    with pytest.raises(ValidationError):
        services.resolve_objection(objection, outcome=ObjectionOutcome.PENDING, note="再看看", by=chair)
    assert BatchObjection.objects.get().outcome == ObjectionOutcome.PENDING

    services.resolve_objection(objection, outcome=ObjectionOutcome.DISMISSED, note="缺乏依据。", by=chair)
    with pytest.raises(TransitionNotAllowed):
        services.resolve_objection(objection, outcome=ObjectionOutcome.UPHELD, note="改判成立。", by=chair)

    stored = BatchObjection.objects.get()
    assert (stored.outcome, stored.resolution, stored.resolved_by) == (ObjectionOutcome.DISMISSED, "缺乏依据。", chair)


def test_upholding_an_objection_names_the_expert(published, chair):
    batch, admitted, objected = published
    general = object_to(batch, today=PUBLISHED)
    other_batch_application = make_application(status=Status.APPROVED, full_name="外批", by=chair)
    make_batch([other_batch_application], by=chair, published_on=PUBLISHED)

    with pytest.raises(ValidationError):
        services.resolve_objection(general, outcome=ObjectionOutcome.UPHELD, note="成立。", by=chair)
    with pytest.raises(ValidationError):
        services.resolve_objection(
            general,
            outcome=ObjectionOutcome.UPHELD,
            note="成立。",
            by=chair,
            application_id=other_batch_application.pk,
        )
    assert BatchObjection.objects.get(pk=general.pk).outcome == ObjectionOutcome.PENDING

    services.resolve_objection(
        general, outcome=ObjectionOutcome.UPHELD, note="经核实资质不符。", by=chair, application_id=objected.pk
    )
    services.close_batch(batch, by=chair, today=AFTER_NOTICE)

    assert BatchObjection.objects.get(pk=general.pk).application == objected
    assert fresh(objected).status == Status.WITHDRAWN
    assert fresh(admitted).status == Status.ACCEPTED
