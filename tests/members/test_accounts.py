"""Accounts: sign-up with a verified e-mail address, sign-in, password reset without telling who
has an account, rate limits, two-factor (required for staff), and the admin behind the same login."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from wagtail.models import PageViewRestriction

from members.models import User
from tests.conftest import make_user, totp_code
from tests.conftest import sign_in as sign_in_as
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+)")


def mailed_link(message) -> str:
    return LINK.search(message.body).group(1)


def sign_up(client, email="zhang.wei@example.com", password="Xinli-2026-dues"):  # noqa: S107
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password, "terms_agreed": "on"}
    )


def sign_in(client, email, password="pw"):  # noqa: S107
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_up_sends_a_link_that_verifies_the_address_and_signs_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang.wei@example.com"]
    assert not EmailAddress.objects.get(email="zhang.wei@example.com").verified

    confirm_url = mailed_link(mail.outbox[0])
    assert client.get(confirm_url).status_code == 200  # a page with a button: a mail scanner's GET confirms nothing
    assert not EmailAddress.objects.get(email="zhang.wei@example.com").verified
    confirmed = client.post(confirm_url)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="zhang.wei@example.com").verified
    assert client.get("/").wsgi_request.user.email == "zhang.wei@example.com"


def test_an_unverified_address_cannot_sign_in(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()

    response = sign_in(client, "zhang.wei@example.com", "Xinli-2026-dues")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_wrong_password_is_refused_with_the_address_kept(client, member):
    response = sign_in(client, "member@example.com", "wrong")

    assert response.status_code == 200
    assert "member@example.com" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].errors


def test_signing_up_with_a_taken_address_does_not_say_so(client, member):
    taken = sign_up(client, email="member@example.com")
    client.logout()
    new = sign_up(client, email="new.member@example.com")

    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"]
    assert User.objects.filter(email="member@example.com").count() == 1
    # The owner of the address is told by e-mail instead.
    assert [message.to for message in mail.outbox] == [["member@example.com"], ["new.member@example.com"]]


def test_password_reset_answers_the_same_for_unknown_addresses(client, member):
    known = client.post(reverse("account_reset_password"), {"email": "member@example.com"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert sorted(message.to[0] for message in mail.outbox) == ["member@example.com", "nobody@example.com"]
    reset_mail = next(message for message in mail.outbox if message.to == ["member@example.com"])
    assert LINK.search(reset_mail.body)


def test_password_reset_link_sets_a_new_password(client, member):
    client.post(reverse("account_reset_password"), {"email": "member@example.com"})
    form_url = client.get(mailed_link(mail.outbox[0])).url  # the key moves from the link into the session

    response = client.post(form_url, {"password1": "Shen-Xin-2026!", "password2": "Shen-Xin-2026!"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Shen-Xin-2026!")


def test_repeated_failed_sign_ins_are_stopped(client, member):
    for _ in range(5):
        sign_in(client, "member@example.com", "wrong")

    blocked = sign_in(client, "member@example.com", "pw")

    assert not blocked.wsgi_request.user.is_authenticated
    assert blocked.status_code in (200, 429)


def test_account_pages_speak_the_visitors_language(client):
    simplified = client.get(reverse("account_login")).content.decode()
    with_prefix = client.get("/en/accounts/login/").content.decode()

    assert '<html lang="zh-hans">' in simplified and "登录" in simplified
    assert '<html lang="en">' in with_prefix and "Sign In" in with_prefix
    assert 'class="site-header"' in simplified  # the site's look, not allauth's bare page


def test_the_account_bar_offers_sign_in_to_visitors_and_sign_out_to_members(client, member):
    anonymous = client.get("/").content.decode()
    sign_in_as(client, member)
    signed_in = client.get("/").content.decode()

    assert reverse("account_login") in anonymous and reverse("account_logout") not in anonymous
    assert reverse("account_logout") in signed_in and "member@example.com" in signed_in


# The admin behind the site's login ----------------------------------------------------------------


def test_the_admin_sends_visitors_to_the_sites_login(client):
    admin = client.get("/admin/pages/")
    wagtail_login = client.get("/admin/login/?next=/admin/pages/")

    assert admin.status_code == wagtail_login.status_code == 302
    assert admin["Location"].startswith(reverse("account_login"))
    assert wagtail_login["Location"] == f"{reverse('account_login')}?next=/admin/pages/"


def test_wagtails_own_password_reset_is_switched_off(client):
    assert client.get("/admin/password_reset/").status_code == 404


def test_staff_sign_in_with_password_then_authenticator_code(client, editor):
    first = sign_in(client, "editor@example.com")

    assert first.status_code == 302 and first["Location"] == reverse("mfa_authenticate")
    assert not client.get("/").wsgi_request.user.is_authenticated
    second = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert second.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_wrong_authenticator_code_keeps_staff_out(client, editor):
    sign_in(client, "editor@example.com")

    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"})

    assert response.status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def open_two_factor_setup(client, password="pw"):  # noqa: S107
    """The authenticator set-up page, after confirming the password as allauth asks."""
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate")):
        client.post(response["Location"], {"password": password})
        response = client.get(reverse("mfa_activate_totp"))
    return response


def test_staff_without_two_factor_set_it_up_and_then_reach_the_admin(client, editor):
    editor.authenticator_set.all().delete()
    sign_in(client, "editor@example.com")

    sent_away = client.get(reverse("wagtailadmin_home"))
    setup = open_two_factor_setup(client)
    secret = client.session["mfa.totp.secret"]
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert sent_away.status_code == 302 and sent_away["Location"] == reverse("mfa_activate_totp")
    assert setup.status_code == 200 and secret in setup.content.decode()
    assert activated.status_code == 302
    assert editor.authenticator_set.filter(type="totp").exists()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_members_may_use_two_factor_but_need_not(client, member):
    sign_in(client, "member@example.com")

    assert client.get("/").wsgi_request.user == member
    assert open_two_factor_setup(client).status_code == 200


def test_a_member_without_admin_rights_gets_no_admin(client, member):
    sign_in_as(client, member)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert "/admin/" not in response["Location"] or "login" in response["Location"]


def test_private_pages_send_visitors_to_the_sites_login(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="members-only", title="会员专区")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/members-only/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/members-only/"


@pytest.mark.parametrize("superuser", [False, True])
def test_two_factor_is_required_of_every_kind_of_staff(client, superuser):
    user = make_user("staff@example.com", superuser=superuser, groups=() if superuser else ("Moderators",))
    user.authenticator_set.all().delete()
    sign_in_as(client, user)

    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")
