"""Expert reviewers' and chairs' views in the Wagtail admin: the review queue, scoring, decisions,
profile changes and the expert list. Batches and objections are in batches.py."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from portal.admin_actions import ActionView
from portal.exports import SafeCsvExportMixin
from portal.vetting import services as vetting
from portal.vetting.enums import Status
from portal.vetting.forms import ReviewForm

from .. import services
from ..forms import ChairDecisionForm, ProfileChangeDecisionForm
from ..models import (
    Expert,
    ExpertApplication,
    Language,
    Profile,
    ProfileChange,
    ServiceType,
    Specialty,
)
from ..permissions import DECIDE, DECIDE_CHANGE, REVIEW, require_permission

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
    require_permission(request, REVIEW)
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


class ReviewView(ActionView):
    """Score an application (once) or step aside for a conflict of interest."""

    permission = REVIEW
    queryset = ExpertApplication.objects.all()
    form_class = ReviewForm
    template_name = "experts/admin/review.html"
    title = gettext_lazy("评审入库申请")
    submit_label = gettext_lazy("提交评审意见")
    icon = "tasks"
    errors_go_back = True
    stepped_aside = False

    def refusal(self):
        return vetting.review_refusal(self.object, self.request.user)

    def get_form_kwargs(self):
        return {"criteria": self.object.review_criteria()}

    def act(self, form):
        if form.cleaned_data["action"] == ReviewForm.CONFLICT:
            vetting.declare_conflict(self.object, self.request.user, note=form.cleaned_data["conflict_note"])
            self.stepped_aside = True
            return _("已申明利益冲突，您不再参与该申请的评审。")
        vetting.submit_review(
            self.object, self.request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
        )
        return _("评审意见已提交，现在可以看到其他评审人的意见。")

    def get_back_url(self):
        if self.stepped_aside:
            return reverse("expert_applications:queue")
        return reverse("expert_applications:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(
            subtitle=self.object.full_name, application=self.object, consents=consents_of(self.object), **context
        )


class DecideView(ActionView):
    """The chair proposes the application for a batch, returns it for changes, or rejects it."""

    permission = DECIDE
    queryset = ExpertApplication.objects.all()
    form_class = ChairDecisionForm
    template_name = "experts/admin/decide.html"
    title = gettext_lazy("入库决定")
    submit_label = gettext_lazy("提交决定")
    back_label = gettext_lazy("返回申请")
    icon = "tasks"

    def act(self, form):
        application, decision, note = self.object, form.cleaned_data["decision"], form.cleaned_data["note"]
        if decision == ChairDecisionForm.PROPOSE:
            services.propose(application, by=self.request.user, note=note)
            return _("已列为拟入库，可加入下一批次公示。")
        if decision == ChairDecisionForm.RETURN:
            services.return_for_changes(application, by=self.request.user, comments=note)
            return _("已退回申请人修改。")
        services.reject(application, by=self.request.user, reason=note)
        return _("已决定不予入库，并通知申请人。")

    def get_back_url(self):
        return reverse("expert_applications:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        application = self.object
        reviews = vetting.reviews_visible_to(application, self.request.user, chair=True)
        return super().get_context_data(
            subtitle=application.full_name,
            summary=vetting.score_summary(application, reviews),
            completed=vetting.completed_reviews(application),
            required=application.reviews_required(),
            **context,
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


class DecideChangeView(ActionView):
    permission = DECIDE_CHANGE
    queryset = ProfileChange.objects.select_related("expert")
    form_class = ProfileChangeDecisionForm
    template_name = "experts/admin/change_decide.html"
    title = gettext_lazy("审核资料修改")
    submit_label = gettext_lazy("提交审核结果")
    icon = "tasks"

    def act(self, form):
        if form.cleaned_data["decision"] == ProfileChangeDecisionForm.APPROVE:
            services.approve_change(self.object, by=self.request.user)
            return _("修改已生效。")
        services.reject_change(self.object, by=self.request.user, reason=form.cleaned_data["note"])
        return _("已退回，专家会收到理由。")

    def get_back_url(self):
        return reverse("expert_changes:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(
            subtitle=str(self.object.expert), differences=change_differences(self.object), **context
        )


class ExpertIndexView(SafeCsvExportMixin, IndexView):
    """Admitted experts; the export is safe to open in a spreadsheet."""


class ExpertEditView(EditView):
    """Staff corrections to an expert (status, term) take effect in the directory and its index at once."""

    def save_instance(self):
        instance = super().save_instance()
        services.refresh(instance)
        return instance
