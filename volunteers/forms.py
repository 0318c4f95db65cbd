"""Forms of the volunteer section: applying to a drive (with the drive's own questions) and reporting hours."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import clean_mobile

from . import services
from .enums import QuestionKind
from .models import RecruitmentQuestion

QUESTION_PREFIX = "question_"


class ApplicationForm(forms.Form):
    """Name, phone and motivation, then one field per question of the drive, in the drive's order."""

    full_name = forms.CharField(
        label=gettext_lazy("姓名"),
        max_length=50,
        error_messages={"required": gettext_lazy("请填写姓名。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("手机号码"),
        max_length=20,
        error_messages={"required": gettext_lazy("请填写手机号码。")},
        help_text=gettext_lazy("协调员会通过这个号码与您联系。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    motivation = forms.CharField(
        label=gettext_lazy("报名理由"),
        max_length=2000,
        error_messages={"required": gettext_lazy("请填写报名理由。")},
        help_text=gettext_lazy("为什么想参加，有哪些相关的经历或特长。"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, questions: list[RecruitmentQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = question_field(question)

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data.get("phone", ""))

    def question_fields(self):
        return [self[f"{QUESTION_PREFIX}{question.pk}"] for question in self.questions]

    def answers(self) -> list[dict]:
        """[{"question": label, "answer": text}]: each question as the applicant read it, with the answer shown."""
        answers = []
        for question in self.questions:
            name = f"{QUESTION_PREFIX}{question.pk}"
            value = self.cleaned_data.get(name, "")
            choices = dict(self.fields[name].choices) if hasattr(self.fields[name], "choices") else {}
            answers.append({"question": question.label, "answer": str(choices.get(value, value)) if value else ""})
        return answers


def yes_no_choices() -> list[tuple[str, str]]:
    return [("yes", _("是")), ("no", _("否"))]


def question_field(question: RecruitmentQuestion) -> forms.Field:
    """The form field of one of a drive's questions: a line, a paragraph, one of its options, or yes/no."""
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": {"required": _("请回答这个问题。"), "invalid_choice": _("请从选项中选择一项。")},
    }
    options = question.option_list()
    if question.kind == QuestionKind.CHOICE and options:
        return forms.ChoiceField(choices=[(option, option) for option in options], widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=yes_no_choices(), widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.TEXTAREA:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    return forms.CharField(max_length=200, **common)


def initial_answers(questions: list[RecruitmentQuestion], answers: list[dict]) -> dict:
    """The form's initial values from answers given before (an application withdrawn and sent again)."""
    given = {answer.get("question"): answer.get("answer", "") for answer in answers or []}
    initial = {}
    for question in questions:
        value = given.get(question.label)
        if not value:
            continue
        field = question_field(question)
        if hasattr(field, "choices"):
            by_label = {str(label): key for key, label in field.choices}
            value = by_label.get(value)
        if value:
            initial[f"{QUESTION_PREFIX}{question.pk}"] = value
    return initial


class HoursForm(forms.Form):
    """The hours a volunteer served at an activity, for a coordinator to confirm."""

    hours = forms.CharField(
        label=gettext_lazy("服务时长（小时）"),
        max_length=6,
        error_messages={"required": gettext_lazy("请填写服务时长（小时），如 2.5。")},
        help_text=gettext_lazy("0.5 至 24 小时，如 2.5。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("如提前离开、延长服务等，协调员确认时会参考。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_hours(self):
        try:
            return services.parse_hours(self.cleaned_data["hours"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
