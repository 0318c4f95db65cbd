"""The expert database in a real browser: a member applies, two reviewers score the application, the
chair proposes it and publishes a batch, a visitor objects during the notice period, a reviewer
dismisses the objection, the chair admits the batch once the period is over, and the public finds the
expert in the directory."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from experts.models import BatchObjection, ExpertApplication, ExpertBatch
from members.models import Member, MembershipType
from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS
from portal.vetting import workdays
from tests.conftest import make_user, totp_code
from tests.notices.factories import NoticeIndexPageFactory
from tests.portal.samples import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-Experts-2026"  # noqa: S105
TIMEOUT_MS = 20_000
# Full-page pictures of the public notice and the directory, for people to look at.
NOTICE_SCREENSHOT = "/tmp/expert-notice.png"  # noqa: S108
DIRECTORY_SCREENSHOT = "/tmp/expert-directory.png"  # noqa: S108

FULL_NAME = "孙雅琴"
PHONE = "13904117788"
EMPLOYER = "大连市心海心理危机干预中心"
KEYWORD = "心海"  # part of the employer's name, as a visitor would remember it
FIRST_COMMENT = "危机干预经验扎实，资质证书齐全。"
SECOND_COMMENT = "专业贡献突出，建议入库。"


@pytest.fixture(autouse=True)
def _patient_expectations():
    """Each step waits up to TIMEOUT_MS for what a person should see (a fresh page, a redirect)."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def files(tmp_path):
    """The certificate scan and the photo the applicant uploads."""
    from PIL import Image

    scan = tmp_path / "certificate.pdf"
    scan.write_bytes(PDF)
    photo = tmp_path / "photo.png"
    Image.new("RGB", (90, 120), (200, 210, 220)).save(photo, format="PNG")
    return {"scan": scan, "photo": photo}


def _at_ten(day: datetime.date) -> datetime.datetime:
    """10:00 on `day` in the association's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _working_morning() -> datetime.datetime:
    """10:00 on the next working day: a notice published then accepts objections the same day."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return _at_ten(workdays.working_days_from(tomorrow, 1)[0])


def _tab(browser, live_server):
    tab = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    return tab


def _sign_in_to_admin(tab, email: str) -> None:
    """Staff sign in with their password, then the code of their authenticator app."""
    tab.goto("/admin/")
    tab.fill("input[name=login]", email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.fill("input[name=code]", totp_code())
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))


def _score(tab, comment: str, value: str) -> None:
    """Pick `value` for every criterion of the review form and write the comment."""
    for criterion in ("资质与受训", "实践经验", "专业贡献", "职业伦理"):
        # Each criterion is a labelled group of radio buttons, as a screen reader announces it.
        tab.get_by_role("group", name=criterion).get_by_label(value, exact=True).check()
    tab.get_by_label("评审意见").fill(comment)
    tab.get_by_role("button", name="提交评审意见").click()
    expect(tab.locator("body")).to_contain_text("评审意见已提交")


