"""An aid case in a real browser: a beneficiary registers with a programme and gets a case number, an
aid coordinator assigns the first suggested counsellor in the admin, and the counsellor opens the case
and logs a session. Every read of the person's details is recorded; the database holds no plaintext."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from aid.models import Assignment, Case, CaseAccess, Session
from portal.roles import AID_COORDINATORS
from tests.aid.factories import PDF, make_counsellor, make_programme
from tests.conftest import make_user, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-Aid-2026"  # noqa: S105
TIMEOUT_MS = 20_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# The counsellor's case page on a phone, for people to look at.
CASE_SCREENSHOT = "/tmp/aid-case.png"  # noqa: S108

FULL_NAME = "周海燕"
PHONE_NUMBER = "13504117621"
WORKPLACE = "大连医科大学附属第二医院"
PLACE = "武汉市江汉方舱医院"
NEEDS_DETAIL = "回来以后经常夜里惊醒，想起病房里的情景会心慌。"
PREFERRED_TIMES = "工作日晚上七点以后"
NOTES = "谈到夜间惊醒和闪回，练习了放松呼吸，约定下周同一时间再谈。"


@pytest.fixture(autouse=True)
def _patient_expectations():
    """Each step waits up to TIMEOUT_MS for what a person should see (a fresh page, a redirect)."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def proof(tmp_path):
    """The scan of the deployment letter the beneficiary uploads."""
    path = tmp_path / "驰援证明.pdf"
    path.write_bytes(PDF)
    return path


def _tomorrow_morning() -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10, 0)))


def _tab(browser, live_server, **device):
    tab = browser.new_context(base_url=live_server.url, locale="zh-CN", **device).new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    return tab


def _sign_in(tab, email: str, name: str, *, code: bool = False) -> None:
    """Through the site's login form, as members do (then the authenticator's code, for whoever reads
    confidential records); the account bar then shows who is signed in."""
    tab.goto("/accounts/login/")
    tab.get_by_label("电子邮件").fill(email)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("main").get_by_role("button", name="登录").click()
    if code:
        tab.fill("input[name=code]", totp_code())
        tab.get_by_role("main").get_by_role("button", name="登录").click()
    expect(tab.locator(".account-bar__name")).to_have_text(name)


def _sign_in_to_admin(tab, email: str) -> None:
    """Staff sign in with their password, then the code of their authenticator app."""
    tab.goto("/admin/")
    tab.fill("input[name=login]", email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.fill("input[name=code]", totp_code())
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))


