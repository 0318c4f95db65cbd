"""The volunteer section on the public site and each volunteer's own area: drive and campaign pages,
applying, signing up for activities and cancelling, calendar files, my volunteering, hours and the
service certificate. The rules are in services; these views show and call them."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from home.templatetags.portal_tags import crumbs_to
from portal import listing
from portal.files import keep_private
from portal.localization.pages import source_page
from portal.pagecache import LIVE_FIGURES_SECONDS, cache_briefly
from portal.vetting.enums import Status

from . import certificate, ics, services
from .enums import HoursStatus, SignUpStatus
from .forms import ApplicationForm, HoursForm, initial_answers
from .models import (
    Activity,
    CampaignPage,
    Commendation,
    RecruitmentPage,
    SignUp,
    TeamMembership,
    VolunteerApplication,
)

# Helpers ------------------------------------------------------------------------------------------


def in_active_language(page: Page) -> Page:
    """The live translation of `page` in the language being read, else the page itself."""
    locale = Locale.get_active()
    if page.locale_id == locale.pk:
        return page
    translation = page.get_translation_or_none(locale)
    return translation if translation is not None and translation.live else page


def urls_in_active_language(request, pages) -> dict[int, str]:
    """{page pk: URL of its live translation in the language being read, else of the page}, in one query."""
    pages = list({page.pk: page for page in pages}.values())
    locale = Locale.get_active()
    keys = {page.translation_key for page in pages if page.locale_id != locale.pk}
    translations = {}
    if keys:
        translations = {
            page.translation_key: page for page in Page.objects.live().filter(locale=locale, translation_key__in=keys)
        }
    return {page.pk: (translations.get(page.translation_key) or page).get_url(request) for page in pages}


def activity_url(request, activity: Activity) -> str:
    """The activity on its campaign page, in the language being read."""
    return f"{in_active_language(activity.campaign).get_url(request)}#activity-{activity.pk}"


ACTIVITY_TAG = "activity-"


def _reply(request, activity: Activity, level: int, text: str):
    """Back where the sign-up or cancellation was made: a page of ours named in `next` (my volunteering),
    else the activity on its campaign page, where the message is shown beside the activity itself."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        messages.add_message(request, level, text)
        return redirect(target)
    messages.add_message(request, level, text, extra_tags=f"{ACTIVITY_TAG}{activity.pk}")
    return redirect(activity_url(request, activity))


def _messages_by_activity(request) -> tuple[list, dict[int, list]]:
    """The messages to show at the top of the page, and those about one activity, shown beside it."""
    general, by_activity = [], {}
    for message in messages.get_messages(request):
        tag = message.extra_tags or ""
        if tag.startswith(ACTIVITY_TAG) and tag[len(ACTIVITY_TAG) :].isdigit():
            by_activity.setdefault(int(tag[len(ACTIVITY_TAG) :]), []).append(message)
        else:
            general.append(message)
    return general, by_activity


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# Recruitment drives -----------------------------------------------------------------------------------


def drive_page(request, page: RecruitmentPage):
    """A drive, with the apply button, 已截止, or the signed-in applicant's own application."""
    previewing = page.pk is None or getattr(request, "is_preview", False)
    application = None
    if request.user.is_authenticated and not previewing:
        application = VolunteerApplication.objects.filter(drive=source_page(page), applicant=request.user).first()
    return page.render(
        request,
        context_overrides={
            "application": application,
            "is_open": page.is_open() if previewing else source_page(page).is_open(),
            "apply_url": (page.get_url(request) or "") + page.reverse_subpage("apply_route"),
        },
    )


@login_required
def apply(request, page: RecruitmentPage):
    """报名: the form while the drive is open; once sent, where the application stands."""
    drive = source_page(page)
    application = (
        VolunteerApplication.objects.filter(drive=drive, applicant=request.user).select_related("drive").first()
    )
    drive_url = page.get_url(request)
    apply_url = drive_url + page.reverse_subpage("apply_route")
    context = {
        "drive": page,
        "drive_url": drive_url,
        "apply_url": apply_url,
        "crumbs": crumbs_to(request, page),
        "application": application,
    }
    if application is not None and application.status != Status.WITHDRAWN:
        # Sent already: a second click of the button, another tab, or coming back to look.
        return _application_status(request, page, application, context)
    if not drive.is_open():
        if request.method == "POST":
            messages.error(request, _("报名已于 %(date)s 截止，不能再报名。") % {"date": drive.deadline})
            return redirect(apply_url)
        return render(request, "volunteers/apply_closed.html", context)

    questions = list(page.questions.all())
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial=_initial_application(request.user, application, questions),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.apply(
                    page,
                    request.user,
                    full_name=form.cleaned_data["full_name"],
                    phone=form.cleaned_data["phone"],
                    motivation=form.cleaned_data["motivation"],
                    answers=form.answers(),
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("报名已提交，审核结果会通过邮件通知您。"))
            return redirect(apply_url)
        messages.error(request, _("报名未能提交，请按提示修改。"))
    return render(request, "volunteers/apply.html", {**context, "form": form})


