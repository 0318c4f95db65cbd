"""The form a call's submitters fill in, built from the version of the form staff defined.

Every field may be left empty in a draft; submitting asks for the required ones. Answers are kept
as JSON under each field's key: text as typed, numbers as text (exact), dates as YYYY-MM-DD,
choices as the option's position (so the option reads the same in every language), yes/no as
true or false, tables as a list of rows. Files are kept beside the submission (SubmissionFile).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.uploads import SCAN_ACCEPT, PrivateFileInput, UploadField

from .enums import FieldType
from .models import MAX_TABLE_ROWS, in_language

BLANK_TABLE_ROWS = 3
MAX_CELL_LENGTH = 200
MAX_TEXT_LENGTH = {FieldType.SHORT_TEXT: 200, FieldType.LONG_TEXT: 5000}


def option_labels(definition: dict, name: str) -> list[str]:
    """The options (or columns) of a field in the reader's language."""
    chinese, english = definition.get(name, []), definition.get(f"{name}_en", [])
    return [in_language(text, english[index] if index < len(english) else "") for index, text in enumerate(chinese)]


class TableWidget(forms.Widget):
    """Rows of cells, one text input per column; blank rows to fill in, and a button (with script)
    that adds another. Without script, saving the draft gives three more blank rows."""

    def __init__(self, columns: list[str], attrs=None):
        super().__init__(attrs)
        self.columns = columns

    def value_from_datadict(self, data, files, name):
        rows = []
        for index in range(MAX_TABLE_ROWS + BLANK_TABLE_ROWS):
            cells = [data.get(f"{name}-{index}-{column}") for column in range(len(self.columns))]
            if all(cell is None for cell in cells):
                continue
            rows.append([(cell or "").strip() for cell in cells])
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        rows = [row for row in (value or []) if isinstance(row, list)]
        rows = [*rows, *([[""] * len(self.columns)] * BLANK_TABLE_ROWS)][: MAX_TABLE_ROWS + BLANK_TABLE_ROWS]
        label_id = (attrs or {}).get("id", name)
        head = format_html_join("", '<th scope="col">{}</th>', ((column,) for column in self.columns))
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html_join(
                        "",
                        '<td data-label="{}">'
                        '<input type="text" name="{}-{}-{}" value="{}" maxlength="{}" aria-label="{}"></td>',
                        (
                            (
                                label,
                                name,
                                index,
                                column,
                                row[column] if column < len(row) else "",
                                MAX_CELL_LENGTH,
                                label,
                            )
                            for column, label in enumerate(self.columns)
                        ),
                    ),
                )
                for index, row in enumerate(rows)
            ),
        )
        return format_html(
            '<div class="table-field" id="{}" data-table-field>'
            '<table class="data-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
            '<button type="button" class="button button--secondary" data-add-row hidden>{}</button></div>',
            label_id,
            head,
            body,
            _("添加一行"),
        )


class TableField(forms.Field):
    widget = TableWidget

    def __init__(self, columns: list[str], **kwargs):
        self.columns = columns
        super().__init__(widget=TableWidget(columns), **kwargs)

    def to_python(self, value):
        rows = [row for row in (value or []) if any(row)]
        if len(rows) > MAX_TABLE_ROWS:
            raise ValidationError(_("表格最多 %(count)s 行。") % {"count": MAX_TABLE_ROWS})
        if any(len(cell) > MAX_CELL_LENGTH for row in rows for cell in row):
            raise ValidationError(_("每个单元格最多 %(count)s 个字。") % {"count": MAX_CELL_LENGTH})
        return rows


YES_NO = (("yes", _("是")), ("no", _("否")))
SELF, OTHER = "self", "other"


def build_field(definition: dict, *, file_url: str = "") -> forms.Field:
    """The Django form field of one field of the form, never required as such (drafts may be partial)."""
    kind = definition["type"]
    options: dict = {
        "label": in_language(definition["label"], definition.get("label_en", "")),
        "help_text": in_language(definition.get("help", ""), definition.get("help_en", "")),
        "required": False,
    }
    if kind in MAX_TEXT_LENGTH:
        widget = forms.Textarea(attrs={"rows": 6}) if kind == FieldType.LONG_TEXT else forms.TextInput
        field: forms.Field = forms.CharField(max_length=MAX_TEXT_LENGTH[kind], widget=widget, **options)
    elif kind == FieldType.NUMBER:
        field = forms.DecimalField(max_digits=14, decimal_places=2, **options)
    elif kind == FieldType.DATE:
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    elif kind == FieldType.CHOICE:
        choices = [(str(index), label) for index, label in enumerate(option_labels(definition, "choices"))]
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
    elif kind == FieldType.MULTIPLE_CHOICE:
        choices = [(str(index), label) for index, label in enumerate(option_labels(definition, "choices"))]
        field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **options)
    elif kind == FieldType.YES_NO:
        field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **options)
    elif kind == FieldType.FILE:
        field = UploadField(widget=PrivateFileInput(attrs=SCAN_ACCEPT, url=file_url), **options)
    else:
        field = TableField(option_labels(definition, "columns"), **options)
    field.required_on_submit = definition.get("required", False)  # type: ignore[attr-defined]  # marked with *
    return field


def to_answer(kind: str, value):
    """A cleaned value as it is kept in the answers (None for empty)."""
    if value in (None, "", [], ()):
        return None
    if kind == FieldType.NUMBER:
        return str(value.normalize()) if isinstance(value, Decimal) else str(value)
    if kind == FieldType.DATE:
        return value.isoformat()
    if kind == FieldType.CHOICE:
        return int(value)
    if kind == FieldType.MULTIPLE_CHOICE:
        return sorted(int(item) for item in value)
    if kind == FieldType.YES_NO:
        return value == "yes"
    return value


