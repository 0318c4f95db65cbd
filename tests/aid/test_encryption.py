"""Encryption at rest: after a registration through the site, a session with notes, a risk flag and a change
request, the database and the stored proof hold no plaintext; aid.access reads it back; another key cannot.
(Run on PostgreSQL too: DATABASE_URL=postgres://… pytest tests/aid/test_encryption.py.)"""

import base64
import datetime

import pytest
from cryptography.fernet import InvalidToken
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aid import access, crypto, services
from aid.models import Case
from tests.aid.factories import (
    PERSONAL,
    make_aid_coordinator,
    make_counsellor,
    make_programme,
    registration_form,
)
from tests.conftest import make_user
from tests.experts.factories import login
from tests.portal.samples import pdf_bytes

pytestmark = pytest.mark.django_db

NOTES = "咨询记录：谈到在红区连续值班的经历，以及回来后的噩梦。"
RISK_NOTE = "提到过伤害自己的念头，已约好明天再通话。"
REASON = "咨询师的时间总和我的排班冲突。"
PROOF = pdf_bytes(comment="派出单位证明：测试者甲于2020年赴武汉")


@pytest.fixture
def sealed_case(home_page):
    """A case as the site makes it: registered through the form, counselled, flagged, asked to change."""
    programme = make_programme(home_page)
    counsellor = make_counsellor(programme)
    coordinator = make_aid_coordinator()
    person = make_user("nurse@example.com")
    from django.core.files.uploadedfile import SimpleUploadedFile

    proof = SimpleUploadedFile("证明.pdf", PROOF, content_type="application/pdf")
    response = login(person).post(programme.url + "register/", registration_form(proof=proof))
    assert response.status_code == 302
    case = Case.objects.get()
    services.assign(case, counsellor, by=coordinator, starts_on=timezone.localdate() - datetime.timedelta(days=3))
    browser = login(counsellor.user)
    browser.post(
        reverse("aid:log_session", args=[case.number]),
        {
            "held_on": timezone.localdate().isoformat(),
            "minutes": "60",
            "mode": "phone",
            "notes": NOTES,
            "idempotency_key": "x",
        },
    )
    browser.post(
        reverse("aid:raise_risk", args=[case.number]),
        {"kinds": ["self-harm"], "note": RISK_NOTE, "idempotency_key": "y"},
    )
    login(person).post(reverse("aid:request_change", args=[case.number]), {f"change-{case.pk}-reason": REASON})
    return case, counsellor, coordinator, person


def raw_rows() -> str:
    """Everything the four tables hold, as an SQL client would see it."""
    text = []
    with connection.cursor() as cursor:
        for table in ("aid_case", "aid_session", "aid_riskflag", "aid_changerequest"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            rows = cursor.fetchall()
            assert rows, table
            text.extend(str(value) for row in rows for value in row)
    return "\n".join(text)


def test_the_database_holds_no_plaintext(sealed_case):
    stored = raw_rows()

    secrets = [*PERSONAL.values(), "武汉市某方舱医院", "证明.pdf", NOTES, RISK_NOTE, REASON]
    for secret in secrets:
        assert secret not in stored, secret
    for fragment in ("测试者", "1380000", "医院", "噩梦", "伤害自己", "排班"):
        assert fragment not in stored, fragment
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM aid_case")
        (token,) = cursor.fetchone()
    assert crypto.unseal(token) == PERSONAL["full_name"]


def test_the_proof_on_disk_is_sealed(sealed_case):
    case = sealed_case[0]
    with case.proof.open("rb") as handle:
        on_disk = handle.read()

    assert PROOF not in on_disk and b"%PDF" not in on_disk and "测试者甲".encode() not in on_disk
    assert "证明" not in case.proof.name and case.number in case.proof.name


def test_aid_access_reads_every_value_back(sealed_case):
    case, counsellor, coordinator, person = sealed_case
    case = Case.objects.get(pk=case.pk)

    personal = access.read_personal(case, counsellor.user)
    assert personal == access.PersonalData(
        full_name=PERSONAL["full_name"],
        phone=PERSONAL["phone"],
        workplace=PERSONAL["workplace"],
        deployment="2020-02-09 至 2020-04-15，武汉市某方舱医院",
        needs_detail=PERSONAL["needs_detail"],
        preferred_times=PERSONAL["preferred_times"],
    )
    assert [notes for _session, notes in access.read_sessions(case, counsellor.user)] == [NOTES]
    assert [note for _flag, note, _follow_up in access.read_risk_flags(case, coordinator)] == [RISK_NOTE]
    assert [reason for _change, reason in access.read_change_requests(case, coordinator)] == [REASON]
    name, proof = access.read_proof(case, coordinator)
    assert proof == PROOF and name.endswith(".pdf") and "证明" not in name  # kept under a generated name
    assert str(case.full_name) == "〔保密〕" and repr(case.phone) == "<Sealed>"


def test_another_key_cannot_read_anything(sealed_case, settings):
    case, counsellor, coordinator, _person = sealed_case
    settings.AID_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(b"k" * 32).decode()]
    case = Case.objects.get(pk=case.pk)

    with pytest.raises(InvalidToken):
        access.read_personal(case, counsellor.user)
    with pytest.raises(InvalidToken):
        access.read_sessions(case, counsellor.user)
    with pytest.raises(InvalidToken):
        access.read_proof(case, coordinator)
