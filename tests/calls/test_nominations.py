"""Nominations (评选表彰): a member puts themselves forward or nominates another member, whose
membership is checked, not trusted, and who must agree before the nomination can be selected."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from calls.enums import Consent
from calls.models import CallPage, CallSubmission
from portal.roles import CALL_OFFICERS
from tests.calls.factories import make_call
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member
from tests.portal.factories import html

pytestmark = pytest.mark.django_db

NAME = [{"field_type": "short_text", "label": "主要事迹", "label_en": "Achievements"}]


@pytest.fixture
def call(notices):
    return make_call(notices, fields=NAME, nominee_years=2)


@pytest.fixture
def nominee(db):
    return make_member("li@example.com", number="DL-2018-0007", full_name="李华", joined_on=datetime.date(2018, 3, 1))


def post(client, call, *, nominee_email="", submit=True):
    call = CallPage.objects.get(pk=call.pk)
    client.get(f"/calls/{call.pk}/")
    version = call.form_versions.get()
    data = {
        "version": version.pk,
        "category": version.categories[0]["key"],
        f"f_{version.fields[0]['key']}": "十年坚持社区心理服务。",
        "nominate": "other" if nominee_email else "self",
        "nominee_email": nominee_email,
    }
    data["submit" if submit else "save"] = ""
    return client.post(f"/calls/{call.pk}/", data)


def test_putting_oneself_forward_needs_no_consent(member_client, call, member):
    post(member_client, call)

    submission = CallSubmission.objects.get()
    assert submission.nominee == member.user and submission.consent == Consent.GIVEN


def test_the_member_nominated_is_asked_agrees_and_the_nominator_is_told(
    member_client, call, nominee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(member_client, call, nominee_email="LI@example.com")
    submission = CallSubmission.objects.get()
    asked = [message for message in mailoutbox if message.to == ["li@example.com"]]
    nominee_client = Client()
    sign_in(nominee_client, nominee.user)
    listed = html(nominee_client.get("/calls/mine/"))
    page = html(nominee_client.get(f"/calls/submissions/{submission.pk}/consent/"))
    with django_capture_on_commit_callbacks(execute=True):
        nominee_client.post(f"/calls/submissions/{submission.pk}/consent/", {"agree": ""})

    submission.refresh_from_db()
    assert submission.nominee == nominee.user and submission.consent == Consent.GIVEN
    assert len(asked) == 1 and f"/calls/submissions/{submission.pk}/consent/" in asked[0].body
    assert "等待您确认的推荐" in listed and "王晓明推荐您参加本次评选" in page and "十年坚持社区心理服务。" in page
    assert any("已同意" in message.subject and message.to == ["wang@example.com"] for message in mailoutbox)


def test_only_the_nominee_answers_and_only_once(member_client, call, nominee):
    post(member_client, call, nominee_email="li@example.com")
    submission = CallSubmission.objects.get()
    someone = Client()
    sign_in(someone, make_user("someone@example.com"))
    nominee_client = Client()
    sign_in(nominee_client, nominee.user)

    assert someone.get(f"/calls/submissions/{submission.pk}/consent/").status_code == 404
    assert member_client.post(f"/calls/submissions/{submission.pk}/consent/", {"agree": ""}).status_code == 404
    nominee_client.post(f"/calls/submissions/{submission.pk}/consent/", {"decline": ""})
    nominee_client.post(f"/calls/submissions/{submission.pk}/consent/", {"agree": ""})
    submission.refresh_from_db()
    assert submission.consent == Consent.DECLINED


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no account", "没有使用这个邮箱注册的会员账户"),
        ("not a member", "被推荐人须为会籍正常的会员。"),
        ("joined last year", "被推荐人须入会满 2 年。"),
    ],
)
def test_a_nominee_who_does_not_qualify_is_refused_on_the_form_and_nothing_is_sent(member_client, call, setup, message):
    if setup == "not a member":
        make_user("li@example.com")
    elif setup == "joined last year":
        make_member(
            "li@example.com", number="DL-2026-0007", joined_on=timezone.localdate() - datetime.timedelta(days=300)
        )

    response = post(member_client, call, nominee_email="li@example.com")

    assert response.status_code == 200
    assert message in html(response)
    assert 'value="li@example.com"' in html(response)  # what was typed is kept
    assert not CallSubmission.objects.filter(status="submitted").exists()


def test_a_nomination_is_selected_only_once_the_nominee_has_agreed(member_client, call, nominee):
    post(member_client, call, nominee_email="li@example.com")
    submission = CallSubmission.objects.get()
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    officer = Client()
    sign_in(officer, make_user("officer@example.com", groups=(CALL_OFFICERS,)))

    refused = officer.post(f"/admin/calls/submissions/decide/{submission.pk}/", {"decision": "select"})
    CallSubmission.objects.filter(pk=submission.pk).update(consent=Consent.GIVEN)
    officer.post(f"/admin/calls/submissions/decide/{submission.pk}/", {"decision": "select"})

    assert "被推荐人尚未同意，不能入选。" in html(refused)
    submission.refresh_from_db()
    assert submission.status == "approved"
