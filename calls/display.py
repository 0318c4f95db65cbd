"""A submission's answers as people read them, in the labels of the form version it was made with."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .enums import FieldType
from .forms import option_labels
from .models import CallSubmission, in_language


@dataclass
class Answer:
    label: str
    key: str = ""
    text: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    file_url: str = ""
    public: bool = False


def answers(submission: CallSubmission, files: dict | None = None) -> list[Answer]:
    """Each field of the submission's form version with what was answered ("—" where nothing was).
    `files`: {field key: SubmissionFile}, else read from the submission (one query)."""
    if files is None:
        files = {kept.field_key: kept for kept in submission.files.all()}
    shown = []
    for definition in submission.form_version.fields:
        key, kind = definition["key"], definition["type"]
        answer = Answer(label=in_language(definition["label"], definition.get("label_en", "")), key=key)
        answer.public = definition.get("public", False)
        value = submission.answers.get(key)
        if kind == FieldType.FILE:
            if key in files:
                answer.file_url = reverse("calls:file", args=[submission.pk, key])
                answer.text = _("查看文件")
        elif kind == FieldType.TABLE:
            answer.columns = option_labels(definition, "columns")
            answer.rows = [list(row) for row in value or []]
        elif kind == FieldType.CHOICE and value is not None:
            options = option_labels(definition, "choices")
            answer.text = options[value] if 0 <= value < len(options) else ""
        elif kind == FieldType.MULTIPLE_CHOICE and value:
            options = option_labels(definition, "choices")
            separator = ", " if (get_language() or "").startswith("en") else "、"
            answer.text = separator.join(options[index] for index in value if 0 <= index < len(options))
        elif kind == FieldType.YES_NO and value is not None:
            answer.text = _("是") if value else _("否")
        elif value is not None:
            answer.text = str(value)
        shown.append(answer)
    return shown


def self_assessment(submission: CallSubmission) -> list[tuple[str, int | None, int]]:
    """(criterion, the submitter's own score, full marks) of an evaluation, else nothing."""
    if not submission.self_scores:
        return []
    return [(label, submission.self_scores.get(key), high) for key, label, _low, high in submission.review_criteria()]
