"""收据: the PDF receipt of a confirmed payment.

Chinese is set in reportlab's built-in CID font STSong-Light, which every PDF reader has, so no
font file is installed or embedded.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from wagtail.models import Site

from portal.models import ContactSettings
from portal.pdf import FONT, image_reader, site_address, use_chinese_font

from .models import Payment
from .privacy import retained_receipt_name  # a closed account's receipts keep the name as printed
from .providers import received_no_money

TITLE = "会费收据"  # every payment the portal takes is for dues
# A payment through the sandbox provider moved no money: its receipt says so, in its title too.
SANDBOX_TITLE = "会费收据（沙箱测试，非正式收据）"
SANDBOX_NOTE = "本笔为沙箱测试支付，协会未收到任何款项，本收据不能作为缴费凭证。"

SEAL_SIZE = 30 * mm
VERIFY_SALT = "members.receipts.verify"
VERIFY_DIGEST_LENGTH = 16  # 64 bits: not guessed at the verification page's rate limit

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


def verification_code(payment: Payment) -> str:
    """The code printed on a receipt to check it at /receipts/verify/<code>/: the receipt number and a
    keyed digest of it, so a code cannot be made up from a number (SECRET_KEY keys the digest)."""
    digest = salted_hmac(VERIFY_SALT, f"{payment.pk}:{payment.receipt_number}").hexdigest()[:VERIFY_DIGEST_LENGTH]
    return f"{payment.receipt_number}-{digest}"


def payment_for_code(code: str) -> Payment | None:
    """The payment whose receipt carries `code`, or None for anything else."""
    number, _, digest = code.rpartition("-")
    if not number or len(digest) != VERIFY_DIGEST_LENGTH:
        return None
    payment = Payment.objects.filter(receipt_number=number).select_related("invoice__period").first()
    if payment is None or not constant_time_compare(verification_code(payment), code):
        return None
    return payment


def verification_url(payment: Payment) -> str:
    return f"{site_address()}{reverse('receipt_verify', args=[verification_code(payment)])}"


def render_receipt(payment: Payment) -> bytes:
    """The receipt of a confirmed payment, as PDF bytes: titled as what it is (会费收据), with the
    association's seal and 经办人 from the site settings, and where to check it is genuine."""
    use_chinese_font()
    invoice, member = payment.invoice, payment.invoice.member
    site = Site.objects.filter(is_default_site=True).first()
    organisation = ContactSettings.for_site(site) if site else ContactSettings.objects.first()
    name = organisation.organisation_name if organisation else "大连市心理咨询师协会"
    buffer = io.BytesIO()
    width, height = landscape(A5)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    sandbox = received_no_money(payment)
    title = SANDBOX_TITLE if sandbox else TITLE
    pdf.setTitle(f"{title} {payment.receipt_number}")
    pdf.setAuthor(name)
    pdf.setFont(FONT, 13)
    pdf.drawCentredString(width / 2, height - 16 * mm, name)
    title_size = 22 if not sandbox else 18
    pdf.setFont(FONT, title_size)
    pdf.drawCentredString(width / 2, height - 27 * mm, title)
    pdf.setFont(FONT, 11)
    pdf.drawRightString(width - 15 * mm, height - 36 * mm, f"收据编号：{payment.receipt_number}")
    confirmed = timezone.localtime(payment.confirmed_at).date() if payment.confirmed_at else timezone.localdate()
    rows = [
        ("交款人", f"{retained_receipt_name(member) or member.full_name}（会员编号 {member.number}）"),
        ("收款事由", f"{invoice.period.title}（{invoice.period.year}年度会费，{member.membership_type.name}）"),
        ("金额（小写）", f"¥{payment.amount:,.2f}"),
        ("金额（大写）", amount_in_chinese(payment.amount)),
        ("缴费方式", payment.get_method_display()),
        ("收款日期", f"{confirmed.year}年{confirmed.month}月{confirmed.day}日"),
    ]
    y = height - 46 * mm
    for label, value in rows:
        pdf.setFont(FONT, 12)
        pdf.drawString(20 * mm, y, f"{label}：")
        pdf.drawString(56 * mm, y, value)
        y -= 9 * mm
    if sandbox:
        pdf.setFont(FONT, 11)
        pdf.drawString(20 * mm, 34 * mm, SANDBOX_NOTE)
    unit = f"收款单位（盖章）：{name}"
    seal = None if sandbox else image_reader(organisation.seal if organisation else None)
    if seal is not None:
        # Stamped over the end of the association's name, as a seal is on paper; the text stays on top.
        unit_end = 20 * mm + pdf.stringWidth(unit, FONT, 12)
        pdf.drawImage(seal, unit_end - SEAL_SIZE * 0.8, 27.5 * mm - SEAL_SIZE / 2, SEAL_SIZE, SEAL_SIZE, mask="auto")
    pdf.setFont(FONT, 12)
    pdf.drawString(20 * mm, 26 * mm, unit)
    handler = organisation.receipt_handler if organisation else ""
    pdf.drawString(140 * mm, 26 * mm, f"经办人：{handler}")
    pdf.setFont(FONT, 9)
    pdf.drawString(20 * mm, 7 * mm, f"本收据可在 {verification_url(payment)} 核验真伪。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
