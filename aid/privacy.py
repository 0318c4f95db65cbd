"""The aid section's part of a person's export and of closing their account (portal.privacy).

A beneficiary's own details are read through `aid.access.read_personal`, as on 我的援助: the read is
checked and logged as 本人, and nothing here opens a sealed value by any other way. Closing the
account runs the aid retention purge (`services.purge_case`) on the person's closed cases at once,
leaving only the anonymous figures; an open case holds the closure until a coordinator closes it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import privacy

from . import access, services
from .enums import AssignmentStatus, CaseStatus, Need
from .models import Assignment, Case, Counsellor

CASE_FIELDS = ("number", "programme", "status", "preferred_mode", "district", "registered_at", "closed_at")
COUNSELLOR_FIELDS = ("qualification", "district", "modes", "capacity", "is_active", "joined_on")


def export(user, request) -> list[privacy.Section]:
    cases = list(Case.objects.registered_by(user).select_related("programme").order_by("registered_at", "pk"))
    active = {
        assignment.case_id: assignment.counsellor
        for assignment in Assignment.objects.active().filter(case__in=cases).select_related("counsellor__user")
    }
    rows = []
    for case in cases:
        row = privacy.rows_of([case], CASE_FIELDS)[0]
        row["needs"] = [str(Need(need).label) for need in case.needs if need in Need.values]
        personal = None if case.is_purged else access.read_personal(case, user, request)
        for name in access.PERSONAL_FIELDS:
            row[name] = getattr(personal, name) if personal else ""
        row["counsellor"] = str(active[case.pk]) if case.pk in active else ""
        rows.append(row)
    counsellors = list(Counsellor.objects.filter(user=user).prefetch_related("programmes", "specialties"))
    return [
        privacy.Section(
            "aid_cases",
            Case._meta.verbose_name_plural,
            [
                *privacy.columns_of(Case, CASE_FIELDS),
                *privacy.columns_of(Case, ("needs", *access.PERSONAL_FIELDS)),
                ("counsellor", _("负责咨询师")),
            ],
            rows,
        ),
        privacy.Section(
            "aid_counsellor",
            Counsellor._meta.verbose_name,
            privacy.columns_of(Counsellor, (*COUNSELLOR_FIELDS, "programmes", "specialties")),
            privacy.rows_of(counsellors, (*COUNSELLOR_FIELDS, "programmes", "specialties")),
        ),
        privacy.files_section(
            privacy.file_row(
                f"{Case._meta.verbose_name} {case.number}",
                Case._meta.get_field("proof").verbose_name,
                case.proof,
                case.registered_at,
                kind=_("加密保存"),
            )
            for case in cases
        ),
    ]


def holds(user) -> list[str]:
    """An open case, or cases still in the person's care as a counsellor, are settled first. The
    reason names no case: the officer who reads it is not an aid coordinator."""
    reasons = []
    if Case.objects.registered_by(user).exclude(status=CaseStatus.CLOSED).exists():
        reasons.append(_("有尚未结案的援助项目登记（详情仅援助协调员可见），请援助协调员结案后再办理注销。"))
    caring = Assignment.objects.filter(counsellor__user=user, status=AssignmentStatus.ACTIVE).count()
    if caring:
        reasons.append(_("仍作为援助咨询师负责 %(count)s 个案例，请援助协调员先改派。") % {"count": caring})
    return reasons


def erase(user, by) -> list:
    lines = []
    purged = sum(services.purge_case(pk) for pk in Case.objects.registered_by(user).values_list("pk", flat=True))
    if purged:
        lines.append(_("援助项目：登记的个人信息和证明材料已按保留期规则清除，仅保留匿名统计。"))
    if Counsellor.objects.filter(user=user).update(is_active=False):
        lines.append(_("援助项目：咨询师资格已停用，已记录的咨询保留。"))
    return lines


def register() -> None:
    """Called from AidConfig.ready()."""
    privacy.register("aid", order=40, export=export, holds=holds, erase=erase)
