"""Membership types and dues years are records kept in 简体; each reader sees them in their own
language: converted on the 繁體 site, in English by the name an officer entered or the usual
translation, and a dues year named after its year."""

import datetime

import pytest
import time_machine
from django.test import Client

from members.models import MembershipType
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(db):
    member = make_member("wang@example.com", number="DL-2020-0007")
    return make_invoice(member, make_period(2026, due=datetime.date(2026, 3, 31)))


def member_centre(invoice, prefix: str) -> str:
    client = Client()
    sign_in(client, invoice.member.user)
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        response = client.get(prefix + "/membership/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "shown", "not_shown"),
    [
        ("", ("个人会员", "2026年会费"), ("Individual member",)),
        ("/zh-hant", ("個人會員", "2026年會費"), ("个人会员", "2026年会费")),
        ("/en", ("Individual member", "Membership dues 2026"), ("个人会员", "2026年会费")),
    ],
)
def test_the_member_centre_names_the_type_and_the_year_in_the_readers_language(invoice, prefix, shown, not_shown):
    page = member_centre(invoice, prefix)

    for text in shown:
        assert text in page, text
    for text in not_shown:
        assert text not in page, text


def test_an_english_name_entered_by_an_officer_is_used_on_english_pages(invoice):
    MembershipType.objects.filter(name="个人会员").update(name_en="Individual membership (practising)")

    assert "Individual membership (practising)" in member_centre(invoice, "/en")
    assert "个人会员" in member_centre(invoice, "")


def test_the_application_form_offers_the_types_in_english():
    MembershipType.objects.filter(name="团体会员").update(name_en="Institutional member")
    applicant = make_user("new@example.com")
    client = Client()
    sign_in(client, applicant)

    page = client.get("/en/membership/apply/").content.decode()

    form = page[page.index("<form") :]
    assert "Institutional member" in form and "Individual member" in form
    assert "团体会员" not in form and "个人会员" not in form
