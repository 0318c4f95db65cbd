"""Applying to a recruitment drive: the form, its drive's own questions, once per drive, closed drives,
withdrawing and applying again, translated pages."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from portal.vetting.enums import Status
from tests.conftest import translate_page
from tests.volunteers.factories import (
    login,
    make_coordinator,
    make_drive,
    make_member_volunteer,
    make_question,
    make_volunteer,
    volunteer_index,
)
from volunteers import services
from volunteers.models import VolunteerApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def drive(home_page):
    """A drive with a yes/no question (from the factory), a choice, a paragraph and an optional line."""
    page = make_drive(home_page, title="关于招募《心理剧社》社员的通知")
    make_question(page, "每月可参加排练的时间", "choice", choices="周六上午\n周日下午\n都可以")
    make_question(page, "请简述相关经历", "textarea")
    make_question(page, "推荐人（选填）", "text", required=False)
    return page


def _apply_url(page) -> str:
    return page.url + "apply/"


ANSWERS = {
    "是否有舞台表演经验？": "yes",
    "每月可参加排练的时间": "周日下午",
    "请简述相关经历": "在校期间演出过三次。",
    "推荐人（选填）": "",
}


def _answers(page, **overrides) -> dict:
    """The form as a volunteer fills it in, answering whichever of the questions the drive asks."""
    data = {
        "full_name": "王志愿",
        "phone": "138 0000 1111",
        "motivation": "大学时参加过心理剧社，想继续用戏剧帮助更多人。",
    }
    for question in page.questions.all():
        data[f"question_{question.pk}"] = ANSWERS[question.label]
    data.update(overrides)
    return data


def test_applying_needs_an_account(client, drive):
    response = client.get(_apply_url(drive))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={_apply_url(drive)}"


def test_the_form_starts_from_the_membership_record_and_asks_the_drives_questions(drive):
    member = make_member_volunteer(full_name="李会员", phone="13900001111")
    page = login(member).get(_apply_url(drive)).content.decode()
    assert 'value="李会员"' in page and 'value="13900001111"' in page
    for text in ("报名理由", "是否有舞台表演经验？", "周六上午", "周日下午", "请简述相关经历", "推荐人（选填）"):
        assert text in page, text
    assert 'name="csrfmiddlewaretoken"' in page


def test_without_a_membership_record_the_form_starts_from_the_account_name(drive):
    page = login(make_volunteer(full_name="赵志愿")).get(_apply_url(drive)).content.decode()
    assert 'value="赵志愿"' in page


def test_a_complete_application_is_saved_with_its_answers_and_acknowledged(drive, django_capture_on_commit_callbacks):
    volunteer = make_volunteer(email="wang@example.com")
    browser = login(volunteer)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(_apply_url(drive), _answers(drive))

    assert response.status_code == 302 and response["Location"] == _apply_url(drive)
    application = VolunteerApplication.objects.get()
    assert application.drive == drive and application.applicant == volunteer
    assert application.status == Status.SUBMITTED
    assert (application.full_name, application.phone) == ("王志愿", "13800001111")
    assert application.answers == [
        {"question": "是否有舞台表演经验？", "answer": "是"},
        {"question": "每月可参加排练的时间", "answer": "周日下午"},
        {"question": "请简述相关经历", "answer": "在校期间演出过三次。"},
        {"question": "推荐人（选填）", "answer": ""},
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.com"]
    assert "关于招募《心理剧社》社员的通知" in mail.outbox[0].body

    status = browser.get(_apply_url(drive)).content.decode()
    assert "报名已提交，审核结果会通过邮件通知您。" in status
    assert "待审核" in status and "在校期间演出过三次。" in status and "撤回报名" in status


def test_mistakes_are_shown_beside_the_fields_and_what_was_typed_is_kept(drive):
    browser = login(make_volunteer())
    questions = {question.label: question.pk for question in drive.questions.all()}
    data = _answers(
        drive,
        full_name="",
        phone="12345",
        **{
            f"question_{questions['是否有舞台表演经验？']}": "",
            f"question_{questions['每月可参加排练的时间']}": "每天",
            f"question_{questions['请简述相关经历']}": "",
        },
    )

    response = browser.post(_apply_url(drive), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "报名未能提交，请按提示修改。" in page
    assert "请填写姓名。" in page
    assert "请填写 11 位手机号码。" in page and 'value="12345"' in page
    assert page.count("请回答这个问题。") == 2
    assert "请从选项中选择一项。" in page
    assert "大学时参加过心理剧社" in page  # the motivation typed is still there
    assert not VolunteerApplication.objects.exists()


def test_the_optional_question_may_be_left_empty_but_the_motivation_may_not(drive):
    browser = login(make_volunteer())
    response = browser.post(_apply_url(drive), _answers(drive, motivation="  "))
    assert "请填写报名理由。" in response.content.decode()
    assert not VolunteerApplication.objects.exists()


def test_sending_the_form_twice_makes_one_application(drive, django_capture_on_commit_callbacks):
    browser = login(make_volunteer())
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(_apply_url(drive), _answers(drive))
        second = browser.post(_apply_url(drive), _answers(drive, motivation="第二次点击"))

    assert second.status_code == 200 and "待审核" in second.content.decode()
    assert VolunteerApplication.objects.count() == 1
    assert VolunteerApplication.objects.get().motivation.startswith("大学时")
    assert len(mail.outbox) == 1


def test_a_closed_drive_shows_closed_and_refuses_an_application(home_page):
    drive = make_drive(home_page, deadline=timezone.localdate() - datetime.timedelta(days=1))
    browser = login(make_volunteer())

    page = browser.get(_apply_url(drive)).content.decode()
    assert "已截止" in page and "不再接受报名" in page
    assert "<form" not in page.split('id="main"')[1]

    response = browser.post(_apply_url(drive), _answers(drive), follow=True)
    assert "不能再报名" in response.content.decode()
    assert not VolunteerApplication.objects.exists()


@time_machine.travel(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
def test_applications_are_taken_until_the_end_of_the_deadline_day(home_page):
    drive = make_drive(home_page, deadline=datetime.date(2026, 6, 30))
    login(make_volunteer()).post(_apply_url(drive), _answers(drive))
    assert VolunteerApplication.objects.count() == 1


def test_withdrawing_and_applying_again_before_the_deadline(drive, django_capture_on_commit_callbacks):
    volunteer = make_volunteer()
    browser = login(volunteer)
    browser.post(_apply_url(drive), _answers(drive))

    response = browser.post(_apply_url(drive) + "withdraw/", follow=True)

    page = response.content.decode()
    assert "报名已撤回" in page
    assert VolunteerApplication.objects.get().status == Status.WITHDRAWN
    # The form again, with what was sent last time.
    assert "您撤回了之前的报名" in page and "大学时参加过心理剧社" in page
    chosen = page[page.index('value="周日下午"') :]
    assert chosen[: chosen.index(">")].endswith("checked")

    with django_capture_on_commit_callbacks(execute=True):
        browser.post(_apply_url(drive), _answers(drive, motivation="想清楚了，再次报名。"))

    application = VolunteerApplication.objects.get()
    assert application.status == Status.SUBMITTED and application.motivation == "想清楚了，再次报名。"
    assert len(mail.outbox) == 1


def test_a_decided_application_cannot_be_withdrawn_and_shows_the_reason(drive):
    volunteer = make_volunteer()
    browser = login(volunteer)
    browser.post(_apply_url(drive), _answers(drive))
    services.reject(VolunteerApplication.objects.get(), by=make_coordinator(), note="本期名额已满，欢迎参加下次招募。")

    page = browser.get(_apply_url(drive)).content.decode()
    assert "未通过" in page and "本期名额已满，欢迎参加下次招募。" in page
    assert "撤回报名" not in page

    response = browser.post(_apply_url(drive) + "withdraw/", follow=True)
    assert "不能撤回" in response.content.decode()
    assert VolunteerApplication.objects.get().status == Status.REJECTED


def test_someone_else_cannot_withdraw_my_application(drive):
    mine = make_volunteer()
    login(mine).post(_apply_url(drive), _answers(drive))
    login(make_volunteer()).post(_apply_url(drive) + "withdraw/")
    assert VolunteerApplication.objects.get().status == Status.SUBMITTED


def test_applying_on_the_translated_page_applies_to_the_same_drive(drive, home_page):
    translate_page(home_page, "zh-hant")
    translate_page(volunteer_index(home_page), "zh-hant")
    translated = translate_page(drive, "zh-hant", title="關於招募《心理劇社》社員的通知")
    volunteer = make_volunteer()
    browser = login(volunteer)

    form = browser.get(_apply_url(translated)).content.decode()
    assert "關於招募《心理劇社》社員的通知" in form
    browser.post(_apply_url(translated), _answers(translated))

    application = VolunteerApplication.objects.get()
    assert application.drive.pk == drive.pk
    # Both pages show the application, and a second one from either page is the same one.
    assert "待审核" in browser.get(drive.url).content.decode()
    browser.post(_apply_url(drive), _answers(drive))
    assert VolunteerApplication.objects.count() == 1
