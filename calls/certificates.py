"""荣誉证书: the award certificate of an entry an award call confirmed, as a landscape A4 PDF, and
its lookup for the public verification page (证书查询).

The certificate is the association's Chinese document, whatever language its holder reads the site
in. It is set in reportlab's built-in CID font STSong-Light, which every PDF reader has."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from portal import certificates
from portal.pdf import image_reader, issuer, qr_code, site_address, use_chinese_font
from portal.typography import chinese_date

from .models import CallCertificate

RED = colors.HexColor("#b3202a")
KIND = "荣誉证书"


def verification_url(certificate: CallCertificate) -> str:
    return f"{site_address()}{reverse('certificate_code', args=[certificate.display_code])}"


def _centred_lines(canvas: Canvas, text: str, font: str, size: float, width: float, x: float, y: float) -> float:
    """Draw `text` centred, broken into as many lines as it needs to fit `width`; returns the y below it."""
    line = ""
    for character in text:
        if canvas.stringWidth(line + character, font, size) > width:
            canvas.drawCentredString(x, y, line)
            y -= size * 1.6
            line = ""
        line += character
    if line:
        canvas.drawCentredString(x, y, line)
        y -= size * 1.6
    return y


def render_certificate(certificate: CallCertificate) -> bytes:
    """The certificate: the title, the holder, the honour, the association with its seal and the date
    of issue, and at the foot the code and a QR code of the verification page."""
    font = use_chinese_font()
    contact, association = issuer()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(f"{KIND} {certificate.holder}")
    canvas.setAuthor(association)
    canvas.setSubject(certificate.honour)

    # A double red border, as printed certificates have.
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    canvas.setFillColor(RED)
    canvas.setFont(font, 40)
    canvas.drawCentredString(width / 2, height - 52 * mm, KIND)

    canvas.setFillColor(colors.black)
    canvas.setFont(font, 20)
    canvas.drawString(40 * mm, height - 80 * mm, f"{certificate.holder}：")
    y = _centred_lines(canvas, f"经{association}评选，被评为", font, 18, width - 100 * mm, width / 2, height - 98 * mm)
    canvas.setFont(font, 28)
    canvas.setFillColor(RED)
    canvas.drawCentredString(width / 2, y - 8 * mm, certificate.honour)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 18)
    canvas.drawCentredString(width / 2, y - 26 * mm, "特发此证，以资鼓励。")

    # The association and the date, with the seal stamped over them when one is set.
    right = width - 50 * mm
    canvas.drawRightString(right, 52 * mm, association)
    canvas.drawRightString(right, 42 * mm, chinese_date(certificate.issued_on))
    seal = image_reader(contact.seal if contact else None)
    if seal is not None:
        size = 40 * mm
        centre = right - canvas.stringWidth(association, font, 18) / 2
        canvas.drawImage(seal, centre - size / 2, 47 * mm - size / 2, size, size, mask="auto")

    # How anyone checks it: the code and the QR code of the verification page.
    url = verification_url(certificate)
    renderPDF.draw(qr_code(url, 26 * mm), canvas, 24 * mm, 22 * mm)
    canvas.setFont(font, 10)
    canvas.drawString(54 * mm, 38 * mm, f"证书查验码：{certificate.display_code}")
    canvas.drawString(54 * mm, 32 * mm, "扫描二维码或访问以下网址核验：")
    canvas.drawString(54 * mm, 26 * mm, url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_response(certificate: CallCertificate) -> HttpResponse:
    """The certificate as a download, for its holder or an officer: never kept by a shared cache."""
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def lookup(code: str) -> certificates.Certificate | None:
    """The award certificate with `code` (normalised: no hyphens, upper case), for 证书查询."""
    certificate = CallCertificate.objects.filter(code=code).select_related("submission__organisation").first()
    if certificate is None:
        return None
    organisation = certificate.submission.organisation_id and not certificate.submission.nominee_id
    _contact, association = issuer()
    return certificates.Certificate(
        holder=certificate.holder if organisation else certificates.mask_name(certificate.holder),
        kind=KIND,
        certifies=certificate.honour,
        issuer=association,
        issued_on=certificate.issued_on,
        revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
    )
