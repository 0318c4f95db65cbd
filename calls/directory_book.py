"""《大连心理咨询行业大全》机构篇 as a print-ready PDF book: a title page, the table of contents with
page numbers, and one section per listed institution (its public details and counsellors), with
the page number at the foot of every page.

The book is the association's Chinese document, whatever language the person exporting it reads.
It is set in reportlab's built-in CID font STSong-Light, which every PDF reader has."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from portal.pdf import chinese_style, issuer, use_chinese_font
from portal.typography import chinese_date

from .directory import profile_answers
from .models import Institution

TITLE = "《大连心理咨询行业大全》机构篇"


def _styles() -> dict[str, ParagraphStyle]:
    base = chinese_style(font_size=10.5, leading=16)
    return {
        "body": base,
        "cover": ParagraphStyle("cover", parent=base, fontSize=26, leading=36, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=base, fontSize=15, leading=22, spaceAfter=6),
        "toc_title": ParagraphStyle("toc_title", parent=base, fontSize=16, leading=24, spaceAfter=10),
        "toc": ParagraphStyle("toc", parent=base, fontSize=11, leading=18),
        "label": ParagraphStyle("label", parent=base, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
    }


class Book(BaseDocTemplate):
    """Pages with a running page number; each institution's heading goes into the contents."""

    def __init__(self, buffer, **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._number)])

    @staticmethod
    def _number(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(use_chinese_font(), 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's hook
        if isinstance(flowable, Paragraph) and flowable.style.name == "heading":
            key = f"institution-{self.seq.nextf('institution')}"
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page, key))


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def _section(institution: Institution, styles: dict) -> list:
    story: list = [Paragraph(escape(institution.name), styles["heading"])]
    rows = []
    tables = []
    for answer in profile_answers(institution):
        if answer.columns:
            tables.append(answer)
        else:
            rows.append([_cell(answer.label, styles["label"]), _cell(answer.text, styles["body"])])
    if institution.district:
        rows.insert(
            0, [_cell("所在区市县", styles["label"]), _cell(institution.get_district_display(), styles["body"])]
        )
    if rows:
        details = Table(rows, colWidths=[35 * mm, None])
        details.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
                ]
            )
        )
        story.append(details)
    for answer in tables:
        if not answer.rows:
            continue
        story += [Spacer(1, 3 * mm), Paragraph(escape(answer.label), styles["label"])]
        data = [[_cell(column, styles["cell"]) for column in answer.columns]]
        data += [[_cell(value, styles["cell"]) for value in row] for row in answer.rows]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    story.append(PageBreak())
    return story


def render_book(institutions=None) -> bytes:
    """The book of every listed institution (or of `institutions`), in the order of their names."""
    if institutions is None:
        institutions = Institution.objects.listed().select_related("submission__form_version", "submission__call")
    styles = _styles()
    _contact, association = issuer()
    contents = TableOfContents()
    contents.levelStyles = [styles["toc"]]
    with translation.override("zh-hans"):
        story: list = [
            Spacer(1, 70 * mm),
            Paragraph(TITLE, styles["cover"]),
            Spacer(1, 12 * mm),
            Paragraph(escape(association), styles["subtitle"]),
            Paragraph(chinese_date(timezone.localdate()), styles["subtitle"]),
            PageBreak(),
            Paragraph("目  录", styles["toc_title"]),
            contents,
            PageBreak(),
        ]
        listed = list(institutions)
        for institution in listed:
            story += _section(institution, styles)
        if not listed:
            story.append(Paragraph("名录中还没有机构。", styles["body"]))
        buffer = io.BytesIO()
        book = Book(buffer, title=TITLE, author=association)
        book.multiBuild(story)
    return buffer.getvalue()
