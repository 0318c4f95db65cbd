"""Forms of 账户与隐私: asking for the account to be closed, and an officer's decision on it."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from portal.ratelimit import count

# Wrong confirmations allowed per hour before the form stops checking them (a session left open
# elsewhere cannot be used to guess the password here).
CONFIRM_ATTEMPTS = 5


class ClosureRequestForm(forms.Form):
    """The person confirms it is them (their password, or their address if they have no password)."""

    password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput(render_value=False), strip=False)
    email = forms.CharField(label=_("您的电子邮箱"), max_length=254)
    reason = forms.CharField(
        label=_("注销原因（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可以不填；注销完成后这段文字也会被清除。"),
    )
    understood = forms.BooleanField(
        label=_("我已了解：注销后将无法登录，个人信息将被清除且无法恢复；会费账单和缴费记录按会计档案要求保留。"),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["email"]
        else:
            del self.fields["password"]
            self.fields["email"].help_text = _("请输入本账户的电子邮箱以确认是您本人。")

    def _attempts_key(self) -> str:
        return f"members:closure-confirm:{self.user.pk}"

    def clean(self):
        data = super().clean()
        key = self._attempts_key()
        if cache.get(key, 0) >= CONFIRM_ATTEMPTS:
            raise forms.ValidationError(_("确认失败次数过多，请一小时后再试。"))
        if "password" in self.fields and "password" in data and not self.user.check_password(data["password"]):
            self._failed(key)
            self.add_error("password", _("密码不正确。"))
        if "email" in self.fields and "email" in data and data["email"].strip().lower() != self.user.email.lower():
            self._failed(key)
            self.add_error("email", _("与本账户的电子邮箱不一致。"))
        return data

    @staticmethod
    def _failed(key: str) -> None:
        count(key)


class ClosureDecisionForm(forms.Form):
    CLOSE, REFUSE = "close", "refuse"

    action = forms.ChoiceField(
        label=_("处理"),
        choices=[(CLOSE, _("注销账户（清除个人信息）")), (REFUSE, _("不予注销"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("不予注销的理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予注销时必填，申请人会看到它"),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REFUSE and not data.get("note", "").strip():
            self.add_error("note", _("请填写不予注销的理由，申请人会看到它。"))
        return data
