"""Every response carries a Content-Security-Policy and a Permissions-Policy; what a signed-in person
sees is never kept by a cache on the way."""

import pytest
from django.urls import reverse

from portal.headers import admin_policy, site_policy
from tests.conftest import sign_in
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    return {part.split()[0]: part.split(" ", 1)[1] for part in header.split("; ")}


@pytest.fixture
def notice(home_page):
    return NoticePageFactory(parent=NoticeIndexPageFactory(parent=home_page), title="关于交纳会费的通知")


def test_public_pages_allow_no_inline_script(client, notice):
    for url in ("/", notice.url, "/search/?q=会费", reverse("account_login")):
        response = client.get(url)
        policy = _directives(response["Content-Security-Policy"])

        assert response.status_code == 200, url
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert "'unsafe-inline'" not in policy["style-src"]
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'self'"
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_cached_public_pages_carry_the_policy_too(client, notice):
    client.get(notice.url)
    again = client.get(notice.url)

    assert again["Content-Security-Policy"] == site_policy()
    assert "Permissions-Policy" in again


def test_the_admin_has_its_own_policy_and_is_never_cached(client, superuser):
    sign_in(client, superuser)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == admin_policy()
    assert _directives(response["Content-Security-Policy"])["object-src"] == "'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_member_pages_are_never_cached_on_the_way(client, member, home_page):
    sign_in(client, member)

    for url in ("/", reverse("membership_apply"), reverse("mfa_index")):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_anonymous_public_pages_stay_cacheable(client, notice):
    assert "no-store" not in client.get(notice.url).get("Cache-Control", "")
