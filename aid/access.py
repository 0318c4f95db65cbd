"""Who may read a case's confidential data, and the record of every read.

The plaintext of a sealed field is reached only through the functions here: each checks the reader's
role for this case, records the read in the access log (in the same transaction: no read without
its record), and returns the decrypted values. Allowed: aid coordinators (and superusers), the
counsellor currently assigned to the case, and, for what they entered themselves, the beneficiary.
Everyone else is refused, whatever their other roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.roles import AID_COORDINATORS

from .crypto import plain as _plain
from .enums import AssignmentStatus
from .models import Case, CaseAccess

COORDINATOR = "coordinator"
COUNSELLOR = "counsellor"
BENEFICIARY = "beneficiary"
ROLE_LABELS = {COORDINATOR: _("援助协调员"), COUNSELLOR: _("负责咨询师"), BENEFICIARY: _("本人")}

PERSONAL_FIELDS = ("full_name", "phone", "workplace", "deployment", "needs_detail", "preferred_times")


def is_coordinator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_aid_coordinator", None)
    if cached is None:
        cached = user._aid_coordinator = user.groups.filter(name=AID_COORDINATORS).exists()
    return cached


def is_assigned_counsellor(user, case: Case) -> bool:
    return (
        user.is_authenticated
        and case.assignments.filter(status=AssignmentStatus.ACTIVE, counsellor__user=user).exists()
    )


def role_for(user, case: Case) -> str | None:
    """The capacity in which `user` may read `case`'s confidential data, or None."""
    if is_coordinator(user):
        return COORDINATOR
    if is_assigned_counsellor(user, case):
        return COUNSELLOR
    if case.is_registered_by(user):
        return BENEFICIARY
    return None


def _check(user, case: Case, allowed: tuple[str, ...]) -> str:
    role = role_for(user, case)
    if role not in allowed:
        raise PermissionDenied(_("您无权查看这个援助案例。"))
    return role


def _record(case: Case, user, role: str, what, request=None) -> None:
    """Write the read to the log, in the association's language whatever the reader's page shows. The
    beneficiary's own reads are logged as such without their account, which the case keeps sealed."""
    with translation.override(settings.LANGUAGE_CODE):
        what = str(what)
    CaseAccess.objects.create(
        case=case,
        user=None if role == BENEFICIARY else user,
        role=role,
        what=what,
        path=(request.get_full_path()[:300] if request else ""),
    )


@dataclass(frozen=True)
class PersonalData:
    full_name: str
    phone: str
    workplace: str
    deployment: str
    needs_detail: str
    preferred_times: str


@transaction.atomic
def read_personal(case: Case, user, request=None) -> PersonalData:
    """The beneficiary's personal data: for coordinators, the assigned counsellor, and the person."""
    role = _check(user, case, (COORDINATOR, COUNSELLOR, BENEFICIARY))
    _record(case, user, role, _("个人信息"), request)
    return PersonalData(**{name: _plain(getattr(case, name)) for name in PERSONAL_FIELDS})


@transaction.atomic
def read_sessions(case: Case, user, request=None) -> list[tuple]:
    """Every session of the case with its notes: for coordinators and the assigned counsellor."""
    role = _check(user, case, (COORDINATOR, COUNSELLOR))
    _record(case, user, role, _("咨询记录"), request)
    sessions = case_sessions(case)
    return [(session, _plain(session.notes)) for session in sessions]


@transaction.atomic
def read_risk_flags(case: Case, user, request=None) -> list[tuple]:
    """The case's risk flags with their notes and follow-ups."""
    role = _check(user, case, (COORDINATOR, COUNSELLOR))
    flags = list(case.risk_flags.select_related("raised_by", "followed_up_by"))
    if flags:
        _record(case, user, role, _("风险预警"), request)
    return [(flag, _plain(flag.note), _plain(flag.follow_up)) for flag in flags]


@transaction.atomic
def read_change_requests(case: Case, user, request=None) -> list[tuple]:
    role = _check(user, case, (COORDINATOR,))
    requests = list(case.change_requests.select_related("assignment__counsellor__user"))
    if requests:
        _record(case, user, role, _("更换咨询师申请"), request)
    return [(item, _plain(item.reason)) for item in requests]


@transaction.atomic
def read_proof(case: Case, user, request=None) -> tuple[str, bytes]:
    """The proof of deployment (file name and bytes): for coordinators, who check eligibility."""
    from .crypto import unseal_bytes

    role = _check(user, case, (COORDINATOR,))
    if not case.proof:
        raise PermissionDenied(_("没有上传证明材料。"))
    _record(case, user, role, _("驰援证明"), request)
    with case.proof.open("rb") as handle:
        data = unseal_bytes(handle.read())
    return _plain(case.proof_name) or "proof", data


def case_sessions(case: Case):
    from .models import Session

    return Session.objects.filter(assignment__case=case).select_related("assignment__counsellor__user", "recorded_by")
