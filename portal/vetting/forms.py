"""The pipeline's forms: the reviewer's (a score per criterion and a comment, or a conflict) and the
public's objection during a notice period."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.localization.display import in_reader_script

from .enums import ObjectionOutcome

# Up to this many possible scores a criterion offers them as buttons; beyond, a number to type.
MOST_BUTTONS = 11


class ReviewForm(forms.Form):
    """A reviewer's scores per criterion and comment, or a declared conflict of interest.
    `criteria`: the submission's review_criteria(), (key, label, lowest, highest) each."""

    SCORE, CONFLICT = "score", "conflict"
    action = forms.ChoiceField(choices=[(SCORE, SCORE), (CONFLICT, CONFLICT)], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    conflict_note = forms.CharField(label=_("利益冲突说明"), required=False, max_length=200)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for key, label, low, high in self.criteria:
            if high - low + 1 <= MOST_BUTTONS:
                field: forms.Field = forms.TypedChoiceField(
                    label=label,
                    choices=[(value, value) for value in range(low, high + 1)],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.IntegerField(
                    label=label,
                    min_value=low,
                    max_value=high,
                    required=False,
                    help_text=_("%(low)s–%(high)s 分") % {"low": low, "high": high},
                )
            self.fields[f"score_{key}"] = field

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.SCORE:
            for key, *_rest in self.criteria:
                if cleaned.get(f"score_{key}") in (None, "") and f"score_{key}" not in self.errors:
                    self.add_error(f"score_{key}", _("请评分。"))
            if not (cleaned.get("comment") or "").strip():
                self.add_error("comment", _("请填写评审意见。"))
        return cleaned

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"score_{key}"] for key, *_rest in self.criteria}


class ObjectionForm(forms.Form):
    """异议: anyone may object during a notice period. Never shown publicly. `entries`: (pk, label) of
    each entry in the notice, which the objection may name."""

    entry = forms.TypedChoiceField(label=_("所涉人员"), coerce=int, required=False, empty_value=None)
    name = forms.CharField(label=_("您的姓名"), max_length=50)
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, help_text=_("手机号码或电子邮箱，仅用于核实情况，不会公开")
    )
    grounds = forms.CharField(
        label=_("异议理由"),
        max_length=5000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明事实和依据"),
    )
    # Left empty by people; filled in by form-filling robots (see objections.is_robot).
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, entries=(), entry_label=None, no_entry_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entry_label:
            self.fields["entry"].label = entry_label
        cast(forms.TypedChoiceField, self.fields["entry"]).choices = [("", no_entry_label or _("不针对具体人员"))] + [
            (pk, in_reader_script(label)) for pk, label in entries
        ]
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写此项。")
        self.fields["grounds"].error_messages["min_length"] = _("请把异议理由写得具体一些（至少 10 个字）。")


class ObjectionResolutionForm(forms.Form):
    """Staff record whether an objection is upheld, and why; an upheld one names the entry it concerns.
    `entries`: (pk, label) of each entry of the notice."""

    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (ObjectionOutcome.UPHELD, ObjectionOutcome.UPHELD.label),
            (ObjectionOutcome.DISMISSED, ObjectionOutcome.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    entry = forms.TypedChoiceField(label=_("所涉对象"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, entries=(), entry_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entry_label:
            self.fields["entry"].label = entry_label
        cast(forms.TypedChoiceField, self.fields["entry"]).choices = [("", "—"), *entries]
        self.fields["note"].error_messages["required"] = _("请填写处理意见。")
