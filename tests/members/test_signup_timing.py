"""Signing up takes the same work whether or not the address already has an account, so the time of
the answer does not tell which addresses do: the password is hashed once and one e-mail is sent in
both cases. The tests count the work (the test settings' hasher is too fast to time); a figure with
the real PBKDF2 hasher is in bench/README.md (bench/signup_timing.py)."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from members.models import User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Xinli-2026-dues"  # noqa: S105


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, counting the passwords it hashes."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes():
    CountingHasher.calls = 0
    with override_settings(PASSWORD_HASHERS=[f"{__name__}.CountingHasher"]):
        yield CountingHasher


def sign_up(client, email: str):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD, "terms_agreed": "on"}
    )


def work_of(client, hashes, email: str) -> tuple:
    """What one sign-up did: its answer, the passwords hashed, the e-mails sent (and to whom)."""
    hashes.calls, before = 0, len(mail.outbox)
    response = sign_up(client, email)
    return (response.status_code, response["Location"]), hashes.calls, [m.to for m in mail.outbox[before:]]


def test_the_portal_uses_its_account_adapter():
    assert settings.ACCOUNT_ADAPTER == "members.adapter.AccountAdapter"


def test_a_taken_and_a_new_address_cost_the_same_work(client, hashes):
    make_user("member@example.com")

    taken = work_of(client, hashes, "member@example.com")
    client.logout()
    new = work_of(client, hashes, "new.member@example.com")

    assert taken[0] == new[0]  # the same answer
    assert taken[1] == new[1] == 1  # one password hashed each time
    assert taken[2] == [["member@example.com"]] and new[2] == [["new.member@example.com"]]  # one e-mail each
    assert User.objects.filter(email="member@example.com").count() == 1
    assert User.objects.get(email="new.member@example.com").check_password(PASSWORD)


def test_a_taken_address_signed_up_again_still_costs_a_hash(client, hashes):
    """allauth sends the owner of the address one e-mail per few minutes; the hash does not depend on it."""
    make_user("member@example.com")

    first = work_of(client, hashes, "member@example.com")
    again = work_of(client, hashes, "member@example.com")

    assert first[1] == again[1] == 1
    assert first[0] == again[0]


def test_a_refused_sign_up_hashes_nothing_in_either_case(client, hashes):
    make_user("member@example.com")

    for email in ("member@example.com", "new.member@example.com"):
        hashes.calls = 0
        response = client.post(
            reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": "something else"}
        )
        assert response.status_code == 200 and response.context["form"].errors
        assert hashes.calls == 0
