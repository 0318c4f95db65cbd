"""What the portal's forms share: fields a submission on the review pipeline needs, and the mainland
mobile number every contact form asks for."""

from django import forms
from django.utils.translation import gettext_lazy as _


def require_on_submit(form, names, *, submitting: bool) -> None:
    """Fields a draft may leave empty but a submission needs: required when submitting, and
    marked as required (`required_on_submit`) on the draft, so people see what they will need."""
    for name in names:
        field = form.fields[name]
        field.required_on_submit = True
        if submitting:
            field.required = True


def clean_mobile(value: str) -> str:
    """A mainland mobile number, spaces removed: 11 digits starting with 1."""
    phone = "".join(value.split())
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise forms.ValidationError(_("请填写 11 位手机号码。"))
    return phone
