"""A batch's list of experts as files: a CSV for spreadsheets and the PDF of the official notice
关于报审第N批入库专家名单的通告.

Both are the association's Chinese documents, whatever language the person downloading them reads.
The PDF is set in reportlab's built-in CID font STSong-Light, which every PDF reader has, so no font
file is installed or embedded.
"""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from portal.exports import csv_bytes
from portal.models import ContactSettings
from portal.pdf import chinese_style

from .models import ExpertBatch, chinese_number
from .services import batch_entries

COLUMNS = ("序号", "姓名", "工作单位", "职称", "专长领域", "状态")
ASSOCIATION = "大连市心理咨询师协会"


def batch_rows(batch: ExpertBatch) -> list[dict[str, str]]:
    """The batch's list (proposed, in notice, admitted), by name, in two queries whatever its length."""
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for number, application in enumerate(batch_entries(batch), 1):
            rows.append(
                {
                    "序号": str(number),
                    "姓名": application.full_name,
                    "工作单位": application.employer,
                    "职称": application.title,
                    "专长领域": "、".join(specialty.name for specialty in application.specialties.all()),
                    "状态": str(application.get_status_display()),
                }
            )
    return rows


def batch_csv(batch: ExpertBatch) -> bytes:
    """The list as CSV for a spreadsheet (names and employers as the applicants typed them, kept as text)."""
    return csv_bytes(COLUMNS, batch_rows(batch))


def notice_title(batch: ExpertBatch) -> str:
    return f"关于报审第{chinese_number(batch.number)}批入库专家名单的通告"


def _date(day: datetime.date) -> str:
    return f"{day:%Y年%m月%d日}"


def _notice_date(batch: ExpertBatch) -> datetime.date:
    """The day the notice is dated: the day its page was published, else the start of the period."""
    if batch.notice_page_id and batch.notice_page is not None:
        return batch.notice_page.date
    return batch.notice_starts or timezone.localdate()


def _styles() -> dict[str, ParagraphStyle]:
    base = chinese_style(font_size=11, leading=17)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=6 * mm),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=22, spaceAfter=3 * mm),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        "head": ParagraphStyle("head", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
    }


def batch_pdf(batch: ExpertBatch) -> bytes:
    """The official notice of the batch on A4: title, notice period, the list, and the association's
    name and the date at the foot. Long names of employers wrap inside their cell."""
    styles = _styles()
    organisation = ContactSettings.objects.first()
    name = organisation.organisation_name if organisation and organisation.organisation_name else ASSOCIATION
    title = notice_title(batch)
    rows = batch_rows(batch)

    story = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(
            "根据《大连市心理咨询行业专家库》建设工作安排，经个人申报、协会评审，"
            f"现将报审第{chinese_number(batch.number)}批入库专家名单予以公示。",
            styles["body"],
        ),
    ]
    if batch.notice_starts and batch.notice_ends:
        period = f"公示期为 {batch.working_days} 个工作日：{_date(batch.notice_starts)} 至 {_date(batch.notice_ends)}。"
    else:
        period = f"公示期为 {batch.working_days} 个工作日，自通告发布之日起计算。"
    story.append(Paragraph(period, styles["body"]))

    data = [[Paragraph(column, styles["head"]) for column in COLUMNS]]
    for row in rows:
        data.append([Paragraph(escape(row[column]), styles["cell"]) for column in COLUMNS])
    widths = [12 * mm, 24 * mm, 50 * mm, 26 * mm, 40 * mm, 18 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ]
        )
    )
    story += [
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(
            "公示期间，如对名单中的人员有异议，请通过协会网站本通告页面的“提出异议”表单反映，"
            "并提供必要的事实依据。异议人信息仅用于核实，不会公开。公示期满无异议的，按程序办理入库手续。",
            styles["body"],
        ),
        Spacer(1, 10 * mm),
        KeepTogether([Paragraph(escape(name), styles["sign"]), Paragraph(_date(_notice_date(batch)), styles["sign"])]),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=name,
    )
    document.build(story)
    return buffer.getvalue()
