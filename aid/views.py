"""The aid programmes on the public site: the programme pages' public summary, registering, the
beneficiary's own area (/aid/my/) and the counsellor's caseload (/aid/cases/).

Confidential values are read only through `aid.access`, after the reader's role for the case has been
checked here too: anyone else gets the same 404 as for a case that does not exist, and leaves no
trace in the access log. Pages that show such values are never stored by a browser or a proxy."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from home.templatetags.portal_tags import crumbs_to
from portal import listing

from . import access, services
from .enums import AssignmentStatus, CaseStatus, Need
from .forms import ChangeRequestForm, RegistrationForm, RiskForm, SessionForm
from .models import AidProgrammePage, Assignment, Case, ChangeRequest, Counsellor, RiskFlag, Session

# Registration states of a programme, as its page and the registration route show them.
OPEN, UPCOMING, CLOSED, FULL = "open", "upcoming", "closed", "full"
RISK_KEY_SECONDS = 24 * 3600


# The public summary ---------------------------------------------------------------------------------


def registration_state(programme: AidProgrammePage, places_left: int) -> str:
    today = timezone.localdate()
    if programme.registration_opens and today < programme.registration_opens:
        return UPCOMING
    if not programme.registration_open(today):
        return CLOSED
    return FULL if places_left <= 0 else OPEN


@dataclass
class ProgrammeSummary:
    """A programme with what it has done so far: the figures of services.programme_totals()."""

    page: AidProgrammePage
    totals: dict
    state: str


def programme_summaries(programmes) -> list[ProgrammeSummary]:
    """services.programme_totals() for several programmes at once, in a constant number of queries."""
    programmes = [programme for programme in programmes if programme.pk is not None]
    totals = services.programmes_totals(programmes)
    return [
        ProgrammeSummary(
            programme, totals[programme.pk], registration_state(programme, totals[programme.pk]["places_left"])
        )
        for programme in programmes
    ]


def index_page_context(request, page) -> dict:
    # In English, a programme running in Chinese only is listed too, marked as such.
    programmes = listing.in_language(listing.visible(AidProgrammePage.objects.all()), page, children=True)
    programmes = programmes.order_by("path")
    return {"programmes": programme_summaries(programmes)}


def programme_page_context(request, page: AidProgrammePage) -> dict:
    if page.pk is None:  # a preview of a page not saved yet
        summary = ProgrammeSummary(page, dict.fromkeys(("registered", "served", "sessions", "hours"), 0), OPEN)
        summary.totals["places_left"] = page.capacity or 0
        return {"summary": summary, "own_case": None}
    own_case = None
    if request.user.is_authenticated:
        own_case = services.open_cases(page).registered_by(request.user).first()
    return {"summary": programme_summaries([page])[0], "own_case": own_case}


# Registering ------------------------------------------------------------------------------------------


@never_cache
def register(request, programme: AidProgrammePage):
    """登记 with a programme: for signed-in people, while it is open and has places."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    existing = services.open_cases(programme).registered_by(request.user).first()
    if existing is not None:  # registered already: a second click, a second tab, the back button
        messages.info(request, _("您已登记这个项目，案例编号 %(number)s。") % {"number": existing.number})
        return redirect("aid:my_cases")
    # Not `page`: the site's header and <head> are cached per page, and these are not the programme page.
    context = {"programme": programme, "crumbs": crumbs_to(request, programme)}
    places_left = max(programme.capacity - services.open_cases(programme).count(), 0)
    state = registration_state(programme, places_left)
    if state != OPEN:
        return render(request, "aid/register_closed.html", {**context, "state": state}, status=403)

    posted = request.method == "POST"
    form = RegistrationForm(request.POST if posted else None, request.FILES if posted else None, programme=programme)
    if posted:
        if form.is_valid():
            try:
                case = services.register(
                    programme,
                    request.user,
                    personal=form.personal(),
                    needs=form.cleaned_data["needs"],
                    preferred_mode=form.cleaned_data["preferred_mode"],
                    district=form.cleaned_data["district"],
                    proof=form.cleaned_data["proof"],
                    consent=form.cleaned_data["consent"],
                    consent_text=str(services.CONSENT_TEXT),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("登记成功，您的案例编号是 %(number)s。协调员会尽快为您安排咨询师，并以邮件通知您。")
                    % {"number": case.number},
                )
                return redirect("aid:my_cases")
        if form.errors:
            messages.error(request, _("登记未能提交，请按提示修改。"))
    return render(request, "aid/register.html", {**context, "form": form})


