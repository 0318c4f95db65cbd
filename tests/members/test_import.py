"""Importing existing members from CSV: a dry run that names every bad row, an import that is all
or nothing, history of paid years, and member numbers that continue after the imported ones."""

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from members import services
from members.imports import import_members
from members.models import Invoice, Member, MembershipApplication, MembershipType, Payment, User
from portal.roles import EDITORS
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db

HEADER = "会员编号,姓名,电子邮箱,手机号码,工作单位,所在区市县,会员类型,入会日期,已交会费年度,退会日期\n"
GOOD = (
    "DL-2015-0012,王晓明,wang@example.com,13904110000,大连市第七人民医院,沙河口区,个人会员,2015-05-01,2019;2020;2021,\n"
    "DL-2016-0003,大连市心理援助中心,center@example.com,,,西岗区,团体会员,2016-09-10,2020,2023-12-31\n"
)


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("members.csv", (HEADER + text).encode("utf-8-sig"), content_type="text/csv")


def test_a_dry_run_names_every_bad_row_and_writes_nothing(officer):
    make_user("taken@example.com")
    bad = (
        GOOD
        + "DL-2017-0001,,taken@example.com,,,中山区,个人会员,2017-01-01,,\n"
        + "X-1,赵强,zhao@example.com,,,火星区,理事会员,2017-13-01,2016,\n"
        + "DL-2015-0012,李四,wang@example.com,,,中山区,个人会员,2018-01-01,2017,\n"
    )

    result = import_members(csv_file(bad), by=officer, dry_run=True)

    problems = dict(result.errors)
    assert sorted(problems) == [4, 5, 6]
    assert "姓名为空" in problems[4] and "taken@example.com 已有账户" in problems[4]
    assert all(word in problems[5] for word in ("格式应为", "火星区", "理事会员", "2017-13-01"))
    assert "与第 2 行重复" in problems[6] and "2017" in problems[6]  # paid before joining
    assert not Member.objects.exists() and not User.objects.filter(email="wang@example.com").exists()


def test_a_good_dry_run_writes_nothing(officer):
    result = import_members(csv_file(GOOD), by=officer, dry_run=True)

    assert result.ok and len(result.rows) == 2
    assert not Member.objects.exists()


def test_the_import_creates_members_with_their_paid_years(officer):
    result = import_members(csv_file(GOOD), by=officer)

    assert result.created == 2
    wang = Member.objects.get(number="DL-2015-0012")
    assert (wang.full_name, wang.district, wang.user.email) == ("王晓明", "shahekou", "wang@example.com")
    assert sorted(Invoice.objects.filter(member=wang).values_list("period__year", flat=True)) == [2019, 2020, 2021]
    assert Payment.objects.filter(invoice__member=wang, status="confirmed", method="imported").count() == 3
    center = Member.objects.get(number="DL-2016-0003")
    assert center.membership_type.name == "团体会员" and center.resigned_on.isoformat() == "2023-12-31"
    assert center.standing() == "resigned"


def test_one_bad_row_and_nothing_is_imported(officer):
    result = import_members(csv_file(GOOD + "DL-2017-0001,赵强,not-an-email,,,,个人会员,2017-01-01,,\n"), by=officer)

    assert [line for line, _problem in result.errors] == [4]
    assert not Member.objects.exists() and not Invoice.objects.exists()


def test_new_member_numbers_continue_after_the_imported_ones(officer):
    import_members(csv_file("DL-2026-0041,王晓明,wang@example.com,,,,个人会员,2026-01-05,,\n"), by=officer)
    applicant = make_user("new@example.com")
    application = MembershipApplication.objects.create(
        applicant=applicant, full_name="新会员", membership_type=MembershipType.objects.first()
    )
    services.submit_application(application, by=applicant)

    member = services.approve_application(application, by=officer, joined_on=datetime.date(2026, 3, 1))

    assert member.number == "DL-2026-0042"


def test_the_command_reports_line_numbers_and_fails(tmp_path, officer):
    path = tmp_path / "members.csv"
    path.write_text(HEADER + "DL-2017-0001,赵强,zhao@example.com,,,,个人会员,2017-01-01,1999,\n", encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--dry-run", stderr=err)

    assert "line 2:" in err.getvalue()


def test_officers_import_from_the_admin_and_editors_cannot(officer):
    client, editor = Client(), Client()
    sign_in(client, officer)
    sign_in(editor, make_user("editor@example.com", groups=(EDITORS,)))
    url = reverse("members:import")

    refused = editor.post(url, {"file": csv_file(GOOD)})
    checked = client.post(url, {"file": csv_file(GOOD), "dry_run": "on"})
    after_check = Member.objects.count()
    imported = client.post(url, {"file": csv_file(GOOD)})

    assert checked.status_code == 200 and "检查通过" in checked.content.decode() and after_check == 0
    assert imported.status_code == 302
    assert Member.objects.count() == 2
    assert refused.status_code in (302, 403)
