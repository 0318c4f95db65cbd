"""Rendered fragments (listing cards, an article's body, the chrome): fresh after every purge,
never the draft, never anything personal, and an expired article disappears at once.

The anonymous page cache is off here, as for a signed-in visitor: what is checked is the
fragments a page is assembled from.
"""

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.cache import GENERATION_KEY, LocalCopies, cached_until_purge, generation
from tests.conftest import sign_in
from tests.home.factories import DocumentFactory, PartnerFactory, StandardPageFactory
from tests.notices.factories import NoticeCategoryFactory, NoticeIndexPageFactory, NoticePageFactory, body
from tests.portal.factories import html, translate_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def notices(home_page):
    return NoticeIndexPageFactory(parent=home_page)


@pytest.fixture
def notice(notices):
    return NoticePageFactory(
        parent=notices,
        slug="dues-2019",
        title="关于交纳2019年会费的通知",
        summary="请各位会员按时交费。",
        body=body("会员应于3月31日前交纳年度会费。"),
    )


def test_a_warm_listing_page_does_not_fetch_its_articles(client, notices, django_assert_max_num_queries):
    for number in range(25):
        NoticePageFactory(parent=notices, title=f"第{number}号通知")
    first = client.get("/notices/")

    # Wagtail's routing only (the site, its home page in this language, the listing page, its view
    # restrictions): none for the twenty articles, whose cards are cached.
    with django_assert_max_num_queries(7):
        second = client.get("/notices/")

    assert html(first) == html(second)
    assert html(second).count('<article class="card') == 20


def test_republished_title_reaches_the_listing_the_home_page_and_the_article(client, notice, committed):
    before = [html(client.get(url)) for url in ("/notices/", "/", "/notices/dues-2019/")]
    with committed(execute=True):
        notice.title = "关于交纳2019年度会费的补充通知"
        notice.save_revision().publish()

    after = [html(client.get(url)) for url in ("/notices/", "/", "/notices/dues-2019/")]

    for page in before:
        assert "关于交纳2019年会费的通知" in page
    for page in after:
        assert "关于交纳2019年度会费的补充通知" in page
        assert "关于交纳2019年会费的通知" not in page


def test_a_renamed_attachment_is_shown_under_its_new_name(client, notice, committed):
    document = DocumentFactory(title="2019年会费标准.pdf")
    notice.attachments.create(document=document)
    notice.save_revision().publish()
    before = html(client.get("/notices/dues-2019/"))
    with committed(execute=True):
        document.title = "2019年度会费收费标准.pdf"
        document.save()

    after = html(client.get("/notices/dues-2019/"))

    assert "2019年会费标准.pdf" in before
    assert "2019年度会费收费标准.pdf" in after and "2019年会费标准.pdf" not in after


def test_an_expired_article_leaves_the_listing_at_its_expiry_time(client, notices, notice, committed):
    with committed(execute=True):
        notice.expire_at = timezone.now() + datetime.timedelta(minutes=1)
        notice.save_revision().publish()
    listed = html(client.get("/notices/"))

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        # Well within the time the listing's ids and cards are kept: the card is left out by its expiry time.
        later = html(client.get("/notices/"))

    assert "关于交纳2019年会费的通知" in listed
    assert "关于交纳2019年会费的通知" not in later


def test_a_preview_shows_the_draft_while_the_public_keeps_the_published_text(client, notice, superuser):
    client.get("/notices/dues-2019/")  # the published body is now a cached fragment
    notice.body = body("草稿：交费截止日期改为4月30日。")
    notice.save_revision()
    editor = Client()
    sign_in(editor, superuser)

    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[notice.pk]))
    public = client.get("/notices/dues-2019/")

    assert "草稿：交费截止日期改为4月30日。" in html(preview)
    assert "会员应于3月31日前交纳年度会费。" not in html(preview)
    assert "会员应于3月31日前交纳年度会费。" in html(public)
    assert "草稿" not in html(public)


