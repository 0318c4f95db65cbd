"""Two-factor sign-in, decided once for the whole site.

Whoever can reach anything staff-only or confidential must have entered the code of their
authenticator app *in this session*. "Can reach" is read from what the account holds — superuser,
``is_staff``, any group, any permission of its own, or a confidential role an app registers (an aid
counsellor's caseload) — never from ``is_staff`` alone: Wagtail's user screen gives admin access
through groups. "In this session" is read from allauth's authentication records, which its login
and reauthentication flows write when the code was right; owning an authenticator proves nothing.

`TwoFactorMiddleware` applies the rule to every URL, the admin, the member areas and private files
alike: such a session reaches nothing but the pages that complete the second factor or sign out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from allauth.account import auth_backends as allauth_backends
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.recovery_codes import views as recovery_codes_views
from allauth.mfa.signals import authenticator_removed
from allauth.mfa.totp import views as totp_views
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import backends as auth_backends
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.checks import register
from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.crypto import check_keys, keyring

_confidential_roles: list[Q] = []

# Where someone sent to set up two-factor was going: the recovery codes page continues there.
GOING_TO_SESSION_KEY = "portal.two_factor_going_to"

# What a session still owing its second factor may open: completing it, and signing out.
OPEN_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_authenticate",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
    }
)


def register_confidential_role(condition: Q) -> None:
    """Let an app name, as a condition on the user model, a role that reads confidential records."""
    _confidential_roles.append(condition)


def _reach_conditions() -> list[Q]:
    """What, besides superuser and is_staff, gives an account staff-only or confidential reach."""
    return [Q(groups__isnull=False), Q(user_permissions__isnull=False), *_confidential_roles]


def with_reach(queryset):
    """`queryset` of users with what needs_two_factor() reads annotated, so loading the signed-in
    person costs no query beyond the one that loads them."""
    model = queryset.model
    annotations = {
        f"_reach_{index}": Exists(model._default_manager.filter(condition, pk=OuterRef("pk")))
        for index, condition in enumerate(_reach_conditions())
    }
    return queryset.annotate(**annotations)


def needs_two_factor(user) -> bool:
    """Whether `user` can reach anything staff-only or confidential (remembered per request; read from
    the annotations of with_reach() when the user was loaded with them, else one query)."""
    if not settings.STAFF_TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_needs_two_factor", None)
    if cached is None:
        if user.is_superuser or user.is_staff:
            cached = True
        elif hasattr(user, "_reach_0"):
            cached = any(getattr(user, f"_reach_{index}") for index in range(len(_reach_conditions())))
        else:
            condition = Q()
            for reach in _reach_conditions():
                condition |= reach
            cached = get_user_model()._default_manager.filter(condition, pk=user.pk).exists()
        user._needs_two_factor = cached
    return cached


if TYPE_CHECKING:
    from django.contrib.auth.backends import ModelBackend as UserLoadingBackend
else:
    UserLoadingBackend = object


class ReachMixin(UserLoadingBackend):
    """An authentication backend whose get_user() loads the person with what needs_two_factor()
    reads, in the same query."""

    def get_user(self, user_id):
        try:
            user = with_reach(get_user_model()._default_manager.all()).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(ReachMixin, auth_backends.ModelBackend):
    pass


class AuthenticationBackend(ReachMixin, allauth_backends.AuthenticationBackend):
    pass


def passed_two_factor(request: HttpRequest) -> bool:
    """Whether this session entered an authenticator's code for the person signed in."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def two_factor_missing(request: HttpRequest) -> bool:
    return needs_two_factor(request.user) and not passed_two_factor(request)


