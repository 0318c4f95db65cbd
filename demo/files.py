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


CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


def _cjk_font(size: int):
    """A font that has Chinese characters, if the machine has one (else None)."""
    for path in CJK_FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None


def seal_png(name: str, size: int = 480) -> bytes:
    """A demo seal for receipts and certificates: a red ring with the association's name along its top,
    a star, and 演示专用 across it, on a transparent background. Plainly not a real seal."""
    import math

    red = (200, 16, 46, 235)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = size // 28
    draw.ellipse((ring, ring, size - ring, size - ring), outline=red, width=ring)
    centre = size / 2
    star_outer, star_inner = size * 0.14, size * 0.055
    points = []
    for index in range(10):
        radius = star_outer if index % 2 == 0 else star_inner
        angle = math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre - radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    font = _cjk_font(size // 9)
    if font is None:  # no Chinese font on this machine: the ring and star, marked DEMO
        label = ImageFont.load_default(size=size // 8)
        box = draw.textbbox((0, 0), "DEMO", font=label)
        draw.text((centre - (box[2] + box[0]) / 2, size * 0.7 - (box[3] + box[1]) / 2), "DEMO", fill=red, font=label)
    else:
        # The name around the upper arc, each character turned to face the centre.
        radius = size / 2 - ring * 2 - size / 14
        span = math.radians(min(250, 22 * len(name)))
        for index, character in enumerate(name):
            angle = math.pi / 2 + span / 2 - span * (index + 0.5) / len(name)
            glyph = Image.new("RGBA", (size // 7, size // 7), (0, 0, 0, 0))
            glyph_draw = ImageDraw.Draw(glyph)
            box = glyph_draw.textbbox((0, 0), character, font=font)
            glyph_draw.text(
                ((size // 7 - (box[2] - box[0])) / 2 - box[0], (size // 7 - (box[3] - box[1])) / 2 - box[1]),
                character,
                fill=red,
                font=font,
            )
            glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
            x = centre + radius * math.cos(angle) - glyph.width / 2
            y = centre - radius * math.sin(angle) - glyph.height / 2
            image.alpha_composite(glyph, (round(x), round(y)))
        label_font = _cjk_font(size // 10)
        box = draw.textbbox((0, 0), "演示专用", font=label_font)
        draw.text(
            (centre - (box[2] + box[0]) / 2, size * 0.72 - (box[3] + box[1]) / 2), "演示专用", fill=red, font=label_font
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
