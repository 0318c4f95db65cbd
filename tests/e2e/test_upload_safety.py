"""Uploaded files never run as pages, in a real browser: an applicant's HTML dressed as a PDF is refused
with a message, and a file of that kind kept before uploads were verified opens for a membership officer
without any of its script running and without being shown as HTML."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from members.models import MembershipApplication
from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in
from tests.portal.samples import HTML_BEHIND_PDF_HEADER, SCRIPT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 20_000
REFUSED = "PDF 文件已损坏或格式不正确，请重新导出后再上传。"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def signed_in_tab(browser, live_server, user):
    """A browser tab whose session is `user`'s, signed in as the site's login does (second factor included)."""
    client = Client()
    sign_in(client, user)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    tab.dialogs = dialogs
    return tab


def open_file(tab, url: str) -> tuple[str | None, str | None]:
    """Open `url` as a person clicking its link would: (the type shown, or None; the name downloaded, or None)."""
    shown = downloaded = None
    try:
        with tab.expect_download(timeout=5_000) as download:
            try:
                response = tab.goto(url)
                shown = response.headers.get("content-type") if response else None
            except PlaywrightError:  # navigation turned into a download
                pass
        downloaded = download.value.suggested_filename
    except PlaywrightError:  # nothing was downloaded: shown in the tab
        pass
    tab.wait_for_timeout(500)  # time for any script to run
    return shown, downloaded


def test_html_behind_a_pdf_header_is_refused_and_a_kept_one_runs_nothing(browser, live_server, tmp_path):
    # The payload does run when a browser takes it for a page: what the checks below rely on.
    control = signed_in_tab(browser, live_server, make_user("control@example.com"))
    control.set_content(SCRIPT.decode())
    expect(control).to_have_title("pwned")
    assert control.dialogs == ["pwned"]
    control.context.close()

    # 1. An applicant uploads it as a certificate scan: refused, with the reason next to the field.
    applicant = make_user("applicant@example.com")
    tab = signed_in_tab(browser, live_server, applicant)
    scan = tmp_path / "certificate.html"
    scan.write_bytes(HTML_BEHIND_PDF_HEADER)
    tab.goto(reverse("membership_apply"))
    tab.fill("#id_full_name", "王晓明")
    tab.set_input_files("#id_certificate_scan", str(scan))
    tab.get_by_role("button", name="保存草稿").click()
    expect(tab.locator(".field__error")).to_contain_text(REFUSED)
    assert not MembershipApplication.objects.exists()
    assert tab.dialogs == [] and tab.title() != "pwned"
    tab.context.close()

    # 2. Files of that kind kept before uploads were verified, under their uploaders' names.
    behind_pdf_header = MembershipApplication.objects.create(applicant=applicant, full_name="王晓明")
    behind_pdf_header.certificate_scan.save("certificate.html", ContentFile(HTML_BEHIND_PDF_HEADER))
    plain_page = MembershipApplication.objects.create(applicant=make_user("other@example.com"), full_name="李四")
    plain_page.certificate_scan.save("certificate.html", ContentFile(SCRIPT))

    officer = signed_in_tab(browser, live_server, make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,)))
    officer.goto("/")

    shown, downloaded = open_file(officer, reverse("membership_certificate_scan", args=[behind_pdf_header.pk]))
    assert shown in (None, "application/pdf")  # shown by the PDF viewer, or downloaded: never as a page
    assert downloaded in (None, f"certificate-{behind_pdf_header.pk}.pdf")
    assert officer.dialogs == [] and officer.title() != "pwned"

    shown, downloaded = open_file(officer, reverse("membership_certificate_scan", args=[plain_page.pk]))
    assert shown is None and downloaded == f"certificate-{plain_page.pk}.bin"
    assert officer.dialogs == [] and officer.title() != "pwned"

    for application in (behind_pdf_header, plain_page):
        headers = officer.request.get(reverse("membership_certificate_scan", args=[application.pk])).headers
        assert "html" not in headers["content-type"] and headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in headers["content-security-policy"]
    officer.context.close()
