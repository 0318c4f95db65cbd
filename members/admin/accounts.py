"""The closure requests in the admin, for membership officers: the queue, what still holds a request
up, and closing the account or refusing with a reason; the download log's list. Their menu entries
are in viewsets.py."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from .. import privacy
from ..account_forms import ClosureDecisionForm
from ..models import AccountClosure, ClosureStatus


class ClosureIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "decided_by")


class ClosureInspectView(InspectView):
    template_name = "members/account/admin/inspect.html"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.status == ClosureStatus.PENDING and privacy.is_officer(self.request.user):
            url = reverse("account_closures:decide", args=[self.object.pk])
            buttons.append(HeaderButton(_("办理"), url=url, icon_name="tasks", classname="button-primary"))
        return buttons

    def get_context_for_field(self, field_name):
        if field_name == "email":
            return {"label": _("电子邮箱"), "value": self.object.user.email, "component": None}
        return super().get_context_for_field(field_name)

    def get_field_display_value(self, field_name, field):
        """Moments in the site's time zone, as the list shows them; a dash where nothing happened yet."""
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        return "—" if value in (None, "") else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["closure"] = self.object
        pending = self.object.status == ClosureStatus.PENDING
        context["blockers"] = privacy.blockers(self.object.user) if pending else []
        return context


def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the account of a request, or refuse it; while something holds it up, only refusing."""
    if not privacy.is_officer(request.user):
        raise PermissionDenied
    closure = get_object_or_404(AccountClosure.objects.select_related("user"), pk=pk)
    inspect_url = reverse("account_closures:inspect", args=[pk])
    if closure.status != ClosureStatus.PENDING:
        messages.info(request, _("这个申请已经是“%(status)s”。") % {"status": closure.get_status_display()})
        return redirect(inspect_url)
    form = ClosureDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == ClosureDecisionForm.CLOSE:
                privacy.close_account(closure, by=request.user)
                messages.success(request, _("账户已注销，确认邮件已发送。"))
            else:
                privacy.refuse_closure(closure, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("已标记为不予注销，并通知申请人。"))
        except ValidationError as error:
            messages.error(request, _("暂不能注销：") + " ".join(error.messages))
        return redirect(inspect_url)
    return TemplateResponse(
        request,
        "members/account/admin/decide.html",
        {
            "closure": closure,
            "form": form,
            "blockers": privacy.blockers(closure.user),
            "inspect_url": inspect_url,
            "page_title": _("办理注销申请"),
        },
    )


class DataExportIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")
