"""Aid coordinators' views in the Wagtail admin: cases and their confidential page, assigning and
renewing counsellors, risk flags, the counsellors' pool, the access log and the anonymous reports.

Only aid coordinators and superusers get through (`aid.permissions`); the plaintext of a case is read
through `aid.access` alone, which records every read.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from portal.admin_actions import ActionView
from portal.files import keep_private, private_bytes

from .. import access, exports, services
from ..enums import AssignmentStatus, CaseStatus, Need
from ..models import (
    AidProgrammePage,
    Assignment,
    Case,
    CaseAccess,
    ChangeRequest,
    Counsellor,
    Renewal,
    RiskFlag,
)
from ..permissions import require_coordinator
from .forms import AssignForm, CloseForm, ConflictForm, FollowUpForm, RenewForm, ReportForm


def need_labels(needs) -> list[str]:
    return [str(Need(need).label) for need in needs or () if need in Need.values]


def _back_to_case(case: Case) -> str:
    return reverse("aid_cases:inspect", args=[case.pk])


# Cases --------------------------------------------------------------------------------------------


def admin_cases(queryset):
    """Cases as the coordinators' list shows them, in a fixed number of queries whatever their count."""
    pending_flags = RiskFlag.objects.filter(case=OuterRef("pk"), followed_up_at__isnull=True)
    open_changes = ChangeRequest.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True).exclude(
        case__status=CaseStatus.CLOSED
    )
    return (
        queryset.select_related("programme")
        .annotate(is_flagged=Exists(pending_flags), change_requested=Exists(open_changes))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active().select_related("counsellor__user"),
                to_attr="active_assignments",
            )
        )
    )


def case_programme(case: Case) -> str:
    return case.programme.title


def case_needs(case: Case) -> str:
    return "、".join(need_labels(case.needs))


def case_registered_on(case: Case) -> str:
    return f"{timezone.localtime(case.registered_at):%Y-%m-%d}"


def case_counsellor(case: Case) -> str:
    assignments = getattr(case, "active_assignments", None)
    if assignments is None:
        assignments = list(case.assignments.active().select_related("counsellor__user"))
    return str(assignments[0].counsellor) if assignments else ""


RISK_BADGE = (
    '<span class="w-status w-status--primary" style="background:#cd4444;border-color:#cd4444;color:#fff">{}</span>'
)


CHANGE_BADGE = '<span class="w-status w-status--label">{}</span>'


def case_badges(case: Case) -> str:
    badges = []
    if case.is_flagged:
        badges.append(format_html(RISK_BADGE, _("高风险")))
    if case.change_requested:
        badges.append(format_html(CHANGE_BADGE, _("申请更换")))
    return format_html_join(" ", "{}", ((badge,) for badge in badges))


class CaseIndexView(IndexView):
    """Case numbers only: nothing personal is ever listed."""

    def get_base_queryset(self):
        return admin_cases(super().get_base_queryset())

    @property
    def header_buttons(self):
        return [
            HeaderButton(_("风险预警"), url=reverse("aid_flags:index"), icon_name="warning"),
            HeaderButton(_("统计报表"), url=reverse("aid_reports:index"), icon_name="table"),
        ]


