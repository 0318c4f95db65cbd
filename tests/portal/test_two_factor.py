"""Two-factor sign-in for everyone who can reach staff-only or confidential data, in every session,
on every URL; one sign-in path for all."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from portal.roles import AID_COORDINATORS, MEMBERSHIP_OFFICERS, STAFF_GROUPS
from portal.twofactor import OPEN_URL_NAMES, needs_two_factor
from tests.aid.factories import make_counsellor, make_programme, register_case
from tests.conftest import STAFF_TOTP_SECRET, make_user, sign_in, totp_code
from tests.members.test_accounts import open_two_factor_setup

pytestmark = pytest.mark.django_db


def _sign_in_with_password(client, email: str, password: str = "pw"):  # noqa: S107
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _made_in_wagtails_user_screen(email: str, group: str):
    """Staff as Wagtail's user screen makes them: admin access through a group, `is_staff` left False."""
    user = make_user(email, two_factor=False)
    user.groups.add(Group.objects.get(name=group))
    assert not user.is_staff
    return user


# The old door -------------------------------------------------------------------------------------


def test_djangos_own_admin_and_its_password_login_are_gone(client, superuser):
    for path in ("/django-admin/", "/django-admin/login/"):
        assert client.get(path).status_code == 404
    response = client.post("/django-admin/login/", {"username": superuser.email, "password": "pw"})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_wagtails_front_end_login_is_the_sites_login(client, member):
    """Wagtail's own password form for restricted pages would be a second door, without rate limits."""
    for prefix in ("", "/zh-hant", "/en"):
        response = client.get(f"{prefix}/_util/login/?next=/members-only/")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next=/members-only/"

    client.post("/_util/login/", {"username": member.email, "password": "pw"})
    assert "_auth_user_id" not in client.session