# The beneficiary's own area ------------------------------------------------------------------------------


@dataclass
class OwnCase:
    case: Case
    personal: access.PersonalData | None
    assignment: Assignment | None
    change_pending: bool
    change_form: ChangeRequestForm | None


def _render_own_cases(request, bound: dict | None = None):
    bound = bound or {}
    cases = (
        Case.objects.registered_by(request.user)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active().select_related("counsellor__user"),
                to_attr="active_assignments",
            ),
            Prefetch(
                "change_requests",
                queryset=ChangeRequest.objects.filter(resolved_at__isnull=True),
                to_attr="open_changes",
            ),
        )
    )
    entries = []
    for case in cases:
        assignment = case.active_assignments[0] if case.active_assignments else None
        pending = bool(case.open_changes)
        can_ask = assignment is not None and not pending and case.status != CaseStatus.CLOSED
        entries.append(
            OwnCase(
                case=case,
                personal=None if case.is_purged else access.read_personal(case, request.user, request),
                assignment=assignment,
                change_pending=pending,
                change_form=(bound.get(case.pk) or ChangeRequestForm(prefix=f"change-{case.pk}")) if can_ask else None,
            )
        )
    return render(request, "aid/my_cases.html", {"entries": entries, "need_labels": dict(Need.choices)})


@never_cache
@login_required
def my_cases(request):
    """我的援助: the signed-in person's own registrations, their counsellor and their own details."""
    return _render_own_cases(request)


