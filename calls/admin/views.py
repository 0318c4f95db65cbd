"""The call officers' and reviewers' screens: a submission with its reviews, scoring it, deciding,
the ranking of a call, and a reviewer's queue."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.views.generic import InspectView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale

from portal import listing
from portal.admin_actions import ActionView
from portal.exports import csv_bytes
from portal.vetting import services as vetting
from portal.vetting.enums import Status
from portal.vetting.forms import ReviewForm

from .. import display, reports, services
from ..directory_book import render_book
from ..enums import CallState
from ..models import CallPage, CallSubmission, in_language

# Entries on one page of the ranking: the best hundred are what a decision needs.
RANKING_PER_PAGE = 100
REVIEW = "calls.review_callsubmission"
DECIDE = "calls.decide_callsubmission"
VIEW = "calls.view_callsubmission"

SUBMISSIONS = CallSubmission.objects.select_related("call", "applicant__member", "organisation", "form_version")


class SubmissionInspectView(InspectView):
    template_name = "calls/admin/submission_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(SUBMISSIONS, pk=self.pk)

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user, submission = self.request.user, self.object
        if user.has_perm(REVIEW) and services.review_refusal(submission, user) is None:
            url = reverse("call_submissions:review", args=[submission.pk])
            buttons.append(HeaderButton(_("评审"), url=url, icon_name="form", classname="button-primary"))
        if user.has_perm(DECIDE) and submission.status == Status.SUBMITTED:
            url = reverse("call_submissions:decide", args=[submission.pk])
            buttons.append(HeaderButton(_("决定"), url=url, icon_name="tasks"))
        if submission.call.is_reviewed and (user.has_perm(DECIDE) or user.has_perm(REVIEW)):
            url = reverse("call_submissions:ranking", args=[submission.call_id])
            buttons.append(HeaderButton(_("评审排名"), url=url, icon_name="list-ol"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        chair = self.request.user.has_perm(DECIDE)
        reviews = vetting.reviews_visible_to(submission, self.request.user, chair=chair)
        context.update(
            submission=submission,
            answers=display.answers(submission),
            transitions=submission.transitions(),
            reviews=reviews,
            criteria=submission.review_criteria(),
            summary=vetting.score_summary(submission, reviews),
            self_assessment=display.self_assessment(submission),
            hidden_reviews=not chair
            and not any(review.reviewer_id == self.request.user.pk and review.submitted_at for review in reviews),
        )
        return context


class ReviewView(ActionView):
    """Score a submission against the call's criteria (once), or step aside for a conflict of interest."""

    permission = REVIEW
    queryset = SUBMISSIONS
    form_class = ReviewForm
    template_name = "calls/admin/review.html"
    title = gettext_lazy("评审")
    submit_label = gettext_lazy("提交评审意见")
    icon = "form"
    errors_go_back = True
    stepped_aside = False

    def refusal(self):
        return services.review_refusal(self.object, self.request.user)

    def get_form_kwargs(self):
        return {"criteria": self.object.review_criteria()}

    def act(self, form):
        if form.cleaned_data["action"] == ReviewForm.CONFLICT:
            services.declare_conflict(self.object, self.request.user, note=form.cleaned_data["conflict_note"])
            self.stepped_aside = True
            return _("已申明利益冲突，您不再参与这份材料的评审。")
        services.review(self.object, self.request.user, scores=form.scores(), comment=form.cleaned_data["comment"])
        return _("评审意见已提交，现在可以看到其他评审人的意见。")

    def get_back_url(self):
        if self.stepped_aside:
            return reverse("call_submissions:queue")
        return reverse("call_submissions:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        submission = self.object
        return super().get_context_data(
            subtitle=f"{submission.reference} {submission.submitter_name}",
            submission=submission,
            answers=display.answers(submission),
            self_assessment=display.self_assessment(submission),
            full_marks=submission.full_marks,
            **context,
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("决定"),
        choices=[
            (services.SELECT, gettext_lazy("入选")),
            (services.NOT_SELECTED, gettext_lazy("未入选")),
            (services.RETURN, gettext_lazy("退回修改")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("未入选或退回修改时必填，填报人会看到"),
    )
    meeting_on = forms.DateField(
        label=gettext_lazy("理事会审议日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("由理事会（常务理事会）审议决定的，填写会议日期"),
    )

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        if grades:  # an evaluation: the grade of an entry selected
            self.fields["grade"] = forms.ChoiceField(
                label=gettext_lazy("考评等次"),
                choices=[("", "—"), *((grade, grade) for grade in grades)],
                required=False,
                help_text=gettext_lazy("入选时必选；名额只限最高等次"),
            )
            self.order_fields(["decision", "grade", "note", "meeting_on"])

    def clean(self):
        cleaned = super().clean()
        if "grade" in self.fields and cleaned.get("decision") == services.SELECT and not cleaned.get("grade"):
            self.add_error("grade", _("请选择考评等次。"))
        return cleaned


class DecideView(ActionView):
    """The chair decides, or records the council's decision: selected, not selected, returned."""

    permission = DECIDE
    queryset = SUBMISSIONS
    form_class = DecisionForm
    template_name = "calls/admin/decide.html"
    title = gettext_lazy("评选决定")
    submit_label = gettext_lazy("提交决定")
    back_label = gettext_lazy("返回材料")
    icon = "tasks"

    def refusal(self):
        submission = self.object
        if submission.status != Status.SUBMITTED:
            return _("只能对待审核的材料作出决定。")
        if submission.call.state() != CallState.CLOSED and submission.call.is_reviewed:
            return _("征集截止并完成评审后才能作出决定。")
        return None

    def get_form_kwargs(self):
        return {"grades": self.object.call.grade_list}

    def act(self, form):
        cleaned = form.cleaned_data
        services.decide(
            self.object,
            decision=cleaned["decision"],
            by=self.request.user,
            note=cleaned["note"],
            meeting_on=cleaned["meeting_on"],
            grade=cleaned.get("grade", "") if cleaned["decision"] == services.SELECT else "",
        )
        return {
            services.SELECT: _("已决定入选。"),
            services.NOT_SELECTED: _("已决定未入选。"),
            services.RETURN: _("已退回填报人修改。"),
        }[cleaned["decision"]]

    def get_back_url(self):
        return reverse("call_submissions:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        submission = self.object
        reviews = vetting.reviews_visible_to(submission, self.request.user, chair=True)
        return super().get_context_data(
            subtitle=f"{submission.reference} {submission.submitter_name}",
            summary=vetting.score_summary(submission, reviews),
            completed=vetting.completed_reviews(submission),
            required=submission.call.reviews_required,
            reviewed=submission.call.is_reviewed,
            **context,
        )


def ranking(request, pk: int):
    """评审排名: a call's submissions by average total, with the places of each category."""
    if not (request.user.has_perm(DECIDE) or request.user.has_perm(REVIEW)):
        raise PermissionDenied
    call = get_object_or_404(CallPage, id=pk)
    version = call.latest_form_version()
    categories = version.categories if version else []
    chosen = listing.filter_value(request.GET, "category")
    if chosen and chosen not in {category["key"] for category in categories}:
        raise Http404
    rows = services.ranking(call, chosen)
    page = listing.paginate(request, rows, RANKING_PER_PAGE)
    return TemplateResponse(
        request,
        "calls/admin/ranking.html",
        {
            "page_title": _("评审排名"),
            "call": call,
            "rows": page.object_list,
            "page_obj": page,
            "first_rank": page.start_index(),
            "categories": [
                {
                    "key": category["key"],
                    "name": in_language(category["name"], category["name_en"]),
                    "quota": category["quota"],
                }
                for category in categories
            ],
            "chosen": chosen,
            "criteria": version.review_criteria() if version else [],
            "required": call.reviews_required,
        },
    )


def queue(request):
    """A reviewer's list: the entries of closed calls still waiting for their scores."""
    if not request.user.has_perm(REVIEW):
        raise PermissionDenied
    submissions = list(services.review_queue(request.user))
    return TemplateResponse(
        request, "calls/admin/queue.html", {"page_title": _("我的评审任务"), "submissions": submissions}
    )


# A call as a whole: who has submitted, reminders, the answers summed up, CSV and ZIP --------------------


def _call_for_staff(request, pk: int) -> CallPage:
    if not request.user.has_perm(DECIDE):
        raise PermissionDenied
    return get_object_or_404(CallPage, id=pk, locale=Locale.get_default())


def overview(request):
    """征集一览: every call with its state and how many have submitted, and the ways into each."""
    if not request.user.has_perm(DECIDE):
        raise PermissionDenied
    calls = (
        CallPage.objects.filter(locale=Locale.get_default())
        .annotate(
            sent=Count("submissions", filter=Q(submissions__status__in=reports.SENT)),
            drafts=Count("submissions", filter=Q(submissions__status=Status.DRAFT)),
        )
        .order_by("-closes_at", "-pk")
    )
    return TemplateResponse(request, "calls/admin/overview.html", {"page_title": _("征集一览"), "calls": calls})


def progress(request, pk: int):
    """填报情况: how many have submitted, who has not (with their last reminder), and the reminder button."""
    call = _call_for_staff(request, pk)
    return TemplateResponse(
        request,
        "calls/admin/progress.html",
        {"page_title": _("填报情况"), "call": call, "progress": reports.progress(call), "shown": reports.MISSING_SHOWN},
    )


class RemindView(ActionView):
    """Remind everyone still missing, once a day at most each."""

    permission = DECIDE
    title = gettext_lazy("发送填报提醒")
    submit_label = gettext_lazy("发送提醒")
    icon = "mail"

    def get_object(self):
        return get_object_or_404(CallPage, id=self.kwargs["pk"], locale=Locale.get_default())

    def refusal(self):
        if self.object.state() != CallState.OPEN:
            return _("只能在征集期间发送提醒。")
        if reports.missing(self.object) is None:
            return _("这次征集面向所有注册用户，没有应填报名单，无法提醒。")
        return None

    def get_intro(self):
        return _("将给还没有填报的会员或单位（单位的账户和联系人）发送提醒邮件。今天已经提醒过的不会重复发送。")

    def act(self, form):
        count = services.remind_missing(self.object, by=self.request.user)
        if not count:
            return _("今天已经提醒过所有未填报的会员或单位，没有再发送。")
        return ngettext("已向 %(count)s 个会员或单位发送提醒。", "已向 %(count)s 个会员或单位发送提醒。", count) % {
            "count": count
        }

    def get_back_url(self):
        return reverse("call_submissions:progress", args=[self.object.pk])


def results(request, pk: int):
    """统计: each question's answers counted (with a bar per option) or averaged."""
    call = _call_for_staff(request, pk)
    return TemplateResponse(
        request,
        "calls/admin/results.html",
        {"page_title": _("填报统计"), "call": call, "questions": reports.aggregate(call)},
    )


def export_csv(request, pk: int):
    call = _call_for_staff(request, pk)
    response = HttpResponse(
        csv_bytes(reports.csv_columns(call), reports.csv_rows(call)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-submissions.csv"'
    return response


def export_zip(request, pk: int):
    """Every attached file of the call in one ZIP, streamed as it is written."""
    call = _call_for_staff(request, pk)
    response = StreamingHttpResponse(reports.zip_stream(call), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-files.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def directory_book(request):
    """《大连心理咨询行业大全》机构篇: every listed institution as a print-ready PDF book."""
    if not request.user.has_perm("calls.view_institution"):
        raise PermissionDenied
    response = HttpResponse(render_book(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="institutions.pdf"'
    return response
