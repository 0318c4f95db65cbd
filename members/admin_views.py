"""Membership officers' views in the Wagtail admin: an application in full, and the decision on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from portal.vetting.enums import Status

from . import services
from .forms import DecisionForm
from .models import MembershipApplication

DECIDE_PERMISSION = "members.decide_membershipapplication"


class ApplicationIndexView(IndexView):
    """The officers' queue: submitted and decided applications (drafts are the applicant's own)."""

    def get_base_queryset(self):
        return super().get_base_queryset().exclude(status=Status.DRAFT).select_related("membership_type", "applicant")


class MemberIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("membership_type", "user")


class ApplicationInspectView(InspectView):
    template_name = "members/admin/application_inspect.html"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.status == Status.SUBMITTED and self.request.user.has_perm(DECIDE_PERMISSION):
            url = reverse("membership_applications:decide", args=[self.object.pk])
            buttons.append(HeaderButton(_("审核"), url=url, icon_name="tasks", classname="button-primary"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.object
        context["transitions"] = self.object.transitions()
        return context


def decide(request, pk: int):
    """Approve, return for changes or reject a submitted application, with the reason the applicant sees."""
    if not request.user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied
    application = get_object_or_404(MembershipApplication.objects.select_related("applicant", "membership_type"), pk=pk)
    inspect_url = reverse("membership_applications:inspect", args=[pk])
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == DecisionForm.APPROVE:
                member = services.approve_application(
                    application, by=request.user, joined_on=form.cleaned_data["joined_on"]
                )
                messages.success(request, _("已通过,会员编号 %(number)s。") % {"number": member.number})
            elif decision == DecisionForm.RETURN:
                services.return_application(application, by=request.user, comments=note)
                messages.success(request, _("已退回申请人修改。"))
            else:
                services.reject_application(application, by=request.user, reason=note)
                messages.success(request, _("已标记为不通过,并通知申请人。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(inspect_url)
    return TemplateResponse(
        request,
        "members/admin/decide.html",
        {"application": application, "form": form, "inspect_url": inspect_url, "page_title": _("审核入会申请")},
    )
