"""Submitting to a call, from the call page: the form (drafts, submit, changes until the deadline),
withdrawing, the attached files, and the list of one's own submissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from members.models import Member
from portal import listing
from portal.files import private_file
from portal.vetting import objections
from portal.vetting.enums import NoticeStatus, Status
from portal.vetting.forms import ObjectionForm

from . import announcements, directory, display, services
from .certificates import pdf_response
from .enums import Consent
from .forms import SubmissionForm
from .models import CallAnnouncement, CallCertificate, CallPage, CallSubmission, FormVersion, Institution

STAFF_PERMISSION = "calls.view_callsubmission"


def _call(request, pk: int) -> CallPage:
    """A live call the person may see (its view restrictions hold here too), in the default language."""
    # By the page's own id (range-checked by Django), not by the parent link `pk` names here.
    call = get_object_or_404(CallPage.objects.live(), id=pk).specific
    for restriction in call.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
    return call.original()


def _form_url(call: CallPage, organisation: Member | None) -> str:
    if organisation is None:
        return reverse("calls:form", args=[call.pk])
    return reverse("calls:form_for", args=[call.pk, organisation.pk])


def _kept_files(submission: CallSubmission | None) -> dict:
    if submission is None:
        return {}
    return {
        kept.field_key: (kept.file, reverse("calls:file", args=[submission.pk, kept.field_key]))
        for kept in submission.files.all()
    }


@login_required
def submission_form(request, pk: int, organisation: int | None = None):
    """填报: the call's form for the person, or for an organisation they act for."""
    call = _call(request, pk)
    acting_for = None
    if organisation is not None:
        acting_for = Member.objects.acted_for_by(request.user).filter(pk=organisation).first()
        if acting_for is None:
            raise Http404
    submission = services.submission_for(call, request.user, acting_for)
    context = {
        "call": call,
        "organisation": acting_for,
        "submission": submission,
        "form_url": _form_url(call, acting_for),
    }
    if submission is not None and not services.may_change(submission, call):
        return _status_page(request, submission, context)
    if submission is None:
        refusal = services.state_refusal(call) or services.eligibility_refusal(call, request.user, acting_for)
        if refusal:
            return render(request, "calls/refused.html", {**context, "reason": refusal}, status=403)

    with transaction.atomic():
        version = services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))
    kept = {
        "answers": submission.answers if submission else {},
        "category_key": submission.category_key if submission else "",
        "files": _kept_files(submission),
        "self_assessment": call.asks_self_assessment,
        "self_scores": submission.self_scores if submission else {},
        "nomination": call.takes_nominations,
        "nominee_email": _nominee_email(submission),
    }
    if request.method != "POST":
        form = SubmissionForm(version, **kept)
        return render(request, "calls/form.html", {**context, "form": form, "version": version})

    submitting = "submit" in request.POST
    # The version the person was shown: if the form changed meanwhile, saving is refused (and kept).
    posted = request.POST.get("version", "")
    shown = (
        FormVersion.objects.filter(call=call, pk=int(posted)).first()
        if posted.isascii() and posted.isdigit() and len(posted) < 10
        else None
    )
    shown = shown or version
    form = SubmissionForm(shown, request.POST, request.FILES, submitting=submitting, **kept)
    if form.is_valid():
        try:
            submission = services.save_submission(
                call,
                request.user,
                organisation=acting_for,
                version=shown,
                answers=form.answers(),
                category_key=form.cleaned_data.get("category", ""),
                self_scores=form.self_scores(),
                file_changes=form.file_changes(),
                nominee_email=form.nominee_email(),
                submit=submitting,
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(context["form_url"])
        except ValidationError as error:
            if error.code == "nominee":  # the nominee named cannot be put forward: said on the form
                form.add_error("nominee_email", error)
                messages.error(request, _("未能保存，请按提示修改。"))
                return render(request, "calls/form.html", {**context, "form": form, "version": shown})
            # The form changed since it was shown: the new one, with what was typed kept where it still fits.
            messages.error(request, " ".join(error.messages))
            form = SubmissionForm(version, request.POST, request.FILES, **kept)
            form.is_valid()
            return render(request, "calls/form.html", {**context, "form": form, "version": version})
        if submitting:
            messages.success(
                request, _("已提交，编号 %(reference)s。截止前可以修改或撤回。") % {"reference": submission.reference}
            )
        elif submission.status == Status.SUBMITTED:
            messages.success(request, _("修改已保存。"))
        else:
            messages.success(request, _("草稿已保存，截止前可以随时回来继续填写。"))
        return redirect(context["form_url"])
    messages.error(request, _("未能保存，请按提示修改。"))
    return render(request, "calls/form.html", {**context, "form": form, "version": shown})


def _nominee_email(submission: CallSubmission | None) -> str:
    """The nominee's e-mail as the form shows it: "" when the submitter put themselves forward."""
    if submission is None or submission.nominee_id in (None, submission.applicant_id):
        return ""
    return submission.nominee.email


def _status_page(request, submission: CallSubmission, context: dict):
    return render(
        request,
        "calls/submission.html",
        {
            **context,
            "answers": display.answers(submission),
            "self_assessment": display.self_assessment(submission),
            "transitions": submission.transitions(),
        },
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    submission = CallSubmission.objects.of(request.user).select_related("call", "organisation").filter(pk=pk).first()
    if submission is None:
        raise Http404
    try:
        services.withdraw(submission, by=request.user)
        messages.success(request, _("已撤回。截止前可以重新填报。"))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(_form_url(submission.call, submission.organisation))


@login_required
def submission_file(request, pk: int, key: str):
    """A file attached to a submission: for its submitter (and the organisation's contacts) and the
    staff who handle calls; a 404 for anyone else."""
    submission = get_object_or_404(CallSubmission, pk=pk)
    if not (request.user.has_perm(STAFF_PERMISSION) or services.may_act_on(submission, request.user)):
        raise Http404
    kept = submission.files.filter(field_key=key).first()
    if kept is None:
        raise Http404
    return private_file(kept.file, name=f"call-{submission.call_id}-{submission.number or submission.pk}-{key}")


@login_required
def mine(request):
    """我的征集填报: one's own submissions and those of the organisations one acts for."""
    submissions = (
        CallSubmission.objects.of(request.user)
        .exclude(status=Status.WITHDRAWN)
        .select_related("call", "organisation", "form_version")
        .order_by("-created_at", "-pk")
    )
    submissions = list(submissions)
    # Each call's title in the reader's language, where it is translated (one query for them all).
    titles = dict(
        CallPage.objects.filter(
            translation_key__in={submission.call.translation_key for submission in submissions},
            locale=Locale.get_active(),
        ).values_list("translation_key", "title")
    )
    for submission in submissions:
        submission.call_title = titles.get(submission.call.translation_key, submission.call.title)
    asked = (
        CallSubmission.objects.filter(nominee=request.user, consent=Consent.PENDING)
        .exclude(applicant=request.user)
        .exclude(status=Status.WITHDRAWN)
        .select_related("call", "applicant__member")
    )
    certificates = (
        CallCertificate.objects.filter(
            Q(submission__nominee=request.user) | Q(submission__in=CallSubmission.objects.of(request.user))
        )
        .filter(revoked_at__isnull=True)
        .select_related("submission")
    )
    return render(
        request, "calls/mine.html", {"submissions": submissions, "asked": asked, "certificates": certificates}
    )


@login_required
def consent(request, pk: int):
    """被推荐人确认: the member nominated reads what they are put forward for, and agrees or declines."""
    submission = get_object_or_404(
        CallSubmission.objects.select_related("call", "applicant__member", "form_version"), pk=pk
    )
    if submission.nominee_id != request.user.pk:
        raise Http404
    if request.method == "POST" and submission.consent == Consent.PENDING:
        agree = "agree" in request.POST
        try:
            services.record_consent(submission, by=request.user, agree=agree)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("谢谢，已记录您同意被推荐。") if agree else _("已记录您不同意被推荐。"))
        return redirect("calls:consent", pk=pk)
    return render(
        request,
        "calls/consent.html",
        {"submission": submission, "call": submission.call, "answers": display.answers(submission)},
    )


@login_required
def certificate(request, pk: int):
    """An award certificate as a PDF: for the member honoured, the submitter (and the organisation's
    contacts) and call staff; a 404 for anyone else, and once it is revoked."""
    kept = get_object_or_404(
        CallCertificate.objects.select_related("submission__call"), submission_id=pk, revoked_at__isnull=True
    )
    submission = kept.submission
    if not (
        request.user.has_perm(STAFF_PERMISSION)
        or submission.nominee_id == request.user.pk
        or services.may_act_on(submission, request.user)
    ):
        raise Http404
    return pdf_response(kept)


# Objections to the 公示 of a call's results --------------------------------------------------------------


@never_cache
def objection(request, pk: int):
    """提出异议: a form on the 公示 of a call's selected entries, open during its notice period only."""
    announcement = get_object_or_404(
        CallAnnouncement.objects.select_related("call", "notice_page").exclude(status=NoticeStatus.OPEN), call_id=pk
    )
    today = timezone.localdate()
    listed = announcements.entries(announcement.call, [Status.NOTICE])
    open_now = announcement.accepts_objections(today)
    form = ObjectionForm(
        request.POST or None,
        entries=[(entry.pk, _entry_label(entry)) for entry in listed],
        entry_label=_("所涉对象"),
        no_entry_label=_("不针对具体对象"),
        initial={"started": objections.start_token()},
    )
    context = {"announcement": announcement, "call": announcement.call, "form": form, "open_now": open_now}
    if request.method == "POST" and open_now:

        def record(cleaned: dict, key: str):
            announcements.raise_objection(
                announcement,
                name=cleaned["name"],
                contact=cleaned["contact"],
                grounds=cleaned["grounds"],
                submission_id=cleaned["entry"],
                today=today,
                idempotency_key=key,
            )

        if objections.receive(request, form, record):
            return render(request, "calls/objection_received.html", context)
    return render(request, "calls/objection.html", context, status=200 if open_now or request.method == "GET" else 400)


def _entry_label(entry: CallSubmission) -> str:
    category = entry.category_name
    return f"{entry.public_name}（{category}）" if category else entry.public_name


# 机构名录: the institutions of accepted directory entries ----------------------------------------------


def institutions(request):
    """机构名录: listed institutions, by keyword, district and service, with counts per choice."""
    text = request.GET.get("q", "")[: directory.MAX_QUERY].strip()
    district = request.GET.get("district", "")
    service = request.GET.get("service", "")[: directory.MAX_QUERY]
    results = directory.search(text, district, service)
    page_obj = listing.paginate(request, results.ids, directory.PER_PAGE)
    page_obj.object_list = listing.in_order(Institution.objects.all(), page_obj.object_list)
    selected = {name: value for name, value in (("district", district), ("service", service)) if value}
    return render(
        request,
        "calls/institutions.html",
        {
            "query": text,
            "selected": selected,
            "results": results,
            "page_obj": page_obj,
            "facet_titles": {"district": _("所在区市县"), "service": _("服务项目")},
        },
    )


def institution(request, pk: int):
    """An institution's profile: what its accepted entry made public, in the reader's language."""
    shown = get_object_or_404(
        Institution.objects.listed().select_related("submission__form_version", "submission__call"), pk=pk
    )
    return render(
        request,
        "calls/institution.html",
        {"institution": shown, "answers": directory.profile_answers(shown)},
    )
