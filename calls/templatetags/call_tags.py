"""The panel of a call page that depends on the moment and the reader: open or closed, the working
days left, and what the reader can do (start, continue, see what they sent)."""

from django import template
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.enums import CallState
from calls.models import OPEN_STATUSES, CallPage, CallSubmission, in_language
from portal.cache import cached_until_purge
from portal.vetting.enums import NoticeStatus

register = template.Library()


@register.inclusion_tag("calls/includes/call_panel.html", takes_context=True)
def call_panel(context, page: CallPage):
    request = context.get("request")
    call = page.original()
    state = call.state()
    user = getattr(request, "user", None)
    actions = []
    if user is not None and user.is_authenticated:
        organisations = services.organisations_for(call, user)
        acting = organisations if call.takes_organisations else [None]
        submissions = CallSubmission.objects.of(user).filter(call=call, status__in=OPEN_STATUSES)
        by_organisation = {submission.organisation_id: submission for submission in submissions}
        for organisation in acting:
            submission = by_organisation.get(organisation.pk if organisation else None)
            url = (
                reverse("calls:form_for", args=[call.pk, organisation.pk])
                if organisation
                else reverse("calls:form", args=[call.pk])
            )
            actions.append({"organisation": organisation, "submission": submission, "url": url})
    return {
        "request": request,
        "call": call,
        "state": state,
        "states": CallState,
        "days_left": call.working_days_left() if state == CallState.OPEN else None,
        "opens_at": timezone.localtime(call.opens_at),
        "closes_at": timezone.localtime(call.closes_at),
        "categories": [
            {"name": in_language(category.name, category.name_en), "quota": category.quota}
            for category in call.categories.all()
        ],
        "actions": actions,
        "organisations_only": call.takes_organisations,
    }


@register.simple_tag
def announcement_in_notice(page):
    """The call results a notice (or its translation) announces, while their notice period runs."""
    from calls.models import CallAnnouncement

    if page is None or not page.pk:
        return None

    def in_notice() -> dict:
        # The few announcements in their notice period, by the notices announcing them: one query per
        # purge (an announcement's change purges), not one per notice page rendered.
        announcements = (
            CallAnnouncement.objects.filter(status=NoticeStatus.NOTICE, notice_page__isnull=False)
            .annotate(announced_by=F("notice_page__translation_key"))
            .only("call_id", "status", "notice_starts", "notice_ends")
        )
        return {announcement.announced_by: announcement for announcement in announcements}

    announcement = cached_until_purge("call-announcements-in-notice", in_notice).get(page.translation_key)
    if announcement is None or not announcement.accepts_objections(timezone.localdate()):
        return None
    return announcement
