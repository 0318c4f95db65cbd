"""留言咨询 on the counselling centre page: one record per request, the secretariat told after commit,
spam and floods turned away, and nothing a visitor typed lost on an error."""

import time

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from wagtail.models import Site

from home.models import ConsultationRequest
from portal.models import ContactSettings
from tests.conftest import make_user, sign_in
from tests.home.factories import CounsellingCentrePageFactory, StandardPageFactory
from tests.portal.factories import translate_tree

pytestmark = pytest.mark.django_db

URL = "/counselling-centre/"


@pytest.fixture
def centre(home_page):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.email = "secretariat@example.org"
    contact.save()
    return CounsellingCentrePageFactory(parent=home_page)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def given_form(client, url=URL) -> dict:
    """The fields of the form as the page gives it out, filled in as a person would, some seconds later."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    token = soup.select_one("form.consultation-form input[name=token]")["value"]
    return {
        "token": token,
        "name": "王女士",
        "contact": "139 0411 2233",
        "preferred_time": "工作日下午",
        "message": "孩子最近情绪低落，想预约咨询。",
        "consent": "on",
        "website": "",
    }


def later(seconds=30):
    return time_machine.travel(time.time() + seconds, tick=False)


def test_the_page_shows_where_when_and_what_it_costs_with_the_form(client, centre):
    StandardPageFactory(parent=centre.get_parent(), slug="privacy", title="隐私政策")
    soup = BeautifulSoup(client.get(URL).content, "html.parser")

    facts = soup.select_one(".centre-facts").get_text()
    assert "大连市中山区民康街15号报业大厦23层" in facts and "周一至周五" in facts and "300元" in facts
    form = soup.select_one("form.consultation-form")
    for name in ("name", "contact", "preferred_time", "message", "consent"):
        assert form.select_one(f"[name={name}]") is not None
        assert form.select_one(f"label[for=id_{name}]") is not None
    assert form.select_one("label[for=id_consent] a")["href"] == "/privacy/"


def test_a_request_is_kept_and_mailed_to_the_secretariat_once_saved(client, centre, committed):
    data = given_form(client)
    with later(), committed(execute=True) as callbacks:
        response = client.post(URL, data)

    assert response.status_code == 302 and response["Location"] == f"{URL}#consultation"
    request = ConsultationRequest.objects.get()
    assert (request.name, request.contact, request.preferred_time) == ("王女士", "139 0411 2233", "工作日下午")
    assert request.centre_id == centre.pk and request.language == "zh-hans"
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [["secretariat@example.org"]]
    assert "王女士" in mail.outbox[0].subject and "139 0411 2233" in mail.outbox[0].body
    # What troubles the person stays in the admin, not in mailboxes.
    assert "情绪低落" not in mail.outbox[0].body
    assert f"/admin/snippets/home/consultationrequest/edit/{request.pk}/" in mail.outbox[0].body
    thanks = BeautifulSoup(client.get(URL).content, "html.parser").select_one("#consultation .message--success")
    assert "留言已收到" in thanks.get_text()


def test_nothing_is_mailed_when_the_request_is_not_saved(centre, committed):
    from home import services

    with committed(execute=False) as callbacks:
        services.request_consultation(
            centre,
            token="t1",
            name="王",
            contact="13904112233",
            preferred_time="",
            message="想咨询",
            language="zh-hans",
        )
    assert len(callbacks) == 1 and mail.outbox == []  # sent only by the commit


def test_a_second_click_keeps_one_request_and_sends_one_mail(client, centre, committed):
    data = given_form(client)
    with later(), committed(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)

    assert first.status_code == second.status_code == 302
    assert ConsultationRequest.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_failed_request_keeps_what_was_typed_and_says_what_to_fix(client, centre):
    data = {**given_form(client), "contact": "不知道", "consent": ""}
    with later():
        response = client.post(URL, data)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[name=name]")["value"] == "王女士"
    assert soup.select_one("[name=preferred_time]")["value"] == "工作日下午"
    assert soup.select_one("[name=message]").get_text().strip() == "孩子最近情绪低落，想预约咨询。"
    errors = [p.get_text() for p in soup.select(".field__error")]
    assert "请填写可以联系到您的电话号码或电子邮箱。" in errors and "请勾选同意后再提交。" in errors
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "prefix", "received", "problem"),
    [
        ("zh-hant", "/zh-hant", "留言已收到", "請勾選同意後再送出。"),
        ("en", "/en", "We have received your message", "Please tick the box to agree before sending."),
    ],
)
def test_the_reader_is_answered_in_their_language(client, centre, language, prefix, received, problem):
    translate_tree(centre, language)
    url = f"{prefix}{URL}"
    failed = {**given_form(client, url), "consent": ""}
    with later():
        error = client.post(url, failed)
        sent = client.post(url, {**failed, "consent": "on"}, follow=True)

    assert problem in error.content.decode()
    assert received in sent.content.decode()
    assert ConsultationRequest.objects.get().language == language


def test_a_form_left_open_too_long_is_shown_again_with_what_was_typed(client, centre):
    data = given_form(client)
    with time_machine.travel(time.time() + 2 * 24 * 3600, tick=False):
        response = client.post(URL, data)

    soup = BeautifulSoup(response.content, "html.parser")
    assert "页面打开的时间太久了" in response.content.decode()
    assert soup.select_one("[name=name]")["value"] == "王女士"
    assert soup.select_one("[name=token]")["value"] != data["token"]
    assert ConsultationRequest.objects.count() == 0


def test_robots_are_thanked_and_nothing_is_kept(client, centre):
    data = given_form(client)
    with later():
        honeypot = client.post(URL, {**data, "website": "http://spam.example"})
    too_fast = client.post(URL, given_form(client))  # sent the moment the form was given out
    forged = client.post(URL, {**data, "token": "made-up"})

    assert honeypot.status_code == too_fast.status_code == 302
    assert forged.status_code == 200  # a person with a broken form is asked again, what they typed kept
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []


def test_one_address_may_send_a_few_requests_an_hour(client, centre, settings):
    settings.CONSULTATION_REQUESTS_PER_HOUR = 2
    responses = []
    for _number in range(3):
        data = given_form(client)
        with later():
            responses.append(client.post(URL, data))

    assert [r.status_code for r in responses] == [302, 302, 200]
    assert "提交过于频繁" in responses[2].content.decode()
    assert ConsultationRequest.objects.count() == 2
    assert BeautifulSoup(responses[2].content, "html.parser").select_one("[name=name]")["value"] == "王女士"


@pytest.mark.parametrize(
    "data",
    [{}, {"token": ["a", "b"]}, {"message": "x" * 5000, "consent": "yes"}, {"name": "\x00", "website": ""}],
)
def test_odd_posts_are_answered_without_a_server_error(client, centre, data):
    assert client.post(URL, data).status_code in {200, 302}
    assert ConsultationRequest.objects.count() == 0


def test_staff_see_the_requests_in_the_admin_and_the_public_does_not(client, centre, superuser):
    ConsultationRequest.objects.create(centre=centre, name="李先生", contact="13800000000", message="想预约")
    admin = Client()
    sign_in(admin, superuser)
    member = Client()
    sign_in(member, make_user("member@example.com"))

    listing = admin.get("/admin/snippets/home/consultationrequest/")

    assert listing.status_code == 200 and "李先生" in listing.content.decode()
    assert member.get("/admin/snippets/home/consultationrequest/").status_code in {302, 403}
    assert client.get("/admin/snippets/home/consultationrequest/").status_code == 302
