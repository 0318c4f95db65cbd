"""What every PDF of the portal shares (receipts, expert batch lists, service certificates).

Chinese is set in reportlab's built-in CID font STSong-Light, which every PDF reader has, so no
font file is installed or embedded."""

import io

from django.conf import settings
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"


def use_chinese_font() -> str:
    """Register the font once per process; returns its name for canvases and styles."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def chinese_style(*, font_size: float, leading: float) -> ParagraphStyle:
    """The base paragraph style: the Chinese font, breaking lines between any two characters as
    Chinese text is set (wordWrap="CJK")."""
    return ParagraphStyle("base", fontName=use_chinese_font(), fontSize=font_size, leading=leading, wordWrap="CJK")


def site_address() -> str:
    """The site's configured address (WAGTAILADMIN_BASE_URL), printed on documents people keep."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def image_reader(image) -> ImageReader | None:
    """A stored image (the association's seal) ready for reportlab, or None when there is none or its
    file cannot be read: a document is still issued, without the image."""
    if not image:
        return None
    try:
        with image.file.open("rb") as file:
            return ImageReader(io.BytesIO(file.read()))
    except (OSError, ValueError):
        return None


ASSOCIATION = "大连市心理咨询师协会"


def issuer():
    """The default site's contact settings (or None before any exist) and the name documents print."""
    from wagtail.models import Site

    from .models import ContactSettings

    site = Site.objects.filter(is_default_site=True).first()
    contact = ContactSettings.for_site(site) if site else ContactSettings.objects.first()
    return contact, (contact.organisation_name if contact and contact.organisation_name else ASSOCIATION)


def qr_code(text: str, size: float):
    """A QR code of `text` as a reportlab drawing `size` points square (a link printed on paper)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(text, barBorder=0)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing
