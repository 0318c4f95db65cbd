"""The forms of the membership officers' screens: importing members, payments, dues exemptions."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import Member, Payment, PaymentMethod


class CashPaymentForm(forms.Form):
    """Dues paid in cash or on site. The idempotency key is made when the page is shown, so a
    second click (or a resent form) records the payment once."""

    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    reference = forms.CharField(label=gettext_lazy("备注（如收款地点）"), required=False, max_length=100)


class ConfirmTransfersForm(forms.Form):
    """The bank transfers ticked on the list. Any transfer may be ticked: one a colleague confirmed
    meanwhile is counted and left alone, not refused with the others."""

    payment = forms.ModelMultipleChoiceField(
        queryset=Payment.objects.filter(method=PaymentMethod.TRANSFER),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("请先勾选要确认的转账。"),
            "invalid_choice": gettext_lazy("所选转账不存在，请刷新页面后重新勾选。"),
            "invalid_pk_value": gettext_lazy("所选转账不存在，请刷新页面后重新勾选。"),
        },
    )


class MemberImportForm(forms.Form):
    file = forms.FileField(label=_("CSV 文件"), help_text=_("UTF-8 编码，第一行为列名"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False, initial=True)


class DuesExemptionForm(WagtailAdminModelForm):
    """An exemption names the member by number (a list of every member would not fit on a page); the
    officer who records it is noted as the one who decided it."""

    member = forms.ModelChoiceField(
        label=gettext_lazy("会员编号"),
        queryset=Member.objects.all(),
        to_field_name="number",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid_choice": gettext_lazy("没有这个会员编号。"),
            "required": gettext_lazy("请填写会员编号。"),
        },
        help_text=gettext_lazy("例如：DL-2023-0001"),
    )

    def save(self, commit: bool = True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.granted_by = self.for_user
        return super().save(commit=commit)
