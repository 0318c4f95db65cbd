"""机构名录: an accepted entry to a directory call becomes (or renews) its institution's public
profile, and the public finds institutions by keyword, district and service.

A directory holds hundreds of institutions, not millions: one query reads the name, district and
services of every match, the counts per filter are made from it, and one more reads the page shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import get_language

from portal.districts import District
from portal.localization.conversion import to_simplified
from portal.localization.display import in_reader_script

from . import display
from .enums import CallKind, FieldType, ProfileField
from .models import CallSubmission, Institution

PER_PAGE = 20
MAX_QUERY = 100


def _tagged(submission: CallSubmission, tag: str) -> dict | None:
    return next((field for field in submission.form_version.fields if field.get("profile") == tag), None)


def _district(submission: CallSubmission) -> str:
    """The District an entry's district field names, matched by its Chinese label."""
    definition = _tagged(submission, ProfileField.DISTRICT)
    if definition is None:
        return ""
    answer = submission.answers.get(definition["key"])
    choices = definition.get("choices", [])
    label = choices[answer] if isinstance(answer, int) and 0 <= answer < len(choices) else str(answer or "")
    return next((value for value, name in District.choices if str(name) == label), "")


def _services(submission: CallSubmission) -> tuple[list[str], list[str]]:
    definition = _tagged(submission, ProfileField.SERVICES)
    if definition is None:
        return [], []
    chosen = submission.answers.get(definition["key"]) or []
    chinese, english = definition.get("choices", []), definition.get("choices_en", [])
    indexes = [index for index in chosen if isinstance(index, int) and 0 <= index < len(chinese)]
    return [chinese[index] for index in indexes], [
        english[index] if index < len(english) else chinese[index] for index in indexes
    ]


@transaction.atomic
def publish(submission: CallSubmission) -> Institution | None:
    """Make or renew the public profile of an accepted directory entry: one per organisation (the
    newest accepted entry is shown), or per entry where a person submitted it."""
    if submission.call.kind != CallKind.DIRECTORY:
        return None
    name_field = _tagged(submission, ProfileField.NAME)
    name = str(submission.answers.get(name_field["key"], "")) if name_field else ""
    services, services_en = _services(submission)
    public = [answer for answer in display.answers(submission, files={}) if answer.public]
    texts = [answer.text for answer in public if answer.text] + [
        " ".join(row) for answer in public for row in answer.rows
    ]
    values = {
        "submission": submission,
        "name": name or submission.submitter_name,
        "district": _district(submission),
        "services": services,
        "services_en": services_en,
        "search_text": to_simplified(" ".join([name, *texts, *services, *services_en])).lower(),
    }
    if submission.organisation_id:
        institution, _created = Institution.objects.update_or_create(
            organisation_id=submission.organisation_id, defaults=values
        )
    else:
        institution, _created = Institution.objects.update_or_create(submission=submission, defaults=values)
    return institution


# Finding institutions ----------------------------------------------------------------------------------


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Results:
    ids: list[int]
    facets: dict[str, list[Facet]] = field(default_factory=dict)


def service_label(chinese: str, english: str) -> str:
    if (get_language() or "").startswith("en"):
        return english or chinese
    return in_reader_script(chinese)


def search(text: str = "", district: str = "", service: str = "") -> Results:
    """The listed institutions matching every word of `text` (in 简体, 繁體 or English), in the
    district and offering the service chosen, with the counts each other choice would give."""
    rows = Institution.objects.listed()
    for word in to_simplified(text[:MAX_QUERY]).lower().split():
        rows = rows.filter(search_text__contains=word)
    matches = list(rows.values_list("pk", "district", "services", "services_en").order_by("name", "pk"))
    in_district = [row for row in matches if not district or row[1] == district]
    with_service = [row for row in matches if not service or service in row[2]]
    district_counts: dict[str, int] = {}
    for _pk, value, _services, _english in with_service:
        if value:
            district_counts[value] = district_counts.get(value, 0) + 1
    service_counts: dict[str, tuple[str, int]] = {}
    for _pk, _district, chinese, english in in_district:
        for index, name in enumerate(chinese):
            label = english[index] if index < len(english) else name
            service_counts[name] = (label, service_counts.get(name, ("", 0))[1] + 1)
    return Results(
        ids=[row[0] for row in in_district if not service or service in row[2]],
        facets={
            "district": [
                Facet(value, str(label), district_counts[value], value == district)
                for value, label in District.choices
                if value in district_counts
            ],
            "service": [
                Facet(name, service_label(name, label), count, name == service)
                for name, (label, count) in sorted(service_counts.items(), key=lambda item: -item[1][1])
            ],
        },
    )


def profile_answers(institution: Institution) -> list[display.Answer]:
    """What the profile shows: the entry's public answers in the reader's language; files aside, and
    the name and district, which head the profile already."""
    submission = institution.submission
    shown_above = (ProfileField.NAME, ProfileField.DISTRICT)
    skipped = {
        definition["key"]
        for definition in submission.form_version.fields
        if definition["type"] == FieldType.FILE or definition.get("profile") in shown_above
    }
    return [answer for answer in display.answers(submission, files={}) if answer.public and answer.key not in skipped]