def test_an_editors_userbar_is_not_part_of_any_fragment(client, notice, superuser):
    editor = Client()
    sign_in(editor, superuser)

    seen_by_editor = editor.get("/notices/dues-2019/")
    seen_by_public = client.get("/notices/dues-2019/")

    assert "wagtail-userbar" in html(seen_by_editor)
    assert "wagtail-userbar" not in html(seen_by_public)
    assert "root@example.com" not in html(seen_by_public)


def test_the_view_count_is_live_though_the_article_around_it_is_cached(client, notice):
    counts = [html(client.get("/notices/dues-2019/")) for _ in range(3)]

    assert ["<dt>点击量</dt><dd>1</dd>" in counts[0], "<dt>点击量</dt><dd>3</dd>" in counts[2]] == [True, True]


def test_fragments_are_kept_per_language(client, notice):
    translate_tree(notice, "zh-hant", title="關於交納2019年會費的通知")
    simplified = html(client.get("/notices/"))
    traditional = html(client.get("/zh-hant/notices/"))
    english_search = html(client.get("/en/search/?q=fees"))

    assert "关于交纳2019年会费的通知" in simplified and "關於" not in simplified
    assert "關於交納2019年會費的通知" in traditional and "关于交纳" not in traditional
    assert "联系我们" in simplified and "聯絡我們" not in simplified  # the footer
    assert "聯絡我們" in traditional and "联系我们" not in traditional
    assert 'lang="en"' in english_search


def test_parts_without_a_page_are_rendered_for_each_request(client, notice):
    first = html(client.get("/search/?q=会费"))
    second = html(client.get("/search/?q=年会"))

    assert 'value="会费"' in first
    assert 'value="年会"' in second


def test_a_page_not_published_yet_is_previewed_without_fragments(client, home_page, superuser):
    page = StandardPageFactory(parent=home_page, slug="plan", title="年度计划", live=False)
    page.title = "年度计划（草稿一）"
    page.save_revision()
    editor = Client()
    sign_in(editor, superuser)
    first = editor.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    page.title = "年度计划（草稿二）"
    page.save_revision()

    second = editor.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))

    assert "年度计划（草稿一）" in html(first)
    assert "年度计划（草稿二）" in html(second)
    assert "年度计划（草稿一）" not in html(second)


def test_a_lost_generation_never_brings_back_what_was_cached_before(home_page, settings):
    cached_until_purge("probe", lambda: "first era")
    old = generation()
    cache.delete(GENERATION_KEY)  # evicted, or the cache server restarted without its data
    cache.set(f"probe:{settings.RELEASE}:0", "stale", 60)

    new = generation()

    assert new not in (0, old)
    assert cached_until_purge("probe", lambda: "second era") == "second era"


def test_cached_values_are_keyed_by_the_release_that_made_them(home_page, settings):
    cached_until_purge("probe", lambda: "made by this code")
    settings.RELEASE = "another-release"

    assert cached_until_purge("probe", lambda: "made by the next release") == "made by the next release"


def test_each_address_has_its_own_head_and_header(client, home_page):
    about = StandardPageFactory(parent=home_page, slug="about", title="关于协会")
    about.create_alias(parent=home_page, update_slug="about-copy")

    original = html(client.get("/about/"))
    alias = html(client.get("/about-copy/"))

    assert '<link rel="canonical" href="http://localhost/about/">' in original
    assert '<link rel="canonical" href="http://localhost/about-copy/">' in alias


def at(hour: int, minute: int = 0) -> datetime.datetime:
    """Today at this time in Dalian (the fragments are kept per local day)."""
    return timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_a_quiet_site_keeps_its_fragments_and_lists_between_readers(client, notices, monkeypatch):
    category = NoticeCategoryFactory(name="会费", slug="dues")
    page = NoticePageFactory(parent=notices, slug="dues-2020", title="关于交纳2020年会费的通知", category=category)
    for number in range(3):
        NoticePageFactory(parent=notices, title=f"会费说明第{number}号", category=category)
    with time_machine.travel(at(10), tick=False):
        client.get(page.url)
        with CaptureQueriesContext(connection) as warm:
            client.get(page.url)

    # The next reader comes twenty minutes later, to another worker (no copy of its own yet).
    monkeypatch.setattr("portal.cache.local_copies", LocalCopies())
    with time_machine.travel(at(10, 20), tick=False), CaptureQueriesContext(connection) as later:
        response = client.get(page.url)

    assert "会费说明第2号" in html(response)  # the related articles, from the cache
    assert len(later) == len(warm), [query["sql"][:120] for query in later]


