"""收据: the PDF receipt of a confirmed payment.

Chinese is set in reportlab's built-in CID font STSong-Light, which every PDF reader has, so no
font file is installed or embedded.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from home.models import ContactSettings
from portal.pdf import FONT, use_chinese_font

from .models import Payment
from .privacy import retained_receipt_name  # a closed account's receipts keep the name as printed
from .providers import received_no_money

# A payment through the sandbox provider moved no money: its receipt says so, in its title too.
SANDBOX_TITLE = "收据（沙箱测试，非正式收据）"
SANDBOX_NOTE = "本笔为沙箱测试支付，协会未收到任何款项，本收据不能作为缴费凭证。"

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
SECTIONS = ["", "万", "亿"]


def amount_in_chinese(amount: Decimal) -> str:
    """An amount of yuan in Chinese capitals, as written on receipts: 100 → 壹佰元整, 1050.5 → 壹仟零伍拾元伍角."""
    fen_total = int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if fen_total == 0:
        return "零元整"
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    words = _integer_in_chinese(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return words + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    return words


def _integer_in_chinese(number: int) -> str:
    sections, words, need_zero = [], "", False
    while number:
        number, section = divmod(number, 10000)
        sections.append(section)
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            need_zero = bool(words)
            continue
        if need_zero or (words and section < 1000):
            words += "零"
        words += _section_in_chinese(section) + SECTIONS[index]
        need_zero = False
    return words


def _section_in_chinese(section: int) -> str:
    words, zero = "", False
    for position in range(3, -1, -1):
        digit = section // 10**position % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += DIGITS[digit] + UNITS[position]
    return words


def render_receipt(payment: Payment) -> bytes:
    """The receipt of a confirmed payment, as PDF bytes."""
    use_chinese_font()
    invoice, member = payment.invoice, payment.invoice.member
    organisation = ContactSettings.objects.first()
    name = organisation.organisation_name if organisation else "大连市心理咨询师协会"
    buffer = io.BytesIO()
    width, height = landscape(A5)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    sandbox = received_no_money(payment)
    title = SANDBOX_TITLE if sandbox else "收据"
    pdf.setTitle(f"{title} {payment.receipt_number}")
    pdf.setAuthor(name)
    pdf.setFont(FONT, 20)
    pdf.drawCentredString(width / 2, height - 25 * mm, f"{name} {title}")
    pdf.setFont(FONT, 11)
    pdf.drawRightString(width - 15 * mm, height - 35 * mm, f"收据编号：{payment.receipt_number}")
    confirmed = timezone.localtime(payment.confirmed_at).date() if payment.confirmed_at else timezone.localdate()
    rows = [
        ("交款人", f"{retained_receipt_name(member) or member.full_name}（会员编号 {member.number}）"),
        ("收款事由", f"{invoice.period.title}（{invoice.period.year}年度会费，{member.membership_type.name}）"),
        ("金额（小写）", f"¥{payment.amount:,.2f}"),
        ("金额（大写）", amount_in_chinese(payment.amount)),
        ("缴费方式", payment.get_method_display()),
        ("收款日期", confirmed.strftime("%Y年%m月%d日")),
    ]
    y = height - 50 * mm
    for label, value in rows:
        pdf.setFont(FONT, 12)
        pdf.drawString(20 * mm, y, f"{label}:")
        pdf.drawString(50 * mm, y, value)
        y -= 10 * mm
    if sandbox:
        pdf.setFont(FONT, 11)
        pdf.drawString(20 * mm, 26 * mm, SANDBOX_NOTE)
    pdf.setFont(FONT, 10)
    pdf.drawString(20 * mm, 15 * mm, f"收款单位：{name}    {settings.WAGTAILADMIN_BASE_URL}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
