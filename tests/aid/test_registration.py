"""Registering with a programme: signed-in people only, explicit eligibility and consent, a proof checked
by its content, a case number, e-mails to the person and the coordinators, and nothing saved on a refusal."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aid import access, services
from aid.models import Case
from tests.aid.factories import (
    PDF,
    PERSONAL,
    make_aid_coordinator,
    make_programme,
    png_bytes,
    register_case,
    registration_form,
)
from tests.conftest import make_user, run_at_once
from tests.experts.factories import login

pytestmark = pytest.mark.django_db

MY = reverse("aid:my_cases")


@pytest.fixture
def programme(home_page):
    return make_programme(home_page, capacity=5, prefix="WH")


@pytest.fixture
def person():
    return make_user("nurse@example.com")


def register_url(programme) -> str:
    return programme.url + "register/"


def test_anonymous_visitors_are_sent_to_sign_in_and_back(programme, client):
    response = client.get(register_url(programme))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={register_url(programme)}"
    posted = client.post(register_url(programme), registration_form())
    assert posted.status_code == 302 and "/accounts/login/" in posted["Location"]
    assert not Case.objects.exists()


def test_the_form_asks_for_eligibility_and_consent_in_the_programmes_words(programme, person, client):
    client.get(programme.url)  # the programme page's own title and breadcrumbs are cached meanwhile
    response = login(person).get(register_url(programme))

    assert response.status_code == 200
    assert "aid/register.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "本人属于本项目的援助对象：我市赴湖北武汉驰援的医护人员。" in page
    assert str(services.CONSENT_TEXT) in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    for label in ("姓名", "手机号码", "工作单位", "驰援开始日期", "驰援地点", "驰援证明", "需求类别", "希望的方式"):
        assert label in page
    assert "no-store" in response["Cache-Control"]
    assert f"<title>登记：{programme.title} - " in page
    assert '<li aria-current="page">登记</li>' in page and f'<a href="{programme.url}">' in page


@time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False)
def test_a_registration_gets_a_case_number_and_tells_the_person_and_the_coordinators(
    programme, person, django_capture_on_commit_callbacks
):
    coordinator = make_aid_coordinator()
    browser = login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(register_url(programme), registration_form(), follow=True)

    case = Case.objects.get()
    assert case.number == "WH-2026-0001"
    assert response.redirect_chain[-1][0] == MY
    page = response.content.decode()
    assert "登记成功，您的案例编号是 WH-2026-0001" in page
    assert case.registrant == person and case.needs == ["trauma", "sleep"]
    assert (case.preferred_mode, case.district) == ("phone", "zhongshan")
    assert case.consent_text == str(services.CONSENT_TEXT) and case.consent_at is not None
    personal = access.read_personal(case, person)
    assert personal.full_name == PERSONAL["full_name"] and personal.phone == PERSONAL["phone"]
    assert personal.deployment == "2020-02-09 至 2020-04-15，武汉市某方舱医院"
    assert access.read_proof(case, coordinator)[1] == PDF

    assert sorted(message.to[0] for message in mail.outbox) == [coordinator.email, person.email]
    to_person = next(message for message in mail.outbox if message.to == [person.email])
    assert "WH-2026-0001" in to_person.subject and "/aid/my/" in to_person.body
    for message in mail.outbox:
        for secret in PERSONAL.values():
            assert secret not in message.subject + message.body

    second = register_case(programme)
    assert second.number == "WH-2026-0002"


def test_case_numbers_follow_the_programme_prefix_and_year(home_page):
    programme = make_programme(home_page, prefix="YQ")
    with time_machine.travel(datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC), tick=False):
        case = register_case(programme)
    assert re.fullmatch(r"YQ-2027-\d{4}", case.number) and case.number.endswith("0001")


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"consent": None}, "请阅读并同意处理敏感个人信息的说明，否则无法登记。"),
        ({"eligible": None}, "本项目只为符合条件的人员提供援助，请确认您属于本项目的援助对象。"),
        ({"proof": None}, "请上传驰援证明。"),
        ({"needs": None}, "请至少选择一项需求类别。"),
        ({"phone": "12345"}, "请填写 11 位手机号码。"),
        ({"deployed_to": "2020-01-01"}, "结束日期不能早于开始日期。"),
        ({"preferred_mode": None}, "请选择希望的方式。"),
    ],
)
def test_a_refused_registration_saves_nothing_and_keeps_what_was_typed(
    programme, person, overrides, field_error, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(person).post(register_url(programme), registration_form(**overrides))

    assert response.status_code == 200
    page = response.content.decode()
    assert field_error in page
    assert "登记未能提交，请按提示修改。" in page
    assert not Case.objects.exists() and not mail.outbox
    if "phone" not in overrides:
        assert f'value="{PERSONAL["phone"]}"' in page
    assert f'value="{PERSONAL["full_name"]}"' in page and PERSONAL["needs_detail"] in page
    assert 'value="2020-02-09"' in page and 'value="武汉市某方舱医院"' in page
    assert "需要再次选择驰援证明文件" in page


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("证明.pdf", b"this is not a PDF at all", False),
        ("证明.jpg", b"<html>not an image</html>", False),
        ("证明.png", None, True),  # a real PNG
        ("证明.bin", PDF, True),  # a PDF by its content, whatever its name
    ],
)
def test_the_proof_is_checked_by_its_content(programme, person, name, content, accepted):
    upload = SimpleUploadedFile(name, content if content is not None else png_bytes())

    response = login(person).post(register_url(programme), registration_form(proof=upload))

    assert Case.objects.exists() is accepted
    if not accepted:
        assert "请上传 JPG、PNG 图片或 PDF 文件。" in response.content.decode()


def test_sent_twice_it_registers_once(programme, person, django_capture_on_commit_callbacks):
    browser = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        first = browser.post(register_url(programme), registration_form())
        second = browser.post(register_url(programme), registration_form())

    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    assert len(mail.outbox) == 1  # to the person; no coordinator exists
    again = browser.get(register_url(programme), follow=True).content.decode()
    assert "您已登记这个项目，案例编号 " + Case.objects.get().number in again


def test_a_full_programme_refuses(home_page, person):
    programme = make_programme(home_page, capacity=1)
    register_case(programme)
    browser = login(person)

    shown = browser.get(register_url(programme))
    posted = browser.post(register_url(programme), registration_form())

    assert shown.status_code == posted.status_code == 403
    assert "名额已满" in shown.content.decode()
    assert Case.objects.count() == 1 and not Case.objects.filter(registrant=person).exists()


def test_a_closed_programme_refuses(programme, person):
    programme.registration_closes = timezone.localdate() - datetime.timedelta(days=1)
    programme.save_revision().publish()

    response = login(person).post(register_url(programme), registration_form())

    assert response.status_code == 403
    assert "登记已截止" in response.content.decode()
    assert not Case.objects.exists()


def test_a_programme_not_yet_open_says_when_it_opens(programme, person):
    programme.registration_opens = timezone.localdate() + datetime.timedelta(days=3)
    programme.save_revision().publish()

    response = login(person).get(register_url(programme))

    assert response.status_code == 403
    assert f"将于 {programme.registration_opens:%Y-%m-%d} 开始接受登记" in response.content.decode()


# At the same moment (PostgreSQL only: SQLite serialises every write) ----------------------------------


def at_once(test):
    for mark in (
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
        pytest.mark.postgres,
        pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    ):
        test = mark(test)
    return test


@at_once
def test_the_same_form_sent_twice_at_once_registers_once(home_page):
    programme = make_programme(home_page, capacity=5)
    browsers = [login(make_user("nurse@example.com"))] * 2

    outcomes = run_at_once(2, lambda index: browsers[index].post(register_url(programme), registration_form()))

    assert all(getattr(outcome, "status_code", None) == 302 for outcome in outcomes), outcomes
    assert Case.objects.count() == 1


@at_once
def test_two_people_at_once_for_the_last_place_one_is_refused(home_page):
    programme = make_programme(home_page, capacity=1)
    browsers = [login(make_user(f"nurse{n}@example.com")) for n in range(2)]

    outcomes = run_at_once(2, lambda index: browsers[index].post(register_url(programme), registration_form()))

    assert Case.objects.count() == 1
    statuses = sorted(outcome.status_code for outcome in outcomes)
    assert statuses in ([200, 302], [302, 403]), outcomes  # refused by the service's lock, or before it
    refused = next(outcome for outcome in outcomes if outcome.status_code != 302)
    assert "名额已满" in refused.content.decode()
