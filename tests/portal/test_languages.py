"""繁體 readers read 繁體 everywhere; English readers are never told that something exists nowhere when it
exists in Chinese.

The whole-site check (every 繁體 page of the demo, and the English listings against the Chinese ones) is
in test_languages_demo.py: it loads the demo, which takes minutes.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from notices.models import NoticePage
from portal.localization.conversion import to_traditional
from portal.localization.services import machine_translate
from portal.localization.translator import OpenCCTranslator
from tests.aid.factories import aid_index, make_programme
from tests.conftest import translate_page
from tests.notices.factories import AudienceFactory, NoticeIndexPageFactory, NoticePageFactory, body
from tests.portal.factories import html, translate_tree, translation_of
from tests.volunteers.factories import make_activity, make_campaign, make_drive, volunteer_index

SIMPLIFIED = re.compile(r"[这们个为会说时对发后国过东么见经现点学问长书车门开关动区应实体务员网络]")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Publishing translations and keeping them in step happen once the transaction commits."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def sites(home_page):
    """The home page in 繁體 and in English, as the demo has them."""
    translate_page(home_page, "zh-hant", title="大連市心理諮詢師協會")
    translate_page(home_page, "en", title="Dalian Psychological Counsellors Association")
    return home_page


# The converter --------------------------------------------------------------------------------------


def test_traditional_follows_taiwan_usage():
    assert to_traditional("请在社区服务中心搜索会员信息，登录账号后下载文件。") == (
        "請在社區服務中心搜尋會員資訊，登入帳號後下載文件。"
    )
    # Taiwan's computing words are not forced on an association's: 程序 is a procedure, 对象 whom it serves.
    assert to_traditional("入会程序；高级教师；服务对象；发布通知；审核") == (
        "入會程序；高級教師；服務對象；發布通知；審核"
    )


@pytest.mark.parametrize(
    "simplified", ["老年人抑郁筛查及心理干预服务项目", "展示心理咨询工作者风采", "为群众提供心理服务", "点击量"]
)
def test_converting_traditional_text_again_changes_nothing(simplified):
    traditional = to_traditional(simplified)

    assert to_traditional(traditional) == traditional


@pytest.mark.django_db
def test_the_machine_translator_uses_taiwan_vocabulary(locales):
    from wagtail_localize.strings import StringValue

    string = StringValue("<p>会员信息请登录后查看。</p>")

    translated = OpenCCTranslator({}).translate(locales["zh-hans"], locales["zh-hant"], [string])

    assert translated[string].data == "<p>會員資訊請登入後檢視。</p>"


# 繁體 pages kept in step with their 简体 originals ------------------------------------------------------


def machine_translated(page, superuser, committed):
    """`page` translated into 繁體 by the machine translator, its ancestors first."""
    target = Locale.objects.get(language_code="zh-hant")
    for ancestor in [*page.get_ancestors().filter(depth__gt=1).specific(), page]:
        if translation_of(ancestor, "zh-hant") is None:
            with committed(execute=True):
                machine_translate(ancestor, target, superuser)
    return NoticePage.objects.get(pk=translation_of(page, "zh-hant").pk) if isinstance(page, NoticePage) else None


@pytest.fixture
def notice(home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    return NoticePageFactory(
        parent=index, title="关于交纳2019年会费的通知", slug="dues-2019", body=body("会员应于3月31日前交纳年度会费。")
    )


@pytest.mark.django_db
def test_publishing_a_page_updates_its_machine_made_traditional_translation(client, notice, superuser, committed):
    hant = machine_translated(notice, superuser, committed)
    notice.title = "关于交纳2020年会费的通知"
    notice.body = body("会员信息请登录后查看。")

    with committed(execute=True):
        notice.save_revision(user=superuser).publish(user=superuser)

    hant.refresh_from_db()
    assert hant.title == "關於交納2020年會費的通知"
    page = html(client.get(hant.url))
    assert "<h1>關於交納2020年會費的通知</h1>" in page
    assert "會員資訊請登入後檢視。" in page


@pytest.mark.django_db
def test_a_traditional_translation_corrected_by_hand_is_left_alone(notice, superuser, committed):
    hant = machine_translated(notice, superuser, committed)
    corrected = StringTranslation.objects.get(locale=hant.locale, data="關於交納2019年會費的通知")
    corrected.data, corrected.translation_type = "關於繳交2019年會費的通知", StringTranslation.TRANSLATION_TYPE_MANUAL
    corrected.save()
    notice.body = body("会员应于4月30日前交纳年度会费。")

    with committed(execute=True):
        notice.save_revision(user=superuser).publish(user=superuser)

    hant.refresh_from_db()
    assert str(hant.body[0].value) == "<p>會員應於3月31日前交納年度會費。</p>"


@pytest.mark.django_db
def test_a_new_page_of_a_machine_translated_section_is_translated_on_publishing(client, notice, superuser, committed):
    machine_translated(notice, superuser, committed)

    added = NoticePageFactory(parent=notice.get_parent(), title="关于召开理事会的通知", slug="council")

    with committed(execute=True):
        added.save_revision().publish()

    hant = translation_of(added, "zh-hant")
    assert hant is not None and hant.live
    assert "<h1>關於召開理事會的通知</h1>" in html(client.get(hant.url))


@pytest.mark.django_db
def test_a_traditional_page_written_by_hand_is_left_alone(notice, committed):
    hant = translate_tree(notice, "zh-hant", title="關於繳交2019年會費的通知")
    notice.title = "关于交纳2020年会费的通知"

    with committed(execute=True):
        notice.save_revision().publish()

    hant.refresh_from_db()
    assert hant.title == "關於繳交2019年會費的通知"


# Records shown on 繁體 pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_activities_and_teams_are_shown_in_traditional(client, sites):
    campaign = make_campaign(sites)
    make_activity(campaign, title="社区老人陪伴走访")
    hant = translate_tree(campaign, "zh-hant", title="愛心大使公益行動", theme="關注老年人抑鬱孤獨", summary="")

    page = html(client.get(hant.url))

    assert "社區老人陪伴走訪" in page
    assert "中山區桃源街道社區服務中心（中山區）" in page
    assert "兩人一組入戶陪伴" in page
    assert "社区" not in page and "陪伴走访" not in page


@pytest.mark.django_db
def test_science_audiences_and_tags_are_shown_in_traditional(client, sites):
    from tests.notices.factories import ScienceArticlePageFactory, ScienceIndexPageFactory

    audience = AudienceFactory(name="社会公众", slug="public")
    article = ScienceArticlePageFactory(
        parent=ScienceIndexPageFactory(parent=sites), title="什么是社区心理服务指导师", slug="instructor"
    )
    article.audiences.set([audience])
    article.tags.add("社会心理服务")
    article.save_revision().publish()
    hant = translate_tree(article, "zh-hant", title="什麼是社區心理服務指導師")

    page = html(client.get(hant.url))
    listing = html(client.get(hant.get_parent().url))

    assert "社會公眾" in page and "社會心理服務" in page
    assert "社會公眾" in listing
    assert "社会公众" not in page + listing and "社会心理服务" not in page


@pytest.mark.django_db
def test_table_cells_are_shown_in_traditional(client, sites):
    index = NoticeIndexPageFactory(parent=sites)
    table = {"data": [["序号", "工作单位"], ["1", "大连市第七人民医院"]], "first_row_is_table_header": True}
    notice = NoticePageFactory(
        parent=index, title="入库专家名单", slug="experts", body=f'[{{"type": "table", "value": {_json(table)}}}]'
    )
    hant = translate_tree(notice, "zh-hant", title="入庫專家名單")

    page = html(client.get(hant.url))

    assert "序號" in page and "工作單位" in page and "大連市第七人民醫院" in page
    assert "工作单位" not in page


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load localization %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "心理剧社"),
        ("zh-hant", "心理劇社"),
        ("en", '<span lang="zh-Hans">心理剧社</span>'),
    ],
)
def test_chinese_record_text_is_converted_or_marked(language, expected):
    assert render("{{ name|zh }}", language, name="心理剧社") == expected
    assert render("{{ name|zh }}", language, name="Psychodrama club") == "Psychodrama club"


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "危机干预、督导"), ("en", "Crisis, Supervision")])
def test_lists_are_joined_the_way_each_language_writes_them(language, expected):
    source = "{% for term in terms %}{{ term }}{% if not forloop.last %}{% list_separator %}{% endif %}{% endfor %}"
    terms = ["危机干预", "督导"] if language.startswith("zh") else ["Crisis", "Supervision"]

    assert render(source, language, terms=terms) == expected
    assert render("{{ terms|list_join }}", language, terms=terms) == expected


# English listings show what exists in Chinese ---------------------------------------------------------


@pytest.fixture
def notices(sites):
    index = NoticeIndexPageFactory(parent=sites, title="通知公告", slug="notices")
    translate_page(index, "en", title="Notices")
    translate_page(index, "zh-hant", title="通知公告")
    chinese = [
        NoticePageFactory(parent=index, title=f"关于召开第{n}次理事会的通知", slug=f"council-{n}") for n in range(1, 4)
    ]
    translated = NoticePageFactory(parent=index, title="关于交纳会费的通知", slug="dues", summary="请按时交纳会费。")
    translate_page(translated, "en", title="Membership dues are due", summary="Please pay on time.")
    return index, chinese


@pytest.mark.django_db
def test_english_notice_listing_shows_the_notices_that_exist_only_in_chinese(client, notices):
    page = html(client.get("/en/notices/"))

    assert "Membership dues are due" in page and "Please pay on time." in page
    assert "关于交纳会费的通知" not in page  # its English translation is listed instead
    for n in range(1, 4):
        link = f'<a href="/notices/council-{n}/" lang="zh-Hans" hreflang="zh-Hans">关于召开第{n}次理事会的通知</a>'
        assert link in page
    assert page.count('<span lang="zh-Hans">中文</span>') == 3
    assert 'class="empty"' not in page


@pytest.mark.django_db
def test_english_home_page_lists_the_chinese_notices(client, notices):
    page = html(client.get("/en/"))

    assert "Membership dues are due" in page
    assert '<a href="/notices/council-1/" lang="zh-Hans" hreflang="zh-Hans">' in page


@pytest.mark.django_db
def test_english_listing_query_count_does_not_grow_with_chinese_notices(client, notices, django_assert_max_num_queries):
    index, _chinese = notices
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/notices/").status_code == 200
    for n in range(4, 16):
        NoticePageFactory(parent=index, title=f"关于召开第{n}次理事会的通知", slug=f"council-{n}")
    cache.clear()

    with django_assert_max_num_queries(len(few)):
        page = html(client.get("/en/notices/"))

    assert page.count('<span lang="zh-Hans">中文</span>') == 15


@pytest.mark.django_db
def test_english_aid_section_lists_the_programme_running_in_chinese(client, sites):
    translate_page(aid_index(sites), "en", title="Aid programmes")
    programme = make_programme(sites)

    page = html(client.get("/en/aid/"))

    assert f'<a href="{programme.url}" lang="zh-Hans" hreflang="zh-Hans">{programme.title}</a>' in page
    assert 'class="empty"' not in page
    assert "Register now" in page


@pytest.mark.django_db
def test_english_volunteer_section_lists_the_drives_and_campaigns_running_in_chinese(client, sites):
    translate_page(volunteer_index(sites), "en", title="Volunteering")
    drive = make_drive(sites, deadline=datetime.date.today() + datetime.timedelta(days=30))
    campaign = make_campaign(sites)

    page = html(client.get("/en/volunteer/"))

    assert f'<a href="{drive.url}" lang="zh-Hans" hreflang="zh-Hans">{drive.title}</a>' in page
    assert f'<a href="{campaign.url}" lang="zh-Hans" hreflang="zh-Hans">{campaign.title}</a>' in page
    # English gets its spaces; the team's Chinese name is marked as Chinese.
    assert f'Closing date: <time datetime="{drive.deadline:%Y-%m-%d}">' in page
    assert 'Volunteer team: <span lang="zh-Hans">心理剧社</span>' in page
    assert "Campaign dates: <time" in page
    assert 'class="empty"' not in page


@pytest.mark.django_db
def test_english_volunteer_listing_query_count_does_not_grow_with_chinese_drives(
    client, sites, django_assert_max_num_queries
):
    translate_page(volunteer_index(sites), "en", title="Volunteering")
    make_drive(sites)
    make_campaign(sites)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/volunteer/").status_code == 200
    for _ in range(6):
        make_drive(sites)
        make_campaign(sites)
    cache.clear()

    with django_assert_max_num_queries(len(few)):
        page = html(client.get("/en/volunteer/"))

    assert page.count('<span lang="zh-Hans">中文</span>') == 14


@pytest.mark.django_db
def test_traditional_volunteer_section_is_in_traditional(client, sites):
    translate_page(volunteer_index(sites), "zh-hant", title="志願服務", intro="加入協會的志願者隊伍。")
    drive = make_drive(sites, title="关于招募心理剧社社员的通知")
    translate_tree(drive, "zh-hant", title="關於招募心理劇社社員的通知", purpose="以心理劇的形式開展心理健康宣傳。")

    page = html(client.get("/zh-hant/volunteer/"))

    assert "關於招募心理劇社社員的通知" in page
    assert "志願者團隊：心理劇社" in page
    assert not SIMPLIFIED.search(re.sub(r"<[^>]+>", "", page.split("<main", 1)[1].split("</main>", 1)[0]))


# The language switcher ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_switcher_of_an_untranslated_page_says_so_and_leads_to_its_english_section(client, notices):
    _index, chinese = notices

    nav = re.search(r'<nav class="language-switcher".*?</nav>', html(client.get(chinese[0].url)), re.S).group(0)

    english = re.search(r'<a href="([^"]+)" lang="en" hreflang="en">(.*?)</a>', nav)
    assert english.group(1) == "/en/notices/"
    assert "English" in english.group(2) and "not translated" in english.group(2)
    assert '<a href="/zh-hans/notices/council-1/"' not in nav
    assert re.search(r'lang="zh-Hans" hreflang="zh-Hans" aria-current="true">简体</a>', nav)
