"""Importing existing members with their history from a CSV file (UTF-8, with a header row):

    会员编号,姓名,电子邮箱,手机号码,工作单位,所在区市县,会员类型,入会日期,已交会费年度,退会日期
    DL-2015-0012,王晓明,wang@example.com,13904110000,大连市第七人民医院,沙河口区,个人会员,2015-05-01,2019;2020;2021,

A dry run checks every row and reports each problem with its line number, writing nothing. The
import itself is all or nothing: one bad row and no member is created.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from portal.districts import District
from portal.models import NumberSequence

from .models import (
    DuesPeriod,
    DuesRate,
    Invoice,
    Member,
    MembershipType,
    Payment,
    PaymentMethod,
    PaymentStatus,
    User,
)
from .services import member_number_series

COLUMNS = {
    "number": "会员编号",
    "full_name": "姓名",
    "email": "电子邮箱",
    "phone": "手机号码",
    "employer": "工作单位",
    "district": "所在区市县",
    "membership_type": "会员类型",
    "joined_on": "入会日期",
    "years_paid": "已交会费年度",
    "resigned_on": "退会日期",
}
REQUIRED = ("number", "full_name", "email", "membership_type", "joined_on")
NUMBER = re.compile(r"^DL-(\d{4})-(\d{4,6})$")


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, what is wrong)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(upload) -> list[tuple[int, dict]]:
    raw = upload.read()
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    reader = csv.DictReader(io.StringIO(text))
    headings = {heading.strip(): heading for heading in reader.fieldnames or []}
    missing = [title for key, title in COLUMNS.items() if key in REQUIRED and title not in headings]
    if missing:
        raise ValidationError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    rows = []
    for line, row in enumerate(reader, start=2):  # line 1 is the header
        rows.append(
            (line, {key: (row.get(headings.get(title, title)) or "").strip() for key, title in COLUMNS.items()})
        )
    return rows


def _date(text: str) -> datetime.date | None:
    try:
        return parse_date(text)
    except ValueError:  # well formed but impossible, such as 2017-13-01
        return None


def check(upload) -> ImportResult:
    """Every problem of every row, nothing written."""
    result = ImportResult()
    try:
        rows = _read(upload)
    except (ValidationError, UnicodeDecodeError, csv.Error) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else _("文件须为 UTF-8 编码的 CSV。")
        result.errors.append((1, message))
        return result
    types = {membership_type.name: membership_type for membership_type in MembershipType.objects.all()}
    districts = {label: value for value, label in District.choices} | {value: value for value, _ in District.choices}
    taken_numbers = set(Member.objects.values_list("number", flat=True))
    taken_emails = {email.lower() for email in User.objects.values_list("email", flat=True)}
    seen_numbers, seen_emails = {}, {}
    this_year = timezone.localdate().year
    for line, row in rows:
        problems = [_("%(column)s为空") % {"column": COLUMNS[key]} for key in REQUIRED if not row[key]]
        number, email = row["number"], row["email"].lower()
        if number and not NUMBER.match(number):
            problems.append(_("会员编号“%(number)s”格式应为 DL-年份-序号") % {"number": number})
        if number in taken_numbers:
            problems.append(_("会员编号 %(number)s 已存在") % {"number": number})
        elif number in seen_numbers:
            problems.append(
                _("会员编号 %(number)s 与第 %(line)s 行重复") % {"number": number, "line": seen_numbers[number]}
            )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("电子邮箱“%(email)s”无效") % {"email": row["email"]})
            if email in taken_emails:
                problems.append(_("电子邮箱 %(email)s 已有账户") % {"email": email})
            elif email in seen_emails:
                problems.append(
                    _("电子邮箱 %(email)s 与第 %(line)s 行重复") % {"email": email, "line": seen_emails[email]}
                )
        if row["membership_type"] and row["membership_type"] not in types:
            problems.append(_("没有会员类型“%(type)s”") % {"type": row["membership_type"]})
        if row["district"] and row["district"] not in districts:
            problems.append(_("没有区市县“%(district)s”") % {"district": row["district"]})
        joined = _date(row["joined_on"]) if row["joined_on"] else None
        if row["joined_on"] and joined is None:
            problems.append(_("入会日期“%(date)s”应为 YYYY-MM-DD") % {"date": row["joined_on"]})
        resigned = None
        if row["resigned_on"]:
            resigned = _date(row["resigned_on"])
            if resigned is None:
                problems.append(_("退会日期“%(date)s”应为 YYYY-MM-DD") % {"date": row["resigned_on"]})
        years = []
        for part in filter(None, re.split(r"[;;,,\s]+", row["years_paid"])):
            if not part.isdigit() or not (joined and joined.year <= int(part) <= this_year):
                problems.append(_("已交会费年度“%(year)s”不在入会年份到今年之间") % {"year": part})
            else:
                years.append(int(part))
        if problems:
            result.errors.append((line, ";".join(str(problem) for problem in problems)))
            continue
        seen_numbers[number], seen_emails[email] = line, line
        result.rows.append(
            {
                **row,
                "email": email,
                "membership_type": types[row["membership_type"]],
                "district": districts.get(row["district"], ""),
                "joined_on": joined,
                "resigned_on": resigned,
                "years_paid": sorted(set(years)),
            }
        )
    return result


def _period(year: int, cache: dict) -> DuesPeriod:
    if year not in cache:
        period, created = DuesPeriod.objects.get_or_create(
            year=year, defaults={"title": f"{year}年会费", "due_date": datetime.date(year, 3, 31)}
        )
        if created:
            DuesRate.objects.bulk_create(
                DuesRate(period=period, membership_type=t, amount=t.annual_fee) for t in MembershipType.objects.all()
            )
        cache[year] = period
    return cache[year]


def import_members(upload, *, by, dry_run: bool = False) -> ImportResult:
    """Check the file; unless it is a dry run and if every row is good, create the members, their
    accounts (signing in by resetting the password) and their paid years, in one transaction."""
    result = check(upload)
    if dry_run or not result.ok:
        return result
    periods: dict[int, DuesPeriod] = {}
    with transaction.atomic():
        for row in result.rows:
            user = User.objects.create_user(row["email"], None, full_name=row["full_name"])
            EmailAddress.objects.create(user=user, email=row["email"], verified=True, primary=True)
            member = Member.objects.create(
                user=user,
                number=row["number"],
                membership_type=row["membership_type"],
                full_name=row["full_name"],
                phone=row["phone"],
                employer=row["employer"],
                district=row["district"],
                joined_on=row["joined_on"],
                resigned_on=row["resigned_on"],
            )
            for year in row["years_paid"]:
                period = _period(year, periods)
                amount = period.rates.get(membership_type=member.membership_type).amount
                invoice = Invoice.objects.create(
                    member=member, period=period, amount=amount, grace_ends=period.grace_ends
                )
                Payment.objects.create(
                    invoice=invoice,
                    method=PaymentMethod.IMPORTED,
                    status=PaymentStatus.CONFIRMED,
                    amount=amount,
                    reference="历史记录导入",
                    recorded_by=by,
                    confirmed_at=timezone.now(),
                )
            result.created += 1
        # New numbers continue after the imported ones of each year.
        for row in result.rows:
            year, serial = (int(part) for part in NUMBER.match(row["number"]).groups())
            NumberSequence.objects.continue_after(member_number_series(year), serial)
    return result
