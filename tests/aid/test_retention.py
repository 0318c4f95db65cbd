"""Retention: personal data of a case closed longer ago than AID_RETENTION_DAYS is purged by the
daily run (sealed columns emptied, proof file deleted) while the statistics stay exactly the same."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aid import access, services
from aid.enums import CloseReason
from aid.models import Case
from members.models import User
from tests.aid.factories import PERSONAL, case_with_history, make_aid_coordinator, make_counsellor, make_programme
from tests.aid.test_account_link import accounts_joined_to_aid_tables
from tests.conftest import make_user
from tests.experts.factories import login

pytestmark = pytest.mark.django_db

SESSION_NOTES_SQL = (
    "SELECT s.notes FROM aid_session s JOIN aid_assignment a ON s.assignment_id = a.id WHERE a.case_id = %s"
)
CASE_COLUMNS = ("full_name", "phone", "workplace", "deployment", "needs_detail", "preferred_times", "proof_name")


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=datetime.UTC), tick=False)


def raw(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sealed_columns(case: Case) -> dict[str, list]:
    return {
        "case": list(raw(f"SELECT {', '.join(CASE_COLUMNS)} FROM aid_case WHERE id = %s", [case.pk])[0]),  # noqa: S608
        "sessions": [row[0] for row in raw(SESSION_NOTES_SQL, [case.pk])],
        "flags": [list(row) for row in raw("SELECT note, follow_up FROM aid_riskflag WHERE case_id = %s", [case.pk])],
        "changes": [row[0] for row in raw("SELECT reason FROM aid_changerequest WHERE case_id = %s", [case.pk])],
    }


def test_old_closed_cases_are_purged_and_the_figures_do_not_change(home_page, settings):
    settings.AID_RETENTION_DAYS = 365
    coordinator = make_aid_coordinator()
    with at(datetime.date(2026, 3, 2)):
        programme = make_programme(home_page)
        old, _counsellor = case_with_history(programme)
        services.follow_up(old.risk_flags.get(), by=coordinator, note="已联系。")
        services.close_case(old, by=coordinator, reason=CloseReason.DECLINED)
    with at(datetime.date(2027, 2, 20)):
        recent, _counsellor = case_with_history(programme)
        services.close_case(recent, by=coordinator, reason=CloseReason.REFERRED)
    old_proof = Case.objects.get(pk=old.pk).proof
    storage, old_proof_name = old_proof.storage, old_proof.name
    assert storage.exists(old_proof_name)
    report, totals = services.monthly_report(), services.programme_totals(programme)
    recent_before = sealed_columns(recent)

    with at(datetime.date(2027, 3, 4)):  # 367 days after the first case was closed
        out = StringIO()
        call_command("aid_daily", stdout=out)
        again = StringIO()
        call_command("aid_daily", stdout=again)

    assert "cases purged: 1" in out.getvalue() and "cases purged: 0" in again.getvalue()
    purged = sealed_columns(old)
    assert set(purged["case"]) == {""}
    assert purged["sessions"] == [""] and purged["flags"] == [["", ""]] and purged["changes"] == [""]
    assert raw("SELECT proof FROM aid_case WHERE id = %s", [old.pk])[0][0] == ""
    assert not storage.exists(old_proof_name)
    old = Case.objects.get(pk=old.pk)
    assert old.purged_at is not None and old.number and old.needs and old.district  # the clear facts stay
    assert services.monthly_report() == report
    assert services.programme_totals(programme) == totals

    assert sealed_columns(recent) == recent_before
    recent = Case.objects.get(pk=recent.pk)
    assert recent.purged_at is None and storage.exists(recent.proof.name)
    assert access.read_personal(recent, coordinator).full_name == PERSONAL["full_name"]


def rows_of(table: str, column: str, value) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [value])  # noqa: S608 - fixed names
        names = [description[0] for description in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_purge_leaves_nothing_that_names_the_person_and_the_figures_stay(home_page, settings):
    """After the purge nothing of the case leads to the person: no account link, no free text, no proof, no
    moment that an e-mail log or the accounts table could match; programme, months, needs, district, mode
    and the counts stay, and every figure and the anonymous export are the same as before."""
    settings.AID_RETENTION_DAYS = 365
    coordinator = make_aid_coordinator()
    person = make_user("nurse@example.com")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 17, 23, tzinfo=datetime.UTC), tick=False):
        programme = make_programme(home_page)
        case, counsellor = case_with_history(programme, user=person)
        login(person).get(reverse("aid:my_cases"))
        services.declare_conflict(case, make_counsellor(programme), by=coordinator, note="是她丈夫的同事。")
        services.renew(case.active_assignment(), by=coordinator, reason="仍有失眠，本人希望继续。")
        services.close_case(case, by=coordinator, reason=CloseReason.DECLINED)
    figures = (services.monthly_report(), services.programme_totals(programme), list(services.anonymised_rows()))

    with at(datetime.date(2027, 3, 10)):
        call_command("aid_daily", stdout=StringIO())

    assignment = case.assignments.get()
    stored = {
        "case": rows_of("aid_case", "id", case.pk),
        **{
            table: rows_of(f"aid_{table}", "case_id", case.pk)
            for table in ("assignment", "riskflag", "changerequest", "conflict", "caseaccess")
        },
        "renewal": rows_of("aid_renewal", "assignment_id", assignment.pk),
    }
    text = "\n".join(str(value) for rows in stored.values() for row in rows for value in row.values())
    for secret in (*PERSONAL.values(), person.email, "证明", "是她丈夫的同事", "仍有失眠", "希望换一位"):
        assert secret not in text, secret
    (row,) = stored["case"]
    assert not row["registrant_token"] and row["registrant_key"] is None and row["proof"] == ""
    assert person.pk not in accounts_joined_to_aid_tables()
    assert User.objects.filter(pk=person.pk).exists()  # the account itself is not the aid records' to remove

    purged = Case.objects.get(pk=case.pk)
    local = timezone.localtime
    assert purged.registrant is None and not Case.objects.registered_by(person).exists()
    for moment in (purged.registered_at, purged.consent_at, purged.closed_at, purged.assignments.get().assigned_at):
        assert (local(moment).day, local(moment).hour, local(moment).minute) == (1, 0, 0)  # kept to the month
    assert (purged.programme_id, purged.needs, purged.district, purged.preferred_mode) == (
        programme.pk,
        ["trauma", "sleep"],
        "zhongshan",
        "phone",
    )
    assert (
        services.monthly_report(),
        services.programme_totals(programme),
        list(services.anonymised_rows()),
    ) == figures
    assert counsellor.user.pk in accounts_joined_to_aid_tables()
