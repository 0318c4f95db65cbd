"""The forms of the aid coordinators' screens: assigning, renewing, closing, conflicts, follow-ups,
the counsellors' pool and the reports."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from experts.models import Specialty
from members.models import Member
from portal.listing import in_default_language

from .. import services
from ..enums import CloseReason, Mode
from ..models import (
    AidProgrammePage,
    Case,
    Counsellor,
)


def programmes_in_default_language():
    """The programmes as records hang from them: their pages in the default language."""
    return in_default_language(AidProgrammePage).order_by("title")


class AssignForm(forms.Form):
    counsellor = forms.TypedChoiceField(
        label=gettext_lazy("咨询师"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择一位咨询师。"),
            "invalid_choice": gettext_lazy("这位咨询师已不在建议名单中（可能已满员或申明了利益冲突），请重新选择。"),
        },
    )
    starts_on = forms.DateField(
        label=gettext_lazy("开始日期"),
        widget=AdminDateInput,
        error_messages={
            "required": gettext_lazy("请填写开始日期。"),
            "invalid": gettext_lazy("请按 年-月-日 填写日期。"),
        },
    )

    def __init__(self, *args, candidates: list[services.Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].choices = [(c.counsellor.pk, str(c.counsellor)) for c in candidates]


class RenewForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("续期理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("请填写续期理由。"),
            "max_length": gettext_lazy("续期理由请控制在 1000 字以内。"),
        },
    )


# Closing and conflicts ----------------------------------------------------------------------------


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("结案原因"),
        choices=CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择结案原因。"),
            "invalid_choice": gettext_lazy("请选择结案原因。"),
        },
    )


class ConflictForm(forms.Form):
    counsellor = forms.ModelChoiceField(
        label=gettext_lazy("咨询师"),
        queryset=Counsellor.objects.none(),
        error_messages={
            "required": gettext_lazy("请选择咨询师。"),
            "invalid_choice": gettext_lazy("请从本项目的咨询师中选择。"),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("如：认识受援者、同一单位。请勿填写受援者的个人信息。"),
        error_messages={"max_length": gettext_lazy("说明请控制在 200 字以内。")},
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = (
            Counsellor.objects.filter(programmes=case.programme)
            .exclude(pk__in=case.conflicts.values("counsellor"))
            .select_related("user")
        )


# Risk flags ---------------------------------------------------------------------------------------


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("跟进情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("请填写跟进情况。"),
            "max_length": gettext_lazy("请控制在 2000 字以内。"),
        },
    )


# Counsellors --------------------------------------------------------------------------------------


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        member = getattr(user, "member", None)
        name = user.full_name or (member.full_name if member is not None else "") or user.email
        if member is not None:
            return _("%(name)s（%(email)s，会员编号 %(number)s）") % {
                "name": name,
                "email": user.email,
                "number": member.number,
            }
        return f"{name}({user.email})" if user.full_name else name


class CounsellorForm(WagtailAdminModelForm):
    """A counsellor is an existing account, members listed first; the account cannot change later."""

    user = AccountChoiceField(
        label=gettext_lazy("账户"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("咨询师一般是协会会员，会员列在前面。"),
        error_messages={
            "required": gettext_lazy("请选择账户。"),
            "invalid_choice": gettext_lazy("请选择一个有效的、尚未登记为咨询师的账户。"),
        },
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("最多同时负责"),
        min_value=1,
        max_value=50,
        initial=3,
        help_text=gettext_lazy("同时负责的案例数上限"),
        error_messages={
            "required": gettext_lazy("请填写最多同时负责的案例数。"),
            "invalid": gettext_lazy("请填写整数。"),
            "min_value": gettext_lazy("至少为 1。"),
            "max_value": gettext_lazy("不能超过 50。"),
        },
    )
    modes = forms.MultipleChoiceField(
        label=gettext_lazy("可提供的方式"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一种方式。")},
    )

    class Meta:
        model = Counsellor
        fields = ["user", "qualification", "specialties", "district", "modes", "capacity", "programmes", "is_active"]
        widgets = {"specialties": forms.CheckboxSelectMultiple, "programmes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(aid_counsellor__isnull=True) | Q(pk=self.instance.user_id))
            .select_related("member")
            .annotate(is_member=Exists(Member.objects.filter(user=OuterRef("pk"))))
            .order_by("-is_member", "full_name", "email")
        )
        field = self.fields["user"]
        field.queryset = accounts
        if self.instance.pk:
            field.disabled = True
        else:
            members, others = [], []
            for user in accounts:
                (members if user.is_member else others).append((user.pk, field.label_from_instance(user)))
            field.choices = [("", "---------"), (_("会员"), members), (_("其他账户"), others)]
        chosen = self.instance.specialties.all() if self.instance.pk else Specialty.objects.none()
        self.fields["specialties"].queryset = Specialty.objects.filter(Q(is_active=True) | Q(pk__in=chosen))
        self.fields["programmes"].queryset = programmes_in_default_language()
        self.fields["programmes"].error_messages["required"] = _("请至少选择一个援助项目。")
        self.fields["qualification"].error_messages["required"] = _("请选择资质。")
        self.fields["district"].error_messages["required"] = _("请选择所在区市县。")


class ReportForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("援助项目"),
        queryset=AidProgrammePage.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部项目"),
        error_messages={"invalid_choice": gettext_lazy("请选择一个援助项目。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_in_default_language()
