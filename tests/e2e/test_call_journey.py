"""A call in a real browser: a branch's named contact fills in the evaluation (a table grown with
添加一行, a self-assessment, a PDF) and submits it; after the deadline two reviewers score it in
the admin, the call officer reads the ranking and selects it, publishes the 公示 (a visitor reads
it), closes it once its period is over, and the results notice is published; the branch downloads
its 荣誉证书 and a visitor checks its code on 证书查询."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from calls.enums import CallKind, Eligibility
from calls.models import (
    CallAnnouncement,
    CallCategory,
    CallCertificate,
    CallCriterion,
    CallField,
    CallPage,
    CallSubmission,
)
from members.models import Member, MembershipType
from portal.roles import CALL_OFFICERS, CALL_REVIEWERS
from portal.vetting.enums import Status
from tests.conftest import make_user, totp_code
from tests.notices.factories import NoticeIndexPageFactory
from tests.portal.samples import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-Calls-2026"  # noqa: S105
TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def _patient_expectations():
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def call(home_page):
    notices = NoticeIndexPageFactory(parent=home_page)
    page = CallPage(
        title="关于开展2019年度分支机构考评暨评选优秀机构和工作者活动通知",
        slug="evaluation-2019",
        date=datetime.date(2019, 11, 1),
        summary="请各分支机构在线填报考评材料。",
        kind=CallKind.EVALUATION,
        eligibility=Eligibility.BRANCHES,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=7),
        reviews_required=2,
        period="2019年度",
    )
    notices.add_child(instance=page)
    CallCategory.objects.create(page=page, sort_order=0, name="优秀分支机构", quota=3)
    CallField.objects.create(page=page, sort_order=0, field_type="short_text", label="负责人", public=True)
    CallField.objects.create(page=page, sort_order=1, field_type="table", label="骨干成员", columns="姓名\n职务")
    CallField.objects.create(page=page, sort_order=2, field_type="file", label="考评材料全文")
    CallCriterion.objects.create(page=page, sort_order=0, name="工作业绩", full_marks=60)
    CallCriterion.objects.create(page=page, sort_order=1, name="组织建设", full_marks=40)
    page.save_revision().publish()
    return CallPage.objects.get(pk=page.pk)


def _tab(browser, live_server):
    tab = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    return tab


def _sign_in(tab, email: str, *, staff: bool = False) -> None:
    tab.goto("/admin/" if staff else "/accounts/login/")
    tab.fill("input[name=login]", email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main button[type=submit]").click()
    if staff:
        tab.fill("input[name=code]", totp_code())
        tab.get_by_role("button", name="登录").click()
        expect(tab).to_have_url(re.compile(r"/admin/$"))
    else:
        expect(tab.locator(".account-bar")).to_contain_text(email)


def _score(tab, submission_pk: int, marks: tuple[str, str], comment: str) -> None:
    tab.goto(f"/admin/calls/submissions/inspect/{submission_pk}/")
    tab.get_by_role("link", name="评审", exact=True).click()
    tab.get_by_label("工作业绩").fill(marks[0])
    tab.get_by_label("组织建设").fill(marks[1])
    tab.get_by_label("评审意见").fill(comment)
    tab.get_by_role("button", name="提交评审意见").click()
    expect(tab.locator("body")).to_contain_text("评审意见已提交")


def test_a_branch_submits_two_reviewers_score_and_the_officer_selects(browser, live_server, call, tmp_path):
    branch = Member.objects.create(
        user=make_user("branch@example.com", password=PASSWORD),
        number="DL-2015-0100",
        membership_type=MembershipType.objects.get(name="分支机构"),
        full_name="青少年心理分会",
        joined_on=datetime.date(2015, 5, 1),
    )
    contact = make_user("secretary@example.com", password=PASSWORD)
    branch.contacts.create(user=contact, role="秘书长")
    reviewers = [make_user(f"r{n}@example.com", groups=(CALL_REVIEWERS,), password=PASSWORD) for n in (1, 2)]
    make_user("officer@example.com", groups=(CALL_OFFICERS,), password=PASSWORD)
    report = tmp_path / "evaluation.pdf"
    report.write_bytes(PDF)

    # 1. The branch's secretary opens the call and submits for the branch.
    secretary = _tab(browser, live_server)
    _sign_in(secretary, contact.email)
    secretary.goto(call.url)
    expect(secretary.locator(".call-panel")).to_contain_text("征集中")
    secretary.get_by_role("link", name="代表本单位填报").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("在线填报")
    secretary.get_by_label("申报类别").select_option(label="优秀分支机构")
    secretary.get_by_label("负责人").fill("赵静")
    table = secretary.locator("[data-table-field]")
    table.locator("input[name$='-0-0']").fill("赵静")
    table.locator("input[name$='-0-1']").fill("会长")
    table.get_by_role("button", name="添加一行").click()
    expect(table.locator("tbody tr")).to_have_count(4)
    table.locator("tbody tr").nth(3).locator("input").nth(0).fill("钱磊")
    table.locator("tbody tr").nth(3).locator("input").nth(1).fill("秘书长")
    secretary.get_by_label("考评材料全文").set_input_files(str(report))
    secretary.get_by_label("自评：工作业绩（满分 60）").fill("52")
    secretary.get_by_label("自评：组织建设（满分 40）").fill("35")
    secretary.get_by_role("button", name="提交", exact=True).click()
    expect(secretary.locator(".messages")).to_contain_text(f"已提交，编号 {call.pk}-0001")
    submission = CallSubmission.objects.get()
    assert submission.organisation == branch and submission.applicant == contact
    key = next(field["key"] for field in submission.form_version.fields if field["label"] == "骨干成员")
    assert submission.answers[key] == [["赵静", "会长"], ["钱磊", "秘书长"]]
    assert submission.files.count() == 1 and submission.self_scores and submission.self_total == 87

    # 2. The call closes; two reviewers score it independently in the admin.
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    for reviewer, marks, comment in zip(
        reviewers, [("50", "30"), ("54", "36")], ["工作扎实。", "组织健全。"], strict=True
    ):
        tab = _tab(browser, live_server)
        _sign_in(tab, reviewer.email, staff=True)
        _score(tab, submission.pk, marks, comment)

    # 3. The officer reads the ranking and selects the branch.
    officer = _tab(browser, live_server)
    _sign_in(officer, "officer@example.com", staff=True)
    officer.goto(f"/admin/calls/submissions/ranking/{call.pk}/")
    expect(officer.locator("table.listing")).to_contain_text("85.0")  # (80 + 90) / 2
    expect(officer.locator("table.listing")).to_contain_text("87")  # the branch's own score, beside it
    officer.goto(f"/admin/calls/submissions/decide/{submission.pk}/")
    officer.get_by_label("入选", exact=True).check()
    officer.get_by_role("button", name="提交决定").click()
    expect(officer.locator("body")).to_contain_text("已决定入选。")
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED

    # 4. The officer publishes the 公示 of the selected entries; a visitor reads it.
    officer.goto(f"/admin/calls/submissions/calls/{call.pk}/announcement/")
    officer.get_by_role("link", name="发布公示").click()
    officer.get_by_label("公示期（工作日）").fill("5")
    officer.get_by_role("button", name="发布公示").click()
    expect(officer.locator("body")).to_contain_text("公示已发布。")
    announcement = CallAnnouncement.objects.get(call=call)
    visitor = _tab(browser, live_server)
    visitor.goto(announcement.notice_page.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("关于2019年度优秀分支机构考评结果的公示")
    expect(visitor.locator("main table")).to_contain_text("青少年心理分会")
    expect(visitor.locator("main table")).to_contain_text("赵静")  # 负责人 is public
    expect(visitor.locator("main")).not_to_contain_text("钱磊")  # the team table is not

    # 5. Once the notice period is over (moved into the past here), the officer closes it.
    today = timezone.localdate()
    CallAnnouncement.objects.filter(pk=announcement.pk).update(
        notice_starts=today - datetime.timedelta(days=9), notice_ends=today - datetime.timedelta(days=2)
    )
    officer.goto(f"/admin/calls/submissions/calls/{call.pk}/announcement/")
    officer.get_by_role("link", name="结束公示并公布结果").click()
    officer.get_by_role("button", name="结束公示并公布结果").click()
    expect(officer.locator("body")).to_contain_text("公示已结束，结果通告已发布。")
    results = officer.get_by_role("link", name="关于2019年度优秀分支机构考评结果的通报")
    visitor.goto(results.get_attribute("href"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("关于2019年度优秀分支机构考评结果的通报")
    expect(visitor.locator("main table")).to_contain_text("青少年心理分会")

    # 6. The branch's secretary downloads the certificate; a visitor checks its code.
    certificate = CallCertificate.objects.get()
    assert (certificate.holder, certificate.honour) == ("青少年心理分会", "2019年度优秀分支机构")
    secretary.goto("/calls/mine/")
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="下载证书（PDF）").click()
    assert download.value.suggested_filename == f"certificate-{certificate.display_code}.pdf"
    visitor.goto("/certificates/")
    visitor.get_by_label("证书查验码").fill(certificate.code.lower())
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator(".certificate-result")).to_contain_text("有效")
    expect(visitor.locator(".certificate-result")).to_contain_text("2019年度优秀分支机构")
    expect(visitor.locator(".certificate-result")).to_contain_text("青少年心理分会")
