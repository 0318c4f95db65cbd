"""Expert reviewers' and chairs' views in the Wagtail admin: the review queue, scoring, decisions,
batches (add, publish, close, export), objections and profile changes."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from portal.exports import SafeCsvExportMixin
from portal.vetting import services as vetting
from portal.vetting import workdays
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

from . import exports, services
from .forms import ChairDecisionForm, ObjectionResolutionForm, ProfileChangeDecisionForm, ReviewForm
from .models import (
    BatchObjection,
    Expert,
    ExpertApplication,
    ExpertBatch,
    Language,
    Profile,
    ProfileChange,
    ServiceType,
    Specialty,
)

REVIEW = "experts.review_expertapplication"
DECIDE = "experts.decide_expertapplication"
PUBLISH = "experts.publish_expertbatch"
RESOLVE = "experts.change_batchobjection"
DECIDE_CHANGE = "experts.decide_profilechange"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _action_page(request, *, title: str, subtitle, form, submit: str, back_url: str, template: str = "", **context):
    return TemplateResponse(
        request,
        template or "experts/admin/action.html",
        {
            "page_title": title,
            "subtitle": subtitle,
            "form": form,
            "submit_label": submit,
            "back_url": back_url,
            **context,
        },
    )


# Applications -------------------------------------------------------------------------------------


class ApplicationIndexView(SafeCsvExportMixin, IndexView):
    """Every application past the draft stage, with how many reviews it has."""

    def get_base_queryset(self):
        return services.with_review_counts(super().get_base_queryset().exclude(status=Status.DRAFT)).select_related(
            "batch"
        )

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(REVIEW):
            buttons.append(HeaderButton(_("我的评审任务"), url=reverse("expert_applications:queue"), icon_name="tasks"))
        return buttons


def review_queue(request):
    """A reviewer's Monday morning: submitted applications, oldest first, with their own progress on each."""
    _require(request, REVIEW)
    applications = list(services.review_queue(request.user).select_related("applicant").prefetch_related("specialties"))
    return TemplateResponse(
        request,
        "experts/admin/queue.html",
        {
            "page_title": _("我的评审任务"),
            "applications": applications,
            "to_do": sum(1 for item in applications if not item.reviewed_by_me and not item.conflict_for_me),
            "required": ExpertApplication.reviews_required(),
        },
    )


