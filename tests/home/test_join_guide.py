"""The 入会指南: found from the home tile and the account bar, its fees read live from the current dues
year, and its button leading through sign-in to the application form, in every language."""

import datetime
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

from demo.site import DemoLoader
from home.models import HomeQuickLink, JoinGuidePage
from members.models import DuesRate, MembershipApplication, MembershipType
from portal.localization.services import machine_translate
from portal.models import ContactSettings
from tests.conftest import make_user, sign_in, translate_page
from tests.members.factories import make_member, make_period

pytestmark = pytest.mark.django_db

BODY = [
    {
        "type": "join_kinds",
        "value": {
            "heading": "谁可以入会",
            "kinds": [
                {"title": "个人会员", "text": "取得心理咨询师证书的专业人员。"},
                {"title": "团体会员", "text": "依法登记的心理服务机构。"},
                {"title": "分支机构", "text": "经理事会批准设立的专业委员会。"},
            ],
        },
    },
    {"type": "join_fees", "value": {"heading": "会费标准", "note": "会费按年度交纳。"}},
    {
        "type": "join_steps",
        "value": {
            "heading": "申请步骤",
            "steps": [{"title": "秘书处审核", "text": "核对资质和材料。", "duration": "10个工作日内"}],
        },
    },
    {"type": "checklist", "value": {"heading": "需要准备的材料", "items": ["资质证书的扫描件"]}},
    {
        "type": "faq",
        "value": {
            "heading": "常见问题",
            "questions": [{"question": "审核需要多长时间？", "answer": "<p>一般10个工作日。</p>"}],
        },
    },
]


@pytest.fixture(autouse=True)
def _in_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        yield


@pytest.fixture
def guide(home_page) -> JoinGuidePage:
    page = JoinGuidePage(title="入会指南", slug="join", intro="欢迎加入协会。", body=json.dumps(BODY))
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def dues():
    make_period(2025, rates={"个人会员": "150.00", "团体会员": "1500.00", "分支机构": "900.00"})
    make_period(2027, rates={"个人会员": "300.00", "团体会员": "3000.00", "分支机构": "1500.00"})
    return make_period(2026, rates={"个人会员": "200.00", "团体会员": "2000.00", "分支机构": "1000.00"})


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def apply_buttons(response) -> list[str]:
    return re.findall(r'<a class="button join-apply__button" href="([^"]+)"', response.content.decode())


def test_the_guide_explains_who_may_join_the_steps_documents_and_faq(client, guide, dues):
    response = client.get(guide.url)

    assert response.status_code == 200
    assert "home/join_guide_page.html" in [t.name for t in response.templates]
    page = text(response)
    for words in ("个人会员", "团体会员", "分支机构", "秘书处审核", "10个工作日内", "资质证书的扫描件"):
        assert words in page
    assert "审核需要多长时间？" in page and "一般10个工作日。" in page


def test_the_fees_are_this_years_rates_and_follow_an_edit(client, guide, dues, django_capture_on_commit_callbacks):
    ContactSettings.for_site(Site.objects.get(is_default_site=True))  # made by the first page otherwise
    client.get(guide.url)
    cached = client.get(guide.url)
    assert cached["X-Cache"] == "HIT"
    page = text(cached)
    assert "2026年度会费标准" in page
    assert "个人会员 200元/年" in page and "团体会员 2000元/年" in page and "分支机构 1000元/年" in page
    assert "150元/年" not in page and "300元/年" not in page  # last year's and next year's

    with django_capture_on_commit_callbacks(execute=True):
        rate = DuesRate.objects.get(period=dues, membership_type__name="个人会员")
        rate.amount = Decimal("260.50")
        rate.save()

    page = text(client.get(guide.url))  # the anonymous copy of the page was cached: the edit purged it
    assert "个人会员 260.50元/年" in page and "200元/年" not in page


def test_a_type_no_longer_accepting_applications_is_not_offered(client, guide, dues):
    MembershipType.objects.filter(name="分支机构").update(is_active=False)

    page = text(client.get(guide.url))

    assert "团体会员 2000元/年" in page and "1000元/年" not in page


def test_without_a_dues_year_the_guide_says_to_ask(client, guide):
    page = text(client.get(guide.url))

    assert "本年度的会费标准尚未公布，请向协会秘书处咨询。" in page


