"""The chairs' batch screens: opening a batch, adding and removing applications, publishing it
for its notice period (公示), closing and exporting it, and resolving objections."""

from __future__ import annotations

import uuid

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from portal.admin_actions import ActionView
from portal.vetting import admin as vetting_admin
from portal.vetting import services as vetting
from portal.vetting import workdays
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

from .. import exports, services
from ..models import (
    BatchObjection,
    ExpertApplication,
    ExpertBatch,
)
from ..permissions import PUBLISH, RESOLVE, require_permission
from .forms import AddApplicationsForm, OpenBatchForm

# Batches ------------------------------------------------------------------------------------------


class BatchIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(size=Count("applications"))

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("experts.add_expertbatch"):
            buttons.append(
                HeaderButton(
                    _("开设新批次"), url=reverse("expert_batches:open"), icon_name="plus", classname="button-primary"
                )
            )
        return buttons


class BatchActionView(ActionView):
    """A chair's action on a batch: a refusal from the service (the batch moved on meanwhile) is shown
    on the batch's page."""

    queryset = ExpertBatch.objects.all()
    errors_go_back = True
    icon = "tasks"

    def get_back_url(self):
        return reverse("expert_batches:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=str(self.object), **context)


class OpenBatchView(ActionView):
    permission = "experts.add_expertbatch"
    form_class = OpenBatchForm
    title = gettext_lazy("开设新批次")
    submit_label = gettext_lazy("开设")
    icon = "tasks"
    batch = None

    def get_object(self):
        return None

    def get_form_kwargs(self):
        return {"initial": {"idempotency_key": uuid.uuid4().hex}}

    def get_intro(self):
        return _("新批次自动编号。开设后可以把拟入库的申请加入批次，再发布公示。")

    def act(self, form):
        self.batch = services.open_batch(idempotency_key=form.cleaned_data["idempotency_key"])
        return _("已开设%(batch)s。") % {"batch": self.batch}

    def get_back_url(self):
        if self.batch is not None:
            return reverse("expert_batches:inspect", args=[self.batch.pk])
        return reverse("expert_batches:index")


class BatchInspectView(InspectView):
    template_name = "experts/admin/batch_inspect.html"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user, batch = self.request.user, self.object
        today = timezone.localdate()
        if batch.status == NoticeStatus.OPEN and user.has_perm("experts.change_expertbatch"):
            buttons.append(
                HeaderButton(_("加入申请"), url=reverse("expert_batches:add", args=[batch.pk]), icon_name="plus")
            )
        if batch.status == NoticeStatus.OPEN and user.has_perm(PUBLISH):
            url = reverse("expert_batches:publish", args=[batch.pk])
            buttons.append(HeaderButton(_("发布公示"), url=url, icon_name="upload", classname="button-primary"))
        if batch.notice_period_over(today) and user.has_perm(PUBLISH):
            url = reverse("expert_batches:close", args=[batch.pk])
            buttons.append(HeaderButton(_("结束公示并入库"), url=url, icon_name="tick", classname="button-primary"))
        if batch.status != NoticeStatus.OPEN:
            buttons.append(
                HeaderButton(
                    _("导出 CSV"), url=reverse("expert_batches:export", args=[batch.pk, "csv"]), icon_name="download"
                )
            )
            buttons.append(
                HeaderButton(
                    _("导出 PDF"), url=reverse("expert_batches:export", args=[batch.pk, "pdf"]), icon_name="doc-full"
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        today = timezone.localdate()
        context.update(
            batch=batch,
            entries=batch.applications.prefetch_related("specialties")
            .annotate(objection_count=Count("objections"))
            .order_by("full_name", "pk"),
            objections=batch.objections.select_related("application", "resolved_by"),
            working_days_left=workdays.working_days_left(today, batch.notice_ends) if batch.notice_ends else None,
            calendar_known=workdays.calendar_known(today.year) and workdays.calendar_known(today.year + 1)
            if batch.status == NoticeStatus.OPEN
            else True,
            can_remove=batch.status == NoticeStatus.OPEN and self.request.user.has_perm("experts.change_expertbatch"),
        )
        return context


class AddToBatchView(BatchActionView):
    permission = "experts.change_expertbatch"
    form_class = AddApplicationsForm
    title = gettext_lazy("加入申请")
    submit_label = gettext_lazy("加入批次")

    def refusal(self):
        return services.adding_refusal(self.object)

    def get_intro(self):
        return _("只列出评审组长已决定拟入库、尚未加入任何批次的申请。")

    def act(self, form):
        added = services.add_to_batch(self.object, form.cleaned_data["applications"])
        return _("已加入 %(count)s 份申请。") % {"count": added}


class RemoveFromBatchView(BatchActionView):
    """The 移出 button on an open batch's page: a POST, no page of its own."""

    http_method_names = ["post"]
    permission = "experts.change_expertbatch"

    def act(self, form):
        application = get_object_or_404(ExpertApplication, pk=self.kwargs["application_pk"])
        services.remove_from_batch(self.object, application)
        return _("已移出批次。")


class PublishBatchView(BatchActionView):
    permission = PUBLISH
    title = gettext_lazy("发布公示")
    submit_label = gettext_lazy("发布")

    def refusal(self):
        return vetting.publishing_refusal(self.object)

    @cached_property
    def notice_period(self) -> tuple:
        """The notice period the batch would have if published today: its first and last day."""
        return workdays.notice_period(timezone.localdate(), self.object.working_days)

    def get_intro(self):
        batch, (start, end) = self.object, self.notice_period
        return _(
            "发布后将在通知公告中刊登“关于报审%(batch)s入库专家名单的通告”，列出姓名、工作单位和专长领域；"
            "公示期 %(days)s 个工作日，为 %(start)s 至 %(end)s。发布后名单不能再调整。"
        ) % {"batch": batch, "days": batch.working_days, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}

    def get_context_data(self, **context):
        _start, end = self.notice_period
        if not workdays.calendar_known(end.year):
            context["warning"] = _(
                "该年度的法定节假日安排尚未收录，公示期暂按周一至周五计算。请在“节假日调整”中录入国务院公布的安排后再发布。"
            )
        return super().get_context_data(**context)

    def act(self, form):
        batch = services.publish_batch(self.object, by=self.request.user, today=timezone.localdate())
        return _("已发布公示，公示期 %(start)s 至 %(end)s。") % {
            "start": f"{batch.notice_starts:%Y-%m-%d}",
            "end": f"{batch.notice_ends:%Y-%m-%d}",
        }


class CloseBatchView(BatchActionView):
    permission = PUBLISH
    title = gettext_lazy("结束公示并入库")
    submit_label = gettext_lazy("结束公示")

    def refusal(self):
        return vetting.closing_refusal(self.object, timezone.localdate())

    def get_intro(self):
        upheld = self.object.objections.filter(outcome=ObjectionOutcome.UPHELD).count()
        return _(
            "结束后，没有成立异议的申请人全部入库，异议成立的申请人记录为撤回，并在通知公告中发布入库名单。"
            "本批次共有 %(upheld)s 条成立的异议。"
        ) % {"upheld": upheld}

    def act(self, form):
        services.close_batch(self.object, by=self.request.user)
        return _("公示已结束，入库名单已发布。")


def export_batch(request, pk: int, kind: str):
    require_permission(request, "experts.view_expertbatch")
    batch = get_object_or_404(ExpertBatch, pk=pk)
    if kind == "pdf":
        response = HttpResponse(exports.batch_pdf(batch), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="expert-batch-{batch.number}.pdf"'
    else:
        response = HttpResponse(exports.batch_csv(batch), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="expert-batch-{batch.number}.csv"'
    return response


# Objections ---------------------------------------------------------------------------------------


class ObjectionInspectView(InspectView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.outcome == ObjectionOutcome.PENDING and self.request.user.has_perm(RESOLVE):
            url = reverse("expert_objections:resolve", args=[self.object.pk])
            buttons.append(HeaderButton(_("处理"), url=url, icon_name="tasks", classname="button-primary"))
        return buttons


class ResolveObjectionView(vetting_admin.ResolveObjectionView):
    permission = RESOLVE
    queryset = BatchObjection.objects.select_related("batch", "application")
    template_name = "experts/admin/objection_resolve.html"
    entry_label = gettext_lazy("所涉专家")

    def entries(self):
        entries = self.object.batch.applications.filter(status__in=[Status.NOTICE, Status.ACCEPTED])
        return [(entry.pk, entry.full_name) for entry in entries.order_by("full_name")]

    def entry_id(self):
        return self.object.application_id

    def resolve(self, *, outcome, note, entry_id):
        services.resolve_objection(
            self.object, outcome=outcome, note=note, by=self.request.user, application_id=entry_id
        )

    def notice(self):
        return self.object.batch

    def get_back_url(self):
        return reverse("expert_objections:inspect", args=[self.object.pk])
