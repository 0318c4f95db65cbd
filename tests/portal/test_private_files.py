"""Who may open each file people uploaded (and each receipt), and how it is served: the type read from
the stored bytes, never from a name; nosniff; a sandboxing CSP; never cached on the way; shown in the
browser only when it is a PDF, PNG or JPEG by its signature, otherwise downloaded under a neutral name."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from calls import services as call_services
from calls.enums import Eligibility
from calls.models import CallPage
from experts import services as expert_services
from experts.models import ProfileChange
from members import services as member_services
from members.models import MembershipApplication
from portal.roles import (
    AID_COORDINATORS,
    CALL_OFFICERS,
    CALL_REVIEWERS,
    EXPERT_CHAIRS,
    EXPERT_REVIEWERS,
    MEMBERSHIP_OFFICERS,
    STAFF_GROUPS,
)
from tests.aid.factories import make_programme, register_case
from tests.calls.factories import make_call
from tests.conftest import make_user, sign_in
from tests.experts.factories import make_application, make_expert
from tests.members.factories import make_invoice, make_member, make_period
from tests.notices.factories import NoticeIndexPageFactory
from tests.portal.samples import HTML_BEHIND_PDF_HEADER, JPEG, PDF, PNG, SCRIPT

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other member", *STAFF_GROUPS, "superuser")
EVERYONE = frozenset(ROLES)


@dataclass
class Stored:
    """A file behind a URL: who owns it, which roles may open it and what it is by its bytes."""

    url: str
    owner: object | None
    readers: frozenset[str]
    content_type: str
    content: bytes
    public: bool = False  # a page anyone may see (a consenting expert's photo)
    refusals: frozenset[int] = field(default=frozenset({404}))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def people(db) -> dict[str, object]:
    """One account per role but the owner (who comes with the file)."""
    accounts = {
        "other member": make_user("other@example.com"),
        "superuser": make_user("root@example.com", superuser=True),
    }
    for group in STAFF_GROUPS:
        accounts[group] = make_user(f"{group.lower().replace(' ', '-')}@example.com", groups=(group,))
    return accounts


@pytest.fixture
def notice_index(home_page):
    return NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")


def legacy(content: bytes, name: str) -> SimpleUploadedFile:
    """A file kept before names were generated: under the name its uploader gave it."""
    return SimpleUploadedFile(name, content)


# Each kind of file, stored under a hostile name of the past; the type served must come from the bytes.


def certificate_scan(home_page) -> Stored:
    owner = make_user("applicant@example.com")
    application = MembershipApplication.objects.create(
        applicant=owner, full_name="王晓明", certificate_scan=legacy(PDF, "scan.html")
    )
    url = reverse("membership_certificate_scan", args=[application.pk])
    return Stored(url, owner, frozenset({"owner", MEMBERSHIP_OFFICERS, "superuser"}), "application/pdf", PDF)


def _invoice():
    member = make_member("payer@example.com", number="DL-2020-0001")
    return member, make_invoice(member, make_period(2026))


def transfer_voucher(home_page) -> Stored:
    member, invoice = _invoice()
    payment = member_services.record_transfer(
        invoice, by=member.user, reference="6222", voucher=legacy(JPEG, "voucher.png.html"), idempotency_key="t"
    )
    url = reverse("membership_voucher", args=[payment.pk])
    return Stored(url, member.user, frozenset({"owner", MEMBERSHIP_OFFICERS, "superuser"}), "image/jpeg", JPEG)


def receipt(home_page) -> Stored:
    member, invoice = _invoice()
    officer = make_user("cashier@example.com", groups=(MEMBERSHIP_OFFICERS,))
    payment = member_services.record_cash(invoice, by=officer, idempotency_key=uuid.uuid4().hex)
    url = reverse("membership_receipt", args=[payment.pk])
    return Stored(url, member.user, frozenset({"owner", MEMBERSHIP_OFFICERS, "superuser"}), "application/pdf", b"")


EXPERT_STAFF = frozenset({EXPERT_REVIEWERS, EXPERT_CHAIRS, "superuser"})


def qualification_scan(home_page) -> Stored:
    application = make_application()
    item = application.qualifications.get()
    item.scan = legacy(PNG, "certificate.svg")
    item.save()
    url = reverse("experts:application_file", args=[application.pk, "certificate", item.pk])
    return Stored(url, application.applicant, EXPERT_STAFF | {"owner"}, "image/png", PNG)


def application_photo(home_page) -> Stored:
    application = make_application(photo=legacy(PNG, "photo.html"), consent=False)
    url = reverse("experts:application_file", args=[application.pk, "photo"])
    return Stored(url, application.applicant, EXPERT_STAFF | {"owner"}, "image/png", PNG)


def _expert(home_page, *, consent: bool):
    NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")
    return make_expert(admitted_on=datetime.date.today(), photo=legacy(JPEG, "me.html"), consent=consent)


def profile_change_photo(home_page) -> Stored:
    expert = _expert(home_page, consent=True)
    change = expert_services.propose_change(
        expert, by=expert.user, values={"show_photo": True}, many={}, photo=legacy(PNG, "new.html")
    )
    assert ProfileChange.objects.get(pk=change.pk).photo
    url = reverse("experts:change_photo", args=[change.pk])
    return Stored(url, expert.user, EXPERT_STAFF | {"owner"}, "image/png", PNG)


def own_expert_photo(home_page) -> Stored:
    """What the profile form links to: the expert's current photo, for the expert."""
    expert = _expert(home_page, consent=False)
    return Stored(reverse("experts:profile_photo"), expert.user, frozenset({"owner"}), "image/jpeg", JPEG)


