"""The link from a case to its registrant's account is sealed in the case row: the account id under the
aid keyring, and a keyed hash of it to find a person's own cases. Nothing in the database joins a case,
with its needs, district and status, to an account; the person still finds their cases, registers once
per programme and is e-mailed about them; an account deleted leaves its cases unlinked."""

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from aid import access, services
from aid.models import Case
from members.models import User
from tests.aid.factories import (
    admin_client,
    case_with_history,
    make_aid_coordinator,
    make_counsellor,
    make_programme,
    register_case,
)
from tests.conftest import make_user
from tests.experts.factories import login

pytestmark = pytest.mark.django_db


def account_references(table: str) -> list[str]:
    """The columns of `table` that point at the accounts table."""
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    return [column for column, (_field, target) in relations.items() if target == User._meta.db_table]


def accounts_joined_to_aid_tables() -> set[int]:
    """Every account that an SQL join from an aid table reaches, as someone holding the database would run it."""
    reached = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not table.startswith("aid_"):
                continue
            for column in account_references(table):
                cursor.execute(
                    f"SELECT u.id FROM {table} t JOIN {User._meta.db_table} u ON t.{column} = u.id"  # noqa: S608
                )
                reached.update(row[0] for row in cursor.fetchall())
    return reached


def test_no_sql_join_from_the_aid_tables_reaches_a_beneficiarys_account(home_page):
    programme = make_programme(home_page)
    person = make_user("nurse@example.com")
    case, counsellor = case_with_history(programme, user=person)  # assigned, a session, a flag, a change request
    login(person).get(reverse("aid:my_cases"))  # their own read, in the access log
    coordinator = make_aid_coordinator("closer@example.com")
    services.close_case(case, by=coordinator, reason="declined")

    assert "registrant_id" not in [
        column.name
        for column in connection.introspection.get_table_description(connection.cursor(), Case._meta.db_table)
    ]
    reached = accounts_joined_to_aid_tables()
    assert person.pk not in reached
    assert counsellor.user.pk in reached and coordinator.pk in reached  # the staff who acted stay on record
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Case._meta.db_table}")  # noqa: S608 - a fixed table name
        stored = "\n".join(str(value) for row in cursor.fetchall() for value in row)
    assert person.email not in stored


def test_the_registrant_finds_their_own_cases_and_registers_once_per_programme(home_page):
    programme, other_programme = make_programme(home_page), make_programme(home_page)
    person, stranger = make_user("nurse@example.com"), make_user("stranger@example.com")

    case = register_case(programme, person)
    again = register_case(programme, person)
    elsewhere = register_case(other_programme, person)
    theirs = register_case(programme, stranger)

    assert again == case
    assert set(Case.objects.registered_by(person)) == {case, elsewhere}
    assert list(Case.objects.filter(registrant=stranger)) == [theirs]
    assert Case.objects.get(pk=case.pk).registrant == person
    assert access.role_for(person, case) == access.BENEFICIARY and access.role_for(stranger, case) is None
    page = login(person).get(reverse("aid:my_cases")).content.decode()
    assert case.number in page and elsewhere.number in page and theirs.number not in page


def test_the_registrant_is_still_e_mailed_about_their_case(home_page, django_capture_on_commit_callbacks):
    programme = make_programme(home_page)
    person = make_user("nurse@example.com")
    case = register_case(programme, person)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.assign(
            Case.objects.get(pk=case.pk),
            make_counsellor(programme),
            by=make_aid_coordinator(),
            starts_on=timezone.localdate(),
        )

    assert ["nurse@example.com"] in [message.to for message in mail.outbox]


def test_a_deleted_account_leaves_its_cases_unlinked(home_page):
    programme = make_programme(home_page)
    person = make_user("nurse@example.com")
    case = register_case(programme, person)
    login(person).get(reverse("aid:my_cases"))

    person.delete()

    case = Case.objects.get(pk=case.pk)
    assert case.registrant is None and not case.registrant_token and case.registrant_key is None
    html = admin_client(make_aid_coordinator()).get(reverse("aid_cases:inspect", args=[case.pk])).content.decode()
    assert case.number in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_links_of_existing_cases(home_page):
    executor = MigrationExecutor(connection)
    before, after = [("aid", "0003_case_closed_by")], executor.loader.graph.leaf_nodes("aid")
    person = make_user("nurse@example.com")
    programme = make_programme(home_page)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldCase, OldAccess = old.get_model("aid", "Case"), old.get_model("aid", "CaseAccess")
    now = timezone.now()
    case = OldCase.objects.create(
        programme_id=programme.pk,
        number="WH-2020-0001",
        registrant_id=person.pk,
        needs=["sleep"],
        preferred_mode="phone",
        district="zhongshan",
        consent_at=now,
        consent_text="同意",
        full_name="某某",
        phone="1",
        workplace="某院",
        deployment="武汉",
    )
    OldAccess.objects.create(case_id=case.pk, user_id=person.pk, role=access.BENEFICIARY, what="个人信息")

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    migrated = Case.objects.get(pk=case.pk)
    assert migrated.registrant == person and list(Case.objects.registered_by(person)) == [migrated]
    assert person.pk not in accounts_joined_to_aid_tables()
    assert access.role_for(person, migrated) == access.BENEFICIARY
