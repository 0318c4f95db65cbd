"""Membership officers, signed-in clients and a 2026 dues invoice shared by the members tests."""

import datetime

import pytest
from django.test import Client

from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_period

# `member` stays in each module that needs a Member record: tests/conftest.py's `member` is a plain
# account that test_accounts.py and test_privacy.py use. `invoice` and `member_client` below take
# the module's own `member`.


@pytest.fixture
def officer(db):
    return make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client()
    sign_in(client, officer)
    return client


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    sign_in(client, member.user)
    return client


@pytest.fixture
def invoice(member):
    return make_invoice(member, make_period(2026, due=datetime.date(2026, 3, 31)))
