"""Real files for the demo content: PDF attachments and partner logos, made on the fly."""

import io

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

CJK_FONT = "STSong-Light"  # one of reportlab's built-in CID fonts: no font files needed


def pdf_document(title: str, paragraphs: list[str], author: str = "") -> bytes:
    """An A4 PDF with a centred title and indented paragraphs, Chinese rendered with a CID font."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=author, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm
    )
    heading = ParagraphStyle("heading", fontName=CJK_FONT, fontSize=16, leading=24, alignment=1, wordWrap="CJK")
    body = ParagraphStyle(
        "body", fontName=CJK_FONT, fontSize=12, leading=20, firstLineIndent=24, spaceAfter=6, wordWrap="CJK"
    )
    story = [Paragraph(title, heading), Spacer(1, 8 * mm)]
    story += [Paragraph(text, body) for text in paragraphs]
    doc.build(story)
    return buffer.getvalue()


def logo_png(abbreviation: str, colour: str) -> bytes:
    """A simple partner logo: white initials on the partner's colour."""
    image = Image.new("RGB", (240, 96), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    box = draw.textbbox((0, 0), abbreviation, font=font)
    x = (240 - (box[2] - box[0])) / 2 - box[0]
    y = (96 - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), abbreviation, fill="white", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_png(text: str) -> bytes:
    """A QR code of `text`, as the 公众号 platform gives one out."""
    import qrcode

    buffer = io.BytesIO()
    qrcode.make(text, box_size=8, border=2).save(buffer, format="PNG")
    return buffer.getvalue()


def share_png(abbreviation: str) -> bytes:
    """The site's share card picture: the initials on the site's blue and teal."""
    image = Image.new("RGB", (1200, 630), "#0b4f8a")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 540, 1200, 630), fill="#00756f")
    font = ImageFont.load_default(size=160)
    box = draw.textbbox((0, 0), abbreviation, font=font)
    draw.text(
        ((1200 - (box[2] - box[0])) / 2 - box[0], (540 - (box[3] - box[1])) / 2 - box[1]),
        abbreviation,
        fill="white",
        font=font,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
