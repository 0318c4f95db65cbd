"""Batches from the proposed list to the admitted experts: the list, its 公示 notice and period, objections
raised during it, and admission when it closes."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Member
from notices import publishing
from portal.mail import send_after_commit
from portal.permissions import emails_of_holders
from portal.vetting import services as vetting
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

from ..enums import ExpertStatus
from ..models import BatchObjection, Expert, ExpertApplication, ExpertBatch, Profile
from ..models import chinese_number as _number_words
from .applications import EMAIL, _tell
from .profiles import refresh

if TYPE_CHECKING:
    from members.models import User

# Batches -----------------------------------------------------------------------------------------


def open_batch(*, working_days: int | None = None, idempotency_key: str | None = None) -> ExpertBatch:
    """第N批, numbered after the last one; two staff opening at once get two numbers, and the same
    form sent twice (`idempotency_key`) opens one batch."""
    for _attempt in range(5):
        if idempotency_key:
            existing = ExpertBatch.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        number = (ExpertBatch.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        try:
            with transaction.atomic():
                return ExpertBatch.objects.create(
                    number=number,
                    working_days=working_days or settings.EXPERT_NOTICE_WORKING_DAYS,
                    idempotency_key=idempotency_key or None,
                )
        except IntegrityError:
            continue
    raise ValidationError(_("无法创建批次，请重试。"))


def proposed_applications():
    """Approved applications waiting for a batch."""
    return ExpertApplication.objects.filter(status=Status.APPROVED, batch__isnull=True).order_by("decided_at", "pk")


def adding_refusal(batch: ExpertBatch) -> str | None:
    """Why no application can be added to `batch` (the admin says so before showing the list), or None."""
    if batch.status != NoticeStatus.OPEN:
        return _("只能向筹备中的批次添加申请。")
    return None


@transaction.atomic
def add_to_batch(batch: ExpertBatch, applications) -> int:
    """Put proposed applications into an open batch; returns how many were added (others were taken meanwhile)."""
    batch = ExpertBatch.objects.select_for_update().get(pk=batch.pk)
    refusal = adding_refusal(batch)
    if refusal:
        raise ValidationError(refusal)
    ids = [application.pk for application in applications]
    return proposed_applications().filter(pk__in=ids).update(batch=batch)


@transaction.atomic
def remove_from_batch(batch: ExpertBatch, application: ExpertApplication) -> None:
    batch = ExpertBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != NoticeStatus.OPEN:
        raise ValidationError(_("批次已发布，不能再调整名单。"))
    ExpertApplication.objects.filter(pk=application.pk, batch=batch).update(batch=None)


def batch_entries(batch: ExpertBatch):
    """The batch's applications with what its list shows, in a fixed number of queries."""
    return (
        batch.applications.filter(status__in=[Status.APPROVED, Status.NOTICE, Status.ACCEPTED])
        .prefetch_related("specialties")
        .order_by("full_name", "pk")
    )


def _list_table(entries) -> dict:
    rows = [[_("序号"), _("姓名"), _("工作单位"), _("专长领域")]]
    for number, entry in enumerate(entries, 1):
        rows.append([str(number), entry.full_name, entry.employer, "、".join(s.name for s in entry.specialties.all())])
    return publishing.table(rows)


def _publish_notice(**kwargs):
    return publishing.publish(category=publishing.category("expert-database"), **kwargs)


@transaction.atomic
def publish_batch(batch: ExpertBatch, *, by: User, today: datetime.date | None = None) -> ExpertBatch:
    """Announce the batch: its notice period starts, its applicants are in 公示, and the notice
    关于报审第N批入库专家名单的通告 appears in the notice centre with the list and the objection form."""
    today = today or timezone.localdate()
    if not batch.applications.filter(status=Status.APPROVED).exists():
        raise ValidationError(_("批次中还没有拟入库的申请。"))
    batch = vetting.open_notice_period(batch, by=by, today=today)
    for application in batch.applications.filter(status=Status.APPROVED):
        vetting.move(application, Status.NOTICE, by=by, note=str(batch))
    with translation.override(settings.LANGUAGE_CODE):
        number = _number_words(batch.number)
        entries = batch_entries(batch)
        period = _("公示期为 %(days)s 个工作日：%(start)s 至 %(end)s。") % {
            "days": batch.working_days,
            "start": f"{batch.notice_starts:%Y年%m月%d日}",
            "end": f"{batch.notice_ends:%Y年%m月%d日}",
        }
        body = [
            *publishing.paragraphs(
                _(
                    "根据《大连市心理咨询行业专家库》建设工作安排，经个人申报、协会评审，"
                    "现将报审第%(number)s批入库专家名单予以公示。"
                )
                % {"number": number}
            ),
            _list_table(entries),
            *publishing.paragraphs(
                period,
                _(
                    "公示期间，如对名单中的人员有异议，请通过本页的“提出异议”表单反映，并提供必要的事实依据。"
                    "异议人信息仅用于核实，不会公开。公示期满无异议的，按程序办理入库手续。"
                ),
            ),
        ]
        page = _publish_notice(
            slug=f"expert-batch-{batch.number}",
            title=_("关于报审第%(number)s批入库专家名单的通告") % {"number": number},
            summary=_("公示报审的第%(number)s批入库专家名单。") % {"number": number} + period,
            body=body,
            on=today,
            by=by,
        )
    ExpertBatch.objects.filter(pk=batch.pk).update(notice_page=page)
    batch.notice_page = page
    for application in entries:
        _tell(application, "application_in_notice", batch=batch)
    return batch


