"""Rotating the encryption key: with the new key first and the old one second, `aid_rotate_key`
re-seals every value and every proof file, after which the old key can be removed."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from aid import access, services
from aid.models import Case
from tests.aid.factories import (
    CHANGE_REASON,
    PDF,
    PERSONAL,
    RISK_NOTE,
    SESSION_NOTES,
    case_with_history,
    make_aid_coordinator,
    make_programme,
    register_case,
)
from tests.conftest import make_user
from tests.experts.factories import login

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def tokens(case: Case) -> list[str]:
    """Every non-empty sealed column of the case, as stored."""
    queries = [
        (
            "SELECT full_name, phone, workplace, deployment, needs_detail, preferred_times, proof_name FROM aid_case "
            "WHERE id = %s"
        ),
        "SELECT s.notes FROM aid_session s JOIN aid_assignment a ON s.assignment_id = a.id WHERE a.case_id = %s",
        "SELECT note, follow_up FROM aid_riskflag WHERE case_id = %s",
        "SELECT reason FROM aid_changerequest WHERE case_id = %s",
    ]
    found = []
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, [case.pk])
            found += [value for row in cursor.fetchall() for value in row if value]
    return found


def read_everything(case: Case, reader) -> dict:
    case = Case.objects.get(pk=case.pk)
    flags = access.read_risk_flags(case, reader)
    return {
        "name": access.read_personal(case, reader).full_name,
        "notes": [notes for _session, notes in access.read_sessions(case, reader)],
        "flags": [(note, follow_up) for _flag, note, follow_up in flags],
        "changes": [reason for _change, reason in access.read_change_requests(case, reader)],
        "proof": access.read_proof(case, reader),
    }


def test_after_rotation_the_old_key_can_be_removed(home_page, settings, django_capture_on_commit_callbacks):
    settings.AID_ENCRYPTION_KEYS = [OLD_KEY]
    coordinator = make_aid_coordinator()
    case, _counsellor = case_with_history(make_programme(home_page))
    services.follow_up(case.risk_flags.get(), by=coordinator, note="已联系本人。")
    expected = {
        "name": PERSONAL["full_name"],
        "notes": [SESSION_NOTES],
        "flags": [(RISK_NOTE, "已联系本人。")],
        "changes": [CHANGE_REASON],
        "proof": ("证明.pdf", PDF),
    }
    assert read_everything(case, coordinator) == expected
    before = tokens(case)
    old_file = Case.objects.get(pk=case.pk).proof
    storage, old_name = old_file.storage, old_file.name
    assert len(before) == 11

    settings.AID_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(InvalidToken):
        read_everything(case, coordinator)  # the new key alone cannot read what the old one sealed

    settings.AID_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("aid_rotate_key", stdout=out)
    assert "aid.Case: 1 rows" in out.getvalue() and "1/1" in out.getvalue()
    assert "Done: 11 sealed values and 1 proof files re-sealed." in out.getvalue()

    settings.AID_ENCRYPTION_KEYS = [NEW_KEY]
    after = tokens(case)
    assert len(after) == len(before) and not set(after) & set(before)
    for token in after:
        with pytest.raises(InvalidToken):
            Fernet(OLD_KEY.encode()).decrypt(token.encode())
    assert read_everything(case, coordinator) == expected
    assert not storage.exists(old_name)

    # Running it again changes nothing that can be read.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("aid_rotate_key", stdout=StringIO())
    assert read_everything(case, coordinator) == expected


def test_a_value_under_an_unknown_key_stops_the_rotation(home_page, settings):
    settings.AID_ENCRYPTION_KEYS = [OLD_KEY]
    case, _counsellor = case_with_history(make_programme(home_page))
    settings.AID_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match="not in AID_ENCRYPTION_KEYS"):
        call_command("aid_rotate_key", stdout=StringIO())
    settings.AID_ENCRYPTION_KEYS = [OLD_KEY]
    assert access.read_personal(Case.objects.get(pk=case.pk), make_aid_coordinator()).full_name == PERSONAL["full_name"]


def test_the_registrant_finds_their_case_before_during_and_after_a_rotation(home_page, settings):
    """The keyed hash of the account is looked up under every key, and re-made under the new one."""
    settings.AID_ENCRYPTION_KEYS = [OLD_KEY]
    person = make_user("nurse@example.com")
    case = register_case(make_programme(home_page), person)
    with connection.cursor() as cursor:
        cursor.execute("SELECT registrant_token, registrant_key FROM aid_case WHERE id = %s", [case.pk])
        before = cursor.fetchone()

    settings.AID_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert case.number in login(person).get(reverse("aid:my_cases")).content.decode()
    out = StringIO()
    call_command("aid_rotate_key", stdout=out)
    assert "Account links: 1 re-sealed." in out.getvalue()

    settings.AID_ENCRYPTION_KEYS = [NEW_KEY]
    with connection.cursor() as cursor:
        cursor.execute("SELECT registrant_token, registrant_key FROM aid_case WHERE id = %s", [case.pk])
        after = cursor.fetchone()
    assert not set(after) & set(before)
    assert case.number in login(person).get(reverse("aid:my_cases")).content.decode()
    assert Case.objects.get(pk=case.pk).registrant == person
    assert register_case(Case.objects.get(pk=case.pk).programme, person) == case  # still one case per programme
