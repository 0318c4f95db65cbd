"""A member's standing follows the dues years they owe, not the invoices that happen to exist: members
of a year's due date owe it, new members owe the year they join (and are invoiced on approval), the
resigned and the exempted owe nothing more, and the dashboard expects what the members really owe."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import Invoice, Member, MembershipApplication, MembershipType, Standing
from members.models.dues import DuesExemption
from portal.roles import EDITORS
from portal.vetting.enums import Status
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db

DAY = datetime.date


def standing_on(member, day: str) -> Standing:
    """The standing as the site shows it on `day` (Dalian time), with the clock stopped there."""
    with time_machine.travel(f"{day} 10:00 +0800", tick=False):
        return member.standing()


@pytest.fixture
def period_2026(db):
    """Due on 31 March 2026; 90 days of grace, the last of them 29 June."""
    return make_period(2026, due=DAY(2026, 3, 31), grace_days=90)


def test_a_member_without_an_invoice_owes_the_year_all_the_same(period_2026):
    member = make_member("wang@example.com", number="DL-2020-0007", joined_on=DAY(2020, 5, 1))

    standings = {day: standing_on(member, day) for day in ("2026-03-31", "2026-04-01", "2026-06-29", "2026-06-30")}

    assert not Invoice.objects.exists()
    assert standings == {
        "2026-03-31": Standing.ACTIVE,  # due today
        "2026-04-01": Standing.GRACE,
        "2026-06-29": Standing.GRACE,  # the last day of grace
        "2026-06-30": Standing.LAPSED,
    }


def test_paying_last_years_arrears_leaves_this_year_to_pay(officer):
    """lapsed@example.com in the demo: paying 2025 alone does not make them 正常 in 2026."""
    period_2025 = make_period(2025, due=DAY(2025, 3, 31), grace_days=90)
    make_period(2026, due=DAY(2026, 3, 31), grace_days=90)
    member = make_member("lapsed@example.com", number="DL-2020-0003")
    arrears = make_invoice(member, period_2025)

    before = standing_on(member, "2026-05-01")
    services.record_cash(arrears, by=officer, idempotency_key="2025")

    assert before == Standing.LAPSED
    assert standing_on(member, "2026-05-01") == Standing.GRACE
    assert standing_on(member, "2026-06-30") == Standing.LAPSED


@pytest.mark.parametrize(
    ("joined_on", "owes_2026"),
    [
        (DAY(2025, 11, 20), True),  # joined before the year
        (DAY(2026, 3, 31), True),  # joined on its due date
        (DAY(2026, 9, 1), True),  # joined during the year, after its due date: owes the year they joined
        (DAY(2027, 1, 5), False),  # joined the next year
    ],
)
def test_who_owes_a_year_by_the_day_they_joined(period_2026, joined_on, owes_2026):
    member = make_member("li@example.com", number="DL-1", joined_on=joined_on)

    assert (member in Member.objects.owing(period_2026)) is owes_2026


def test_someone_who_joins_after_the_due_date_has_the_grace_from_the_day_they_joined(period_2026):
    make_period(2025, due=DAY(2025, 3, 31), grace_days=90)
    member = make_member("new@example.com", number="DL-2026-0001", joined_on=DAY(2026, 5, 10))

    standings = {day: standing_on(member, day) for day in ("2026-05-10", "2026-05-11", "2026-08-08", "2026-08-09")}

    assert standings == {
        "2026-05-10": Standing.ACTIVE,  # due the day they joined
        "2026-05-11": Standing.GRACE,
        "2026-08-08": Standing.GRACE,  # 90 days after joining: the last day of their grace
        "2026-08-09": Standing.LAPSED,
    }  # and 2025, before they joined, is none of their business


def test_resigning_before_the_due_date_ends_what_is_owed(period_2026):
    before = make_member("a@example.com", number="DL-1", resigned_on=DAY(2026, 3, 31))
    after = make_member("b@example.com", number="DL-2", resigned_on=DAY(2026, 4, 1))

    assert standing_on(before, "2026-03-30") == Standing.ACTIVE
    assert standing_on(before, "2026-03-31") == Standing.RESIGNED
    assert list(Member.objects.owing(period_2026)) == [after]  # a member on the due date still owes the year
    assert standing_on(after, "2026-04-01") == Standing.RESIGNED


def test_an_exempted_member_owes_nothing_for_that_year(period_2026, officer):
    member = make_member("wang@example.com", number="DL-2020-0007")
    invoice = make_invoice(member, period_2026)  # billed before the exemption was decided
    DuesExemption.objects.create(
        member=member, period=period_2026, reason="家庭经济困难，理事会同意免交", granted_by=officer
    )

    assert standing_on(member, "2026-07-01") == Standing.ACTIVE
    assert member not in Member.objects.owing(period_2026)
    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        client = Client()
        sign_in(client, member.user)
        page = client.get(reverse("membership_home")).content.decode()
    assert "待交会费" not in page and "免交" in page
    assert f"/invoices/{invoice.pk}/transfer/" not in page


def test_a_type_without_a_rate_or_with_a_rate_of_nothing_owes_nothing():
    make_period(2026, due=DAY(2026, 3, 31), rates={"个人会员": "200.00", "团体会员": "0.00"})
    branch = make_member("branch@example.com", number="DL-9", type_name="分支机构")  # no 2026 rate
    group = make_member("group@example.com", number="DL-8", type_name="团体会员")  # 0 元 in 2026
    individual = make_member("wang@example.com", number="DL-7")

    assert standing_on(branch, "2026-12-31") == Standing.ACTIVE
    assert standing_on(group, "2026-12-31") == Standing.ACTIVE
    assert standing_on(individual, "2026-12-31") == Standing.LAPSED


# Invoices -------------------------------------------------------------------------------------------


def test_billing_invoices_every_member_who_owes_the_year_and_only_them(period_2026):
    owes = make_member("a@example.com", number="DL-1", joined_on=DAY(2020, 5, 1))
    lapsed = make_member("b@example.com", number="DL-2")
    make_invoice(lapsed, make_period(2025, due=DAY(2025, 3, 31)))  # never paid: lapsed since mid-2025
    make_member("c@example.com", number="DL-3", resigned_on=DAY(2025, 12, 31))
    exempt = make_member("d@example.com", number="DL-4")
    DuesExemption.objects.create(member=exempt, period=period_2026, reason="荣誉会员")

    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        created = services.issue_invoices(period_2026)

    assert created == 2
    assert set(Invoice.objects.filter(period=period_2026).values_list("member", flat=True)) == {owes.pk, lapsed.pk}
    period_2026.refresh_from_db()
    assert period_2026.invoiced_at is not None


def approve(officer, email: str, *, joined_on=None):
    applicant = make_user(email)
    application = MembershipApplication.objects.create(
        applicant=applicant, full_name="赵敏", membership_type=MembershipType.objects.get(name="个人会员")
    )
    services.submit_application(application, by=applicant)
    assert application.status == Status.SUBMITTED
    return services.approve_application(application, by=officer, joined_on=joined_on)


def test_a_member_approved_after_billing_is_invoiced_on_approval(period_2026, officer):
    make_period(2027, due=DAY(2027, 3, 31))  # set up already, not billed yet
    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        services.issue_invoices(period_2026)
    with time_machine.travel("2026-02-15 10:00 +0800", tick=False):
        february = approve(officer, "feb@example.com")
    with time_machine.travel("2026-09-01 10:00 +0800", tick=False):
        september = approve(officer, "sep@example.com")

    assert [(i.period.year, i.amount, i.grace_ends) for i in february.invoices.all()] == [
        (2026, Decimal("200.00"), DAY(2026, 6, 29))
    ]
    assert [(i.period.year, i.grace_ends) for i in september.invoices.all()] == [(2026, DAY(2026, 11, 30))]
    with time_machine.travel("2026-09-01 10:00 +0800", tick=False):
        client = Client()
        sign_in(client, september.user)
        page = client.get(reverse("membership_home")).content.decode()
    assert "应交 200.00 元，截止日期 2026-09-01" in page


def test_the_member_centre_invoices_a_year_owed_but_never_billed(period_2026):
    member = make_member("wang@example.com", number="DL-2020-0007")
    client = Client()
    sign_in(client, member.user)

    with time_machine.travel("2026-04-02 10:00 +0800", tick=False):
        page = client.get(reverse("membership_home")).content.decode()

    invoice = Invoice.objects.get(member=member)
    assert invoice.period == period_2026 and "宽限期" in page
    assert f"/invoices/{invoice.pk}/transfer/" in page


# Exemptions in the admin ---------------------------------------------------------------------------------


def test_officers_record_an_exemption_by_member_number(period_2026, officer):
    member = make_member("wang@example.com", number="DL-2020-0007")
    client = Client()
    sign_in(client, officer)
    url = reverse("dues_exemptions:add")

    unknown = client.post(url, {"member": "DL-0000", "period": period_2026.pk, "reason": "荣誉会员"})
    recorded = client.post(url, {"member": "DL-2020-0007", "period": period_2026.pk, "reason": "荣誉会员"})
    again = client.post(url, {"member": "DL-2020-0007", "period": period_2026.pk, "reason": "重复"})
    listing = client.get(reverse("dues_exemptions:index")).content.decode()

    assert unknown.status_code == 200 and "没有这个会员编号。" in unknown.content.decode()
    assert recorded.status_code == 302
    exemption = DuesExemption.objects.get()
    assert (exemption.member, exemption.reason, exemption.granted_by) == (member, "荣誉会员", officer)
    assert again.status_code == 200 and DuesExemption.objects.count() == 1
    assert "DL-2020-0007" in listing and "荣誉会员" in listing
    assert standing_on(member, "2026-08-01") == Standing.ACTIVE


@pytest.mark.parametrize("role", ["editor", "member"])
def test_only_officers_exempt_members(period_2026, role):
    member = make_member("wang@example.com", number="DL-2020-0007")
    user = make_user("editor@example.com", groups=(EDITORS,)) if role == "editor" else member.user
    client = Client()
    sign_in(client, user)

    response = client.post(
        reverse("dues_exemptions:add"), {"member": "DL-2020-0007", "period": period_2026.pk, "reason": "自己免自己"}
    )

    assert response.status_code in (302, 403)
    assert not DuesExemption.objects.exists()


# The dashboard -------------------------------------------------------------------------------------------


def test_the_dashboard_expects_what_members_owe(officer, django_assert_max_num_queries):
    period = make_period(2026, due=DAY(2026, 3, 31), rates={"个人会员": "200.00", "团体会员": "2000.00"})
    paid = make_member("paid@example.com", number="DL-1")
    services.record_cash(make_invoice(paid, period), by=officer, idempotency_key="k")
    make_member("unbilled@example.com", number="DL-2")  # owes 200, never invoiced
    make_member("group@example.com", number="DL-3", type_name="团体会员")  # owes 2000
    reduced = make_invoice(make_member("reduced@example.com", number="DL-4"), period)
    Invoice.objects.filter(pk=reduced.pk).update(amount=Decimal("100.00"))  # an officer lowered it
    make_member("late@example.com", number="DL-5", joined_on=DAY(2026, 9, 1))  # joined this year: 200
    make_member("next@example.com", number="DL-6", joined_on=DAY(2027, 1, 2))  # nothing for 2026
    make_member("gone@example.com", number="DL-7", resigned_on=DAY(2026, 2, 1))  # left before it fell due
    exempt = make_member("exempt@example.com", number="DL-8")
    DuesExemption.objects.create(member=exempt, period=period, reason="荣誉会员")
    client = Client()
    sign_in(client, officer)

    with time_machine.travel("2026-10-01 10:00 +0800", tick=False):
        with django_assert_max_num_queries(40):
            page = client.get(reverse("wagtailadmin_home")).content.decode()
        counts = services.standing_counts(datetime.date(2026, 10, 1))

    assert services.dues_by_year() == [{"year": 2026, "expected": Decimal("2700.00"), "collected": Decimal("200.00")}]
    assert "2026年会费：已收 200.00 元 / 应收 2700.00 元" in page
    assert counts == {
        Standing.ACTIVE: 3,  # paid, exempt, next
        Standing.GRACE: 1,  # late: joined 1 September, their grace runs to 30 November
        Standing.LAPSED: 3,  # unbilled, group, reduced
        Standing.RESIGNED: 1,
    }


def test_the_member_list_and_dashboard_cost_the_same_queries_for_more_members(officer, django_assert_max_num_queries):
    period_2025 = make_period(2025, due=DAY(2025, 3, 31))
    period_2026 = make_period(2026, due=DAY(2026, 3, 31))
    client = Client()
    sign_in(client, officer)
    urls = (reverse("members:index"), reverse("wagtailadmin_home"))

    def add_members(start: int, count: int):
        for n in range(start, start + count):
            member = make_member(f"m{n}@example.com", number=f"DL-{n:04d}")
            make_invoice(member, period_2025)
            if n % 3 == 0:
                DuesExemption.objects.create(member=member, period=period_2026, reason="荣誉会员")

    add_members(1, 2)
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        for url in urls:
            client.get(url)  # warm: the session, the site and the menus
        few = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            few[url] = len(captured.captured_queries)
        add_members(3, 15)
        pages = {}
        for url in urls:
            with django_assert_max_num_queries(few[url]):
                pages[url] = client.get(url).content.decode()

    assert pages[urls[0]].count("已失效") >= 17
    assert "DL-0017" in pages[urls[0]]
