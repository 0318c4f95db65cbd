"""The admitted expert's public profile: what the directory searches and sorts by, the changes an expert
proposes to it, and the end of its term."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from portal.localization.conversion import to_simplified
from portal.mail import send_after_commit
from portal.vetting import services as vetting
from portal.vetting.enums import Status

from .. import index
from ..enums import ExpertStatus
from ..models import Expert, ExpertReminder, Profile, ProfileChange
from .applications import EMAIL, _tell

if TYPE_CHECKING:
    from members.models import User

# The directory's data ----------------------------------------------------------------------------


def public_text(expert: Profile) -> str:
    """Everything a keyword search may match: the consented fields only, in 简体, lower case."""
    parts = [expert.full_name]
    for specialty in expert.specialties.all():
        parts += [specialty.name, specialty.name_en]
    if expert.show_title:
        parts.append(expert.title)
    if expert.show_employer:
        parts.append(expert.employer)
    if expert.show_district and expert.district:
        parts.append(str(expert.get_district_display()))
    if expert.show_services:
        for service in expert.services.all():
            parts += [service.name, service.name_en]
    if expert.show_languages:
        for language in expert.languages.all():
            parts += [language.name, language.name_en]
    if expert.show_bio:
        parts.append(expert.bio)
    if expert.show_projects:
        parts += [expert.projects, expert.publications]
    return to_simplified("\n".join(part for part in parts if part)).lower()


def sort_name(name: str) -> str:
    """A name in toneless pinyin, for alphabetical order (李文静 → "li wen jing")."""
    return " ".join(lazy_pinyin(to_simplified(name).strip())).lower()[:200]


def refresh(expert: Expert) -> None:
    """Bring the stored search text and sort name and, where configured, the Elasticsearch
    document up to date."""
    with translation.override(settings.LANGUAGE_CODE):
        text = public_text(expert)
    expert.search_text, expert.sort_name = text, sort_name(expert.full_name)
    Expert.objects.filter(pk=expert.pk).update(search_text=expert.search_text, sort_name=expert.sort_name)
    index.update_later(expert.pk)


# Changes to the public profile -------------------------------------------------------------------


def propose_change(expert: Expert, *, by: User, values: dict, many: dict, photo=None) -> ProfileChange:
    """An expert proposes new public details; they go live only once a reviewer approves them."""
    data = {field: values[field] for field in Profile.SCALAR_FIELDS if field in values and field != "full_name"}
    data.update({field: sorted(int(pk) for pk in many[field]) for field in Profile.MANY_FIELDS if field in many})
    try:
        with transaction.atomic():
            change = ProfileChange.objects.create(expert=expert, applicant=by, data=data, photo=photo or "")
            vetting.move(change, Status.SUBMITTED, by=by)
    except IntegrityError as error:
        raise ValidationError(_("您已有一份资料修改在审核中，请等待审核结果。")) from error
    return change


@transaction.atomic
def approve_change(change: ProfileChange, *, by: User) -> Expert:
    change = vetting.move(change, Status.APPROVED, by=by)
    expert = Expert.objects.select_for_update().get(pk=change.expert_id)
    for field, value in change.data.items():
        if field in Profile.MANY_FIELDS:
            getattr(expert, field).set(value)
        elif field in Profile.SCALAR_FIELDS:
            setattr(expert, field, value)
    if change.photo:
        expert.photo = change.photo.name
    expert.save()
    refresh(expert)
    _tell(expert, "change_approved")
    return expert


def reject_change(change: ProfileChange, *, by: User, reason: str) -> ProfileChange:
    change = vetting.move(change, Status.REJECTED, by=by, note=reason)
    _tell(change.expert, "change_rejected", reason=reason)
    return change


# Re-certification --------------------------------------------------------------------------------


def send_recertification_reminders(today: datetime.date | None = None, days: list[int] | None = None) -> int:
    """E-mail experts whose admission ends within the reminder offsets: each offset once per term;
    a missed run sends only the nearest reminder due."""
    today = today or timezone.localdate()
    days = sorted(days or settings.EXPERT_REMINDER_DAYS)
    sent = 0
    horizon = today + datetime.timedelta(days=max(days))
    for expert in Expert.objects.listed(today).filter(expires_on__lte=horizon).select_related("user"):
        left = (expert.expires_on - today).days
        due = min((offset for offset in days if offset >= left), default=None)
        if due is None:
            continue
        try:
            with transaction.atomic():
                ExpertReminder.objects.create(
                    expert=expert, expires_on=expert.expires_on, days_before=due, email=expert.user.email
                )
        except IntegrityError:
            continue
        send_after_commit(EMAIL + "recertification_reminder", [expert.user.email], {"expert": expert, "left": left})
        sent += 1
    return sent


def expire_admissions(today: datetime.date | None = None, *, within_days: int = 31) -> int:
    """Take experts whose admission ended in the last `within_days` days out of the search index
    (the directory already hides them; a month covers missed daily runs without redoing every year)."""
    today = today or timezone.localdate()
    expired = list(
        Expert.objects.filter(
            status=ExpertStatus.ADMITTED,
            expires_on__lt=today,
            expires_on__gte=today - datetime.timedelta(days=within_days),
        ).values_list("pk", flat=True)
    )
    for pk in expired:
        index.update_later(pk)
    return len(expired)
