"""Volunteer coordinators' views in the Wagtail admin: screening applications, team members, activities
and their rosters, the hours waiting for confirmation and the year's commendations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from portal.admin_actions import ActionView
from portal.exports import SafeCsvExportMixin
from portal.vetting.enums import Status

from .. import exports, services
from ..dashboard import monthly_hours_chart
from ..enums import HoursStatus, SignUpStatus
from ..models import (
    Activity,
    Commendation,
    SignUp,
    TeamMembership,
    VolunteerApplication,
)
from ..permissions import (
    ADD_MEMBER,
    COMMEND,
    MANAGE_SIGNUPS,
    REMOVE_MEMBER,
    SCREEN,
    VIEW_COMMENDATIONS,
    VIEW_SIGNUPS,
    WITHDRAW_COMMENDATION,
    require_permission,
)
from .forms import AddMemberForm, AttendanceForm, CommendForm, HoursCorrectionForm, ScreeningForm, YearForm


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ApplicationIndexView(SafeCsvExportMixin, IndexView):
    """Every application sent (drafts are the applicant's own), newest first."""

    def get_base_queryset(self):
        return super().get_base_queryset().exclude(status=Status.DRAFT).select_related("drive")


class ApplicationInspectView(InspectView):
    """The screening page: the applicant, their answers, the audit trail, and the decision."""

    template_name = "volunteers/admin/application_inspect.html"
    page_title = gettext_lazy("报名审核")

    def get_object(self, queryset=None):
        return get_object_or_404(
            VolunteerApplication.objects.select_related("applicant", "drive__team", "decided_by"), pk=self.pk
        )

    def screening_form(self, data=None) -> ScreeningForm | None:
        if not self.request.user.has_perm(SCREEN):
            return None
        form = ScreeningForm(data, application=self.object)
        return form if form.fields["decision"].choices else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.screening_form())
        context.update(application=self.object, transitions=self.object.transitions())
        return context

    def post(self, request, *args, **kwargs):
        require_permission(request, SCREEN)
        form = self.screening_form(request.POST)
        if form is None:
            messages.error(request, _("这份申请已经处理完毕。"))
            return redirect("volunteer_applications:inspect", self.object.pk)
        if form.is_valid():
            decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
            try:
                self.decide(decision, note)
                return redirect("volunteer_applications:inspect", self.object.pk)
            except ValidationError as error:
                form.add_error(None, error)
        return self.render_to_response(self.get_context_data(form=form))

    def decide(self, decision: str, note: str) -> None:
        application, user = self.object, self.request.user
        if decision == ScreeningForm.SHORTLIST:
            services.shortlist(application, by=user, note=note)
            messages.success(self.request, _("已初选通过，并通知申请人。"))
        elif decision == ScreeningForm.ACCEPT:
            services.accept(application, by=user, note=note)
            messages.success(
                self.request,
                _("已录用，%(name)s 已加入%(team)s。")
                % {"name": application.full_name, "team": application.drive.team.name},
            )
        else:
            services.reject(application, by=user, note=note)
            messages.success(self.request, _("已标记为不录用，并通知申请人。"))


# Teams --------------------------------------------------------------------------------------------


class TeamIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(member_count=Count("memberships"))


