"""Uploaded files are verified whole, re-encoded where they are images and renamed before they are kept:
every upload field of the site (certificate scans, transfer vouchers, qualification scans, the proof of
deployment, expert photos) refuses what is not really a JPEG, PNG or PDF with a message, never a 500."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from aid.forms import RegistrationForm
from experts.forms import ExpertApplicationForm, ProfileChangeForm, QualificationForm
from experts.models import Expert
from members.forms import MembershipApplicationForm, TransferForm
from members.models import MembershipApplication
from tests.conftest import make_user, sign_in
from tests.portal.samples import (
    HTML_BEHIND_PDF_HEADER,
    JPEG,
    PDF,
    PDF_WITH_HTML,
    PNG,
    PNG_WITH_HTML,
    SCRIPT,
    encrypted_pdf_bytes,
    image_bytes,
    jpeg_with_exif,
    mpo_bytes,
    pdf_bytes,
    png_bomb,
)

pytestmark = pytest.mark.django_db

GENERATED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")

NOT_A_SCAN = "请上传 JPG、PNG 图片或 PDF 文件。"
NOT_A_PHOTO = "请上传 JPG 或 PNG 格式的照片。"
DAMAGED_PDF = "PDF 文件已损坏或格式不正确，请重新导出后再上传。"
AFTER_THE_END = "PDF 文件的结尾之后还有其他内容，请重新导出后再上传。"
LOCKED_PDF = "PDF 文件设有打开密码，请上传未加密的文件。"
DAMAGED_IMAGE = "图片已损坏或不完整，请重新保存后再上传。"
TOO_MANY_PIXELS = "图片尺寸过大（超过 5000 万像素），请缩小后再上传。"


def _membership(upload):
    return MembershipApplicationForm({"full_name": "王晓明"}, {"certificate_scan": upload})


def _voucher(upload):
    return TransferForm({"reference": "6222", "idempotency_key": "k"}, {"voucher": upload})


def _qualification(upload):
    return QualificationForm({"name": "国家二级心理咨询师"}, {"scan": upload})


def _aid_proof(upload):
    return RegistrationForm({}, {"proof": upload}, programme=SimpleNamespace(eligibility="驰援人员"))


def _application_photo(upload):
    return ExpertApplicationForm({"full_name": "李文静"}, {"photo": upload})


def _profile_photo(upload):
    return ProfileChangeForm({}, {"photo": upload}, instance=Expert())


# Every upload field of the site, by what it accepts: (form builder, field name).
SCAN_FIELDS = {
    "certificate scan": (_membership, "certificate_scan"),
    "transfer voucher": (_voucher, "voucher"),
    "qualification scan": (_qualification, "scan"),
    "aid proof": (_aid_proof, "proof"),
}
PHOTO_FIELDS = {
    "application photo": (_application_photo, "photo"),
    "profile change photo": (_profile_photo, "photo"),
}
ALL_FIELDS = {**SCAN_FIELDS, **PHOTO_FIELDS}


def upload(content: bytes, name: str = "upload.bin", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def clean(where: str, content: bytes, name: str = "upload.bin"):
    """(the file the form keeps, the field's errors) for `content` uploaded to the field `where`."""
    build, field = ALL_FIELDS[where]
    form = build(upload(content, name))
    form.is_valid()
    return form.cleaned_data.get(field), form.errors.get(field, [])


def kept_bytes(kept) -> bytes:
    kept.seek(0)
    return kept.read()


# What is refused ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", SCAN_FIELDS)
def test_html_behind_a_pdf_header_is_refused(where):
    kept, errors = clean(where, HTML_BEHIND_PDF_HEADER, name="scan.html")

    assert kept is None
    assert errors == [DAMAGED_PDF]


@pytest.mark.parametrize("where", SCAN_FIELDS)
def test_a_pdf_with_anything_after_its_end_is_refused(where):
    assert clean(where, PDF_WITH_HTML, name="scan.pdf") == (None, [AFTER_THE_END])
    # Whitespace after %%EOF is what many PDF writers leave there.
    kept, errors = clean(where, PDF + b"\r\n  \n", name="scan.pdf")
    assert errors == [] and kept_bytes(kept).startswith(b"%PDF-")


@pytest.mark.parametrize("where", SCAN_FIELDS)
def test_a_pdf_that_opens_only_with_a_password_is_refused(where):
    assert clean(where, encrypted_pdf_bytes("secret"), name="scan.pdf") == (None, [LOCKED_PDF])
    # Locked against editing only (no password to open), as bank receipts often are: kept.
    kept, errors = clean(where, encrypted_pdf_bytes(""), name="scan.pdf")
    assert errors == [] and kept is not None


@pytest.mark.parametrize("where", ALL_FIELDS)
@pytest.mark.parametrize(
    "size",
    [(30_000, 30_000), (9_000, 9_000)],
    ids=["beyond Pillow's own limit", "beyond the site's limit"],
)
def test_a_decompression_bomb_is_refused_with_a_message(where, size):
    kept, errors = clean(where, png_bomb(*size), name="bomb.png")

    assert kept is None
    assert errors == [TOO_MANY_PIXELS]


@pytest.mark.parametrize("where", ALL_FIELDS)
def test_a_truncated_image_is_refused(where):
    truncated = image_bytes("PNG", size=(300, 300), compress_level=0)[:5000]

    assert clean(where, truncated, name="photo.png") == (None, [DAMAGED_IMAGE])


@pytest.mark.parametrize("where", SCAN_FIELDS)
def test_what_is_not_an_image_or_a_pdf_is_refused_as_before(where):
    for content in (SCRIPT, image_bytes("GIF"), b"MZ\x90\x00"):
        assert clean(where, content, name="scan.png") == (None, [NOT_A_SCAN])


@pytest.mark.parametrize("where", PHOTO_FIELDS)
def test_a_photo_must_be_a_jpeg_or_a_png(where):
    """Django's image field alone takes any format Pillow reads, under any name."""
    for content in (image_bytes("GIF"), image_bytes("BMP"), PDF, SCRIPT):
        assert clean(where, content, name="photo.html") == (None, [NOT_A_PHOTO])


def test_the_size_limit_and_its_messages_are_kept():
    too_big = pdf_bytes(comment="0" * (5 * 1024 * 1024))
    assert clean("certificate scan", too_big) == (None, ["文件不能超过 5 MB。"])
    big_photo = PNG + b"\x00" * (5 * 1024 * 1024)
    assert clean("application photo", big_photo) == (None, ["照片不能超过 5 MB。"])


# What is kept, and how --------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ALL_FIELDS)
def test_a_png_with_html_appended_is_kept_without_it(where):
    kept, errors = clean(where, PNG_WITH_HTML, name="scan.html")

    assert errors == []
    data = kept_bytes(kept)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<script" not in data and b"html" not in data.lower()
    assert Image.open(io.BytesIO(data)).size == (40, 30)
    assert GENERATED_NAME.match(kept.name) and kept.name.endswith(".png")
    assert kept.content_type == "image/png"


@pytest.mark.parametrize("where", ALL_FIELDS)
def test_the_kept_file_has_a_generated_name_with_the_extension_of_what_it_is(where):
    images = [(PNG, "照片.jpg", ".png"), (JPEG, "scan.html", ".jpg"), (jpeg_with_exif(), "IMG_0001.JPEG", ".jpg")]
    pdfs = [(PDF, "scan.html", ".pdf"), (PDF, "证书.PDF", ".pdf")]
    for content, name, extension in images + (pdfs if where in SCAN_FIELDS else []):
        kept, errors = clean(where, content, name=name)
        assert errors == []
        assert GENERATED_NAME.match(kept.name), kept.name
        assert kept.name.endswith(extension)


def test_two_uploads_of_the_same_name_get_different_names():
    first, _errors = clean("certificate scan", PDF, name="scan.pdf")
    second, _errors = clean("certificate scan", PDF, name="scan.pdf")
    assert first.name != second.name


@pytest.mark.parametrize("where", ALL_FIELDS)
def test_a_photo_is_re_encoded_without_its_metadata(where):
    original = jpeg_with_exif()
    assert b"SecretPhone" in original

    kept, _errors = clean(where, original, name="IMG_0001.jpg")

    data = kept_bytes(kept)
    assert data.startswith(b"\xff\xd8\xff") and b"SecretPhone" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (40, 30)
    assert not image.getexif()


@pytest.mark.parametrize("where", ALL_FIELDS)
def test_a_phone_photo_with_a_second_picture_is_kept_as_a_plain_jpeg(where):
    kept, errors = clean(where, mpo_bytes(), name="IMG_0003.jpg")

    assert errors == []
    image = Image.open(io.BytesIO(kept_bytes(kept)))
    assert kept.name.endswith(".jpg") and image.format == "JPEG" and getattr(image, "n_frames", 1) == 1


def test_a_pdf_is_kept_as_it_was_sent():
    kept, _errors = clean("certificate scan", PDF, name="证书.pdf")

    assert kept_bytes(kept) == PDF
    assert kept.content_type == "application/pdf"


# Through the site --------------------------------------------------------------------------------------


@pytest.fixture
def applicant_client():
    client = Client()
    sign_in(client, make_user("applicant@example.com"))
    return client


@pytest.mark.parametrize(
    ("content", "message"),
    [(HTML_BEHIND_PDF_HEADER, DAMAGED_PDF), (png_bomb(), TOO_MANY_PIXELS)],
    ids=["html behind a pdf header", "decompression bomb"],
)
def test_the_application_form_says_why_a_file_is_refused(applicant_client, content, message, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    response = applicant_client.post(
        reverse("membership_apply"),
        {"full_name": "王晓明", "certificate_scan": upload(content, "scan.html"), "save": "1"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MembershipApplication.objects.exists()
    assert not any(tmp_path.rglob("*"))


def test_the_application_keeps_the_scan_under_its_generated_name(applicant_client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    applicant_client.post(
        reverse("membership_apply"),
        {"full_name": "王晓明", "certificate_scan": upload(PDF, "王晓明的证书.html"), "save": "1"},
    )

    scan = MembershipApplication.objects.get().certificate_scan
    assert re.fullmatch(r"certificates/\d{4}/[0-9a-f]{32}\.pdf", scan.name)
    assert [path.name for path in tmp_path.rglob("*.*")] == [scan.name.rsplit("/", 1)[1]]


def test_a_draft_shows_its_scan_as_a_link_to_the_private_view(applicant_client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    applicant_client.post(
        reverse("membership_apply"),
        {"full_name": "王晓明", "certificate_scan": upload(PDF, "王晓明的证书.pdf"), "save": "1"},
    )
    application = MembershipApplication.objects.get()

    page = applicant_client.get(reverse("membership_apply")).content.decode()

    link = reverse("membership_certificate_scan", args=[application.pk])
    assert f'href="{link}"' in page
    assert "已上传的文件" in page
    assert "/media/" not in page and application.certificate_scan.name not in page
    assert "王晓明的证书" not in page
    # The box that removes the kept scan stays on one row with its label, apart from the new upload.
    assert re.search(
        r'<span class="field__clear"><input type="checkbox"[^>]*><label for="[^"]+">[^<]+</label></span>', page
    )
    assert '<span class="field__replace">重新上传：<input type="file"' in page


def test_a_photo_taken_sideways_is_kept_upright_once_its_orientation_is_dropped():
    from PIL import Image as PILImage

    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; viewers rotate it 90° clockwise
    sideways = image_bytes("JPEG", size=(40, 30), exif=exif.tobytes())

    kept, _errors = clean("application photo", sideways, name="IMG_0002.jpg")

    image = Image.open(io.BytesIO(kept_bytes(kept)))
    assert image.size == (30, 40) and not image.getexif()


def test_an_expert_application_links_its_photo_and_scans_to_the_private_views(settings, tmp_path):
    from tests.experts.factories import login, make_application

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    application = make_application(status="draft", photo=upload(PNG, "我的照片.png"))
    item = application.qualifications.get()

    page = login(application.applicant).get(reverse("experts:apply")).content.decode()

    assert f'href="{reverse("experts:application_file", args=[application.pk, "photo"])}"' in page
    assert f'href="{reverse("experts:application_file", args=[application.pk, "certificate", item.pk])}"' in page
    assert "已上传的照片" in page and "已上传的文件" in page
    assert "/media/" not in page and "我的照片" not in page
    assert application.photo.name not in page and item.scan.name not in page


def test_an_expert_sees_the_current_photo_on_the_profile_form_and_reviewers_the_proposed_one(
    home_page, settings, tmp_path
):
    import datetime

    from experts import services
    from tests.experts.factories import login, make_expert, make_reviewer
    from tests.notices.factories import NoticeIndexPageFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")
    expert = make_expert(admitted_on=datetime.date.today(), photo=upload(PNG, "me.png"), consent=False)

    profile = login(expert.user).get(reverse("experts:profile")).content.decode()
    assert f'href="{reverse("experts:profile_photo")}"' in profile
    assert "/media/" not in profile and expert.photo.name not in profile

    change = services.propose_change(expert, by=expert.user, values={}, many={}, photo=upload(JPEG, "new.jpg"))
    reviewer = login(make_reviewer("reviewer@example.com"))
    link = f'href="{reverse("experts:change_photo", args=[change.pk])}"'
    for url in (
        reverse("expert_changes:inspect", args=[change.pk]),
        reverse("expert_changes:decide", args=[change.pk]),
    ):
        page = reviewer.get(url).content.decode()
        assert link in page, url
        assert change.photo.name not in page, url
