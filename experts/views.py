"""The expert database on the public site: the directory, profiles, applying, objections."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.files import JPEG, PNG, detected_type, private_file, stored_file
from portal.vetting import objections
from portal.vetting.enums import NoticeStatus, Status
from portal.vetting.forms import ObjectionForm

from . import directory, services
from .forms import ExpertApplicationForm, ProfileChangeForm, QualificationFormSet
from .models import Expert, ExpertApplication, ExpertBatch, ExpertQualification, ProfileChange

REVIEWER_PERMISSION = "experts.view_expertapplication"
CHANGE_REVIEWER_PERMISSION = "experts.view_profilechange"
# How long browsers and proxies may keep a public photo: withdrawing consent takes effect within it.
PHOTO_MAX_AGE = 600


# The directory --------------------------------------------------------------------------------


def directory_view(request):
    """专家库: admitted experts, searchable by keyword and filterable with counts per value."""
    query = directory.DirectoryQuery.from_params(request.GET)
    results = directory.search(query)
    try:
        page_obj = Paginator(range(results.total), directory.PER_PAGE, allow_empty_first_page=True).page(query.page)
    except EmptyPage as exc:
        raise Http404(str(exc)) from exc
    page_obj.object_list = results.experts
    return render(
        request,
        "experts/directory.html",
        {
            "query": query,
            "results": results,
            "page_obj": page_obj,
            "facet_titles": {
                "specialty": _("专长领域"),
                "service": _("服务类型"),
                "district": _("所在区市县"),
                "language": _("服务语言"),
            },
        },
    )


def detail(request, pk: int):
    """An expert's public profile: only the fields they consented to show; gone once expired."""
    expert = get_object_or_404(
        Expert.objects.listed().select_related("batch").prefetch_related("specialties", "services", "languages"),
        pk=pk,
    )
    return render(request, "experts/detail.html", {"expert": expert})