@transaction.atomic
def close_batch(batch: ExpertBatch, *, by: User, today: datetime.date | None = None) -> ExpertBatch:
    """After the notice period: admit everyone without an upheld objection, withdraw the others with
    the reason on record, and publish the final list 关于大连市心理咨询行业专家库第N批入库专家名单的通告."""
    today = today or timezone.localdate()
    batch = vetting.close_notice_period(batch, by=by, today=today)
    upheld = dict(
        batch.objections.filter(outcome=ObjectionOutcome.UPHELD, application__isnull=False).values_list(
            "application_id", "resolution"
        )
    )
    admitted = []
    for application in batch.applications.filter(status=Status.NOTICE).order_by("pk"):
        if application.pk in upheld:
            note = _("公示期异议成立：%(reason)s") % {"reason": upheld[application.pk]}
            vetting.move(application, Status.WITHDRAWN, by=by, note=note)
            _tell(application, "application_withdrawn", reason=upheld[application.pk])
        else:
            vetting.move(application, Status.ACCEPTED, by=by, note=str(batch))
            admitted.append(admit(application, batch=batch, on=today))
    with translation.override(settings.LANGUAGE_CODE):
        number = _number_words(batch.number)
        entries = batch.applications.filter(status=Status.ACCEPTED).prefetch_related("specialties")
        page = _publish_notice(
            slug=f"expert-batch-{batch.number}-admitted",
            title=_("关于大连市心理咨询行业专家库第%(number)s批入库专家名单的通告") % {"number": number},
            summary=_("第%(number)s批报审专家公示期满，现公布入库专家名单。") % {"number": number},
            body=[
                *publishing.paragraphs(
                    _(
                        "第%(number)s批报审入库专家名单已于 %(start)s 至 %(end)s 公示期满。"
                        "经审核，以下 %(count)s 位专家入选《大连市心理咨询行业专家库》，入库有效期 %(years)s 年。"
                    )
                    % {
                        "number": number,
                        "start": f"{batch.notice_starts:%Y年%m月%d日}",
                        "end": f"{batch.notice_ends:%Y年%m月%d日}",
                        "count": len(admitted),
                        "years": settings.EXPERT_TERM_YEARS,
                    }
                ),
                _list_table(entries.order_by("full_name", "pk")),
                *publishing.paragraphs(_("公众可在本网站“专家库”栏目按专长、服务类型和区域查询入库专家。")),
            ],
            on=today,
            by=by,
        )
    ExpertBatch.objects.filter(pk=batch.pk).update(result_page=page)
    batch.result_page = page
    return batch


# Objections --------------------------------------------------------------------------------------


class TooManyObjections(ValidationError):
    pass


def raise_objection(
    batch: ExpertBatch,
    *,
    name: str,
    contact: str,
    grounds: str,
    application_id=None,
    today=None,
    idempotency_key: str | None = None,
):
    """Anyone may object while the batch is in its notice period; nothing of it is ever shown publicly.
    The same form sent twice (`idempotency_key`) records one objection."""
    today = today or timezone.localdate()
    application = None
    if application_id:
        application = batch.applications.filter(pk=application_id, status=Status.NOTICE).first()
        if application is None:
            raise ValidationError(_("所选人员不在本批公示名单中。"))
    objection, new = vetting.record_objection(
        batch,
        today=today,
        idempotency_key=idempotency_key,
        application=application,
        name=name,
        contact=contact,
        grounds=grounds,
    )
    if new:
        reviewers = emails_of_holders("experts", "change_batchobjection")
        send_after_commit(EMAIL + "objection_received", reviewers, {"objection": objection, "batch": batch})
    return objection


def resolve_objection(objection: BatchObjection, *, outcome: str, note: str, by: User, application_id=None):
    """A reviewer records the outcome; an upheld objection must name the expert it concerns."""
    with transaction.atomic():
        if outcome == ObjectionOutcome.UPHELD and not (objection.application_id or application_id):
            raise ValidationError(_("异议成立时，请选择所涉专家。"))
        if application_id and not objection.application_id:
            if not objection.batch.applications.filter(pk=application_id).exists():
                raise ValidationError(_("所选人员不在本批公示名单中。"))
            BatchObjection.objects.filter(pk=objection.pk).update(application_id=application_id)
        return vetting.resolve_objection(objection, outcome=outcome, note=note, by=by)


# Admission ---------------------------------------------------------------------------------------


def term_end(admitted_on: datetime.date) -> datetime.date:
    """The last day of an admission of EXPERT_TERM_YEARS years (29 February falls back to the 28th)."""
    years = settings.EXPERT_TERM_YEARS
    try:
        end = admitted_on.replace(year=admitted_on.year + years)
    except ValueError:
        end = admitted_on.replace(year=admitted_on.year + years, day=28)
    return end - datetime.timedelta(days=1)


def copy_profile(source: Profile, target: Profile) -> None:
    """The public details and consents of `source` onto `target` (lists aside: they need saved rows)."""
    for field in Profile.SCALAR_FIELDS:
        setattr(target, field, getattr(source, field))
    if source.photo:
        target.photo = source.photo.name


def _copy_many(source: Profile, target: Profile) -> None:
    for field in Profile.MANY_FIELDS:
        getattr(target, field).set(getattr(source, field).all())


@transaction.atomic
def admit(application: ExpertApplication, *, batch: ExpertBatch, on: datetime.date) -> Expert:
    """Make (or renew) the expert's public profile from their accepted application."""
    expert = Expert.objects.select_for_update().filter(user=application.applicant).first() or Expert(
        user=application.applicant
    )
    copy_profile(application, expert)
    expert.member = Member.objects.filter(user=application.applicant).first()
    expert.application, expert.batch = application, batch
    expert.status, expert.admitted_on, expert.expires_on = ExpertStatus.ADMITTED, on, term_end(on)
    expert.save()
    _copy_many(application, expert)
    refresh(expert)
    _tell(application, "application_admitted", expert=expert, batch=batch)
    return expert