@never_cache
@login_required
def request_change(request, number: str):
    """申请更换咨询师, from the beneficiary's own area."""
    case = Case.objects.registered_by(request.user).filter(number=number).first()
    if case is None:
        raise Http404
    if request.method != "POST":
        return redirect("aid:my_cases")
    form = ChangeRequestForm(request.POST, prefix=f"change-{case.pk}")
    if not form.is_valid():
        return _render_own_cases(request, bound={case.pk: form})
    try:
        services.request_change(case, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已申请更换咨询师，援助协调员会尽快处理并以邮件通知您。"))
    return redirect("aid:my_cases")


# The counsellor's caseload ---------------------------------------------------------------------------------


@never_cache
@login_required
def caseload(request):
    """我负责的案例: the counsellor's active cases by number, with what matching needs; no names."""
    is_counsellor = Counsellor.objects.filter(user=request.user).exists()
    if not (is_counsellor or access.is_coordinator(request.user)):
        return render(request, "aid/caseload.html", {"refused": True}, status=403)
    session_count = (
        Session.objects.filter(assignment__case=OuterRef("pk"))
        .order_by()
        .values("assignment__case")
        .annotate(count=Count("pk"))
        .values("count")
    )
    cases = (
        Case.objects.filter(assignments__counsellor__user=request.user, assignments__status=AssignmentStatus.ACTIVE)
        .select_related("programme")
        .annotate(
            term_starts=F("assignments__starts_on"),
            term_ends=F("assignments__ends_on"),
            session_count=Coalesce(Subquery(session_count, output_field=IntegerField()), 0),
            flagged=Exists(RiskFlag.objects.filter(case=OuterRef("pk"), followed_up_at__isnull=True)),
        )
        .order_by("term_ends", "number")
    )
    return render(
        request,
        "aid/caseload.html",
        {"cases": cases, "is_counsellor": is_counsellor, "need_labels": dict(Need.choices)},
    )


def _case_for_reader(request, number: str) -> tuple[Case, str]:
    """The case and the reader's role: the assigned counsellor or an aid coordinator. Anyone else gets
    the 404 of a case that does not exist."""
    case = Case.objects.select_related("programme").filter(number=number).first()
    if case is None:
        raise Http404
    role = access.role_for(request.user, case)
    if role not in (access.COUNSELLOR, access.COORDINATOR):
        raise Http404
    return case, role


def _scoped_key(request, case: Case, key: str) -> str:
    """The form's key, bound to this case and reader: a key sent by anyone else matches nothing."""
    return hashlib.sha256(f"{case.pk}:{request.user.pk}:{key}".encode()).hexdigest()


def _render_case(request, case: Case, role: str, *, session_form=None, risk_form=None):
    assignment = case.active_assignment()
    is_assigned = assignment is not None and assignment.counsellor.user_id == request.user.pk
    context = {
        "case": case,
        "role": role,
        "role_label": access.ROLE_LABELS[role],
        "assignment": assignment,
        "personal": None if case.is_purged else access.read_personal(case, request.user, request),
        "sessions": access.read_sessions(case, request.user, request),
        "flags": access.read_risk_flags(case, request.user, request),
        "needs": [Need(need).label for need in case.needs if need in Need.values],
        "session_form": (session_form or SessionForm(initial={"mode": case.preferred_mode})) if is_assigned else None,
        "risk_form": (risk_form or RiskForm()) if case.status != CaseStatus.CLOSED else None,
        "crumbs": [*crumbs_to(request), {"title": _("我负责的案例"), "url": reverse("aid:caseload")}],
    }
    return render(request, "aid/case.html", context)


@never_cache
@login_required
def case_detail(request, number: str):
    """A case for its counsellor: the person's details, the sessions with notes, the risk flags."""
    case, role = _case_for_reader(request, number)
    return _render_case(request, case, role)


@never_cache
@login_required
def log_session(request, number: str):
    """记录一次咨询. The form's key makes a double click record one session."""
    case, role = _case_for_reader(request, number)
    if request.method != "POST":
        return redirect("aid:case", number=case.number)
    if not access.is_assigned_counsellor(request.user, case):
        raise PermissionDenied(_("只有负责该案例的咨询师可以记录。"))
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.log_session(
                case,
                by=request.user,
                held_on=data["held_on"],
                minutes=data["minutes"],
                mode=data["mode"],
                notes=data["notes"],
                idempotency_key=_scoped_key(request, case, data["idempotency_key"]),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("咨询记录已保存。"))
            return redirect("aid:case", number=case.number)
    return _render_case(request, case, role, session_form=form)


@never_cache
@login_required
def raise_risk(request, number: str):
    """报告风险: the aid coordinators are e-mailed at once. A double click reports once."""
    case, role = _case_for_reader(request, number)
    if request.method != "POST":
        return redirect("aid:case", number=case.number)
    form = RiskForm(request.POST)
    if form.is_valid():
        key = f"aid:risk-form:{_scoped_key(request, case, form.cleaned_data['idempotency_key'])}"
        if not cache.add(key, 1, RISK_KEY_SECONDS):
            return redirect("aid:case", number=case.number)  # the same form again: already reported
        try:
            services.raise_risk(case, by=request.user, kinds=form.cleaned_data["kinds"], note=form.cleaned_data["note"])
        except ValidationError as error:
            cache.delete(key)
            form.add_error(None, error.messages)
        except BaseException:
            cache.delete(key)  # not reported: the same form may be sent again
            raise
        else:
            messages.success(request, _("风险预警已报告，援助协调员已收到邮件通知。"))
            return redirect("aid:case", number=case.number)
    return _render_case(request, case, role, risk_form=form)