def photo(request, pk: int):
    """A listed expert's photo, for anyone, while they consent to show it (and it is an image)."""
    expert = get_object_or_404(Expert.objects.listed(), pk=pk, show_photo=True)
    if not expert.photo:
        raise Http404
    with expert.photo.open("rb") as handle:
        if detected_type(handle.read(16)) not in (JPEG, PNG):
            raise Http404
    response = stored_file(expert.photo, name=f"expert-{expert.pk}")
    response["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}"
    return response


# Applying ---------------------------------------------------------------------------------------


def _renewal_open(expert: Expert | None) -> bool:
    """An admitted expert may apply again (re-certification) from the first reminder on."""
    if expert is None or not expert.is_listed():
        return True
    window = max(settings.EXPERT_REMINDER_DAYS or [0])
    return (expert.expires_on - timezone.localdate()).days <= window


@login_required
def apply(request):
    """入库申请: members in good standing fill it in, save drafts, submit, withdraw."""
    member = services.member_in_good_standing(request.user)
    application = services.current_application(request.user)
    expert = Expert.objects.filter(user=request.user).first()
    in_progress = application is not None and application.status not in (
        Status.REJECTED,
        Status.ACCEPTED,
        Status.WITHDRAWN,
    )
    if in_progress and not application.is_editable:
        return _status_page(request, application, expert)
    if not in_progress and not _renewal_open(expert):
        return _status_page(request, application, expert)
    if member is None and not in_progress:
        return render(request, "experts/apply_closed.html", {"reason": "membership"}, status=403)
    previous = application if application and not in_progress else None
    if not in_progress:
        if previous is not None:  # start from what they told us last time
            application = _copy_of(previous, request.user)
        else:  # or from their membership record
            application = ExpertApplication(
                applicant=request.user,
                **{name: getattr(member, name, "") for name in ("full_name", "phone", "employer", "district")},
            )

    submitting = request.method == "POST" and "submit" in request.POST
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ExpertApplicationForm(*data, instance=application, submitting=submitting)
    formset = QualificationFormSet(*data, instance=application, submitting=submitting, prefix="qualifications")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    if application.pk:
                        locked = ExpertApplication.objects.select_for_update().get(pk=application.pk)
                        if not locked.is_editable:  # submitted meanwhile, from another tab or a double click
                            return redirect("experts:apply")
                    application = form.save()
                    formset.instance = application
                    formset.save()
                    if submitting:
                        services.submit_application(application, by=request.user)
            except IntegrityError:  # another request opened an application first
                return redirect("experts:apply")
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect("experts:apply")
            if submitting:
                messages.success(request, _("申请已提交，评审结果会通过邮件通知您。"))
            else:
                messages.success(request, _("草稿已保存，您可以随时回来继续填写。"))
            return redirect("experts:apply")
        messages.error(request, _("申请未能保存，请按提示修改。"))
    return render(
        request,
        "experts/apply.html",
        {"form": form, "formset": formset, "application": application, "previous": previous, "expert": expert},
    )


def _copy_of(previous: ExpertApplication, user) -> ExpertApplication:
    """A new draft holding the previous application's details (re-certification, applying again)."""
    copy = ExpertApplication(applicant=user, phone=previous.phone)
    services.copy_profile(previous, copy)
    return copy


def _status_page(request, application, expert):
    return render(
        request,
        "experts/application_status.html",
        {
            "application": application,
            "expert": expert,
            "transitions": application.transitions() if application else [],
            "can_withdraw": application is not None and application.can_move_to(Status.WITHDRAWN),
        },
    )


@login_required
def application_withdraw(request):
    application = services.current_application(request.user)
    if request.method != "POST" or application is None or not application.can_move_to(Status.WITHDRAWN):
        return redirect("experts:apply")
    try:
        services.withdraw_application(application, by=request.user)
        messages.success(request, _("申请已撤回。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("experts:apply")


@login_required
def application_file(request, pk: int, kind: str, item: int = 0):
    """An application's photo or certificate scan: for its applicant and expert reviewers, a 404 for anyone else."""
    application = ExpertApplication.objects.filter(pk=pk).first()
    if application is None or not (
        application.applicant_id == request.user.pk or request.user.has_perm(REVIEWER_PERMISSION)
    ):
        raise Http404
    if kind == "photo" and application.photo:
        return private_file(application.photo, name=f"photo-{application.pk}")
    if kind == "certificate":
        qualification = ExpertQualification.objects.filter(application=application, pk=item).first()
        if qualification and qualification.scan:
            return private_file(qualification.scan, name=f"certificate-{application.pk}-{qualification.pk}")
    raise Http404


@login_required
def change_photo(request, pk: int):
    """The photo a profile change proposes: for the expert and the reviewers deciding, a 404 for anyone else."""
    change = ProfileChange.objects.select_related("expert").filter(pk=pk).first()
    if change is None or not (
        change.expert.user_id == request.user.pk or request.user.has_perm(CHANGE_REVIEWER_PERMISSION)
    ):
        raise Http404
    if not change.photo:
        raise Http404
    return private_file(change.photo, name=f"change-{change.pk}")


# An admitted expert's own profile -----------------------------------------------------------------


@login_required
def profile(request):
    """The expert's public details and proposed changes (live after a reviewer approves them)."""
    expert = Expert.objects.filter(user=request.user).prefetch_related("specialties", "services", "languages").first()
    if expert is None:
        return redirect("experts:apply")
    pending = ProfileChange.objects.filter(expert=expert, status=Status.SUBMITTED).first()
    last = ProfileChange.objects.filter(expert=expert).exclude(status=Status.SUBMITTED).order_by("-pk").first()
    form = ProfileChangeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=expert,
    )
    if request.method == "POST" and pending is None:
        if form.is_valid():
            values = {name: value for name, value in form.cleaned_data.items() if name not in ("photo",)}
            many = {name: [term.pk for term in values.pop(name)] for name in ("specialties", "services", "languages")}
            upload = form.cleaned_data.get("photo")
            try:
                services.propose_change(
                    expert,
                    by=request.user,
                    values=values,
                    many=many,
                    photo=upload if hasattr(upload, "content_type") else None,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("修改已提交，评审人审核通过后生效。"))
            return redirect("experts:profile")
        messages.error(request, _("修改未能提交，请按提示修改。"))
    return render(request, "experts/profile.html", {"expert": expert, "form": form, "pending": pending, "last": last})


@login_required
def profile_photo(request):
    """The expert's own current photo (their profile form shows it), public or not."""
    expert = Expert.objects.filter(user=request.user).first()
    if expert is None or not expert.photo:
        raise Http404
    return private_file(expert.photo, name=f"expert-{expert.pk}")


# Objections during a notice period --------------------------------------------------------------


@never_cache
def objection(request, number: int):
    """提出异议: a form on the batch's notice, open during its notice period only."""
    batch = get_object_or_404(ExpertBatch.objects.select_related("notice_page"), number=number)
    if batch.status == NoticeStatus.OPEN:
        raise Http404
    today = timezone.localdate()
    entries = list(services.batch_entries(batch).filter(status=Status.NOTICE))
    open_now = batch.accepts_objections(today)
    form = ObjectionForm(
        request.POST or None,
        entries=[(entry.pk, f"{entry.full_name}（{entry.employer}）") for entry in entries],
        initial={"started": objections.start_token()},
    )
    if request.method == "POST" and open_now:

        def record(cleaned: dict, key: str):
            services.raise_objection(
                batch,
                name=cleaned["name"],
                contact=cleaned["contact"],
                grounds=cleaned["grounds"],
                application_id=cleaned["entry"],
                today=today,
                idempotency_key=key,
            )

        if objections.receive(request, form, record):
            return render(request, "experts/objection_received.html", {"batch": batch})
    return render(
        request,
        "experts/objection.html",
        {"batch": batch, "form": form, "entries": entries, "open_now": open_now},
        status=200 if open_now or request.method == "GET" else 400,
    )