def test_an_anonymous_reader_signs_in_first_and_lands_on_the_form(client, guide, dues):
    make_user("newcomer@example.com", password="Xinli-2026-join")  # noqa: S106

    buttons = apply_buttons(client.get(guide.url))

    assert buttons == ["/accounts/login/?next=/membership/apply/"] * 2
    signed_in = client.post(buttons[0], {"login": "newcomer@example.com", "password": "Xinli-2026-join"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/membership/apply/"
    assert "members/apply.html" in [t.name for t in client.get(signed_in["Location"]).templates]


def test_a_signed_in_non_member_goes_straight_to_the_form_and_finds_the_guide_in_the_account_bar(client, guide):
    sign_in(client, make_user("newcomer@example.com"))

    response = client.get(guide.url)
    home = client.get("/").content.decode()

    assert apply_buttons(response) == ["/membership/apply/"] * 2
    assert f'<a href="{guide.url}">申请入会</a>' in home


def test_members_and_applicants_are_not_asked_to_join(client, guide):
    member = make_member("member@example.com", number="DL-2020-0001").user
    applicant = make_user("applicant@example.com")
    MembershipApplication.objects.create(applicant=applicant, full_name="陈静")
    rejected = make_user("rejected@example.com")
    MembershipApplication.objects.create(applicant=rejected, full_name="周涛", status="rejected")

    sign_in(client, member)
    as_member = client.get(guide.url)
    sign_in(client, applicant)
    as_applicant = client.get(guide.url)
    sign_in(client, rejected)
    as_rejected = client.get(guide.url)

    assert ">申请入会</a>" not in as_member.content.decode() and "您已是协会会员。" in text(as_member)
    assert apply_buttons(as_member) == [reverse("membership_home")] * 2
    assert ">申请入会</a>" not in as_applicant.content.decode() and "您的入会申请正在办理中。" in text(as_applicant)
    assert f'<a href="{guide.url}">申请入会</a>' in as_rejected.content.decode()  # may apply again


def test_the_account_bar_costs_one_query_for_where_the_reader_stands(client, guide, django_assert_num_queries):
    sign_in(client, make_user("newcomer@example.com"))
    client.get("/")  # the shared pieces of the page are cached
    request = RequestFactory().get("/")
    request.user = make_user("other@example.com")
    template = Template("{% load members_tags %}{% membership_state as s %}{% membership_state as t %}{{ s }}{{ t }}")

    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "nonenone"


def test_the_guide_in_english_and_traditional_chinese(client, guide, dues, locales):
    translate_page(Page.objects.get(depth=2, locale=locales["zh-hans"]).specific, "en", title="Home")
    translate_page(Page.objects.get(depth=2, locale=locales["zh-hans"]).specific, "zh-hant", title="首頁")
    translate_page(guide, "en", title="How to join")
    translate_page(guide, "zh-hant", title="入會指南")

    english = client.get("/en/join/")
    traditional = client.get("/zh-hant/join/")

    assert apply_buttons(english) == ["/en/accounts/login/?next=/en/membership/apply/"] * 2
    page = text(english)
    assert "Dues for 2026" in page and "Individual member ¥200 a year" in page and "Branch ¥1000 a year" in page
    assert "Apply to join" in page
    page = text(traditional)
    assert "2026年度會費標準" in page and "個人會員 200元/年" in page and "申請入會" in page


def test_join_guide_url_gives_the_guide_in_the_readers_language(guide, locales):
    template = Template("{% load key_pages %}[{% join_guide_url %}]")
    request = RequestFactory().get("/")

    assert template.render(Context({"request": request})) == "[/join/]"
    translate_page(Page.objects.get(depth=2, locale=locales["zh-hans"]).specific, "en", title="Home")
    translate_page(guide, "en", title="How to join")
    with translation.override("en"):
        assert template.render(Context({"request": request})) == "[/en/join/]"
    with translation.override("zh-hant"):  # no 繁體 guide yet: the 简体 one
        assert template.render(Context({"request": request})) == "[/join/]"


def test_join_guide_url_is_empty_without_a_published_guide(guide):
    guide.unpublish()

    assert Template("{% load key_pages %}[{% join_guide_url %}]").render(Context({})) == "[]"


def test_the_home_tile_leads_to_the_guide(client, home_page, guide):
    HomeQuickLink.objects.create(page=home_page, title="入会申请", icon="join", link_page=guide)

    assert f'href="{guide.url}"' in client.get("/").content.decode()


def test_editors_can_add_a_guide_under_the_home_page_once(client, superuser, home_page):
    sign_in(client, superuser)
    add = reverse("wagtailadmin_pages:add", args=("home", "joinguidepage", home_page.pk))

    assert client.get(add).status_code == 200
    assert JoinGuidePage.can_create_at(home_page)
    home_page.add_child(instance=JoinGuidePage(title="入会指南", slug="join"))
    assert not JoinGuidePage.can_create_at(home_page)


def test_the_demo_guide_is_converted_whole_to_traditional_chinese(
    client, home_page, superuser, locales, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        machine_translate(home_page, locales["zh-hant"], superuser)
    DemoLoader(superuser, progress=lambda message: None).join_guide(home_page)
    guide = JoinGuidePage.objects.get(locale=locales["zh-hans"])

    with django_capture_on_commit_callbacks(execute=True):
        machine_translate(guide, locales["zh-hant"], superuser)

    page = text(client.get("/zh-hant/join/"))
    assert "入會指南" in page and "誰可以入會" in page
    # Inside the lists too: the steps, the documents and the questions.
    assert "祕書處審核" in page or "秘書處審核" in page
    assert "資質證書的掃描件或照片" in page and "審核需要多長時間？" in page
    assert "秘书处审核" not in page and "审核需要多长时间" not in page
