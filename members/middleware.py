"""Staff set up two-factor authentication before they reach the admin."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def needs_two_factor(user) -> bool:
    """A member of staff without an authenticator app: the admin is closed to them until they add one."""
    from allauth.mfa.models import Authenticator

    if not (settings.STAFF_TWO_FACTOR_REQUIRED and user.is_authenticated and (user.is_staff or user.is_superuser)):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIXES) and needs_two_factor(request.user):
            messages.warning(request, _("工作人员须先启用两步验证,才能进入管理后台。"))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