def to_initial(kind: str, answer):
    """A kept answer as the form shows it again."""
    if answer is None:
        return None
    if kind == FieldType.DATE:
        return datetime.date.fromisoformat(answer)
    if kind == FieldType.CHOICE:
        return str(answer)
    if kind == FieldType.MULTIPLE_CHOICE:
        return [str(item) for item in answer]
    if kind == FieldType.YES_NO:
        return "yes" if answer else "no"
    return answer


class SubmissionForm(forms.Form):
    """A call's form in the reader's language. `submitting` asks for the required fields and a category."""

    def __init__(
        self,
        version,
        *args,
        submitting: bool = False,
        answers=None,
        category_key="",
        files=None,
        self_assessment: bool = False,
        self_scores=None,
        nomination: bool = False,
        nominee_email: str = "",
        **kwargs,
    ):
        """`files`: {field key: (kept FieldFile, URL to view it)} of the files already attached.
        `self_assessment`: the submitter also scores themselves against the reviewers' criteria."""
        files = files or {}
        answers = answers or {}
        self_scores = self_scores or {}
        super().__init__(*args, **kwargs)
        self.version, self.submitting = version, submitting
        if nomination:
            self.fields["nominate"] = forms.ChoiceField(
                label=_("推荐对象"),
                choices=[(SELF, _("本人申报")), (OTHER, _("推荐其他会员"))],
                widget=forms.RadioSelect,
                initial=OTHER if nominee_email else SELF,
                required=False,
            )
            self.fields["nominee_email"] = forms.EmailField(
                label=_("被推荐人的账户邮箱"),
                help_text=_("被推荐人须为会籍正常的会员；提交后我们会请被推荐人确认同意"),
                required=False,
                initial=nominee_email,
            )
        self.definitions = {field["key"]: field for field in version.fields}
        if version.categories:
            self.fields["category"] = forms.ChoiceField(
                label=_("申报类别"),
                choices=[("", "—")]
                + [
                    (category["key"], in_language(category["name"], category["name_en"]))
                    for category in version.categories
                ],
                required=False,
                initial=category_key,
            )
            self.fields["category"].required_on_submit = True  # type: ignore[attr-defined]
        for key, definition in self.definitions.items():
            kept, url = files.get(key, (None, ""))
            field = build_field(definition, file_url=url)
            field.initial = (
                kept if definition["type"] == FieldType.FILE else to_initial(definition["type"], answers.get(key))
            )
            self.fields[f"f_{key}"] = field
        self.self_criteria = version.review_criteria() if self_assessment else []
        for key, label, low, high in self.self_criteria:
            field = forms.IntegerField(
                label=_("自评：%(criterion)s（满分 %(marks)s）") % {"criterion": label, "marks": high},
                min_value=low,
                max_value=high,
                required=False,
                initial=self_scores.get(key),
            )
            field.required_on_submit = True  # type: ignore[attr-defined]
            self.fields[f"self_{key}"] = field

    def clean(self):
        cleaned = super().clean()
        if not self.submitting:
            return cleaned
        if "category" in self.fields and not cleaned.get("category"):
            self.add_error("category", _("请选择申报类别。"))
        if cleaned.get("nominate") == OTHER and not cleaned.get("nominee_email") and "nominee_email" not in self.errors:
            self.add_error("nominee_email", _("请填写被推荐人的账户邮箱。"))
        for key, definition in self.definitions.items():
            name = f"f_{key}"
            if not definition.get("required") or name in self.errors:
                continue
            value = cleaned.get(name)
            if definition["type"] == FieldType.FILE:
                empty = value is False or (not value and not self.fields[name].initial)
                if empty:
                    self.add_error(name, _("请上传文件。"))
            elif value in (None, "", [], ()):
                self.add_error(name, _("请填写这一项。"))
        for key, *_rest in self.self_criteria:
            if cleaned.get(f"self_{key}") is None and f"self_{key}" not in self.errors:
                self.add_error(f"self_{key}", _("请自评打分。"))
        return cleaned

    def self_scores(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[f"self_{key}"]
            for key, *_rest in self.self_criteria
            if self.cleaned_data.get(f"self_{key}") is not None
        }

    def answers(self) -> dict:
        """What to keep: every answered field but the files."""
        return {
            key: answer
            for key, definition in self.definitions.items()
            if definition["type"] != FieldType.FILE
            and (answer := to_answer(definition["type"], self.cleaned_data.get(f"f_{key}"))) is not None
        }

    def nominee_email(self) -> str | None:
        """The e-mail of the member nominated, "" for oneself, None where the call takes no nominations."""
        if "nominate" not in self.fields:
            return None
        return self.cleaned_data.get("nominee_email", "") if self.cleaned_data.get("nominate") == OTHER else ""

    def file_changes(self) -> dict:
        """{field key: new clean upload, or False to remove the kept file} for the file fields changed."""
        changes = {}
        for key, definition in self.definitions.items():
            if definition["type"] != FieldType.FILE:
                continue
            value = self.cleaned_data.get(f"f_{key}")
            if value is False or (value and value != self.fields[f"f_{key}"].initial):
                changes[key] = value
        return changes

    def field_groups(self):
        """The bound fields in the order of the form, the category first."""
        return [self[name] for name in self.fields]