def _initial_application(user, application: VolunteerApplication | None, questions) -> dict:
    """What the form starts with: the application withdrawn before, else the membership record or account."""
    if application is not None:
        return {
            "full_name": application.full_name,
            "phone": application.phone,
            "motivation": application.motivation,
            **initial_answers(questions, application.answers),
        }
    member = getattr(user, "member", None)
    if member is not None:
        return {"full_name": member.full_name, "phone": member.phone}
    return {"full_name": user.full_name}


def _application_status(request, page: RecruitmentPage, application: VolunteerApplication, context: dict):
    return render(
        request,
        "volunteers/application_status.html",
        {
            **context,
            "transitions": application.transitions(),
            "can_withdraw": application.can_move_to(Status.WITHDRAWN),
            "withdraw_url": page.get_url(request) + page.reverse_subpage("withdraw_route"),
            "is_open": application.drive.is_open(),
        },
    )


@login_required
def withdraw(request, page: RecruitmentPage):
    """Withdraw an application not yet decided; it can be sent again before the deadline."""
    apply_url = page.get_url(request) + page.reverse_subpage("apply_route")
    if request.method != "POST":
        return redirect(apply_url)
    application = VolunteerApplication.objects.filter(drive=source_page(page), applicant=request.user).first()
    if application is None or not application.can_move_to(Status.WITHDRAWN):
        messages.error(request, _("这份报名已经处理，不能撤回。"))
        return redirect(apply_url)
    try:
        services.withdraw(application, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("报名已撤回。报名截止前，您可以重新报名。"))
    return redirect(apply_url)


# Campaigns and activities ---------------------------------------------------------------------------


def campaign_page(request, page: CampaignPage):
    """A campaign batch with its activities: places left or the waiting list, and for a signed-in
    person their own sign-ups and the buttons. The same number of queries for any number of activities."""
    activities = list(page.get_activities())
    mine: dict[int, SignUp] = {}
    refusals: dict[str, str | None] = {}
    if request.user.is_authenticated and activities:
        signups = SignUp.objects.active().filter(volunteer=request.user, activity__in=[a.pk for a in activities])
        mine = {signup.activity_id: signup for signup in signups.with_waiting_position()}
        # Who may sign up depends on the kind of activity, not on the activity: asked once per kind.
        for activity in activities:
            if activity.qualification not in refusals:
                refusals[activity.qualification] = services.qualification_refusal(activity, request.user)
    general, about = _messages_by_activity(request)
    now = timezone.now()
    for activity in activities:
        activity.messages = about.pop(activity.pk, [])
        activity.mine = mine.get(activity.pk)
        activity.refusal = refusals.get(activity.qualification)
        activity.started = activity.has_started(now)
        activity.ended = now >= activity.ends_at
        activity.is_full = activity.places_left() == 0
    response = page.render(
        request,
        context_overrides={
            "activities": activities,
            "partners": list(page.partners.all()),
            "today": timezone.localdate(),
            # About activities not on this page (any more): shown at the top with the others.
            "messages": general + [message for rest in about.values() for message in rest],
        },
    )
    # Places left change with every sign-up: anonymous visitors see them at most this late.
    return cache_briefly(response, LIVE_FIGURES_SECONDS)


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def signup(request, pk: int):
    """报名 / 加入候补: a place on the activity, or on its waiting list when it is full."""
    if refused := _post_only(request):
        return refused
    activity = get_object_or_404(Activity.objects.select_related("campaign"), pk=pk, campaign__live=True)
    if not request.user.is_authenticated:
        return redirect_to_login(activity_url(request, activity))
    already = SignUp.objects.active().filter(activity=activity, volunteer=request.user).exists()
    try:
        signup = services.sign_up(activity, request.user)
    except ValidationError as error:
        reason = _("未能报名“%(title)s”：%(reason)s") % {"title": activity.title, "reason": _errors(error)}
        return _reply(request, activity, messages.ERROR, reason)
    if signup.status == SignUpStatus.WAITING:
        text = _("“%(title)s”名额已满，您在候补名单第 %(position)s 位。有人取消时会按先后递补，并邮件通知您。") % {
            "title": activity.title,
            "position": services.waiting_position(signup),
        }
        return _reply(request, activity, messages.INFO, text)
    if already:
        return _reply(request, activity, messages.INFO, _("您已经报名了“%(title)s”。") % {"title": activity.title})
    text = _("报名成功：“%(title)s”。活动前一天会邮件提醒您。") % {"title": activity.title}
    return _reply(request, activity, messages.SUCCESS, text)


