"""The notice centre a call is published in, a call with one field of each kind, and members."""

import pytest
from django.test import Client

from tests.calls.factories import make_call
from tests.conftest import sign_in
from tests.members.factories import make_member
from tests.notices.factories import NoticeIndexPageFactory


@pytest.fixture
def notices(home_page):
    return NoticeIndexPageFactory(parent=home_page)


@pytest.fixture
def call(notices):
    return make_call(notices, slug="awards-2021", title="关于开展2021年度先进个人评选表彰活动的通知")


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0001", full_name="王晓明")


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    sign_in(client, member.user)
    return client
