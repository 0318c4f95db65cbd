"""The forms of the volunteer coordinators' screens: screening, team members, activities,
attendance, hours and commendations."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from members.models import User
from portal.listing import in_default_language
from portal.vetting.enums import Status

from .. import services
from ..enums import SignUpStatus
from ..models import (
    CampaignPage,
    SignUp,
    Team,
    TeamMembership,
    VolunteerApplication,
)


class ScreeningForm(forms.Form):
    SHORTLIST, ACCEPT, REJECT = "shortlist", "accept", "reject"
    MOVES = {SHORTLIST: Status.SHORTLISTED, ACCEPT: Status.APPROVED, REJECT: Status.REJECTED}
    LABELS = {SHORTLIST: gettext_lazy("初选通过"), ACCEPT: gettext_lazy("录用"), REJECT: gettext_lazy("不录用")}

    decision = forms.ChoiceField(
        label=gettext_lazy("审核结果"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择审核结果。")},
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("不录用时必须填写理由。说明会写进通知申请人的邮件。"),
    )

    def __init__(self, *args, application: VolunteerApplication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (key, label) for key, label in self.LABELS.items() if application.can_move_to(self.MOVES[key])
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("note", "").strip():
            self.add_error("note", _("请填写不录用的理由，申请人会看到它。"))
        return cleaned


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("志愿者的电子邮箱"),
        help_text=gettext_lazy("此人须已在本站注册账户。"),
        error_messages={
            "required": gettext_lazy("请填写电子邮箱。"),
            "invalid": gettext_lazy("请填写有效的电子邮箱。"),
        },
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("没有使用这个电子邮箱的账户。"))
        if TeamMembership.objects.filter(team=self.team, volunteer=user).exists():
            raise ValidationError(_("%(name)s 已经是本团队成员。") % {"name": user})
        self.user = user
        return email


class ActivityForm(WagtailAdminModelForm):
    """An activity; its campaign is chosen among the campaign pages in the default language, and
    its places never fall below the people already confirmed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.fields["campaign"]
        campaign.queryset = in_default_language(CampaignPage).order_by("-starts_on", "-batch_number", "-pk")
        campaign.error_messages["invalid_choice"] = _("请从列表中选择公益行动。")
        campaign.empty_label = _("请选择公益行动")
        self.fields["places"].help_text = _("增加名额后，候补名单上的人按报名先后立即递补，并收到通知。")

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places < 1:
            raise ValidationError(_("名额至少为 1。"))
        if self.instance.pk:
            confirmed = self.instance.signups.filter(status=SignUpStatus.CONFIRMED).count()
            if places < confirmed:
                raise ValidationError(_("已有 %(count)s 人报名，名额不能少于这个数。") % {"count": confirmed})
        return places

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        return cleaned


class AttendanceForm(forms.Form):
    ATTEND, ABSENT, CANCEL = "attend", "absent", "cancel"

    signup = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(ATTEND, ATTEND), (ABSENT, ABSENT), (CANCEL, CANCEL)])
    hours = forms.CharField(label=gettext_lazy("服务时长（小时）"), required=False, max_length=10)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.ATTEND:
            try:
                cleaned["hours"] = services.parse_hours(cleaned.get("hours", ""))
            except ValidationError as error:
                self.add_error("hours", error)
        return cleaned


class HoursCorrectionForm(forms.Form):
    hours = forms.CharField(
        label=gettext_lazy("确认时长（小时）"),
        max_length=10,
        error_messages={"required": gettext_lazy("请填写服务时长（小时），如 2.5。")},
    )
    note = forms.CharField(
        label=gettext_lazy("修改说明"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("与填报时长不同时必须说明原因，志愿者会看到它。"),
    )

    def __init__(self, *args, signup: SignUp, **kwargs):
        super().__init__(*args, **kwargs)
        self.signup = signup

    def clean_hours(self):
        return services.parse_hours(self.cleaned_data["hours"])

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("hours")
        if hours is not None and hours != self.signup.hours_reported and not cleaned.get("note", "").strip():
            self.add_error("note", _("修改了填报的时长，请说明原因，志愿者会看到它。"))
        return cleaned


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, _("%(year)s年") % {"year": year}) for year in years]
        self.fields["year"].error_messages["invalid_choice"] = _("请从列表中选择年度。")


class CommendForm(forms.Form):
    volunteers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("表彰的志愿者"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一位志愿者。")},
    )
    title = forms.CharField(
        label=gettext_lazy("表彰名称"),
        max_length=50,
        initial="优秀志愿者",
        error_messages={"required": gettext_lazy("请填写表彰名称。")},
    )
    citation = forms.CharField(label=gettext_lazy("表彰说明"), required=False, max_length=300)

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].choices = [(row["volunteer_id"], row["name"]) for row in rows]