def forget_second_factor(request: HttpRequest) -> None:
    """After an authenticator is removed, this session owes the second factor again."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list):
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [r for r in records if r.get("method") != "mfa"]


def _is_open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in OPEN_URL_NAMES


def _is_public_file(request: HttpRequest) -> bool:
    """Public media and static files (a page's images) are the same for everyone: answering them with
    the code page would also load that page again behind the person's back."""
    path = request.path_info
    return any(prefix and path.startswith(prefix) for prefix in (settings.MEDIA_URL, settings.STATIC_URL))


def _has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class TwoFactorMiddleware:
    """Sends a session that owes its second factor to enter the code (or to set up an authenticator
    app first), then back to where it was going."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if two_factor_missing(request) and not _is_public_file(request) and not _is_open(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        if not _has_authenticator(request.user):
            if request.method == "GET":
                request.session[GOING_TO_SESSION_KEY] = request.get_full_path()
            messages.warning(request, _("您的账户可以查看工作人员专用或保密的信息，须先启用两步验证。"))
            return redirect("mfa_activate_totp")
        messages.info(request, _("请输入身份验证器应用中的验证码，完成两步验证后继续。"))
        target = reverse("mfa_reauthenticate")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets (the TOTP key, the recovery codes' seed) are stored encrypted under
    MFA_ENCRYPTION_KEYS, so a copy of the database alone cannot produce anyone's codes. Its messages
    use the site's words (两步验证, 验证码) rather than allauth's catalogue (双因素, 错误代码)."""

    error_messages = {
        "add_email_blocked": gettext_lazy("启用了两步验证的账户不能再添加电子邮箱。"),
        "cannot_delete_authenticator": gettext_lazy("您的账户必须使用两步验证，不能关闭。"),
        "cannot_generate_recovery_codes": gettext_lazy("请先启用两步验证，再生成恢复码。"),
        "incorrect_code": gettext_lazy("验证码不正确，请输入身份验证器应用中现在显示的六位数字。"),
        "unverified_email": gettext_lazy("请先确认您的电子邮箱，再启用两步验证。"),
    }

    def encrypt(self, text: str) -> str:
        return keyring("MFA_ENCRYPTION_KEYS", "mfa").encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return keyring("MFA_ENCRYPTION_KEYS", "mfa").decrypt(encrypted_text.encode()).decode()


def _code_field(form, *, recovery_code: bool) -> None:
    field = form.fields["code"]
    field.label = gettext_lazy("验证码")
    field.widget.attrs["placeholder"] = gettext_lazy("六位数字或恢复码") if recovery_code else gettext_lazy("六位数字")
    if not recovery_code:
        field.widget.attrs["inputmode"] = "numeric"


class CodeForm(AuthenticateForm):
    """The code asked at sign-in, labelled in the site's words."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, recovery_code=True)


class ReauthenticateCodeForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, recovery_code=True)


class ActivateForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, recovery_code=False)


def going_to(request: HttpRequest) -> str:
    """Where the person was going before being sent to set up two-factor (their settings page if
    they came of their own accord)."""
    target = request.session.get(GOING_TO_SESSION_KEY, "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return reverse("mfa_index")


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's set-up of an authenticator app. Setting it up means entering one of its codes, so
    this session has passed the second factor (recorded here, with the request, rather than from
    allauth's signal, which fires only once the transaction commits)."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        from allauth.mfa.models import Authenticator

        authenticator = Authenticator.objects.get(user=self.request.user, type=Authenticator.Type.TOTP)
        record_authentication(self.request, self.request.user, "mfa", id=authenticator.pk, type=authenticator.type)
        return response

    def get_success_url(self) -> str:
        """On to the new recovery codes (they are shown once, with a button onwards), or straight on."""
        return super().get_success_url() if self.did_generate_recovery_codes else going_to(self.request)


activate_totp = login_required(ActivateTOTPView.as_view())


class RecoveryCodesView(recovery_codes_views.ViewRecoveryCodesView):
    """allauth's recovery codes, with a way on to where the person was going when the set-up began."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["continue_url"] = going_to(self.request)
        return context


view_recovery_codes = RecoveryCodesView.as_view()


@receiver(authenticator_removed)
def _code_forgotten_when_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type == authenticator.Type.TOTP:
        forget_second_factor(request)


@register()
def _check_mfa_keys(app_configs, **kwargs):
    return check_keys("MFA_ENCRYPTION_KEYS", "portal.E001")
