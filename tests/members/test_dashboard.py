"""The officers' dashboard panel: what waits for them, dues expected and collected, members by standing."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import MembershipApplication, Standing
from portal.roles import EDITORS, MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db


def test_standing_counts_match_each_members_standing():
    today = datetime.date(2026, 8, 1)
    period_2026 = make_period(2026, due=datetime.date(2026, 6, 30), grace_days=90)  # in grace on 1 August
    period_2025 = make_period(2025, due=datetime.date(2025, 3, 31), grace_days=90)
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    # Members who joined in 2026 owe 2026 only; the long-standing member owes both years.
    joined_2026 = datetime.date(2026, 1, 15)
    paid = make_member("paid@example.com", number="DL-1", joined_on=joined_2026)
    services.record_cash(make_invoice(paid, period_2026), by=officer, idempotency_key="a")
    make_invoice(make_member("grace@example.com", number="DL-2", joined_on=joined_2026), period_2026)
    make_invoice(make_member("lapsed@example.com", number="DL-3"), period_2025)
    make_member("gone@example.com", number="DL-4", resigned_on=datetime.date(2026, 1, 1))
    make_member("new@example.com", number="DL-5", joined_on=today)  # joined today: due today, not overdue

    counts = services.standing_counts(today)

    expected = {}
    for member in paid.__class__.objects.all():
        standing = member.standing(on=today)
        expected[standing] = expected.get(standing, 0) + 1
    assert counts == expected == {Standing.ACTIVE: 2, Standing.GRACE: 1, Standing.LAPSED: 1, Standing.RESIGNED: 1}


def test_officers_see_the_panel_and_editors_do_not():
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    applicant = make_user("applicant@example.com")
    application = MembershipApplication.objects.create(applicant=applicant, full_name="王晓明")
    services.submit_application(application, by=applicant)
    period = make_period(2026)
    member = make_member("wang@example.com", number="DL-2020-0007")
    services.record_cash(make_invoice(member, period), by=officer, idempotency_key="k")
    make_invoice(make_member("li@example.com", number="DL-2020-0008"), period)
    officer_client, editor_client = Client(), Client()
    sign_in(officer_client, officer)
    sign_in(editor_client, make_user("editor@example.com", groups=(EDITORS,)))

    panel = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    editor_home = editor_client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="membership-dashboard' in panel and 'id="membership-dashboard' not in editor_home
    assert re.search(r"<strong>1</strong>\s*份入会申请待审核", panel)
    assert "已收 200.00 元 / 应收 400.00 元" in panel
    assert "<svg" in panel and "2026年：应收 400.00 元，已收 200.00 元" in panel


def test_officers_see_each_members_standing_in_the_list(django_assert_max_num_queries):
    today = datetime.date.today()
    period = make_period(today.year - 1, due=today - datetime.timedelta(days=10), grace_days=90)
    in_grace = make_member("grace@example.com", number="DL-1", full_name="李华")
    make_invoice(in_grace, period)
    make_member("gone@example.com", number="DL-2", full_name="赵强", resigned_on=today - datetime.timedelta(days=1))
    client = Client()
    sign_in(client, make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,)))
    url = reverse("members:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    for index in range(3, 15):
        make_invoice(make_member(f"m{index}@example.com", number=f"DL-{index}"), period)

    with django_assert_max_num_queries(len(few.captured_queries)):
        more = client.get(url).content.decode()

    assert re.search(r"李华.*?宽限期", page, re.S) and re.search(r"赵强.*?已退会", page, re.S)
    assert more.count("宽限期") >= 13
    assert in_grace.standing() == Standing.GRACE