def cancel(request, pk: int):
    """取消报名: give up a place (the first person waiting moves up) or a place on the waiting list."""
    if refused := _post_only(request):
        return refused
    activity = get_object_or_404(Activity.objects.select_related("campaign"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(activity_url(request, activity))
    signup = SignUp.objects.active().filter(activity=activity, volunteer=request.user).first()
    if signup is None:
        text = _("您没有报名“%(title)s”，或已经取消。") % {"title": activity.title}
        return _reply(request, activity, messages.INFO, text)
    try:
        services.cancel(signup, by=request.user)
    except ValidationError as error:
        return _reply(request, activity, messages.ERROR, _errors(error))
    return _reply(request, activity, messages.SUCCESS, _("已取消“%(title)s”的报名。") % {"title": activity.title})


def activity_ics(request, pk: int):
    """The activity as a calendar file: public, with what the campaign page shows and nothing personal."""
    activity = get_object_or_404(
        Activity.objects.select_related("campaign"),
        pk=pk,
        campaign__in=listing.visible(CampaignPage.objects.all()),
    )
    campaign = in_active_language(activity.campaign)
    body = ics.activity_calendar(
        activity,
        campaign_title=campaign.title,
        url=f"{campaign.get_full_url(request)}#activity-{activity.pk}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


# My volunteering ----------------------------------------------------------------------------------


@login_required
def my_volunteering(request):
    """我的志愿服务: applications, teams, sign-ups to come, activities done with their hours, commendations."""
    user = request.user
    now = timezone.now()
    signups = list(services.volunteer_history(user).exclude(status=SignUpStatus.CANCELLED).with_waiting_position())
    upcoming = sorted(
        (signup for signup in signups if not signup.activity.has_started(now)),
        key=lambda signup: (signup.activity.starts_at, signup.pk),
    )
    done = [
        signup for signup in signups if signup.activity.has_started(now) and signup.status == SignUpStatus.CONFIRMED
    ]
    applications = list(VolunteerApplication.objects.filter(applicant=user).select_related("drive").order_by("-pk"))
    urls = urls_in_active_language(
        request, [signup.activity.campaign for signup in signups] + [app.drive for app in applications]
    )
    for signup in signups:
        signup.campaign_url = urls[signup.activity.campaign_id]
        signup.can_report = signup.hours_status != HoursStatus.APPROVED
    for application in applications:
        application.drive_url = urls[application.drive_id]
        application.apply_url = application.drive_url + application.drive.reverse_subpage("apply_route")
    total = sum(
        (signup.hours_approved for signup in done if signup.hours_status == HoursStatus.APPROVED), start=Decimal(0)
    )
    return render(
        request,
        "volunteers/my_volunteering.html",
        {
            "applications": applications,
            "teams": TeamMembership.objects.filter(volunteer=user).select_related("team"),
            "upcoming": upcoming,
            "done": done,
            "total_hours": total,
            "commendations": Commendation.objects.filter(volunteer=user),
            "my_url": reverse("volunteers:my"),
        },
    )


@login_required
def report_hours(request, signup_pk: int):
    """填报服务时长 for an activity the volunteer took part in, for a coordinator to confirm."""
    signup = get_object_or_404(
        SignUp.objects.select_related("activity__campaign"), pk=signup_pk, volunteer=request.user
    )
    refusal = None
    if signup.status != SignUpStatus.CONFIRMED:
        refusal = _("只有已确认参加的活动可以填报时长。")
    elif not signup.activity.has_started():
        refusal = _("活动开始后才能填报时长。")
    elif signup.hours_status == HoursStatus.APPROVED:
        refusal = _("服务时长已经确认，如有出入请联系协调员。")
    form = HoursForm(
        request.POST if request.method == "POST" else None,
        initial={"hours": signup.hours_reported or signup.activity.hours, "note": signup.hours_note},
    )
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("volunteers:my")
        if form.is_valid():
            try:
                services.report_hours(
                    signup, by=request.user, hours=form.cleaned_data["hours"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("服务时长已提交，协调员确认后计入您的志愿服务记录。"))
                return redirect("volunteers:my")
    return render(
        request,
        "volunteers/report_hours.html",
        {"signup": signup, "activity": signup.activity, "form": form, "refusal": refusal},
        status=400 if form.errors else 200,
    )


@login_required
def certificate_pdf(request):
    """志愿服务证明 as a PDF: the confirmed hours, activity by activity, and the commendations."""
    record = certificate.service_record(request.user)
    if not record.rows:
        messages.info(request, _("您还没有经协调员确认的服务时长，暂时不能开具志愿服务证明。"))
        return redirect("volunteers:my")
    response = HttpResponse(certificate.render_certificate(record), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="volunteer-certificate.pdf"'
    return keep_private(response)
