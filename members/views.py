"""Views of the member area."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login(request):
    """Wagtail's login page, answered by the site's login (then back to where the admin was going)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("wagtailadmin_home")
    if request.user.is_authenticated:
        return redirect(next_url)
    return redirect_to_login(next_url, "account_login")