class TeamInspectView(InspectView):
    """A team's page: its members, when they joined and from which drive; members added or removed."""

    template_name = "volunteers/admin/team_inspect.html"
    page_title = gettext_lazy("团队成员")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            team=self.object,
            memberships=self.object.memberships.select_related("volunteer", "application__drive").order_by(
                "joined_on", "pk"
            ),
            can_remove=user.has_perm(REMOVE_MEMBER),
        )
        if "form" not in context and user.has_perm(ADD_MEMBER):
            context["form"] = AddMemberForm(team=self.object)
        return context

    def post(self, request, *args, **kwargs):
        team = self.object
        if "remove" in request.POST:
            require_permission(request, REMOVE_MEMBER)
            if not request.POST["remove"].isdigit():
                raise Http404
            membership = get_object_or_404(
                TeamMembership.objects.select_related("volunteer"), pk=request.POST["remove"], team=team
            )
            membership.delete()
            messages.success(request, _("已将%(name)s移出%(team)s。") % {"name": membership.volunteer, "team": team})
            return redirect("volunteer_teams:inspect", team.pk)
        require_permission(request, ADD_MEMBER)
        form = AddMemberForm(request.POST, team=team)
        if form.is_valid():
            TeamMembership.objects.create(team=team, volunteer=form.user, joined_on=timezone.localdate())
            messages.success(request, _("%(name)s 已加入%(team)s。") % {"name": form.user, "team": team})
            return redirect("volunteer_teams:inspect", team.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ActivityIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign").with_counts()


def signup_summary(activity: Activity) -> str:
    """“3/5 · 候补 2” for the activity list (needs ActivityQuerySet.with_counts)."""
    summary = f"{activity.confirmed_count}/{activity.places}"
    if activity.waiting_count:
        summary += " · " + _("候补 %(count)s") % {"count": activity.waiting_count}
    return summary


class ActivityEditView(EditView):
    """A change of places goes through services.change_places: added places are offered to the
    waiting list at once."""

    def save_instance(self):
        places = self.form.cleaned_data["places"]
        self.form.instance.places = self.form.initial["places"]
        instance = super().save_instance()
        if places != instance.places:
            instance = services.change_places(instance, places)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:  # someone signed up since the form was checked
            form.add_error("places", error)
            return self.form_invalid(form)


class ActivityDeleteView(DeleteView):
    """An activity people signed up for (even those who cancelled since) stays on record."""

    def refused(self):
        if not self.object.signups.exists():
            return None
        messages.error(self.request, _("已经有人报名这个活动，不能删除。如活动取消，请逐一取消报名并修改活动说明。"))
        return redirect("volunteer_activities:inspect", self.object.pk)

    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def form_valid(self, form):
        return self.refused() or super().form_valid(form)


class RosterView(InspectView):
    """An activity's roster: confirmed (with their hours), the waiting list in order, cancelled.
    Coordinators record attendance and hours, mark absence, or cancel a sign-up on someone's behalf."""

    template_name = "volunteers/admin/roster.html"
    page_title = gettext_lazy("报名名单")

    def get_object(self, queryset=None):
        return get_object_or_404(Activity.objects.select_related("campaign").with_counts(), pk=self.pk)

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        url = reverse("volunteer_activities:export", args=[self.object.pk])
        buttons.append(HeaderButton(_("导出名单 CSV"), url=url, icon_name="download"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        signups = list(activity.signups.select_related("volunteer", "hours_reviewed_by").order_by("created_at", "pk"))
        confirmed = [signup for signup in signups if signup.status == SignUpStatus.CONFIRMED]
        failed = kwargs.get("failed")
        if failed is not None:
            row = failed.cleaned_data.get("signup")
            context.update(
                errors=[error for errors in failed.errors.values() for error in errors],
                error_row=row if any(signup.pk == row for signup in confirmed) else None,
                typed_hours=failed.data.get("hours", ""),
            )
        context.update(
            activity=activity,
            confirmed=confirmed,
            waiting=[signup for signup in signups if signup.status == SignUpStatus.WAITING],
            cancelled=[signup for signup in signups if signup.status == SignUpStatus.CANCELLED],
            started=activity.has_started(),
            can_manage=self.request.user.has_perm(MANAGE_SIGNUPS),
            default_hours=activity.hours,
            HoursStatus=HoursStatus,
        )
        return context

    def post(self, request, *args, **kwargs):
        require_permission(request, MANAGE_SIGNUPS)
        activity = self.object
        form = AttendanceForm(request.POST)
        if form.is_valid():
            signup = get_object_or_404(
                SignUp.objects.select_related("volunteer"), pk=form.cleaned_data["signup"], activity=activity
            )
            try:
                self.act(form.cleaned_data["action"], signup, form.cleaned_data.get("hours"))
                return redirect("volunteer_activities:inspect", activity.pk)
            except ValidationError as error:
                form.add_error(None, error)
        return self.render_to_response(self.get_context_data(failed=form))

    def act(self, action: str, signup: SignUp, hours) -> None:
        activity, user, name = self.object, self.request.user, signup.volunteer
        if action == AttendanceForm.CANCEL:
            promoted = services.cancel(signup, by=user)
            message = _("已取消%(name)s的报名。") % {"name": name}
            if promoted is not None:
                message += " " + _("候补的%(name)s已递补，并收到通知。") % {"name": promoted.volunteer}
            messages.success(self.request, message)
            return
        if not activity.has_started():
            raise ValidationError(_("活动开始后才能登记出勤。"))
        if action == AttendanceForm.ABSENT:
            services.record_attendance(activity, signup.volunteer, by=user, attended=False)
            messages.success(self.request, _("已登记%(name)s未出席。") % {"name": name})
        else:
            services.record_attendance(activity, signup.volunteer, by=user, hours=hours)
            messages.success(self.request, _("已登记%(name)s出勤 %(hours)s 小时。") % {"name": name, "hours": hours})


def export_roster(request, pk: int):
    require_permission(request, VIEW_SIGNUPS)
    activity = get_object_or_404(Activity, pk=pk)
    return _csv_response(exports.roster_csv(activity), f"activity-{activity.pk}-roster.csv")


# Hours --------------------------------------------------------------------------------------------


def hours_queue(request):
    """Hours reported by volunteers and not yet confirmed, oldest first: confirm them as reported
    (one by one or the ones ticked), or open one to correct it."""
    require_permission(request, MANAGE_SIGNUPS)
    if request.method == "POST":
        ids = request.POST.getlist("selected") if "approve_selected" in request.POST else [request.POST.get("approve")]
        ids = [int(value) for value in ids if value and value.isdigit()]
        if not ids:
            messages.error(request, _("请先勾选要确认的服务时长。"))
        else:
            approved, refused = 0, []
            reported = SignUp.objects.filter(pk__in=ids, hours_status=HoursStatus.REPORTED).select_related("volunteer")
            for signup in reported:
                try:
                    services.approve_hours(signup, by=request.user)
                    approved += 1
                except ValidationError as error:
                    refused.append(f"{signup.volunteer}:{' '.join(error.messages)}")
            if approved:
                messages.success(request, _("已按填报确认 %(count)s 条服务时长。") % {"count": approved})
            for line in refused:
                messages.error(request, line)
        return redirect(request.get_full_path())
    pending = (
        SignUp.objects.filter(status=SignUpStatus.CONFIRMED, hours_status=HoursStatus.REPORTED)
        .select_related("volunteer", "activity__campaign")
        .order_by("hours_reported_at", "pk")
    )
    page = Paginator(pending, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request, "volunteers/admin/hours_queue.html", {"page_title": _("服务时长确认"), "page": page}
    )


class CorrectHoursView(ActionView):
    """Confirm a volunteer's hours with a correction, and say why."""

    permission = MANAGE_SIGNUPS
    queryset = SignUp.objects.select_related("volunteer", "activity__campaign").filter(
        status=SignUpStatus.CONFIRMED, hours_status=HoursStatus.REPORTED
    )
    form_class = HoursCorrectionForm
    template_name = "volunteers/admin/hours_correct.html"
    title = gettext_lazy("修改并确认服务时长")
    submit_label = gettext_lazy("确认服务时长")
    icon = "time"

    def get_form_kwargs(self):
        return {"signup": self.object, "initial": {"hours": self.object.hours_reported}}

    def act(self, form):
        hours = form.cleaned_data["hours"]
        services.approve_hours(self.object, by=self.request.user, hours=hours, note=form.cleaned_data["note"])
        return _("已确认%(name)s的服务时长 %(hours)s 小时。") % {"name": self.object.volunteer, "hours": hours}

    def get_back_url(self):
        return reverse("volunteer_hours:index")

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=str(self.object.volunteer), signup=self.object, **context)


# Commendations ------------------------------------------------------------------------------------


def commendation_years() -> list[int]:
    """From the year of the first activity to this one, latest first."""
    this_year = timezone.localdate().year
    first = Activity.objects.aggregate(first=Min("starts_at"))["first"]
    start = min(timezone.localtime(first).year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


def chosen_year(request) -> tuple[YearForm, int]:
    years = commendation_years()
    form = YearForm(request.GET if "year" in request.GET else None, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    return form, year


def commendations(request):
    """The year's volunteers by approved hours, those past the threshold ticked, and the
    commendations recorded for the ones chosen."""
    require_permission(request, VIEW_COMMENDATIONS)
    year_form, year = chosen_year(request)
    threshold = settings.VOLUNTEER_COMMENDATION_HOURS
    rows = [
        {**row, "name": row["volunteer__full_name"] or row["volunteer__email"]}
        for row in services.hours_by_volunteer(year)
    ]
    recorded = list(
        Commendation.objects.filter(year=year).select_related("volunteer", "recorded_by").order_by("-hours", "pk")
    )
    commended = {}
    for commendation in recorded:
        commended.setdefault(commendation.volunteer_id, []).append(commendation.title)
    form = CommendForm(
        request.POST or None,
        rows=rows,
        initial={"volunteers": [row["volunteer_id"] for row in rows if row["hours"] >= threshold]},
    )
    if request.method == "POST":
        require_permission(request, COMMEND)
        if form.is_valid():
            try:
                created = services.commend(
                    year,
                    form.cleaned_data["volunteers"],
                    by=request.user,
                    title=form.cleaned_data["title"],
                    citation=form.cleaned_data["citation"],
                )
                messages.success(request, _("已登记 %(count)s 项%(year)s年度表彰。") % {"count": created, "year": year})
                return redirect(f"{reverse('volunteer_commendations:index')}?year={year}")
            except ValidationError as error:
                form.add_error(None, error)
    selected = {str(value) for value in (form["volunteers"].value() or [])}
    for row in rows:
        row["selected"] = str(row["volunteer_id"]) in selected
        row["titles"] = commended.get(row["volunteer_id"], [])
    return TemplateResponse(
        request,
        "volunteers/admin/commendations.html",
        {
            "page_title": _("年度表彰"),
            "year": year,
            "year_form": year_form,
            "threshold": threshold,
            "rows": rows,
            "form": form,
            "recorded": recorded,
            "can_commend": request.user.has_perm(COMMEND),
            "can_withdraw": request.user.has_perm(WITHDRAW_COMMENDATION),
            "chart": monthly_hours_chart(year),
        },
    )


class WithdrawCommendationView(ActionView):
    """Take back a commendation recorded by mistake: the 撤销 button on the year's list, a POST."""

    http_method_names = ["post"]
    permission = WITHDRAW_COMMENDATION
    queryset = Commendation.objects.select_related("volunteer")

    def act(self, form):
        commendation = self.object
        commendation.delete()
        return _("已撤销%(name)s的%(year)s年度“%(title)s”。") % {
            "name": commendation.volunteer,
            "year": commendation.year,
            "title": commendation.title,
        }

    def get_back_url(self):
        return f"{reverse('volunteer_commendations:index')}?year={self.object.year}"


def export_commendations(request):
    require_permission(request, VIEW_COMMENDATIONS)
    _form, year = chosen_year(request)
    return _csv_response(exports.year_csv(year), f"volunteer-hours-{year}.csv")
