"""The expert database's part of a person's export and of closing their account (portal.privacy)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import privacy
from portal.vetting.enums import Status
from portal.vetting.services import move

from . import index
from .enums import ExpertStatus
from .models import (
    OPEN_STATUSES,
    Expert,
    ExpertApplication,
    ExpertQualification,
    ExpertReminder,
    Profile,
    ProfileChange,
)

CLOSED_NAME = "已注销用户"
PROFILE_FIELDS = (*Profile.SCALAR_FIELDS, *Profile.MANY_FIELDS, "photo")
APPLICATION_FIELDS = ("status", "batch", *PROFILE_FIELDS, "phone", "notice_consent", "submitted_at", "decided_at")
EXPERT_FIELDS = ("status", "batch", "admitted_on", "expires_on", *PROFILE_FIELDS, "updated_at")
CHANGE_FIELDS = ("status", "data", "photo", "submitted_at", "decided_at", "decision_note")
QUALIFICATION_FIELDS = ("name", "number", "issued_by", "year", "scan")


def export(user, request) -> list[privacy.Section]:
    applications = list(
        ExpertApplication.objects.filter(applicant=user)
        .select_related("batch")
        .prefetch_related("specialties", "services", "languages")
        .order_by("pk")
    )
    qualifications = list(
        ExpertQualification.objects.filter(application__applicant=user).select_related("application").order_by("pk")
    )
    experts = list(
        Expert.objects.filter(user=user)
        .select_related("batch")
        .prefetch_related("specialties", "services", "languages")
    )
    changes = list(ProfileChange.objects.filter(expert__user=user).order_by("pk"))
    reminders = ExpertReminder.objects.filter(expert__user=user).order_by("sent_at")
    photo = ExpertApplication._meta.get_field("photo").verbose_name
    return [
        privacy.Section(
            "expert_applications",
            ExpertApplication._meta.verbose_name_plural,
            privacy.columns_of(ExpertApplication, APPLICATION_FIELDS),
            privacy.rows_of(applications, APPLICATION_FIELDS),
        ),
        privacy.Section(
            "expert_qualifications",
            ExpertQualification._meta.verbose_name_plural,
            privacy.columns_of(ExpertQualification, QUALIFICATION_FIELDS),
            privacy.rows_of(qualifications, QUALIFICATION_FIELDS),
        ),
        privacy.Section(
            "expert_profile",
            Expert._meta.verbose_name,
            privacy.columns_of(Expert, EXPERT_FIELDS),
            privacy.rows_of(experts, EXPERT_FIELDS),
        ),
        privacy.Section(
            "expert_profile_changes",
            ProfileChange._meta.verbose_name_plural,
            privacy.columns_of(
                ProfileChange, ("status", "data", "photo", "submitted_at", "decided_at", "decision_note")
            ),
            privacy.rows_of(changes, ("status", "data", "photo", "submitted_at", "decided_at", "decision_note")),
        ),
        privacy.Section(
            "expert_reminders",
            ExpertReminder._meta.verbose_name_plural,
            privacy.columns_of(ExpertReminder, ("expires_on", "days_before", "email", "sent_at")),
            privacy.rows_of(reminders, ("expires_on", "days_before", "email", "sent_at")),
        ),
        privacy.files_section(
            [
                *(
                    privacy.file_row(ExpertApplication._meta.verbose_name, photo, item.photo, item.created_at)
                    for item in applications
                ),
                *(
                    privacy.file_row(
                        f"{ExpertQualification._meta.verbose_name} {item.name}",
                        ExpertQualification._meta.get_field("scan").verbose_name,
                        item.scan,
                        item.application.created_at,
                    )
                    for item in qualifications
                ),
                *(privacy.file_row(Expert._meta.verbose_name, photo, item.photo, item.updated_at) for item in experts),
                *(
                    privacy.file_row(ProfileChange._meta.verbose_name, photo, item.photo, item.created_at)
                    for item in changes
                ),
            ]
        ),
    ]


def _clear_profile(profile: Profile) -> None:
    privacy.delete_after_commit(profile.photo)
    for name in Profile.SCALAR_FIELDS:
        field = profile._meta.get_field(name)
        if name in Profile.CONSENTS:
            setattr(profile, name, False)
        elif field.null:
            setattr(profile, name, None)
        else:
            setattr(profile, name, "")
    profile.full_name = CLOSED_NAME
    profile.save()
    for name in Profile.MANY_FIELDS:
        getattr(profile, name).clear()


def erase(user, by) -> list:
    """Open applications are withdrawn; every profile is emptied and its photo and scans deleted;
    an admitted expert leaves the directory and its search index. Review records stay."""
    lines = []
    applications = ExpertApplication.objects.filter(applicant=user)
    for application in applications.filter(status__in=OPEN_STATUSES):
        move(application, Status.WITHDRAWN, by=by, note=str(_("账户注销")))
    for application in applications:
        application.phone = ""
        application.notice_consent = False
        _clear_profile(application)
        for qualification in application.qualifications.all():
            privacy.delete_after_commit(qualification.scan)
        application.qualifications.all().delete()
    for change in ProfileChange.objects.filter(expert__user=user):
        privacy.delete_after_commit(change.photo)
        change.data = {}
        change.save()
    ExpertReminder.objects.filter(expert__user=user).update(email="")
    for expert in Expert.objects.filter(user=user):
        expert.status = ExpertStatus.WITHDRAWN
        _clear_profile(expert)
        Expert.objects.filter(pk=expert.pk).update(search_text="", sort_name="")
        index.update_later(expert.pk)
        lines.append(_("专家库：已从专家名录和检索中移除，资料、照片和证书扫描件已清除。"))
    if applications and not lines:
        lines.append(_("专家库：入库申请中的资料、照片和证书扫描件已清除。"))
    return lines


def register() -> None:
    """Called from ExpertsConfig.ready()."""
    privacy.register("experts", order=20, export=export, erase=erase)
