"""The forms of the batch screens: opening a batch and adding applications to it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from .. import services
from ..models import (
    ExpertApplication,
)


class OpenBatchForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AddApplicationsForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("拟入库的申请"), queryset=ExpertApplication.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = services.proposed_applications()
        self.fields["applications"].label_from_instance = lambda item: f"{item.full_name}({item.employer})"
        self.fields["applications"].error_messages["required"] = _("请至少选择一份申请。")
