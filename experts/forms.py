from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.forms import clean_mobile, require_on_submit
from portal.uploads import SCAN_ACCEPT, PhotoField, PrivateFileInput, UploadField

from .models import Expert, ExpertApplication, ExpertQualification, Language, Profile, ServiceType, Specialty

PROFILE_FIELDS = [
    "full_name",
    "title",
    "employer",
    "district",
    "specialties",
    "services",
    "languages",
    "years_of_practice",
    "training_hours",
    "supervision_hours",
    "projects",
    "publications",
    "bio",
    "photo",
    "public_email",
    "public_phone",
    *Profile.CONSENTS,
]
REQUIRED_ON_SUBMIT = ["full_name", "employer", "district", "specialties", "years_of_practice", "bio", "phone"]


def _vocabulary_widgets(form: forms.ModelForm) -> None:
    for name, model in (("specialties", Specialty), ("services", ServiceType), ("languages", Language)):
        if name in form.fields:
            form.fields[name].queryset = model.objects.filter(is_active=True)
            form.fields[name].widget = forms.CheckboxSelectMultiple(choices=form.fields[name].choices)
            form.fields[name].label_from_instance = lambda term: term.label


class ProfileFieldsMixin:
    """What every form about an expert's public details shares: labels, widgets, checks."""

    def setup_profile_fields(self, *, photo_url: str = ""):
        """`photo_url`: where the photo kept so far is shown to the person filling in the form."""
        _vocabulary_widgets(self)
        for name in ("projects", "publications", "bio"):
            if name in self.fields:
                self.fields[name].widget = forms.Textarea(attrs={"rows": 4})
        if "photo" in self.fields:
            self.fields["photo"].widget = PrivateFileInput(
                attrs={"accept": "image/jpeg,image/png"},
                url=photo_url,
                initial_text=_("已上传的照片："),
                link_text=_("查看照片"),
            )
            self.fields["photo"].widget.is_required = self.fields["photo"].required
            self.fields["photo"].help_text = _("JPG 或 PNG，不超过 5 MB；仅在您同意时公开")
        if "public_phone" in self.fields:
            self.fields["public_phone"].widget.attrs["inputmode"] = "tel"
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写此项。")

    def consent_fields(self):
        return [self[name] for name in Profile.CONSENTS if name in self.fields]

    def clean_consents(self, cleaned):
        """A consent to show a field that is empty shows nothing: ask for the field instead."""
        for consent, fields in Profile.CONSENTS.items():
            if cleaned.get(consent) and consent in ("show_photo", "show_bio", "show_contact"):
                if not any(cleaned.get(name) or getattr(self.instance, name, None) for name in fields):
                    self.add_error(consent, _("同意公开前，请先填写相应内容。"))


class ExpertApplicationForm(ProfileFieldsMixin, forms.ModelForm):
    """入库申请. `submitting` makes every field a complete application needs required."""

    class Meta:
        model = ExpertApplication
        fields = [*PROFILE_FIELDS, "phone", "notice_consent"]
        field_classes = {"photo": PhotoField}

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        application = self.instance
        self.setup_profile_fields(
            photo_url=reverse("experts:application_file", args=[application.pk, "photo"]) if application.pk else ""
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        require_on_submit(self, REQUIRED_ON_SUBMIT, submitting=submitting)
        self.fields["notice_consent"].required_on_submit = True  # checked in clean(), with its own message

    def clean_phone(self):
        return clean_mobile(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        self.clean_consents(cleaned)
        if self.submitting and not cleaned.get("notice_consent"):
            self.add_error("notice_consent", _("入库前须经公示，提交申请前请同意公示您的姓名、工作单位和专长领域。"))
        return cleaned


class QualificationForm(forms.ModelForm):
    class Meta:
        model = ExpertQualification
        fields = ["name", "number", "issued_by", "year", "scan"]
        widgets = {"scan": PrivateFileInput(attrs=SCAN_ACCEPT)}
        field_classes = {"scan": UploadField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].help_text = _("JPG、PNG 图片或 PDF，不超过 5 MB，不公开")
        qualification = self.instance
        if qualification.pk and qualification.scan:
            self.fields["scan"].widget.url = reverse(
                "experts:application_file", args=[qualification.application_id, "certificate", qualification.pk]
            )
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写此项。")


class BaseQualificationFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self):
        super().clean()
        if not self.submitting:
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]
        if not kept:
            raise forms.ValidationError(_("请至少填写一项资质，并上传证书扫描件。"))


QualificationFormSet = forms.inlineformset_factory(
    ExpertApplication,
    ExpertQualification,
    form=QualificationForm,
    formset=BaseQualificationFormSet,
    extra=1,
    max_num=6,
    can_delete=True,
)


class ProfileChangeForm(ProfileFieldsMixin, forms.ModelForm):
    """An admitted expert's proposed public details (the name is changed by the association only)."""

    class Meta:
        model = Expert  # bound to the expert for its current values; saved as a ProfileChange, never directly
        fields = [name for name in PROFILE_FIELDS if name != "full_name"]
        field_classes = {"photo": PhotoField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_profile_fields(photo_url=reverse("experts:profile_photo") if self.instance.pk else "")
        self.fields["specialties"].required = True

    def clean(self):
        cleaned = super().clean()
        self.clean_consents(cleaned)
        return cleaned


class ChairDecisionForm(forms.Form):
    PROPOSE, RETURN, REJECT = "propose", "return", "reject"
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[(PROPOSE, _("拟入库，列入下一批公示")), (RETURN, _("退回修改")), (REJECT, _("不予入库"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回修改或不予入库时必填，申请人会看到"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in (self.RETURN, self.REJECT) and not cleaned.get("note", "").strip():
            self.add_error("note", _("请填写理由，申请人会看到它。"))
        return cleaned


class ProfileChangeDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[(APPROVE, _("通过，立即生效")), (REJECT, _("不通过"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("note", "").strip():
            self.add_error("note", _("请填写理由，专家会看到它。"))
        return cleaned
