from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.templatetags.key_pages import agreed_versions
from portal.forms import clean_mobile, require_on_submit
from portal.uploads import SCAN_ACCEPT, PrivateFileInput, UploadField

from .models import Member, MembershipApplication, MembershipType


class SignupForm(AllauthSignupForm):
    """Sign-up (ACCOUNT_FORMS): an account is opened only for someone who agrees to the user agreement and
    the privacy policy; the template links both documents in the reader's language beside the box."""

    terms_agreed = forms.BooleanField(
        label=_("我已阅读并同意《用户协议》和《隐私政策》"),
        error_messages={"required": _("注册前请阅读并同意《用户协议》和《隐私政策》。")},
    )

    def custom_signup(self, request, user) -> None:
        """Keep when the person agreed, and to which version of each document."""
        user.terms_agreed_at = timezone.now()
        user.terms_agreed = agreed_versions(request)
        user.save(update_fields=["terms_agreed_at", "terms_agreed"])


# What a complete application must have (a draft may leave any of it blank).
REQUIRED_ON_SUBMIT = [
    "full_name",
    "phone",
    "employer",
    "district",
    "qualification",
    "certificate_number",
    "certificate_scan",
    "years_of_practice",
    "membership_type",
]


class MembershipApplicationForm(forms.ModelForm):
    """入会申请. `submitting` makes every field a complete application needs required."""

    class Meta:
        model = MembershipApplication
        fields = [
            "full_name",
            "phone",
            "employer",
            "district",
            "qualification",
            "qualification_other",
            "certificate_number",
            "certificate_scan",
            "years_of_practice",
            "membership_type",
            "organisation_name",
            "organisation_details",
            "charter_agreed",
        ]
        widgets = {
            "membership_type": forms.RadioSelect,
            "organisation_details": forms.Textarea(attrs={"rows": 4}),
            "certificate_scan": PrivateFileInput(attrs=SCAN_ACCEPT),
        }
        field_classes = {"certificate_scan": UploadField}

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["membership_type"].queryset = MembershipType.objects.filter(is_active=True)
        self.fields["membership_type"].empty_label = None
        self.fields["membership_type"].label_from_instance = lambda membership_type: membership_type.label
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["certificate_scan"].help_text = _("JPG、PNG 图片或 PDF，不超过 5 MB")
        if self.instance.pk and self.instance.certificate_scan:
            self.fields["certificate_scan"].widget.url = reverse("membership_certificate_scan", args=[self.instance.pk])
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写此项。")
        require_on_submit(self, REQUIRED_ON_SUBMIT, submitting=submitting)
        self.fields["charter_agreed"].required_on_submit = True  # checked in clean(), with its own message

    def clean_phone(self):
        return clean_mobile(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.submitting:
            return cleaned
        membership_type = cleaned.get("membership_type")
        if membership_type and membership_type.is_organisation:
            for name in ("organisation_name", "organisation_details"):
                if not cleaned.get(name):
                    self.add_error(name, _("团体会员和分支机构须填写单位信息。"))
        if cleaned.get("qualification") == "other" and not cleaned.get("qualification_other"):
            self.add_error("qualification_other", _("请写明您的资质。"))
        if not cleaned.get("charter_agreed"):
            self.add_error("charter_agreed", _("提交申请前须阅读并同意协会章程。"))
        return cleaned


class DecisionForm(forms.Form):
    """A membership officer's decision on an application."""

    APPROVE, REJECT, RETURN = "approve", "reject", "return"
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[(APPROVE, _("通过")), (RETURN, _("退回修改")), (REJECT, _("不通过"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回修改或不通过时必填，申请人会在邮件和网站上看到"),
    )
    joined_on = forms.DateField(
        label=_("入会日期"),
        required=False,
        help_text=_("通过时填写，留空为今天"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in (self.REJECT, self.RETURN) and not cleaned.get("note", "").strip():
            self.add_error("note", _("请填写理由，申请人会看到它。"))
        return cleaned


class TransferForm(forms.Form):
    """A member tells the association about their bank transfer (对公转账)."""

    reference = forms.CharField(label=_("转账流水号"), max_length=100)
    voucher = UploadField(
        label=_("转账凭证"), help_text=_("银行回单的截图或 PDF，不超过 5 MB"), widget=forms.FileInput(attrs=SCAN_ACCEPT)
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写此项。")


class PaymentDecisionForm(forms.Form):
    CONFIRM, REJECT, VOID, REFUND = "confirm", "rejected", "voided", "refunded"
    action = forms.ChoiceField(
        label=_("处理"),
        choices=[(CONFIRM, _("确认到账")), (REJECT, _("驳回")), (VOID, _("作废")), (REFUND, _("退款"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProfileForm(forms.ModelForm):
    """What a member keeps up to date themselves: contact details, reminders, the directory."""

    class Meta:
        model = Member
        fields = [
            "phone",
            "employer",
            "district",
            "dues_reminders",
            "directory_listed",
            "directory_show_employer",
            "directory_show_district",
            "directory_show_phone",
            "directory_show_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_phone(self):
        return clean_mobile(self.cleaned_data.get("phone", ""))


class ContactForm(forms.Form):
    """A person an organisation names to act for it, by the e-mail of their account."""

    email = forms.EmailField(
        label=_("联系人的账户邮箱"), help_text=_("对方需先用这个邮箱在本站注册账户"), max_length=254
    )
    role = forms.CharField(label=_("职务"), required=False, max_length=50, help_text=_("如：秘书长、办公室主任"))
