"""CSV exports of the officers' lists: filtered like the list, streamed, in a fixed number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import MembershipType
from portal.roles import EDITORS
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db


def export(client, **filters) -> tuple[int, str, object]:
    response = client.get(reverse("members:index"), {"export": "csv", **filters})
    body = b"".join(response.streaming_content).decode("utf-8-sig") if response.streaming else ""
    return response.status_code, body, response


def test_the_member_list_exports_as_csv_filtered_like_the_list(officer_client):
    make_member("a@example.com", number="DL-2020-0001", full_name="王晓明", employer="大连市第七人民医院")
    make_member("b@example.com", number="DL-2020-0002", full_name="大连心理援助中心", type_name="团体会员")
    individual = MembershipType.objects.get(name="个人会员")

    status, body, response = export(officer_client, membership_type=individual.pk)

    assert status == 200 and response.streaming and response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].startswith("会员编号,姓名")
    assert len(lines) == 2 and "DL-2020-0001,王晓明" in lines[1] and "大连市第七人民医院" in lines[1]


def test_the_export_query_count_does_not_grow_with_the_members(officer_client, django_assert_max_num_queries):
    for index in range(5):
        make_member(f"m{index}@example.com", number=f"DL-2022-{index:04d}")
    with CaptureQueriesContext(connection) as few:
        export(officer_client)
    for index in range(5, 40):
        make_member(f"m{index}@example.com", number=f"DL-2022-{index:04d}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        _status, body, _response = export(officer_client)

    assert body.count("DL-2022-") == 40


def test_editors_cannot_export_members(client):
    sign_in(client, make_user("editor@example.com", groups=(EDITORS,)))
    make_member("a@example.com", number="DL-2020-0001")

    status, body, _response = export(client)

    assert status in (302, 403) and "DL-2020-0001" not in body


FORMULA = '=HYPERLINK("http://x")'


def test_what_people_typed_cannot_run_as_a_formula_in_the_member_list(officer_client):
    make_member("a@example.com", number="DL-2020-0001", full_name=FORMULA, employer="@SUM(A1:A9)")

    _status, body, _response = export(officer_client)

    row = next(csv.DictReader(io.StringIO(body)))
    assert row["姓名"] == "'" + FORMULA and row["工作单位"] == "'@SUM(A1:A9)"
    assert row["会员编号"] == "DL-2020-0001"


def test_a_transfer_reference_cannot_run_as_a_formula_in_the_payments_export(officer_client):
    member = make_member("a@example.com", number="DL-2020-0001")
    invoice = make_invoice(member, make_period(2026))
    services.record_transfer(
        invoice, by=member.user, reference="-2+3+cmd|' /C calc'!A0", voucher=None, idempotency_key="t"
    )

    response = officer_client.get(reverse("payments:index"), {"export": "csv"})

    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert row["转账流水号/备注"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["金额（元）"] == "200.00"


def test_the_invoice_list_exports_with_the_members_named_safely(officer_client):
    make_invoice(make_member("a@example.com", number="DL-2020-0001", full_name=FORMULA), make_period(2026))

    response = officer_client.get(reverse("invoices:index"), {"export": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        {
            "会员编号": "DL-2020-0001",
            "姓名": "'" + FORMULA,
            "年度": "2026",
            "应交金额（元）": "200.00",
            "宽限截止": "2026-06-29",
        }
    ]