class ApplicationInspectView(InspectView):
    template_name = "experts/admin/application_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            ExpertApplication.objects.select_related("applicant", "batch").prefetch_related(
                "specialties", "services", "languages", "qualifications"
            ),
            pk=self.pk,
        )

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user, application = self.request.user, self.object
        if user.has_perm(REVIEW) and vetting.review_refusal(application, user) is None:
            url = reverse("expert_applications:review", args=[application.pk])
            buttons.append(HeaderButton(_("评审"), url=url, icon_name="form", classname="button-primary"))
        if user.has_perm(DECIDE) and application.status == Status.SUBMITTED:
            url = reverse("expert_applications:decide", args=[application.pk])
            buttons.append(HeaderButton(_("决定"), url=url, icon_name="tasks"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        chair = self.request.user.has_perm(DECIDE)
        reviews = vetting.reviews_visible_to(application, self.request.user, chair=chair)
        context.update(
            application=application,
            reviews=reviews,
            summary=vetting.score_summary(application, reviews),
            criteria=application.REVIEW_CRITERIA,
            hidden_reviews=not chair
            and not any(review.reviewer_id == self.request.user.pk and review.submitted_at for review in reviews),
            transitions=application.transitions(),
            consents=consents_of(application),
        )
        return context


def consents_of(application: ExpertApplication) -> list[tuple[str, bool]]:
    """Each field-by-field consent with the applicant's answer, for reviewers to read."""
    return [(application._meta.get_field(name).verbose_name, getattr(application, name)) for name in Profile.CONSENTS]


def review(request, pk: int):
    """Score an application (once) or step aside for a conflict of interest."""
    _require(request, REVIEW)
    application = get_object_or_404(ExpertApplication, pk=pk)
    inspect_url = reverse("expert_applications:inspect", args=[pk])
    refusal = vetting.review_refusal(application, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(inspect_url)
    form = ReviewForm(request.POST or None, criteria=application.REVIEW_CRITERIA, scale=application.REVIEW_SCALE)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == ReviewForm.CONFLICT:
                vetting.declare_conflict(application, request.user, note=form.cleaned_data["conflict_note"])
                messages.success(request, _("已申明利益冲突，您不再参与该申请的评审。"))
                return redirect("expert_applications:queue")
            vetting.submit_review(application, request.user, scores=form.scores(), comment=form.cleaned_data["comment"])
            messages.success(request, _("评审意见已提交，现在可以看到其他评审人的意见。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(inspect_url)
    return _action_page(
        request,
        title=_("评审入库申请"),
        subtitle=application.full_name,
        form=form,
        submit=_("提交评审意见"),
        back_url=inspect_url,
        template="experts/admin/review.html",
        application=application,
        consents=consents_of(application),
    )


def decide(request, pk: int):
    """The chair proposes the application for a batch, returns it for changes, or rejects it."""
    _require(request, DECIDE)
    application = get_object_or_404(ExpertApplication, pk=pk)
    inspect_url = reverse("expert_applications:inspect", args=[pk])
    form = ChairDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == ChairDecisionForm.PROPOSE:
                services.propose(application, by=request.user, note=note)
                messages.success(request, _("已列为拟入库，可加入下一批次公示。"))
            elif decision == ChairDecisionForm.RETURN:
                services.return_for_changes(application, by=request.user, comments=note)
                messages.success(request, _("已退回申请人修改。"))
            else:
                services.reject(application, by=request.user, reason=note)
                messages.success(request, _("已决定不予入库，并通知申请人。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(inspect_url)
    reviews = vetting.reviews_visible_to(application, request.user, chair=True)
    return _action_page(
        request,
        title=_("入库决定"),
        subtitle=application.full_name,
        form=form,
        submit=_("提交决定"),
        back_url=inspect_url,
        template="experts/admin/decide.html",
        summary=vetting.score_summary(application, reviews),
        completed=vetting.completed_reviews(application),
        required=application.reviews_required(),
    )


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


class OpenBatchForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


def open_batch(request):
    _require(request, "experts.add_expertbatch")
    form = OpenBatchForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        batch = services.open_batch(idempotency_key=form.cleaned_data["idempotency_key"])
        messages.success(request, _("已开设%(batch)s。") % {"batch": batch})
        return redirect("expert_batches:inspect", batch.pk)
    return _action_page(
        request,
        title=_("开设新批次"),
        subtitle="",
        form=form,
        submit=_("开设"),
        back_url=reverse("expert_batches:index"),
        intro=_("新批次自动编号。开设后可以把拟入库的申请加入批次，再发布公示。"),
    )


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


class AddApplicationsForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("拟入库的申请"), queryset=ExpertApplication.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = services.proposed_applications()
        self.fields["applications"].label_from_instance = lambda item: f"{item.full_name}({item.employer})"
        self.fields["applications"].error_messages["required"] = _("请至少选择一份申请。")


def add_to_batch(request, pk: int):
    _require(request, "experts.change_expertbatch")
    batch = get_object_or_404(ExpertBatch, pk=pk)
    back = reverse("expert_batches:inspect", args=[pk])
    form = AddApplicationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_to_batch(batch, form.cleaned_data["applications"])
            messages.success(request, _("已加入 %(count)s 份申请。") % {"count": added})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    return _action_page(
        request,
        title=_("加入申请"),
        subtitle=str(batch),
        form=form,
        submit=_("加入批次"),
        back_url=back,
        intro=_("只列出评审组长已决定拟入库、尚未加入任何批次的申请。"),
    )


def remove_from_batch(request, pk: int, application_pk: int):
    _require(request, "experts.change_expertbatch")
    batch = get_object_or_404(ExpertBatch, pk=pk)
    if request.method == "POST":
        try:
            services.remove_from_batch(batch, get_object_or_404(ExpertApplication, pk=application_pk))
            messages.success(request, _("已移出批次。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("expert_batches:inspect", pk)


def publish_batch(request, pk: int):
    _require(request, PUBLISH)
    batch = get_object_or_404(ExpertBatch, pk=pk)
    back = reverse("expert_batches:inspect", args=[pk])
    today = timezone.localdate()
    if request.method == "POST":
        try:
            batch = services.publish_batch(batch, by=request.user, today=today)
            messages.success(
                request,
                _("已发布公示，公示期 %(start)s 至 %(end)s。")
                % {"start": f"{batch.notice_starts:%Y-%m-%d}", "end": f"{batch.notice_ends:%Y-%m-%d}"},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    start, end = workdays.notice_period(today, batch.working_days)
    return _action_page(
        request,
        title=_("发布公示"),
        subtitle=str(batch),
        form=None,
        submit=_("发布"),
        back_url=back,
        intro=_(
            "发布后将在通知公告中刊登“关于报审%(batch)s入库专家名单的通告”，列出姓名、工作单位和专长领域；"
            "公示期 %(days)s 个工作日，为 %(start)s 至 %(end)s。发布后名单不能再调整。"
        )
        % {"batch": batch, "days": batch.working_days, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
        calendar_warning=not workdays.calendar_known(end.year),
    )


def close_batch(request, pk: int):
    _require(request, PUBLISH)
    batch = get_object_or_404(ExpertBatch, pk=pk)
    back = reverse("expert_batches:inspect", args=[pk])
    if request.method == "POST":
        try:
            batch = services.close_batch(batch, by=request.user)
            messages.success(request, _("公示已结束，入库名单已发布。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    upheld = batch.objections.filter(outcome=ObjectionOutcome.UPHELD).count()
    return _action_page(
        request,
        title=_("结束公示并入库"),
        subtitle=str(batch),
        form=None,
        submit=_("结束公示"),
        back_url=back,
        intro=_(
            "结束后，没有成立异议的申请人全部入库，异议成立的申请人记录为撤回，并在通知公告中发布入库名单。"
            "本批次共有 %(upheld)s 条成立的异议。"
        )
        % {"upheld": upheld},
    )


def export_batch(request, pk: int, kind: str):
    _require(request, "experts.view_expertbatch")
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


def resolve_objection(request, pk: int):
    _require(request, RESOLVE)
    objection = get_object_or_404(BatchObjection.objects.select_related("batch", "application"), pk=pk)
    back = reverse("expert_objections:inspect", args=[pk])
    entries = objection.batch.applications.filter(status__in=[Status.NOTICE, Status.ACCEPTED]).order_by("full_name")
    form = ObjectionResolutionForm(
        request.POST or None, entries=entries, initial={"application": objection.application_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_objection(
                objection,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=request.user,
                application_id=form.cleaned_data["application"],
            )
            messages.success(request, _("已记录处理结果。"))
            return redirect(back)
        except ValidationError as error:
            form.add_error(None, error)
    return _action_page(
        request,
        title=_("处理异议"),
        subtitle=str(objection.batch),
        form=form,
        submit=_("提交处理结果"),
        back_url=back,
        template="experts/admin/objection_resolve.html",
        objection=objection,
    )


# Profile changes ----------------------------------------------------------------------------------


class ChangeInspectView(InspectView):
    template_name = "experts/admin/change_inspect.html"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.status == Status.SUBMITTED and self.request.user.has_perm(DECIDE_CHANGE):
            url = reverse("expert_changes:decide", args=[self.object.pk])
            buttons.append(HeaderButton(_("审核"), url=url, icon_name="tasks", classname="button-primary"))
        return buttons

    def get_photo_display_value(self):
        """A link to the private view, not the kept file's name (which has no URL)."""
        return _new_photo_link(self.object) if self.object.photo else "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["differences"] = change_differences(self.object)
        context["transitions"] = self.object.transitions()
        return context


def change_differences(change: ProfileChange) -> list[tuple[str, str, str]]:
    """(field label, now, proposed) for every field the change alters."""
    expert = change.expert
    vocabularies = {"specialties": Specialty, "services": ServiceType, "languages": Language}
    rows = []
    for name, proposed in change.data.items():
        field = Expert._meta.get_field(name)
        if name in vocabularies:
            current_ids = sorted(getattr(expert, name).values_list("pk", flat=True))
            if current_ids == sorted(proposed):
                continue
            names = dict(vocabularies[name].objects.filter(pk__in=[*current_ids, *proposed]).values_list("pk", "name"))
            rows.append(
                (
                    field.verbose_name,
                    "、".join(names[pk] for pk in current_ids),
                    "、".join(names[pk] for pk in proposed if pk in names),
                )
            )
            continue
        current = getattr(expert, name)
        if current == proposed or (current in (None, "") and proposed in (None, "")):
            continue
        if field.choices:
            display = dict(field.flatchoices)
            current, proposed = display.get(current, current), display.get(proposed, proposed)
        if isinstance(current, bool) or isinstance(proposed, bool):
            current, proposed = (_("是") if current else _("否")), (_("是") if proposed else _("否"))
        rows.append(
            (
                field.verbose_name,
                current if current not in (None, "") else "—",
                proposed if proposed not in (None, "") else "—",
            )
        )
    if change.photo:
        rows.append((Expert._meta.get_field("photo").verbose_name, _("原照片"), _new_photo_link(change)))
    return rows


def _new_photo_link(change: ProfileChange) -> str:
    url = reverse("experts:change_photo", args=[change.pk])
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("新照片"))


def decide_change(request, pk: int):
    _require(request, DECIDE_CHANGE)
    change = get_object_or_404(ProfileChange.objects.select_related("expert"), pk=pk)
    back = reverse("expert_changes:inspect", args=[pk])
    form = ProfileChangeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == ProfileChangeDecisionForm.APPROVE:
                services.approve_change(change, by=request.user)
                messages.success(request, _("修改已生效。"))
            else:
                services.reject_change(change, by=request.user, reason=form.cleaned_data["note"])
                messages.success(request, _("已退回，专家会收到理由。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    return _action_page(
        request,
        title=_("审核资料修改"),
        subtitle=str(change.expert),
        form=form,
        submit=_("提交审核结果"),
        back_url=back,
        template="experts/admin/change_decide.html",
        differences=change_differences(change),
    )


class ExpertIndexView(SafeCsvExportMixin, IndexView):
    """Admitted experts; the export is safe to open in a spreadsheet."""


class ExpertEditView(EditView):
    """Staff corrections to an expert (status, term) take effect in the directory and its index at once."""

    def save_instance(self):
        instance = super().save_instance()
        services.refresh(instance)
        return instance