def _field(tab, label: str):
    """The field labelled exactly `label` (a required field's label ends with its * mark)."""
    return tab.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def _with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_register_assign_the_suggested_counsellor_and_log_a_session(browser, live_server, home_page, proof):
    with time_machine.travel(_tomorrow_morning(), tick=True):
        programme = make_programme(home_page, prefix="WH")
        counsellor = make_counsellor(
            programme, "zhang.min@example.com", full_name="张敏", district="xigang", specialties=("trauma",)
        )
        make_counsellor(programme, "he.li@example.com", full_name="何丽", district="jinzhou", specialties=("family",))
        _with_password(counsellor.user)
        coordinator = make_user("aid.coordinator@example.com", groups=(AID_COORDINATORS,), password=PASSWORD)
        beneficiary = make_user("zhou.haiyan@example.com", password=PASSWORD)

        # 1. The beneficiary registers, with the proof of deployment, and gets a case number.
        person = _tab(browser, live_server)
        _sign_in(person, "zhou.haiyan@example.com", "zhou.haiyan@example.com")
        person.goto(programme.url)
        expect(person.get_by_role("heading", level=1)).to_have_text(programme.title)
        person.get_by_role("link", name="我要登记").click()
        expect(person.get_by_role("heading", level=1)).to_have_text(f"登记：{programme.title}")
        _field(person, "姓名").fill(FULL_NAME)
        person.get_by_label("手机号码").fill(PHONE_NUMBER)
        _field(person, "工作单位").fill(WORKPLACE)
        person.get_by_label("所在区市县").select_option(label="西岗区")
        person.get_by_label("驰援开始日期").fill("2020-02-09")
        person.get_by_label("驰援结束日期").fill("2020-04-15")
        person.get_by_label("驰援地点").fill(PLACE)
        _field(person, "驰援证明").set_input_files(str(proof))
        person.locator("#id_needs").get_by_label("创伤与应激反应").check()
        person.locator("#id_needs").get_by_label("睡眠问题").check()
        _field(person, "需求说明").fill(NEEDS_DETAIL)
        person.locator("#id_preferred_mode").get_by_label("视频").check()
        person.get_by_label("方便的时间").fill(PREFERRED_TIMES)
        person.get_by_label("本人属于本项目的援助对象").check()
        person.get_by_label("本人同意大连市心理咨询师协会").check()
        person.get_by_role("button", name="提交登记").click()
        expect(person).to_have_url(re.compile(r"/aid/my/$"))
        case = Case.objects.get(registrant=beneficiary)
        assert re.fullmatch(r"WH-\d{4}-0001", case.number)
        expect(person.locator("main")).to_contain_text(f"登记成功，您的案例编号是 {case.number}。")
        expect(person.get_by_role("heading", name=f"案例编号 {case.number}")).to_be_visible()
        assert (case.needs, case.preferred_mode, case.district) == (["trauma", "sleep"], "video", "xigang")
        with case.proof.open("rb") as stored_proof:
            assert PDF not in stored_proof.read()  # the upload is sealed before it reaches the disk
        person.context.close()

        # 2. An aid coordinator finds the case in the admin and assigns the first suggested counsellor.
        admin = _tab(browser, live_server)
        _sign_in_to_admin(admin, "aid.coordinator@example.com")
        admin.get_by_role("button", name="援助项目").click()
        admin.get_by_role("link", name="援助案例").click()
        expect(admin).to_have_url(re.compile(r"/admin/aid/cases/$"))
        row = admin.get_by_role("row").filter(has_text=case.number)
        expect(row).to_contain_text("待分配")
        expect(row).not_to_contain_text(FULL_NAME)
        row.get_by_role("link", name=case.number).click()
        expect(admin.locator("main")).to_contain_text(FULL_NAME)
        expect(admin.locator("main")).to_contain_text(WORKPLACE)
        admin.get_by_role("link", name="分配咨询师").click()
        first = admin.locator(".aid-candidate").first
        expect(first).to_contain_text("张敏")
        expect(first).to_contain_text("擅长领域匹配")
        expect(first).to_contain_text("同区")
        first.get_by_role("radio").check()
        admin.get_by_role("button", name="分配", exact=True).click()
        expect(admin.locator("body")).to_contain_text("已分配咨询师 张敏")
        expect(admin.get_by_role("row").filter(has_text="张敏")).to_contain_text("进行中")
        admin.context.close()
        assert Assignment.objects.get(case=case).counsellor == counsellor

        # 3. The counsellor, a member and not staff, signs in with their authenticator's code, opens the
        # case on a phone and logs a session.
        counselling = _tab(browser, live_server, **PHONE)
        _sign_in(counselling, "zhang.min@example.com", "张敏", code=True)
        counselling.goto("/aid/cases/")
        entry = counselling.locator(".card").filter(has_text=case.number)
        expect(entry).to_contain_text("创伤与应激反应")
        expect(entry).not_to_contain_text(FULL_NAME)
        entry.get_by_role("link", name=case.number).click()
        expect(counselling.get_by_role("heading", level=1)).to_have_text(f"案例 {case.number}")
        personal = counselling.locator("section").filter(has=counselling.get_by_role("heading", name="求助者信息"))
        expect(personal).to_contain_text(FULL_NAME)
        expect(personal).to_contain_text(PHONE_NUMBER)
        expect(personal).to_contain_text(PLACE)
        counselling.get_by_text("记录一次咨询").click()
        today = timezone.localdate()
        _field(counselling, "日期").fill(today.isoformat())
        counselling.get_by_label("时长（分钟）").fill("50")
        counselling.locator("#id_mode").get_by_label("视频").check()
        counselling.get_by_role("textbox", name="咨询记录", exact=True).fill(NOTES)
        counselling.get_by_role("button", name="保存记录").click()
        expect(counselling.locator("body")).to_contain_text("咨询记录已保存。")
        logged = counselling.locator(".aid-session")
        expect(logged).to_have_count(1)
        expect(logged).to_contain_text(f"{today:%Y-%m-%d} · 视频 · 50 分钟")
        expect(logged).to_contain_text(NOTES)
        counselling.screenshot(path=CASE_SCREENSHOT, full_page=True)
        counselling.context.close()

    session = Session.objects.get(assignment__case=case)
    assert (session.held_on, session.minutes, session.mode) == (today, 50, "video")
    # Both reads of the person's details are in the access log.
    assert CaseAccess.objects.filter(case=case, user=coordinator, role="coordinator").exists()
    assert CaseAccess.objects.filter(case=case, user=counsellor.user, role="counsellor").exists()
    # What the database holds is ciphertext only.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Case._meta.db_table} WHERE id = %s", [case.pk])  # noqa: S608
        row = cursor.fetchone()
        cursor.execute(f"SELECT * FROM {Session._meta.db_table} WHERE id = %s", [session.pk])  # noqa: S608
        session_row = cursor.fetchone()
    stored = " ".join(str(value) for value in row)
    assert case.number in stored
    for plaintext in (FULL_NAME, PHONE_NUMBER, WORKPLACE, PLACE, NEEDS_DETAIL, PREFERRED_TIMES):
        assert plaintext not in stored
    assert NOTES not in " ".join(str(value) for value in session_row)