def test_a_password_alone_opens_nothing_staff_only_for_staff_with_an_authenticator(client, superuser):
    sign_in(client, superuser, second_factor=False)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_entering_the_code_in_this_session_opens_the_admin_and_returns_there(client, superuser):
    sign_in(client, superuser, second_factor=False)
    sent = client.get(reverse("wagtailadmin_home"))["Location"]

    wrong = client.post(sent, {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 302

    right = client.post(sent, {"code": totp_code()})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_code_is_asked_again_in_a_new_session(superuser):
    first, second = Client(), Client()
    sign_in(first, superuser)
    sign_in(second, superuser, second_factor=False)

    assert first.get(reverse("wagtailadmin_home")).status_code == 200
    assert second.get(reverse("wagtailadmin_home")).status_code == 302


def test_signing_in_through_the_login_form_asks_staff_for_the_code(client, editor):
    first = _sign_in_with_password(client, editor.email)
    assert first["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


# Who needs it --------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_staff_made_in_wagtails_user_screen_need_two_factor_too(client, group):
    user = _made_in_wagtails_user_screen("made.in.wagtail@example.com", group)
    _sign_in_with_password(client, user.email)

    response = client.get(reverse("wagtailadmin_home"))

    assert needs_two_factor(user)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_an_aid_coordinator_made_in_wagtail_reads_no_case_with_a_password(client, home_page):
    programme = make_programme(home_page)
    case = register_case(programme)
    user = _made_in_wagtails_user_screen("aid.new@example.com", AID_COORDINATORS)
    _sign_in_with_password(client, user.email)

    for url in (reverse("aid_cases:inspect", args=[case.pk]), reverse("aid_cases:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
        assert case.number not in response.content.decode()


def test_a_permission_given_to_the_person_alone_needs_two_factor():
    user = make_user("perm@example.com")
    assert not needs_two_factor(user)
    user.user_permissions.add(Permission.objects.get(codename="view_payment"))

    assert needs_two_factor(type(user).objects.get(pk=user.pk))


def test_an_aid_counsellor_needs_two_factor_a_plain_member_does_not(client, member, home_page):
    counsellor = make_counsellor(make_programme(home_page))
    sign_in(client, counsellor.user, second_factor=False)

    assert needs_two_factor(counsellor.user)
    assert not needs_two_factor(member)
    assert client.get(reverse("aid:caseload")).status_code == 302
    sign_in(client, counsellor.user)
    assert client.get(reverse("aid:caseload")).status_code == 200


def test_the_decision_costs_one_query_and_is_remembered_for_the_request(member, django_assert_num_queries):
    with django_assert_num_queries(1):
        needs_two_factor(member)
        needs_two_factor(member)


def test_setting_up_an_authenticator_app_counts_as_passing_in_this_session(client):
    user = _made_in_wagtails_user_screen("new.officer@example.com", MEMBERSHIP_OFFICERS)
    _sign_in_with_password(client, user.email)
    open_two_factor_setup(client)
    secret = client.session["mfa.totp.secret"]

    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_removing_the_authenticator_app_closes_staff_pages_until_a_new_one_is_set_up(client, editor):
    sign_in(client, editor)
    client.post(reverse("account_reauthenticate"), {"password": "pw"})  # allauth asks before removing

    removed = client.post(reverse("mfa_deactivate_totp"))

    assert removed.status_code == 302
    assert not Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")


# Secrets at rest -----------------------------------------------------------------------------------


def test_authenticator_secrets_are_stored_encrypted(editor, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE user_id = %s AND type = 'totp'", [editor.pk])
        (raw,) = cursor.fetchone()

    assert STAFF_TOTP_SECRET not in str(raw)
    assert TOTP(Authenticator.objects.get(user=editor, type="totp")).validate_code(totp_code())


def test_another_key_cannot_read_the_secrets(editor, settings):
    from cryptography.fernet import Fernet, InvalidToken

    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        TOTP(Authenticator.objects.get(user=editor, type="totp")).validate_code(totp_code())


def test_a_mistyped_key_fails_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.MFA_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(SystemCheckError, match="MFA_ENCRYPTION_KEYS"):
        call_command("check")


# Every URL ------------------------------------------------------------------------------------------


def _fill(pattern) -> str:
    """A concrete piece of path for one URL pattern: every argument 1 (a uuid where one is asked)."""
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        text = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", text)
        return re.sub(r"<(?:\w+:)?\w+>", "1", text)
    text = text.lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\((?:\?P<\w+>)?[^()]*\)[?*]?", "1", text)
    return text.replace("\\", "")


def _every_url() -> list[tuple[str, str]]:
    """One concrete path per URL pattern of the site (admin and front end), arguments filled with 1."""
    paths: dict[str, str] = {}

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            path = prefix + _fill(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, path)
                continue
            try:
                match = resolve("/" + path)
            except Resolver404:
                continue
            paths.setdefault("/" + path, match.view_name)

    walk(get_resolver().url_patterns, "")
    return sorted(paths.items())


def _staff_only_or_confidential(response) -> bool:
    """Whether a response gives the person anything beyond a way to complete the second factor."""
    if response.status_code in (301, 302, 303, 307, 308):
        target = resolve(response["Location"].split("?")[0]).url_name
        return target not in OPEN_URL_NAMES and target != "account_login"
    return response.status_code == 200


@pytest.fixture
def everyone_staff(home_page):
    programme = make_programme(home_page)
    people = {
        group: make_user(f"{re.sub(r'[^a-z]', '', group.lower())}@example.com", groups=(group,))
        for group in STAFF_GROUPS
    }
    people["superuser"] = make_user("root2@example.com", superuser=True)
    people["counsellor"] = make_counsellor(programme).user
    people["wagtail-made aid coordinator"] = _made_in_wagtails_user_screen("wagtail.aid@example.com", AID_COORDINATORS)
    return people


STAFF_ROLES = [*STAFF_GROUPS, "superuser", "counsellor", "wagtail-made aid coordinator"]


def test_the_walk_covers_the_admin_and_the_front_end():
    urls = _every_url()

    assert len(urls) > 300
    assert {"wagtailadmin_home", "aid_cases:inspect", "membership_receipt", "membership_voucher"} <= {
        name for _path, name in urls
    }


def test_everyone_with_staff_or_confidential_access_is_named_in_the_walk(everyone_staff):
    assert set(everyone_staff) == set(STAFF_ROLES)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_url_refuses_a_staff_session_that_stopped_at_the_password(everyone_staff, role):
    client = Client(raise_request_exception=False)
    sign_in(client, everyone_staff[role], second_factor=False)

    leaks = []
    for path, name in _every_url():
        if name in OPEN_URL_NAMES:
            continue
        response = client.get(path)
        if _staff_only_or_confidential(response):
            leaks.append((role, path, response.status_code))
    assert leaks == []


def test_the_same_walk_with_the_code_entered_reaches_staff_pages(everyone_staff):
    """The walk above would find a leak: with the second factor, the same URLs answer."""
    client = Client(raise_request_exception=False)
    sign_in(client, everyone_staff["superuser"])
    opened = [path for path, name in _every_url() if name not in OPEN_URL_NAMES and client.get(path).status_code == 200]

    assert "/admin/" in opened
    assert len(opened) > 50


def test_members_and_visitors_are_not_asked_for_a_code(client, member, home_page):
    sign_in(client, member, second_factor=False)

    assert client.get("/").status_code == 200
    assert client.get(reverse("membership_apply")).status_code == 200


def test_the_authenticator_of_a_member_is_theirs_to_use_or_not(client, member):
    TOTP.activate(member, STAFF_TOTP_SECRET)
    sign_in(client, member, second_factor=False)

    assert client.get(reverse("membership_apply")).status_code == 200


# The way through, as a browser takes it --------------------------------------------------------------


def test_the_set_up_page_comes_straight_after_signing_in_and_keeps_its_secret(client, settings):
    """A browser also fetches the page's images: answering them with the set-up page would make a new
    secret each time, and the code from the app scanned a moment ago would never match."""
    settings.DEBUG = True  # Django answers /media/ and /static/ as in development
    user = _made_in_wagtails_user_screen("fresh.officer@example.com", MEMBERSHIP_OFFICERS)
    _sign_in_with_password(client, user.email)

    setup = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    for asset in (f"{settings.MEDIA_URL}images/partner.png", f"{settings.STATIC_URL}css/portal.css"):
        response = client.get(asset)
        assert response.status_code != 302 or "2fa" not in response["Location"], asset

    assert setup.status_code == 200  # no second password prompt right after signing in
    assert client.session["mfa.totp.secret"] == secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_code_page_offers_no_way_round_the_code(client, superuser):
    sign_in(client, superuser, second_factor=False)

    page = client.get(client.get(reverse("wagtailadmin_home"))["Location"]).content.decode()

    assert "两步验证" in page and "恢复码" in page
    assert reverse("account_reauthenticate") not in page
    assert reverse("account_request_reauthentication_code") not in page


def test_a_recovery_code_stands_in_for_a_lost_phone(client, superuser):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(superuser).generate_codes()[0]
    sign_in(client, superuser, second_factor=False)
    sent = client.get(reverse("wagtailadmin_home"))["Location"]

    client.post(sent, {"code": code})

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