def test_publish_scheduled_takes_an_expired_article_out_of_the_kept_fragments(client, notices, committed):
    category = NoticeCategoryFactory(name="会费", slug="dues")
    page = NoticePageFactory(parent=notices, slug="dues-2020", title="关于交纳2020年会费的通知", category=category)
    with time_machine.travel(at(10), tick=False), committed(execute=True):
        expiring = NoticePageFactory(parent=notices, title="2020年会费减免申请", category=category)
        expiring.expire_at = at(10, 5)
        expiring.save_revision().publish()
    with time_machine.travel(at(10, 1), tick=False):
        before = html(client.get(page.url))

    with time_machine.travel(at(10, 10), tick=False):
        with committed(execute=True):
            call_command("publish_scheduled", stdout=io.StringIO())
        after = html(client.get(page.url))

    assert "2020年会费减免申请" in before
    assert "2020年会费减免申请" not in after


# What every page draws around its content is kept with the chrome's own generation --------------


def main_menu(response) -> str:
    text = html(response)
    start = text.index('<nav class="main-nav"')
    return text[start : text.index("</nav>", start)]


def footer(response) -> str:
    text = html(response)
    return text[text.index('<footer class="site-footer">') :]


def test_a_published_article_is_listed_at_once_without_rebuilding_the_menu_and_footer(
    client, notices, notice, committed
):
    PartnerFactory(name="大连市心理卫生协会")
    assert "大连市心理卫生协会" in html(client.get(notice.url))  # the chrome is built and kept
    with committed(execute=True):
        NoticePageFactory(parent=notices, title="关于举办2019年会员培训的通知").save_revision().publish()

    with CaptureQueriesContext(connection) as after:
        listing = client.get("/notices/")

    assert "关于举办2019年会员培训的通知" in html(listing)
    assert "大连市心理卫生协会" in html(listing)  # the partners strip, as kept
    asked = " ".join(query["sql"] for query in after)
    assert "home_partner" not in asked
    assert "portal_contactsettings" not in asked


def test_every_change_to_a_menu_page_reaches_the_menu_of_every_page_at_once(
    client, home_page, notices, notice, committed
):
    def menu() -> str:
        return main_menu(client.get(notice.url))

    with committed(execute=True):
        about = StandardPageFactory(parent=home_page, slug="about", title="关于协会", show_in_menus=True)
        about.save_revision().publish()
    assert "关于协会" in menu()

    with committed(execute=True):
        about.title = "协会简介"
        about.save_revision().publish()
    assert "协会简介" in menu()

    with committed(execute=True):
        about.move(notices, pos="last-child")
    assert "协会简介" not in menu()

    with committed(execute=True):
        about.refresh_from_db()
        about.move(home_page, pos="last-child")
    assert "协会简介" in menu()

    with committed(execute=True):
        about.refresh_from_db()
        about.unpublish()
    assert "协会简介" not in menu()

    with committed(execute=True):
        about.save_revision().publish()
    assert "协会简介" in menu()

    with committed(execute=True):
        about.delete()
    assert "协会简介" not in menu()


def test_a_new_legal_page_is_linked_from_the_footer_of_every_page_at_once(client, home_page, notice, committed):
    assert "隐私政策" not in footer(client.get(notice.url))

    with committed(execute=True):
        StandardPageFactory(parent=home_page, slug="privacy", title="隐私政策").save_revision().publish()

    assert '<a href="/privacy/">隐私政策</a>' in footer(client.get(notice.url))
