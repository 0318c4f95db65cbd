"""志愿服务证明: a volunteer's confirmed service hours as a PDF they can hand to an employer or school.

Only hours a coordinator has confirmed count. The certificate is the association's Chinese document,
whatever language the volunteer reads the site in. It is set in reportlab's built-in CID font
STSong-Light, which every PDF reader has, so no font file is installed or embedded.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from wagtail.models import Site

from portal.models import ContactSettings
from portal.pdf import chinese_style, image_reader, site_address, use_chinese_font
from portal.typography import chinese_date

from .enums import SignUpStatus
from .models import Commendation, SignUp

ASSOCIATION = "大连市心理咨询师协会"
COLUMNS = ("序号", "日期", "公益行动", "志愿活动", "时长（小时）")
SEAL_SIZE = 36 * mm


class Signature(Flowable):
    """The issuer's block at the foot: on the right the association's name and the date issued with
    its seal stamped over them, on the left the 经办人."""

    def __init__(self, lines: list[str], handler: str, seal, font_size: float = 12):
        super().__init__()
        self.lines, self.handler, self.seal, self.font_size = lines, handler, seal, font_size
        self.height = max(len(lines) * font_size * 1.8, SEAL_SIZE * 0.75)

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height

    def draw(self):
        font = use_chinese_font()
        canvas = self.canv
        leading = self.font_size * 1.8
        top = self.height - self.font_size
        if self.seal is not None:  # over the name and the date, as stamped on paper; the text stays on top
            name_width = canvas.stringWidth(self.lines[0], font, self.font_size)
            centre_x = self.width - name_width / 2
            centre_y = top - (len(self.lines) - 1) * leading / 2 + self.font_size / 3
            canvas.drawImage(
                self.seal, centre_x - SEAL_SIZE / 2, centre_y - SEAL_SIZE / 2, SEAL_SIZE, SEAL_SIZE, mask="auto"
            )
        canvas.setFont(font, self.font_size)
        for index, line in enumerate(self.lines):
            canvas.drawRightString(self.width, top - index * leading, line)
        if self.handler:
            canvas.drawString(0, top - (len(self.lines) - 1) * leading, self.handler)


@dataclass
class ServiceRecord:
    name: str
    rows: list[dict] = field(default_factory=list)
    commendations: list[Commendation] = field(default_factory=list)
    issued_on: datetime.date = field(default_factory=timezone.localdate)

    @property
    def total(self) -> Decimal:
        return sum((row["hours"] for row in self.rows), start=Decimal(0))


def volunteer_name(user) -> str:
    """The name on the membership record if there is one (as on official papers), else the account's."""
    member = getattr(user, "member", None)
    return (member.full_name if member else "") or user.get_full_name() or user.email


def service_record(user) -> ServiceRecord:
    """The volunteer's activities with confirmed hours, oldest first, and their commendations."""
    signups = (
        SignUp.objects.filter(volunteer=user, status=SignUpStatus.CONFIRMED)
        .approved_hours()
        .select_related("activity__campaign")
        .order_by("activity__starts_at", "pk")
    )
    rows = [
        {
            "date": timezone.localtime(signup.activity.starts_at).date(),
            "campaign": signup.activity.campaign.title,
            "activity": signup.activity.title,
            "hours": signup.hours_approved,
        }
        for signup in signups
    ]
    return ServiceRecord(
        name=volunteer_name(user),
        rows=rows,
        commendations=list(Commendation.objects.filter(volunteer=user).order_by("year", "pk")),
    )


def _hours(hours: Decimal) -> str:
    return f"{hours:.1f}"


def _styles() -> dict[str, ParagraphStyle]:
    base = chinese_style(font_size=12, leading=20)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=8 * mm),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, spaceAfter=3 * mm),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        "number": ParagraphStyle("number", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#555555")),
    }


def render_certificate(record: ServiceRecord) -> bytes:
    """The certificate on A4: who, how many hours in all, the activities in a table (repeated
    headings on every page), the commendations, and the association's name and the date issued."""
    styles = _styles()
    site = Site.objects.filter(is_default_site=True).first()
    organisation = ContactSettings.for_site(site) if site else ContactSettings.objects.first()
    association = organisation.organisation_name if organisation and organisation.organisation_name else ASSOCIATION
    first, last = record.rows[0]["date"], record.rows[-1]["date"]
    when = f"于 {chinese_date(first)}" if first == last else f"于 {chinese_date(first)} 至 {chinese_date(last)} 期间"
    name = escape(record.name)

    story = [
        Paragraph("志愿服务证明", styles["title"]),
        Paragraph(
            f"兹证明 {name} {when}参加{escape(association)}组织的志愿服务活动"
            f" {len(record.rows)} 次，经协调员确认的服务时长累计 {_hours(record.total)} 小时。具体如下：",
            styles["body"],
        ),
        Spacer(1, 2 * mm),
    ]

    data = [[Paragraph(column, styles["head"]) for column in COLUMNS]]
    for number, row in enumerate(record.rows, 1):
        data.append(
            [
                Paragraph(str(number), styles["number"]),
                Paragraph(row["date"].isoformat(), styles["number"]),
                Paragraph(escape(row["campaign"]), styles["cell"]),
                Paragraph(escape(row["activity"]), styles["cell"]),
                Paragraph(_hours(row["hours"]), styles["number"]),
            ]
        )
    data.append(
        [
            Paragraph("合计", styles["head"]),
            "",
            "",
            "",
            Paragraph(_hours(record.total), styles["number"]),
        ]
    )
    table = Table(data, colWidths=[12 * mm, 24 * mm, 56 * mm, 52 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("SPAN", (0, -1), (3, -1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)

    if record.commendations:
        story += [Spacer(1, 6 * mm), Paragraph("所获表彰：", styles["body"])]
        for commendation in record.commendations:
            hours = _hours(commendation.hours)
            line = f"{commendation.year}年度{escape(commendation.title)}（年度服务时长 {hours} 小时）"
            if commendation.citation:
                line += f"：{escape(commendation.citation)}"
            story.append(Paragraph(line, styles["body"]))

    footnote = "本证明根据协会志愿服务记录生成，只计入经协调员确认的服务时长。"
    if organisation and organisation.phone:
        footnote += f"如需核实，请致电协会秘书处 {organisation.phone}，或登录协会网站 {site_address()} 查询。"
    else:
        footnote += f"如需核实，请通过协会网站 {site_address()} 联系协会秘书处。"
    handler = organisation.receipt_handler if organisation else ""
    lines = [f"{association}（盖章）", f"开具日期：{chinese_date(record.issued_on)}"]
    seal = image_reader(organisation.seal if organisation else None)
    story += [
        Spacer(1, 6 * mm),
        Paragraph("特此证明。", styles["body"]),
        Spacer(1, 14 * mm),
        KeepTogether([Signature(lines, f"经办人：{handler}", seal)]),
        Spacer(1, 10 * mm),
        Paragraph(escape(footnote), styles["small"]),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"志愿服务证明 {record.name}",
        author=association,
    )
    document.build(story)
    return buffer.getvalue()
