"""One view for the staff's actions in the Wagtail admin: decide, renew, close, declare, follow up …

Every action is the same walk: check who is asking (before anything of the record is read), find
the record, refuse what its state does not allow, show the form, and on a valid POST call the
service that does the work, say what happened and go back where the person came from. A
ValidationError raised by the service is shown on the form, with what was typed kept. A subclass
names its pieces:

    class RenewView(ActionView):
        allowed = staticmethod(is_coordinator)   # or: permission = "app.codename"
        queryset = Assignment.objects.select_related("case")
        form_class = RenewForm
        title = _("续期")
        submit_label = _("续期")

        def act(self, form):
            services.renew(self.object, by=self.request.user, reason=form.cleaned_data["reason"])
            return _("已续期。")

        def get_back_url(self):
            return reverse("aid_cases:inspect", args=[self.object.case_id])

and its URL: `path("renew/<int:pk>/", RenewView.as_view(), name="renew")`. The page is
`portal/admin/action.html` (a subclass may extend it for an introduction of its own). An action
that asks nothing but "are you sure?" names no form and puts its question in `get_intro()`. An
action on no one record (confirming the bank transfers ticked on a list) names no queryset, and
`act()` may return "" when `after()` says all there is to say; such a list page comes back to
itself once done (`get_success_url()`), while its back button leads elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActionView(View):
    http_method_names = ["get", "post"]
    template_name = "portal/admin/action.html"
    permission: str | None = None  # a Django permission the user must hold
    queryset = None
    form_class: type[forms.Form] = forms.Form  # no fields: a confirmation
    title: StrOrPromise = ""
    submit_label = _("提交")
    back_label = _("返回")
    icon = "doc-empty-inverse"
    # Whether a refusal from the service is about the record, not about what was typed (a payment
    # already confirmed by someone else meanwhile): then it is shown on the way back, not on the form.
    errors_go_back = False

    # Who may act ------------------------------------------------------------------------------

    def allowed(self, user) -> bool:
        """Whether `user` may take this action; by default, whether they hold `permission`."""
        if self.permission is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no permission and no allowed()")
        return user.has_perm(self.permission)

    # The record and its state -----------------------------------------------------------------

    def get_object(self):
        if self.queryset is None:
            return None
        return get_object_or_404(self.queryset, pk=self.kwargs["pk"])

    def refusal(self) -> str | None:
        """Why the record's state does not allow the action (shown as an error, then back), or None."""
        return None

    # The form and the work ----------------------------------------------------------------------

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, **self.get_form_kwargs())

    def act(self, form) -> str:
        """Do the work through the app's service; return the message that says what was done."""
        raise ImproperlyConfigured(f"{type(self).__name__} does not say what the action does (act())")

    def after(self) -> None:
        """Anything to tell the person once the work is done (a warning), before going back."""

    def get_back_url(self) -> str:
        """Where the page's back button leads, and where the person goes when the record's state
        refuses the action (and, unless get_success_url() says otherwise, once it is done)."""
        raise ImproperlyConfigured(f"{type(self).__name__} does not say where to go back to (get_back_url())")

    def get_success_url(self) -> str:
        """Where the person goes once the action is done: back, unless the action says otherwise."""
        return self.get_back_url()

    def get_intro(self) -> str:
        """What the page says above the form (for a confirmation, the question it asks)."""
        return ""

    def get_context_data(self, **context) -> dict:
        return {
            "page_title": self.title,
            "subtitle": "",
            "intro": self.get_intro(),
            "icon": self.icon,
            "submit_label": self.submit_label,
            "back_url": self.get_back_url(),
            "back_label": self.back_label,
            **context,
        }

    # The walk -------------------------------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        self.object = self.get_object()
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.get_back_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.act(form)
            except ValidationError as error:
                if self.errors_go_back:
                    messages.error(request, " ".join(error.messages))
                    return redirect(self.get_back_url())
                form.add_error(None, error)
            else:
                if message:
                    messages.success(request, message)
                self.after()
                return redirect(self.get_success_url())
        return self.render(form)

    def render(self, form):
        return TemplateResponse(self.request, self.template_name, self.get_context_data(form=form))