def listed_photo_without_consent(home_page) -> Stored:
    expert = _expert(home_page, consent=False)
    return Stored(reverse("experts:photo", args=[expert.pk]), expert.user, frozenset(), "image/jpeg", JPEG, True)


def listed_photo_with_consent(home_page) -> Stored:
    expert = _expert(home_page, consent=True)
    return Stored(reverse("experts:photo", args=[expert.pk]), expert.user, EVERYONE, "image/jpeg", JPEG, True)


def aid_proof(home_page) -> Stored:
    """Only in the admin, for aid coordinators: the beneficiary who sent it is refused there too."""
    beneficiary = make_user("nurse@example.com")
    case = register_case(make_programme(home_page), beneficiary)
    url = reverse("aid_cases:proof", args=[case.pk])
    return Stored(
        url, beneficiary, frozenset({AID_COORDINATORS, "superuser"}), "application/pdf", b"", refusals={302, 403}
    )


def call_submission_file(home_page) -> Stored:
    """A file attached to a submission to a call: its submitter, the call officers and reviewers."""
    call = make_call(
        NoticeIndexPageFactory(parent=home_page, slug="calls"),
        fields=[{"field_type": "file", "label": "推荐表", "label_en": "Form", "required": False}],
        categories=(),
        eligibility=Eligibility.SIGNED_IN,
    )
    submitter = make_user("nominator@example.com")
    with transaction.atomic():
        version = call_services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))
    key = version.fields[0]["key"]
    submission = call_services.save_submission(
        call, submitter, version=version, answers={}, file_changes={key: legacy(PDF, "form.pdf")}, submit=True
    )
    url = reverse("calls:file", args=[submission.pk, key])
    return Stored(
        url, submitter, frozenset({"owner", CALL_OFFICERS, CALL_REVIEWERS, "superuser"}), "application/pdf", PDF
    )


FILES: dict[str, Callable[..., Stored]] = {
    "membership certificate scan": certificate_scan,
    "transfer voucher": transfer_voucher,
    "receipt": receipt,
    "expert qualification scan": qualification_scan,
    "expert application photo": application_photo,
    "profile change photo": profile_change_photo,
    "expert's own photo": own_expert_photo,
    "listed expert's photo without consent": listed_photo_without_consent,
    "listed expert's photo with consent": listed_photo_with_consent,
    "aid proof of deployment": aid_proof,
    "file attached to a call submission": call_submission_file,
}


def client_for(role: str, stored: Stored, people: dict) -> Client:
    client = Client()
    user = stored.owner if role == "owner" else people.get(role)
    if user is not None:
        sign_in(client, user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("kind", FILES)
def test_who_opens_each_private_file_and_how_it_is_served(kind, home_page, people):
    stored = FILES[kind](home_page)
    for role in ROLES:
        response = client_for(role, stored, people).get(stored.url)
        where = f"{kind}, {role}"
        if role not in stored.readers:
            if stored.public:
                expected = {404}
            elif role == "anonymous":
                expected = {302}  # to the login
            else:
                expected = stored.refusals
            assert response.status_code in expected, where
            continue
        assert response.status_code == 200, where
        content = body(response)
        if stored.content:
            assert content == stored.content, where
        assert response["Content-Type"] == stored.content_type, where
        assert response["X-Content-Type-Options"] == "nosniff", where
        directives = [directive.split()[0] for directive in response["Content-Security-Policy"].split(";")]
        assert "sandbox" in directives, where
        disposition = response["Content-Disposition"]
        if kind == "aid proof of deployment":
            assert disposition.startswith("attachment;"), where  # never shown in the browser
        else:
            assert disposition.startswith("inline"), where
        extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}[stored.content_type]
        assert disposition.endswith(f'{extension}"'), where  # by what it is, not by the name it was kept under
        assert ".html" not in disposition and ".svg" not in disposition, where
        if not stored.public:
            assert response["Cache-Control"] == "private, no-store", where
        elif role == "anonymous":
            assert response["Cache-Control"].startswith("public"), where


# Files kept before uploads were verified -----------------------------------------------------------------


@pytest.fixture
def officer_client(people) -> Client:
    client = Client()
    sign_in(client, people[MEMBERSHIP_OFFICERS])
    return client


def kept_scan(content: bytes, name: str) -> MembershipApplication:
    application = MembershipApplication.objects.create(applicant=make_user(f"{uuid.uuid4().hex[:8]}@example.com"))
    application.certificate_scan.save(name, ContentFile(content))
    return application


@pytest.mark.parametrize("name", ["scan.html", "scan.pdf", "scan.svg", "scan.png", "scan"])
def test_a_kept_file_that_is_no_pdf_or_image_is_only_downloaded_under_a_neutral_name(officer_client, name):
    application = kept_scan(SCRIPT, name)

    response = officer_client.get(reverse("membership_certificate_scan", args=[application.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{application.pk}.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_kept_html_page_behind_a_pdf_header_is_served_as_a_pdf_never_as_a_page(officer_client):
    application = kept_scan(HTML_BEHIND_PDF_HEADER, "scan.html")

    response = officer_client.get(reverse("membership_certificate_scan", args=[application.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "html" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_kept_photo_that_is_no_image_is_never_public(home_page):
    NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")
    expert = make_expert(admitted_on=datetime.date.today(), photo=legacy(SCRIPT, "me.png"), consent=True)

    assert Client().get(reverse("experts:photo", args=[expert.pk])).status_code == 404


def test_an_expert_who_leaves_the_directory_takes_the_photo_along(home_page):
    NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")
    expert = make_expert(admitted_on=datetime.date(2020, 1, 6), photo=legacy(PNG, "me.png"), consent=True)
    assert not expert.is_listed()

    assert Client().get(reverse("experts:photo", args=[expert.pk])).status_code == 404
