"""Volunteer coordinators' views in the Wagtail admin: screening applications, team members, activities
and their rosters, the hours waiting for confirmation and the year's commendations."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy

from members.enums import District
from members.models import User
from portal.exports import SafeCsvExportMixin
from portal.vetting.enums import Status

from . import exports, services
from .dashboard import monthly_hours_chart
from .enums import HoursStatus, SignUpStatus
from .models import (
    Activity,
    CampaignPage,
    Commendation,
    RecruitmentPage,
    SignUp,
    Team,
    TeamMembership,
    VolunteerApplication,
)

SCREEN = "volunteers.change_volunteerapplication"
ADD_MEMBER = "volunteers.add_teammembership"
REMOVE_MEMBER = "volunteers.delete_teammembership"
VIEW_SIGNUPS = "volunteers.view_signup"
MANAGE_SIGNUPS = "volunteers.change_signup"
VIEW_COMMENDATIONS = "volunteers.view_commendation"
COMMEND = "volunteers.add_commendation"
WITHDRAW_COMMENDATION = "volunteers.delete_commendation"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _default_locale_pages(model):
    """Drives and campaigns as records hang from them: in the default language only."""
    return model.objects.filter(locale=Locale.get_default())


# Applications -------------------------------------------------------------------------------------


class ScreeningPolicy(ModelPermissionPolicy):
    """Applications come from the applicants: staff read and screen them, and never add, edit or
    delete one (the applicant's answers stay as sent)."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)


SCREENING_STATUSES = [
    (status.value, status.label)
    for status in (Status.SUBMITTED, Status.SHORTLISTED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
]


class ApplicationFilterSet(WagtailFilterSet):
    drive = django_filters.ModelChoiceFilter(
        label=gettext_lazy("招募"),
        queryset=lambda request: _default_locale_pages(RecruitmentPage).order_by("-deadline", "-pk"),
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=SCREENING_STATUSES)

    class Meta:
        model = VolunteerApplication
        fields = ["drive", "status"]


class ApplicationIndexView(SafeCsvExportMixin, IndexView):
    """Every application sent (drafts are the applicant's own), newest first."""

    def get_base_queryset(self):
        return super().get_base_queryset().exclude(status=Status.DRAFT).select_related("drive")


class ScreeningForm(forms.Form):
    SHORTLIST, ACCEPT, REJECT = "shortlist", "accept", "reject"
    MOVES = {SHORTLIST: Status.SHORTLISTED, ACCEPT: Status.APPROVED, REJECT: Status.REJECTED}
    LABELS = {SHORTLIST: gettext_lazy("初选通过"), ACCEPT: gettext_lazy("录用"), REJECT: gettext_lazy("不录用")}

    decision = forms.ChoiceField(
        label=gettext_lazy("审核结果"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择审核结果。")},
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("不录用时必须填写理由。说明会写进通知申请人的邮件。"),
    )

    def __init__(self, *args, application: VolunteerApplication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (key, label) for key, label in self.LABELS.items() if application.can_move_to(self.MOVES[key])
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("note", "").strip():
            self.add_error("note", _("请填写不录用的理由，申请人会看到它。"))
        return cleaned


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
        _require(request, SCREEN)
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


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("志愿者的电子邮箱"),
        help_text=gettext_lazy("此人须已在本站注册账户。"),
        error_messages={
            "required": gettext_lazy("请填写电子邮箱。"),
            "invalid": gettext_lazy("请填写有效的电子邮箱。"),
        },
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("没有使用这个电子邮箱的账户。"))
        if TeamMembership.objects.filter(team=self.team, volunteer=user).exists():
            raise ValidationError(_("%(name)s 已经是本团队成员。") % {"name": user})
        self.user = user
        return email


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
            _require(request, REMOVE_MEMBER)
            if not request.POST["remove"].isdigit():
                raise Http404
            membership = get_object_or_404(
                TeamMembership.objects.select_related("volunteer"), pk=request.POST["remove"], team=team
            )
            membership.delete()
            messages.success(request, _("已将%(name)s移出%(team)s。") % {"name": membership.volunteer, "team": team})
            return redirect("volunteer_teams:inspect", team.pk)
        _require(request, ADD_MEMBER)
        form = AddMemberForm(request.POST, team=team)
        if form.is_valid():
            TeamMembership.objects.create(team=team, volunteer=form.user, joined_on=timezone.localdate())
            messages.success(request, _("%(name)s 已加入%(team)s。") % {"name": form.user, "team": team})
            return redirect("volunteer_teams:inspect", team.pk)
        return self.render_to_response(self.get_context_data(form=form))


# Activities ---------------------------------------------------------------------------------------


class ActivityFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("公益行动"),
        queryset=lambda request: _default_locale_pages(CampaignPage).order_by("-starts_on", "-pk"),
    )
    district = django_filters.ChoiceFilter(label=gettext_lazy("所在区市县"), choices=District.choices)

    class Meta:
        model = Activity
        fields = ["campaign", "district", "starts_at"]


class ActivityIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign").with_counts()


def signup_summary(activity: Activity) -> str:
    """“3/5 · 候补 2” for the activity list (needs ActivityQuerySet.with_counts)."""
    summary = f"{activity.confirmed_count}/{activity.places}"
    if activity.waiting_count:
        summary += " · " + _("候补 %(count)s") % {"count": activity.waiting_count}
    return summary


class ActivityForm(WagtailAdminModelForm):
    """An activity; its campaign is chosen among the campaign pages in the default language, and
    its places never fall below the people already confirmed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.fields["campaign"]
        campaign.queryset = _default_locale_pages(CampaignPage).order_by("-starts_on", "-batch_number", "-pk")
        campaign.error_messages["invalid_choice"] = _("请从列表中选择公益行动。")
        campaign.empty_label = _("请选择公益行动")
        self.fields["places"].help_text = _("增加名额后，候补名单上的人按报名先后立即递补，并收到通知。")

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places < 1:
            raise ValidationError(_("名额至少为 1。"))
        if self.instance.pk:
            confirmed = self.instance.signups.filter(status=SignUpStatus.CONFIRMED).count()
            if places < confirmed:
                raise ValidationError(_("已有 %(count)s 人报名，名额不能少于这个数。") % {"count": confirmed})
        return places

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        return cleaned


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


class AttendanceForm(forms.Form):
    ATTEND, ABSENT, CANCEL = "attend", "absent", "cancel"

    signup = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(ATTEND, ATTEND), (ABSENT, ABSENT), (CANCEL, CANCEL)])
    hours = forms.CharField(label=gettext_lazy("服务时长（小时）"), required=False, max_length=10)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.ATTEND:
            try:
                cleaned["hours"] = services.parse_hours(cleaned.get("hours", ""))
            except ValidationError as error:
                self.add_error("hours", error)
        return cleaned


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
        _require(request, MANAGE_SIGNUPS)
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
    _require(request, VIEW_SIGNUPS)
    activity = get_object_or_404(Activity, pk=pk)
    return _csv_response(exports.roster_csv(activity), f"activity-{activity.pk}-roster.csv")


# Hours --------------------------------------------------------------------------------------------


def hours_queue(request):
    """Hours reported by volunteers and not yet confirmed, oldest first: confirm them as reported
    (one by one or the ones ticked), or open one to correct it."""
    _require(request, MANAGE_SIGNUPS)
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


class HoursCorrectionForm(forms.Form):
    hours = forms.CharField(
        label=gettext_lazy("确认时长（小时）"),
        max_length=10,
        error_messages={"required": gettext_lazy("请填写服务时长（小时），如 2.5。")},
    )
    note = forms.CharField(
        label=gettext_lazy("修改说明"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("与填报时长不同时必须说明原因，志愿者会看到它。"),
    )

    def __init__(self, *args, signup: SignUp, **kwargs):
        super().__init__(*args, **kwargs)
        self.signup = signup

    def clean_hours(self):
        return services.parse_hours(self.cleaned_data["hours"])

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("hours")
        if hours is not None and hours != self.signup.hours_reported and not cleaned.get("note", "").strip():
            self.add_error("note", _("修改了填报的时长，请说明原因，志愿者会看到它。"))
        return cleaned


def correct_hours(request, pk: int):
    """Confirm a volunteer's hours with a correction, and say why."""
    _require(request, MANAGE_SIGNUPS)
    signup = get_object_or_404(
        SignUp.objects.select_related("volunteer", "activity__campaign"),
        pk=pk,
        status=SignUpStatus.CONFIRMED,
        hours_status=HoursStatus.REPORTED,
    )
    form = HoursCorrectionForm(request.POST or None, signup=signup, initial={"hours": signup.hours_reported})
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_hours(
                signup, by=request.user, hours=form.cleaned_data["hours"], note=form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("已确认%(name)s的服务时长 %(hours)s 小时。")
                % {"name": signup.volunteer, "hours": form.cleaned_data["hours"]},
            )
            return redirect("volunteer_hours:index")
        except ValidationError as error:
            form.add_error(None, error)
    return TemplateResponse(
        request,
        "volunteers/admin/hours_correct.html",
        {"page_title": _("修改并确认服务时长"), "subtitle": str(signup.volunteer), "signup": signup, "form": form},
    )


# Commendations ------------------------------------------------------------------------------------


def commendation_years() -> list[int]:
    """From the year of the first activity to this one, latest first."""
    this_year = timezone.localdate().year
    first = Activity.objects.aggregate(first=Min("starts_at"))["first"]
    start = min(timezone.localtime(first).year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, _("%(year)s年") % {"year": year}) for year in years]
        self.fields["year"].error_messages["invalid_choice"] = _("请从列表中选择年度。")


def chosen_year(request) -> tuple[YearForm, int]:
    years = commendation_years()
    form = YearForm(request.GET if "year" in request.GET else None, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    return form, year


class CommendForm(forms.Form):
    volunteers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("表彰的志愿者"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一位志愿者。")},
    )
    title = forms.CharField(
        label=gettext_lazy("表彰名称"),
        max_length=50,
        initial="优秀志愿者",
        error_messages={"required": gettext_lazy("请填写表彰名称。")},
    )
    citation = forms.CharField(label=gettext_lazy("表彰说明"), required=False, max_length=300)

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].choices = [(row["volunteer_id"], row["name"]) for row in rows]


def commendations(request):
    """The year's volunteers by approved hours, those past the threshold ticked, and the
    commendations recorded for the ones chosen."""
    _require(request, VIEW_COMMENDATIONS)
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
        _require(request, COMMEND)
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


@require_POST
def withdraw_commendation(request, pk: int):
    """Take back a commendation recorded by mistake."""
    _require(request, WITHDRAW_COMMENDATION)
    commendation = get_object_or_404(Commendation.objects.select_related("volunteer"), pk=pk)
    commendation.delete()
    messages.success(
        request,
        _("已撤销%(name)s的%(year)s年度“%(title)s”。")
        % {"name": commendation.volunteer, "year": commendation.year, "title": commendation.title},
    )
    return redirect(f"{reverse('volunteer_commendations:index')}?year={commendation.year}")


def export_commendations(request):
    _require(request, VIEW_COMMENDATIONS)
    _form, year = chosen_year(request)
    return _csv_response(exports.year_csv(year), f"volunteer-hours-{year}.csv")