class CaseInspectView(InspectView):
    """The case page: everything about one case, each confidential read recorded by `aid.access`."""

    template_name = "aid/admin/case_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Case.objects.select_related("programme"), pk=self.pk)

    def get_page_title(self):
        return _("援助案例")

    @property
    def header_buttons(self):
        case = self.object
        buttons = []
        if case.status != CaseStatus.CLOSED:
            label = _("更换咨询师") if case.status == CaseStatus.ACTIVE else _("分配咨询师")
            buttons.append(
                HeaderButton(
                    label, url=reverse("aid_cases:assign", args=[case.pk]), icon_name="user", classname="button-primary"
                )
            )
            buttons.append(
                HeaderButton(_("申明利益冲突"), url=reverse("aid_cases:conflict", args=[case.pk]), icon_name="warning")
            )
            buttons.append(HeaderButton(_("结案"), url=reverse("aid_cases:close", args=[case.pk]), icon_name="lock"))
        if case.proof and not case.is_purged:
            buttons.append(
                HeaderButton(_("下载驰援证明"), url=reverse("aid_cases:proof", args=[case.pk]), icon_name="download")
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, case = self.request, self.object
        user = request.user
        if case.is_purged:
            personal, flags, changes = None, [], []
            sessions = [(session, "") for session in access.case_sessions(case)]
        else:
            personal = access.read_personal(case, user, request)
            sessions = access.read_sessions(case, user, request) if access.case_sessions(case).exists() else []
            flags = access.read_risk_flags(case, user, request)
            changes = access.read_change_requests(case, user, request)
        assignments = case.assignments.select_related("counsellor__user", "assigned_by").prefetch_related(
            Prefetch("renewals", queryset=Renewal.objects.select_related("renewed_by"))
        )
        context.update(
            case=case,
            needs=need_labels(case.needs),
            personal=personal,
            sessions=sessions,
            flags=[(flag, note, follow_up, FollowUpForm(prefix=f"flag-{flag.pk}")) for flag, note, follow_up in flags],
            changes=changes,
            assignments=assignments,
            conflicts=case.conflicts.select_related("counsellor__user", "declared_by"),
            accesses=[(entry, access_role(entry)) for entry in case.accesses.select_related("user")[:100]],
            access_count=case.accesses.count(),
        )
        return context


def proof(request, pk: int) -> HttpResponse:
    """The proof of deployment, decrypted for a coordinator: downloaded, never cached, never shown inline.
    The file is named after the case number and typed by its content, not by the name it came with."""
    require_coordinator(request)
    case = get_object_or_404(Case, pk=pk)
    if case.is_purged or not case.proof:
        raise Http404
    _name, data = access.read_proof(case, request.user, request)
    return private_bytes(data, name=f"{case.number}-proof", download=True)


# Assigning and renewing ---------------------------------------------------------------------------


def candidate_reasons(candidate: services.Candidate) -> list[str]:
    """Why a counsellor is suggested, in the coordinators' words."""
    counsellor = candidate.counsellor
    reasons = []
    if candidate.matching_specialties:
        reasons.append(_("擅长领域匹配 %(count)s 项") % {"count": candidate.matching_specialties})
    if candidate.same_district:
        reasons.append(_("同区"))
    reasons.append(_("当前负责 %(load)s/%(capacity)s") % {"load": candidate.load, "capacity": counsellor.capacity})
    reasons.append(_("可提供希望的方式") if candidate.offers_mode else _("不提供希望的方式"))
    return reasons


class CaseActionView(ActionView):
    """An action on a case (or on its assignment or flag), for aid coordinators only."""

    back_label = gettext_lazy("返回案例")
    icon = "folder-open-inverse"

    def allowed(self, user) -> bool:
        return access.is_coordinator(user)

    @property
    def case(self) -> Case:
        return self.object if isinstance(self.object, Case) else self.object.case

    def get_back_url(self) -> str:
        return _back_to_case(self.case)

    def get_context_data(self, **context) -> dict:
        return super().get_context_data(subtitle=self.case.number, case=self.case, **context)


class AssignView(CaseActionView):
    """Choose a counsellor among the suggestions, best first, each with why."""

    queryset = Case.objects.select_related("programme")
    form_class = AssignForm
    template_name = "aid/admin/assign.html"
    title = gettext_lazy("分配咨询师")
    submit_label = gettext_lazy("分配")

    def refusal(self):
        if self.object.status == CaseStatus.CLOSED:
            return _("案例已结案，不能分配咨询师。")
        return None

    def get_form_kwargs(self):
        self.candidates = services.suggest_counsellors(self.object)
        return {"candidates": self.candidates, "initial": {"starts_on": timezone.localdate()}}

    def act(self, form):
        counsellor = next(c.counsellor for c in self.candidates if c.counsellor.pk == form.cleaned_data["counsellor"])
        assignment = services.assign(
            self.object, counsellor, by=self.request.user, starts_on=form.cleaned_data["starts_on"]
        )
        return _("已分配咨询师 %(counsellor)s，援助期 %(start)s 至 %(end)s。") % {
            "counsellor": counsellor,
            "start": f"{assignment.starts_on:%Y-%m-%d}",
            "end": f"{assignment.ends_on:%Y-%m-%d}",
        }

    def get_context_data(self, **context):
        chosen = str(context["form"]["counsellor"].value() or "")
        return super().get_context_data(
            candidates=[
                {"counsellor": c.counsellor, "reasons": candidate_reasons(c), "checked": str(c.counsellor.pk) == chosen}
                for c in self.candidates
            ],
            current=self.object.active_assignment(),
            needs=need_labels(self.object.needs),
            **context,
        )


class RenewView(CaseActionView):
    """Extend an active assignment for another term; the reason is kept with the renewal."""

    queryset = Assignment.objects.select_related("case__programme", "counsellor__user").filter(
        status=AssignmentStatus.ACTIVE
    )
    form_class = RenewForm
    title = gettext_lazy("续期")
    submit_label = gettext_lazy("续期")

    def act(self, form):
        assignment = services.renew(self.object, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("已续期，新的结束日期为 %(end)s。") % {"end": f"{assignment.ends_on:%Y-%m-%d}"}

    def get_context_data(self, **context):
        assignment, programme = self.object, self.case.programme
        new_end = services.term_end(programme, assignment.ends_on + datetime.timedelta(days=1))
        intro = _("%(counsellor)s 负责的援助期原定 %(end)s 结束；续期 %(months)s 个月后，将于 %(new_end)s 结束。") % {
            "counsellor": assignment.counsellor,
            "end": f"{assignment.ends_on:%Y-%m-%d}",
            "months": programme.term_months,
            "new_end": f"{new_end:%Y-%m-%d}",
        }
        return super().get_context_data(intro=intro, **context)


class CloseView(CaseActionView):
    queryset = Case.objects.select_related("programme")
    form_class = CloseForm
    title = gettext_lazy("结案")
    submit_label = gettext_lazy("结案")

    def refusal(self):
        return _("案例已经结案。") if self.object.status == CaseStatus.CLOSED else None

    def act(self, form):
        services.close_case(self.object, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("案例 %(number)s 已结案。") % {"number": self.object.number}

    def get_context_data(self, **context):
        intro = _("结案后负责的咨询师不能再查看该案例；个人信息在保存期满后清除，统计数字保留。")
        return super().get_context_data(intro=intro, **context)


class ConflictView(CaseActionView):
    """Record that a counsellor must not serve this case: they are no longer suggested for it."""

    queryset = Case.objects.select_related("programme")
    form_class = ConflictForm
    title = gettext_lazy("申明利益冲突")
    submit_label = gettext_lazy("保存")

    def get_form_kwargs(self):
        return {"case": self.object}

    def act(self, form):
        self.counsellor = form.cleaned_data["counsellor"]
        services.declare_conflict(self.object, self.counsellor, by=self.request.user, note=form.cleaned_data["note"])
        return _("已登记 %(counsellor)s 与该案例的利益冲突。") % {"counsellor": self.counsellor}

    def after(self):
        if self.object.assignments.filter(status=AssignmentStatus.ACTIVE, counsellor=self.counsellor).exists():
            messages.warning(self.request, _("这位咨询师目前负责该案例，请尽快更换咨询师。"))


class FollowUpView(CaseActionView):
    """Record what was done about a risk flag: the case leaves the flagged list."""

    queryset = RiskFlag.objects.select_related("case__programme")
    form_class = FollowUpForm
    template_name = "aid/admin/follow_up.html"
    title = gettext_lazy("登记跟进情况")

    def get_form_kwargs(self):
        return {"prefix": f"flag-{self.object.pk}"}

    def act(self, form):
        services.follow_up(self.object, by=self.request.user, note=form.cleaned_data["note"])
        return _("已登记跟进情况。")

    def get_context_data(self, **context):
        flags = {
            item.pk: (item, note, done)
            for item, note, done in access.read_risk_flags(self.case, self.request.user, self.request)
        }
        flag, note, done = flags[self.object.pk]
        if flag.followed_up_at:
            context["form"] = None
        return super().get_context_data(flag=flag, note=note, done=done, **context)


def flagged(request) -> HttpResponse:
    """Flags awaiting follow-up, longest waiting first; then the latest followed up."""
    require_coordinator(request)
    pending = RiskFlag.objects.filter(followed_up_at__isnull=True).select_related("case", "raised_by")
    done = RiskFlag.objects.filter(followed_up_at__isnull=False).select_related("case", "raised_by", "followed_up_by")
    return TemplateResponse(
        request,
        "aid/admin/flags.html",
        {
            "page_title": _("风险预警"),
            "pending": pending.order_by("raised_at", "pk"),
            "done": done.order_by("-followed_up_at", "-pk")[:20],
        },
    )


def counsellor_load(counsellor: Counsellor) -> str:
    return f"{counsellor.load}/{counsellor.capacity}"


def counsellor_programmes(counsellor: Counsellor) -> str:
    return "、".join(programme.title for programme in counsellor.programmes.all())


class CounsellorIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("user")
            .prefetch_related("programmes")
            .annotate(load=Count("assignments", filter=Q(assignments__status=AssignmentStatus.ACTIVE)))
        )


def access_role(entry: CaseAccess) -> str:
    return str(access.ROLE_LABELS.get(entry.role, entry.role))


def access_time(entry: CaseAccess) -> str:
    return f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}"


class CaseAccessIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("case", "user")


# Reports ------------------------------------------------------------------------------------------

BAR_WIDTH, CHART_HEIGHT = 22, 160


def _report_programme(request) -> tuple[ReportForm, AidProgrammePage | None]:
    form = ReportForm(request.GET or None)
    programme = form.cleaned_data["programme"] if form.is_bound and form.is_valid() else None
    return form, programme


def chart(rows: list[services.MonthFigures]) -> dict:
    """Sessions and hours per month (all the chosen programmes together) as bars of an inline SVG."""
    months: dict = {}
    for row in rows:
        figures = months.setdefault(row.month, {"month": row.month, "sessions": 0, "hours": 0.0})
        figures["sessions"] += row.sessions
        figures["hours"] += row.hours
    series = [months[month] for month in sorted(months)]
    top = max([float(m["sessions"]) for m in series] + [float(m["hours"]) for m in series] + [1])
    step = BAR_WIDTH * 2 + 16
    bars = [
        {
            **figures,
            "hours": round(figures["hours"], 1),
            "x": index * step + 8,
            "sessions_height": round(figures["sessions"] / top * CHART_HEIGHT),
            "hours_height": round(figures["hours"] / top * CHART_HEIGHT),
        }
        for index, figures in enumerate(series)
    ]
    return {
        "bars": bars,
        "width": max(len(bars), 1) * step + 16,
        "height": CHART_HEIGHT + 40,
        "bar_width": BAR_WIDTH,
        "baseline": CHART_HEIGHT + 10,
    }


def reports(request) -> HttpResponse:
    """New cases, people served, sessions and hours per programme and month: no personal data."""
    require_coordinator(request)
    form, programme = _report_programme(request)
    rows = services.monthly_report(programme)
    titles = dict(AidProgrammePage.objects.filter(pk__in={row.programme_id for row in rows}).values_list("pk", "title"))
    table = [{"programme": titles.get(row.programme_id, ""), "figures": row} for row in rows]
    totals = {
        "new_cases": sum(row.new_cases for row in rows),
        "sessions": sum(row.sessions for row in rows),
        "hours": round(sum(row.hours for row in rows), 1),
    }
    export_url = reverse("aid_reports:export")
    if programme is not None:
        export_url += f"?programme={programme.pk}"
    return TemplateResponse(
        request,
        "aid/admin/reports.html",
        {
            "page_title": _("统计报表"),
            "form": form,
            "rows": table,
            "totals": totals,
            "export_url": export_url,
            **chart(rows),
        },
    )


def export(request) -> HttpResponse:
    """The anonymised sessions as CSV (UTF-8 with a byte-order mark, for Excel)."""
    require_coordinator(request)
    _form, programme = _report_programme(request)
    response = HttpResponse(exports.anonymised_csv(programme), content_type="text/csv; charset=utf-8")
    filename = f"aid-sessions-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return keep_private(response)
