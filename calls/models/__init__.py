"""征集 · 评选 · 申报: calls published in the notice centre, the forms staff define for them, and what
people and organisations submit, on the review pipeline (portal/vetting).

A call is a notice (it is listed, searched and translated as one) with a form. The form is part of
the call page in the default language; its translations show the same form with the labels in
their language (English as typed, 繁體 converted). Every saved submission names the version of
the form it was filled in with, so a later change to the form never changes what was submitted.
"""

from .announcements import CallAnnouncement, CallCertificate, CallObjection, new_certificate_code
from .directory import Institution, InstitutionQuerySet
from .pages import (
    CHOICE_TYPES,
    MAX_TABLE_ROWS,
    REVIEWED_KINDS,
    CallCategory,
    CallCriterion,
    CallField,
    CallPage,
    in_language,
    lines,
    new_key,
)
from .submissions import (
    OPEN_STATUSES,
    CallReminder,
    CallReview,
    CallSubmission,
    CallSubmissionQuerySet,
    FormVersion,
    SubmissionFile,
    submission_file_path,
)

__all__ = [
    "CHOICE_TYPES",
    "MAX_TABLE_ROWS",
    "OPEN_STATUSES",
    "REVIEWED_KINDS",
    "CallAnnouncement",
    "CallCategory",
    "CallCertificate",
    "CallCriterion",
    "CallField",
    "CallObjection",
    "CallPage",
    "CallReminder",
    "CallReview",
    "CallSubmission",
    "CallSubmissionQuerySet",
    "FormVersion",
    "Institution",
    "InstitutionQuerySet",
    "SubmissionFile",
    "in_language",
    "lines",
    "new_certificate_code",
    "new_key",
    "submission_file_path",
]