def test_apply_review_publish_object_admit_and_find_the_expert(browser, live_server, home_page, files):
    NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices", show_in_menus=True)
    applicant = make_user("sun.yaqin@example.com", password=PASSWORD)
    Member.objects.create(
        user=applicant,
        number="DL-2020-0815",
        membership_type=MembershipType.objects.get(name="个人会员"),
        full_name=FULL_NAME,
        joined_on=datetime.date(2020, 5, 1),
    )
    make_user("reviewer.li@example.com", groups=(EXPERT_REVIEWERS,), password=PASSWORD)
    make_user("reviewer.zhou@example.com", groups=(EXPERT_REVIEWERS,), password=PASSWORD)
    make_user("chair.wang@example.com", groups=(EXPERT_CHAIRS,), password=PASSWORD)

    with time_machine.travel(_working_morning(), tick=True):
        # 1. The member signs in and applies, with a certificate scan and a photo.
        member = _tab(browser, live_server)
        member.goto("/accounts/login/")
        member.fill("input[name=login]", "sun.yaqin@example.com")
        member.fill("input[name=password]", PASSWORD)
        member.locator("main button[type=submit]").click()
        expect(member.locator(".account-bar")).to_contain_text("sun.yaqin@example.com")

        member.goto("/experts/apply/")
        expect(member.get_by_role("heading", level=1)).to_have_text("专家库入库申请")
        member.locator("#id_full_name").fill(FULL_NAME)
        member.get_by_label("手机号码").fill(PHONE)
        member.get_by_label("职称/职务", exact=True).fill("副主任心理治疗师")
        member.locator("#id_employer").fill(EMPLOYER)
        member.locator("#id_district").select_option(label="西岗区")
        member.locator("#id_photo").set_input_files(str(files["photo"]))
        member.locator("#id_specialties").get_by_label("危机干预").check()
        member.locator("#id_services").get_by_label("讲座授课").check()
        member.get_by_label("资质名称").fill("国家二级心理咨询师")
        member.get_by_label("证书编号").fill("1511000000412345")
        member.get_by_label("发证机构").fill("人力资源和社会保障部")
        member.get_by_label("取得年份").fill("2012")
        member.get_by_label("证书扫描件").set_input_files(str(files["scan"]))
        member.locator("#id_years_of_practice").fill("14")
        member.locator("#id_bio").fill("长期从事心理危机干预和热线督导工作，参与多起突发事件心理援助。")
        for consent in ("公开职称/职务", "公开工作单位", "公开所在区市县", "公开服务类型", "公开个人简介"):
            member.get_by_label(consent, exact=True).check()
        member.get_by_label("同意公示").check()
        member.get_by_role("button", name="提交申请").click()
        expect(member.locator("main")).to_contain_text("申请已提交")
        expect(member.locator("main .badge")).to_have_text("待审核")
        application = ExpertApplication.objects.get(applicant=applicant)
        assert application.qualifications.get().scan.name.endswith(".pdf")
        assert application.photo.name.endswith(".png")

        # 2. Two reviewers score it independently; the second sees the first's comment only after scoring.
        first = _tab(browser, live_server)
        _sign_in_to_admin(first, "reviewer.li@example.com")
        first.goto("/admin/experts/applications/queue/")
        expect(first.locator("main")).to_contain_text("还有 1 份申请等待您评审")
        row = first.get_by_role("row").filter(has_text=FULL_NAME)
        expect(row).to_contain_text(EMPLOYER)
        expect(row).to_contain_text("危机干预")
        row.get_by_role("link", name="评审", exact=True).click()
        expect(first.locator("main")).to_contain_text(EMPLOYER)
        _score(first, FIRST_COMMENT, "4")
        expect(first.locator("main")).to_contain_text(FIRST_COMMENT)

        second = _tab(browser, live_server)
        _sign_in_to_admin(second, "reviewer.zhou@example.com")
        second.goto("/admin/experts/applications/queue/")
        row = second.get_by_role("row").filter(has_text=FULL_NAME)
        expect(row).to_contain_text("1 / 2")
        row.get_by_role("link", name=FULL_NAME).click()
        expect(second.locator("main")).to_contain_text("提交您自己的评审意见后，才能看到其他评审人的评分和意见。")
        expect(second.locator("main")).not_to_contain_text(FIRST_COMMENT)
        second.get_by_role("link", name="评审", exact=True).click()
        _score(second, SECOND_COMMENT, "5")
        expect(second.locator("main")).to_contain_text(FIRST_COMMENT)
        expect(second.locator("main")).to_contain_text(SECOND_COMMENT)
        second.context.close()

        # 3. The chair proposes it, opens a batch, adds the application and publishes the notice.
        chair = _tab(browser, live_server)
        _sign_in_to_admin(chair, "chair.wang@example.com")
        chair.goto(f"/admin/experts/applications/inspect/{application.pk}/")
        expect(chair.locator("main")).to_contain_text(FIRST_COMMENT)
        chair.get_by_role("link", name="决定", exact=True).click()
        expect(chair.locator("main")).to_contain_text("已完成独立评审 2 份")
        chair.get_by_label("拟入库，列入下一批公示").check()
        chair.get_by_role("button", name="提交决定").click()
        expect(chair.locator("body")).to_contain_text("已列为拟入库")

        chair.goto("/admin/experts/batches/")
        chair.get_by_role("link", name="开设新批次").click()
        chair.get_by_role("button", name="开设").click()
        expect(chair.locator("body")).to_contain_text("已开设第一批")
        chair.get_by_role("link", name="加入申请").click()
        chair.get_by_label(f"{FULL_NAME}({EMPLOYER})").check()
        chair.get_by_role("button", name="加入批次").click()
        expect(chair.locator("body")).to_contain_text("已加入 1 份申请")
        expect(chair.get_by_role("row").filter(has_text=FULL_NAME)).to_contain_text("已通过")
        chair.get_by_role("link", name="发布公示").click()
        expect(chair.locator("main")).to_contain_text("关于报审第一批入库专家名单的通告")
        chair.get_by_role("button", name="发布", exact=True).click()
        expect(chair.locator("body")).to_contain_text("已发布公示")
        expect(chair.get_by_role("row").filter(has_text=FULL_NAME)).to_contain_text("公示中")
        chair.context.close()
        batch = ExpertBatch.objects.get()
        assert batch.notice_page is not None

        # 4. A visitor reads the notice and raises an objection.
        visitor = _tab(browser, live_server)
        visitor.goto("/notices/")
        visitor.get_by_role("link", name="关于报审第一批入库专家名单的通告").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("关于报审第一批入库专家名单的通告")
        entry = visitor.get_by_role("row").filter(has_text=FULL_NAME)
        expect(entry).to_contain_text(EMPLOYER)
        expect(entry).to_contain_text("危机干预")
        expect(visitor.locator("main")).not_to_contain_text(PHONE)
        visitor.screenshot(path=NOTICE_SCREENSHOT, full_page=True)
        visitor.get_by_role("link", name="提出异议").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("对第一批报审入库专家提出异议")
        visitor.wait_for_timeout(3500)  # a person reads before objecting; quicker submissions count as a robot's
        visitor.get_by_label("所涉人员").select_option(label=f"{FULL_NAME}（{EMPLOYER}）")
        visitor.get_by_label("您的姓名").fill("陈先生")
        visitor.get_by_label("联系方式").fill("13800001111")
        visitor.get_by_label("异议理由").fill("据了解该申请人近两年未实际从事危机干预工作，请核实其从业经历。")
        visitor.get_by_role("button", name="提交异议").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("异议已收到")
        objection = BatchObjection.objects.get()
        assert objection.application_id == application.pk

        # 5. The first reviewer, still signed in, dismisses the objection with a note.
        first.goto(f"/admin/experts/objections/resolve/{objection.pk}/")
        expect(first.locator("main")).to_contain_text("据了解该申请人近两年未实际从事危机干预工作")
        first.get_by_label("异议不成立").check()
        first.get_by_label("处理意见").fill("经向其所在单位核实，申请人一直承担心理危机干预热线督导工作，异议不成立。")
        first.get_by_role("button", name="提交处理结果").click()
        expect(first.locator("body")).to_contain_text("已记录处理结果")
        first.context.close()

    batch.refresh_from_db()
    with time_machine.travel(_at_ten(batch.notice_ends + datetime.timedelta(days=1)), tick=True):
        # 6. After the notice period the chair ends it; the expert is admitted and the final list published.
        chair = _tab(browser, live_server)
        _sign_in_to_admin(chair, "chair.wang@example.com")
        chair.goto(f"/admin/experts/batches/inspect/{batch.pk}/")
        expect(chair.get_by_role("row").filter(has_text="陈先生")).to_contain_text("异议不成立")
        chair.get_by_role("link", name="结束公示并入库").click()
        expect(chair.locator("main")).to_contain_text("本批次共有 0 条成立的异议")
        chair.get_by_role("button", name="结束公示").click()
        expect(chair.locator("body")).to_contain_text("公示已结束，入库名单已发布")
        expect(chair.get_by_role("row").filter(has_text=EMPLOYER)).to_contain_text("已入选")
        expect(chair.locator("main")).to_contain_text("关于大连市心理咨询行业专家库第一批入库专家名单的通告")
        chair.context.close()

        member.goto("/experts/apply/")
        expect(member.locator("main")).to_contain_text("您已入选专家库（第一批）")
        member.context.close()

        # 7. A visitor finds the expert by specialty and by a keyword from the employer's name.
        visitor.goto("/notices/")
        visitor.get_by_role("link", name="关于大连市心理咨询行业专家库第一批入库专家名单的通告").click()
        expect(visitor.get_by_role("row").filter(has_text=FULL_NAME)).to_contain_text(EMPLOYER)

        visitor.goto("/experts/")
        specialties = visitor.get_by_role("navigation", name="专长领域")
        specialties.get_by_role("link", name=re.compile(r"^危机干预")).click()
        expect(visitor).to_have_url(re.compile(r"[?&]specialty=crisis"))
        expect(visitor.locator("#experts-results")).to_have_text("共 1 位专家")
        card = visitor.locator(".expert-card").filter(has_text=FULL_NAME)
        expect(card).to_contain_text(EMPLOYER)
        expect(card).to_contain_text("西岗区")

        visitor.goto("/experts/")
        visitor.get_by_label("关键词").fill("儿童医院")
        visitor.locator("main").get_by_role("button", name="搜索", exact=True).click()
        expect(visitor.locator("#experts-results")).to_have_text("共 0 位专家")
        expect(visitor.locator("main")).to_contain_text("没有找到符合条件的专家")
        visitor.get_by_label("关键词").fill(KEYWORD)
        visitor.locator("main").get_by_role("button", name="搜索", exact=True).click()
        expect(visitor).to_have_url(re.compile(r"[?&]q="))
        expect(visitor.locator("#experts-results")).to_have_text("共 1 位专家")
        visitor.screenshot(path=DIRECTORY_SCREENSHOT, full_page=True)
        visitor.locator(".expert-card").get_by_role("link", name=FULL_NAME).click()

        profile = visitor.locator("main")
        expect(visitor.get_by_role("heading", level=1)).to_have_text(FULL_NAME)
        expect(profile).to_contain_text(EMPLOYER)
        expect(profile).to_contain_text("副主任心理治疗师")
        expect(profile).to_contain_text("讲座授课")
        expect(profile).to_contain_text("第一批")
        expect(profile).not_to_contain_text(PHONE)
        visitor.context.close()
