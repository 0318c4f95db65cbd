"""The consultation request form (留言咨询) of the counselling centre page."""

import re
import time
import uuid

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

SIGNER_SALT = "home.consultation"
MIN_SECONDS = 3  # a person takes longer than this to fill the form in
TOKEN_MAX_AGE = 24 * 3600


def new_token() -> str:
    """When the form was given out and a nonce: signed, so it is ours, and unique, so a second click saves nothing."""
    return signing.TimestampSigner(salt=SIGNER_SALT).sign(f"{int(time.time())}:{uuid.uuid4().hex}")


def read_token(token: str) -> tuple[str, float] | None:
    """The nonce of a token we gave out and how many seconds ago, or None for one we did not."""
    try:
        started, nonce = signing.TimestampSigner(salt=SIGNER_SALT).unsign(token, max_age=TOKEN_MAX_AGE).split(":")
        return nonce, time.time() - int(started)
    except (signing.BadSignature, ValueError):
        return None


def validate_contact(value: str) -> None:
    """A telephone number (at least seven digits) or an e-mail address: something to call back on."""
    if len(re.sub(r"\D", "", value)) < 7 and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()):
        raise forms.ValidationError(_("请填写可以联系到您的电话号码或电子邮箱。"))


class ConsultationForm(forms.Form):
    name = forms.CharField(label=_("称呼"), max_length=40, help_text=_("可以只写姓氏，如“王女士”。"))
    contact = forms.CharField(
        label=_("联系电话或邮箱"),
        max_length=80,
        validators=[validate_contact],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "text"}),
    )
    preferred_time = forms.CharField(
        label=_("方便联系的时间"), max_length=80, required=False, help_text=_("例如：工作日下午、周六上午。")
    )
    message = forms.CharField(
        label=_("想咨询的问题"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("简要说明即可（500字以内），详细情况可在通话时再谈。"),
    )
    consent = forms.BooleanField(
        label=_("我已阅读隐私政策，同意协会为安排咨询使用以上信息。"),
        error_messages={"required": _("请勾选同意后再提交。")},
    )
    # Left empty by people (it is hidden from them); robots fill in every field.
    website = forms.CharField(required=False, label=_("网址（请留空）"))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", new_token())
        super().__init__(*args, **kwargs)
        self.token_expired = False
        if self.is_bound and read_token(self.data.get("token", "")) is None and not self.data.get("website"):
            # Open for a day, or not ours: what was typed is shown again with a fresh token to send it with.
            self.data = self.data.copy()
            self.data["token"] = new_token()
            self.token_expired = True
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        if self.token_expired:
            raise forms.ValidationError(_("页面打开的时间太久了，请检查后再提交一次。"))
        return super().clean()

    def is_robot(self) -> bool:
        """Filled in the hidden field, or sent faster than a person could fill the form in."""
        if self.data.get("website"):
            return True
        read = None if self.token_expired else read_token(self.data.get("token", ""))
        return read is not None and read[1] < MIN_SECONDS

    def nonce(self) -> str:
        read = read_token(self.cleaned_data["token"])
        return read[0] if read else uuid.uuid4().hex
