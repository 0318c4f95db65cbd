"""The call officers' 公示 screen of a reviewed call: the selected entries, publishing the 公示,
the objections raised during it, closing it with the results notice, and the award certificates."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from portal.admin_actions import ActionView
from portal.vetting import admin as vetting_admin
from portal.vetting import services as vetting
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

from .. import announcements
from ..certificates import pdf_response
from ..models import CallAnnouncement, CallCertificate, CallObjection, CallPage
from .views import DECIDE, _call_for_staff


def announcement(request, pk: int):
    """公示与结果: where the call's results stand, and the next step."""
    call = _call_for_staff(request, pk)
    current = CallAnnouncement.objects.filter(call=call).select_related("notice_page", "result_page").first()
    today = timezone.localdate()
    listed = announcements.entries(call)
    certificates = {
        certificate.submission_id: certificate for certificate in CallCertificate.objects.filter(submission__call=call)
    }
    for entry in listed:
        entry.issued = certificates.get(entry.pk)
    return TemplateResponse(
        request,
        "calls/admin/announcement.html",
        {
            "page_title": _("公示与结果"),
            "call": call,
            "announcement": current,
            "entries": listed,
            "announcing_refusal": announcements.announcing_refusal(call),
            "closing_refusal": vetting.closing_refusal(current, today) if current else None,
            "objections": _objections(current),
            "pending": ObjectionOutcome.PENDING,
            "in_notice": current is not None and current.status == NoticeStatus.NOTICE,
        },
    )


def _objections(current: CallAnnouncement | None) -> list[CallObjection]:
    if current is None:
        return []
    return list(
        current.objections.select_related(
            "submission__nominee__member", "submission__organisation", "submission__applicant__member"
        )
    )


class AnnounceForm(forms.Form):
    working_days = forms.IntegerField(
        label=gettext_lazy("公示期（工作日）"),
        min_value=1,
        max_value=30,
        initial=5,
        help_text=gettext_lazy("按工作日计算，跳过法定节假日，调休上班日计入"),
    )


class AnnounceView(ActionView):
    """Publish the 公示 of the selected entries."""

    permission = DECIDE
    form_class = AnnounceForm
    title = gettext_lazy("发布公示")
    submit_label = gettext_lazy("发布公示")
    icon = "pick"

    def get_object(self):
        return get_object_or_404(CallPage, id=self.kwargs["pk"], locale=Locale.get_default())

    def refusal(self):
        return announcements.announcing_refusal(self.object)

    def get_intro(self):
        count = self.object.submissions.filter(status=Status.APPROVED).count()
        return _(
            "将把入选的 %(count)s 项填报在通知公告栏目公示，只公开表单中标为“公示时公开”的内容，"
            "并通知填报人和被推荐人。公示期内任何人都可以在线提出异议。"
        ) % {"count": count}

    def act(self, form):
        announcements.announce(self.object, by=self.request.user, working_days=form.cleaned_data["working_days"])
        return _("公示已发布。")

    def get_back_url(self):
        return reverse("call_submissions:announcement", args=[self.object.pk])


class CloseView(ActionView):
    """End the 公示: confirm the entries, issue the certificates, publish the results notice."""

    permission = DECIDE
    title = gettext_lazy("结束公示并公布结果")
    submit_label = gettext_lazy("结束公示并公布结果")
    icon = "success"

    def get_object(self):
        return get_object_or_404(
            CallAnnouncement.objects.select_related("call"),
            call_id=self.kwargs["pk"],
            call__locale=Locale.get_default(),
        )

    def refusal(self):
        return vetting.closing_refusal(self.object, timezone.localdate())

    def get_intro(self):
        return _(
            "异议成立的填报将记为撤回，不列入结果；其余填报确认入选。评选表彰类征集将为每项入选颁发荣誉证书，"
            "并在通知公告栏目公布结果通告。此操作不能撤销。"
        )

    def act(self, form):
        announcements.close(self.object, by=self.request.user)
        return _("公示已结束，结果通告已发布。")

    def get_back_url(self):
        return reverse("call_submissions:announcement", args=[self.object.call_id])


class ResolveObjectionView(vetting_admin.ResolveObjectionView):
    permission = DECIDE
    queryset = CallObjection.objects.select_related("announcement__call", "submission")
    template_name = "calls/admin/objection_resolve.html"

    def refusal(self):
        if self.object.outcome != ObjectionOutcome.PENDING:
            return _("该异议已处理。")
        return None

    def entries(self):
        listed = announcements.entries(self.object.announcement.call, [Status.NOTICE])
        return [(entry.pk, f"{entry.reference} {entry.public_name}") for entry in listed]

    def entry_id(self):
        return self.object.submission_id

    def resolve(self, *, outcome, note, entry_id):
        announcements.resolve_objection(
            self.object, outcome=outcome, note=note, by=self.request.user, submission_id=entry_id
        )

    def notice(self):
        return self.object.announcement

    def get_back_url(self):
        return reverse("call_submissions:announcement", args=[self.object.announcement.call_id])


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤销原因"),
        max_length=200,
        help_text=gettext_lazy("撤销后，证书查询会立即显示“已撤销”"),
        error_messages={"required": gettext_lazy("请填写撤销原因。")},
    )


class RevokeCertificateView(ActionView):
    permission = DECIDE
    queryset = CallCertificate.objects.select_related("submission")
    form_class = RevokeForm
    title = gettext_lazy("撤销荣誉证书")
    submit_label = gettext_lazy("撤销证书")
    icon = "cross"

    def refusal(self):
        return _("该证书已撤销。") if self.object.revoked_at else None

    def get_intro(self):
        return _("撤销“%(holder)s”的荣誉证书（%(honour)s，查验码 %(code)s）。") % {
            "holder": self.object.holder,
            "honour": self.object.honour,
            "code": self.object.display_code,
        }

    def act(self, form):
        announcements.revoke_certificate(self.object, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("证书已撤销。")

    def get_back_url(self):
        return reverse("call_submissions:announcement", args=[self.object.submission.call_id])


def certificate_pdf(request, pk: int):
    """A certificate's PDF, for call officers (to print and hand over)."""
    certificate = get_object_or_404(CallCertificate.objects.select_related("submission__call"), pk=pk)
    _call_for_staff(request, certificate.submission.call_id)
    return pdf_response(certificate)
