"""The reviewer's form of the review pipeline: a score per criterion and a comment, or a conflict."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
