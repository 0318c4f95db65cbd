"""The aid forms on the public site: registering with a programme, asking for another counsellor,
and the counsellor's session log and risk report. Sealed fields are filled from these plain forms."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.districts import District
from portal.forms import clean_mobile
from portal.uploads import UploadField

from .enums import Mode, Need, Risk
from .services import CONSENT_TEXT

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _chinese_required_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        field.error_messages["required"] = _("请填写此项。")


class RegistrationForm(forms.Form):
    """援助登记: who the person is, their deployment and its proof, what they need, and two explicit
    declarations (eligibility and consent) without which nothing is saved."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    workplace = forms.CharField(label=_("工作单位"), max_length=100, help_text=_("驰援时所在的医院或单位"))
    deployed_from = forms.DateField(label=_("驰援开始日期"), widget=DATE_INPUT)
    deployed_to = forms.DateField(label=_("驰援结束日期"), widget=DATE_INPUT)
    deployment_place = forms.CharField(
        label=_("驰援地点"), max_length=100, help_text=_("如：武汉市金银潭医院、某方舱医院")
    )
    proof = UploadField(
        label=_("驰援证明"),
        help_text=_("派出单位的证明、荣誉证书或通知的照片或扫描件：JPG、PNG 或 PDF，不超过 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    needs = forms.MultipleChoiceField(
        label=_("需求类别"), choices=Need.choices, widget=forms.CheckboxSelectMultiple, help_text=_("可以多选")
    )
    needs_detail = forms.CharField(
        label=_("需求说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("简单说说您希望得到哪些帮助（选填）"),
    )
    preferred_mode = forms.ChoiceField(label=_("希望的方式"), choices=Mode.choices, widget=forms.RadioSelect)
    preferred_times = forms.CharField(
        label=_("方便的时间"), required=False, max_length=200, help_text=_("如：工作日晚上、周末上午（选填）")
    )
    district = forms.ChoiceField(label=_("所在区市县"), choices=[("", "—"), *District.choices])
    eligible = forms.BooleanField(label=_("本人属于本项目的援助对象"))
    consent = forms.BooleanField(label=CONSENT_TEXT)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese_required_messages(self)
        eligibility = " ".join(programme.eligibility.split())
        self.fields["eligible"].label = format_lazy(_("本人属于本项目的援助对象：{}"), eligibility)
        self.fields["eligible"].error_messages["required"] = _(
            "本项目只为符合条件的人员提供援助，请确认您属于本项目的援助对象。"
        )
        self.fields["consent"].error_messages["required"] = _("请阅读并同意处理敏感个人信息的说明，否则无法登记。")
        self.fields["needs"].error_messages["required"] = _("请至少选择一项需求类别。")
        self.fields["preferred_mode"].error_messages["required"] = _("请选择希望的方式。")
        self.fields["district"].error_messages["required"] = _("请选择所在区市县。")
        self.fields["proof"].error_messages["required"] = _("请上传驰援证明。")
        if self.is_bound:
            # A browser never sends a chosen file back with the page: say so next to the field.
            self.fields["proof"].help_text = _("出于安全考虑，页面重新显示后需要再次选择驰援证明文件。")

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("deployed_from"), cleaned.get("deployed_to")
        if start and start > timezone.localdate():
            self.add_error("deployed_from", _("开始日期不能晚于今天。"))
        if start and end and end < start:
            self.add_error("deployed_to", _("结束日期不能早于开始日期。"))
        return cleaned

    def personal(self) -> dict[str, str]:
        """The values sealed with the case; the deployment's dates and place make one text."""
        data = self.cleaned_data
        deployment = _("%(start)s 至 %(end)s，%(place)s") % {
            "start": data["deployed_from"].isoformat(),
            "end": data["deployed_to"].isoformat(),
            "place": data["deployment_place"].strip(),
        }
        return {
            "full_name": data["full_name"].strip(),
            "phone": data["phone"],
            "workplace": data["workplace"].strip(),
            "deployment": deployment,
            "needs_detail": data["needs_detail"].strip(),
            "preferred_times": data["preferred_times"].strip(),
        }


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("原因（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("只有援助协调员可以看到，咨询师看不到"),
        error_messages={"max_length": _("请不要超过 1000 字。")},
    )


class IdempotentForm(forms.Form):
    """A form carrying a key made when it was shown: sent twice (a double click), it acts once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        _chinese_required_messages(self)


class SessionForm(IdempotentForm):
    held_on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    minutes = forms.IntegerField(
        label=_("时长（分钟）"), min_value=1, max_value=600, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    mode = forms.ChoiceField(label=_("方式"), choices=Mode.choices, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("咨询记录"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("加密保存，只有负责的咨询师和援助协调员可以查看"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["minutes"].error_messages.update(
            min_value=_("时长应在 1 至 600 分钟之间。"), max_value=_("时长应在 1 至 600 分钟之间。")
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("咨询日期不能晚于今天。"))
        return held_on


class RiskForm(IdempotentForm):
    kinds = forms.MultipleChoiceField(label=_("风险类型"), choices=Risk.choices, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(
        label=_("情况说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("加密保存；发给援助协调员的通知只包含案例编号和风险类型"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].error_messages["required"] = _("请选择风险类型。")
        self.fields["note"].error_messages["required"] = _("请简要说明情况。")
