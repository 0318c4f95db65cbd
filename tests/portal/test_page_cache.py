"""The anonymous full-page cache: what is served from it, what never is, and what empties it.

Besides pages, some checks use /sitemap-pages.xml, an anonymous cacheable response that lists every public page.
"""

import datetime
import re
import secrets
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published

from portal.models import ContactSettings
from tests.conftest import sign_in
from tests.home.factories import CounsellingCentrePageFactory, PartnerFactory, StandardPageFactory
from tests.members.factories import make_member
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory
from tests.portal.factories import html

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings, db):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 600
    # The first page rendered would create the site's contact settings, and so purge the cache.
    ContactSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, title="关于协会", slug="about", intro="协会成立于2001年。")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks of the changes made inside it, as the end of a real transaction would."""
    return django_capture_on_commit_callbacks


def cached(client: Client, url: str):
    """GET `url` twice; the second response must come from the cache."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Cache") == "HIT"
    return response


# Served from the cache -----------------------------------------------------------------------


def test_second_anonymous_visit_of_a_page_is_served_from_the_cache(client, about):
    first = client.get(about.url)
    second = client.get(about.url)

    assert first.status_code == second.status_code == 200
    assert first.get("X-Cache") == "MISS"
    assert second.get("X-Cache") == "HIT"
    assert second.content == first.content
    assert "协会成立于2001年。" in html(second)


def test_second_anonymous_request_of_the_sitemap_is_served_from_the_cache(client, about):
    first = client.get("/sitemap-pages.xml")
    second = client.get("/sitemap-pages.xml")

    assert first.get("X-Cache") == "MISS"
    assert second.get("X-Cache") == "HIT"
    assert second.content == first.content
    assert "/about/" in html(second)


def test_nothing_is_cached_when_the_page_cache_is_off(client, about, settings):
    settings.PAGE_CACHE_ENABLED = False

    client.get("/sitemap-pages.xml")
    response = client.get("/sitemap-pages.xml")

    assert response.status_code == 200
    assert response.get("X-Cache") is None


def test_a_cached_response_is_stale_until_purged(client, about):
    cached(client, "/sitemap-pages.xml")
    Page.objects.filter(pk=about.pk).update(live=False)  # no signal, so no purge

    stale = client.get("/sitemap-pages.xml")

    assert stale.get("X-Cache") == "HIT"
    assert "/about/" in html(stale)


# Never served from / stored in the cache -----------------------------------------------------


def test_signed_in_user_is_never_served_a_cached_response(client, about, member):
    cached(client, "/sitemap-pages.xml")
    Page.objects.filter(pk=about.pk).update(live=False)  # the cached copy is now stale
    signed_in = Client()
    sign_in(signed_in, member)

    fresh = signed_in.get("/sitemap-pages.xml")
    anonymous = client.get("/sitemap-pages.xml")

    assert fresh.status_code == 200
    assert fresh.get("X-Cache") is None
    assert "/about/" not in html(fresh)
    assert anonymous.get("X-Cache") == "HIT" and "/about/" in html(anonymous)


def test_signed_in_user_never_fills_the_cache(client, about, member):
    signed_in = Client()
    sign_in(signed_in, member)
    signed_in.get("/sitemap-pages.xml")
    signed_in.get("/sitemap-pages.xml")

    first_anonymous = client.get("/sitemap-pages.xml")
    second_anonymous = client.get("/sitemap-pages.xml")

    assert first_anonymous.get("X-Cache") == "MISS"
    assert second_anonymous.get("X-Cache") == "HIT"


def test_signed_in_editors_userbar_never_reaches_anonymous_visitors(client, about, superuser):
    signed_in = Client()
    sign_in(signed_in, superuser)

    own_view = signed_in.get(about.url)
    anonymous = [client.get(about.url), client.get(about.url)]

    assert "userbar" in html(own_view)
    assert own_view.get("X-Cache") is None
    for response in anonymous:
        assert response.status_code == 200
        assert "协会成立于2001年。" in html(response)
        assert "userbar" not in html(response)


def test_request_with_a_messages_cookie_bypasses_the_cache(client, about):
    cached(client, "/sitemap-pages.xml")
    Page.objects.filter(pk=about.pk).update(live=False)  # the cached copy is now stale
    with_messages = Client()
    with_messages.cookies["messages"] = "pending"

    fresh = with_messages.get("/sitemap-pages.xml")
    anonymous = client.get("/sitemap-pages.xml")

    assert fresh.status_code == 200
    assert fresh.get("X-Cache") is None
    assert "/about/" not in html(fresh)
    assert anonymous.get("X-Cache") == "HIT" and "/about/" in html(anonymous)


def test_page_that_sets_a_csrf_cookie_is_not_cached_or_shared(home_page):
    private = StandardPageFactory(parent=home_page, title="内部资料", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="s3cret-pw")
    first_visitor, second_visitor = Client(), Client()

    first = first_visitor.get(private.url)
    first_again = first_visitor.get(private.url)
    second = second_visitor.get(private.url)

    for response in (first, first_again, second):
        assert response.status_code == 200
        assert response.get("X-Cache") is None
        assert "csrftoken" in response.cookies
    first_token = TOKEN.search(html(first)).group(1)
    second_token = TOKEN.search(html(second)).group(1)
    assert first_token != second_token
    assert first_token not in html(second)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert first.cookies["csrftoken"].value not in html(second)


def test_a_public_page_with_a_form_sets_a_cookie_and_is_not_shared(home_page):
    # The counselling centre's 留言咨询 form needs a CSRF token; the page is not marked no-store, so
    # only the cookie keeps the cache from handing one visitor's token to the next.
    centre = CounsellingCentrePageFactory(parent=home_page)
    first, second = Client().get(centre.url), Client().get(centre.url)

    assert "no-store" not in first.get("Cache-Control", "")
    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies
    assert second.get("X-Cache") is None
    assert TOKEN.search(html(first)).group(1) != TOKEN.search(html(second)).group(1)


def test_preview_is_never_cached(client, about, superuser):
    about.title = "关于协会（草稿）"
    about.save_revision()
    editor = Client()
    sign_in(editor, superuser)

    previews = [editor.get(reverse("wagtailadmin_pages:view_draft", args=[about.pk])) for _ in range(2)]
    live = [client.get(about.url), client.get(about.url)]

    for preview in previews:
        assert preview.status_code == 200
        assert preview.get("X-Cache") is None
        assert "关于协会（草稿）" in html(preview)
    for response in live:
        assert response.status_code == 200
        assert "关于协会" in html(response)
        assert "草稿" not in html(response)


def test_post_is_neither_served_from_nor_stored_in_the_cache(client, about):
    post = client.post("/sitemap-pages.xml")
    first_get = client.get("/sitemap-pages.xml")
    second_get = client.get("/sitemap-pages.xml")
    post_after = client.post("/sitemap-pages.xml")
    page_post = client.post(about.url)

    assert post.status_code == 200 and post.get("X-Cache") is None
    assert first_get.get("X-Cache") == "MISS"
    assert second_get.get("X-Cache") == "HIT"
    assert post_after.get("X-Cache") is None
    assert page_post.status_code == 200 and page_post.get("X-Cache") is None


# Purged when what the public sees changes -----------------------------------------------------


def test_publishing_a_page_purges_the_cache(client, about, committed):
    before = cached(client, about.url)
    with committed(execute=True):
        about.title = "协会简介"
        about.save_revision().publish()

    after = client.get(about.url)

    assert "<h1>关于协会</h1>" in html(before)
    assert "<h1>协会简介</h1>" in html(after)
    assert after.get("X-Cache") == "MISS"


def test_unpublishing_a_page_purges_the_cache(client, about, committed):
    before = cached(client, about.url)
    with committed(execute=True):
        about.unpublish()

    after = client.get(about.url)

    assert "协会成立于2001年。" in html(before)
    assert after.status_code == 404


def test_moving_a_page_purges_the_cache(client, home_page, about, committed):
    organisation = StandardPageFactory(parent=home_page, title="组织机构", slug="organisation")
    before = cached(client, "/about/")
    with committed(execute=True):
        about.move(organisation, pos="last-child")

    old_address = client.get("/about/")
    new_address = client.get("/organisation/about/")

    assert "协会成立于2001年。" in html(before)
    # Wagtail leaves a redirect at the old address instead of the cached page.
    assert old_address.status_code == 301 and old_address["Location"] == "/organisation/about/"
    assert new_address.status_code == 200 and "协会成立于2001年。" in html(new_address)


def test_deleting_a_page_purges_the_cache(client, about, committed):
    before = cached(client, "/about/")
    with committed(execute=True):
        Page.objects.get(pk=about.pk).delete()

    after = client.get("/about/")

    assert "协会成立于2001年。" in html(before)
    assert after.status_code == 404


def test_editing_a_partner_purges_the_cache(client, home_page, committed):
    partner = PartnerFactory(name="大连市民政局")
    before = cached(client, "/")
    with committed(execute=True):
        partner.name = "大连市科学技术协会"
        partner.save()

    after = client.get("/")

    assert "大连市民政局" in html(before)
    assert "大连市科学技术协会" in html(after) and "大连市民政局" not in html(after)


def test_editing_the_contact_settings_purges_the_cache(client, home_page, committed):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.phone = "0411-39768800"
    contact.save()
    before = cached(client, "/")
    with committed(execute=True):
        contact.phone = "0411-88889999"
        contact.save()

    after = client.get("/")

    assert "0411-39768800" in html(before)
    assert "0411-88889999" in html(after) and "0411-39768800" not in html(after)


@pytest.fixture
def public_records(home_page, about):
    """Everything the purge tests change, created before anything is cached."""
    return {
        "home": home_page,
        "about": about,
        "partner": PartnerFactory(name="大连市民政局"),
        "contact": ContactSettings.for_site(Site.objects.get(is_default_site=True)),
    }


def publish_new_page(records):
    StandardPageFactory(parent=records["home"], title="联系我们", slug="contact").save_revision().publish()
    return "/contact/", True


def unpublish(records):
    records["about"].unpublish()
    return "/about/", False


def move(records):
    organisation = StandardPageFactory(parent=records["home"], title="组织机构", slug="organisation")
    records["about"].move(organisation, pos="last-child")
    return "/organisation/about/", True


def delete(records):
    Page.objects.get(pk=records["about"].pk).delete()
    return "/about/", False


def edit_partner(records):
    records["partner"].name = "大连市科学技术协会"
    records["partner"].save()
    return None, None


def edit_contact(records):
    records["contact"].phone = "0411-88889999"
    records["contact"].save()
    return None, None


@pytest.mark.parametrize("change", [publish_new_page, unpublish, move, delete, edit_partner, edit_contact])
def test_change_purges_the_cached_sitemap(client, public_records, change, committed):
    before = cached(client, "/sitemap-pages.xml")

    with committed(execute=True):
        address, listed = change(public_records)
    after = client.get("/sitemap-pages.xml")

    assert after.status_code == 200
    assert after.get("X-Cache") == "MISS"
    if address is not None:
        assert (address in html(after)) is listed
        assert (address in html(before)) is not listed


# Purged only where the change shows ----------------------------------------------------------

DIRECTORY = "/members/directory/"


@pytest.fixture
def notice(home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    return NoticePageFactory(
        parent=index, slug="dues-2019", title="关于交纳2019年会费的通知", date=datetime.date(2019, 3, 1)
    )


def save_profile(member, **fields):
    """The member saves their profile page as the form sends it (an unticked box is left out)."""
    own = Client()
    sign_in(own, member.user)
    profile = {"phone": member.phone, "employer": member.employer, "district": member.district, **fields}
    response = own.post(reverse("membership_profile"), {k: v for k, v in profile.items() if v is not False})
    assert response.status_code == 302
    return response


def test_a_member_saving_their_profile_leaves_the_cached_pages_cached(client, notice, committed):
    member = make_member("wang@example.com", number="DL-2020-0007", employer="大连市第七人民医院")
    cached(client, notice.url)
    cached(client, DIRECTORY)

    with committed(execute=True):
        save_profile(member, employer="大连市心理援助中心", phone="13904119999")

    assert client.get(notice.url).get("X-Cache") == "HIT"
    assert client.get(DIRECTORY).get("X-Cache") == "HIT"  # not listed in it: nothing shown changed


def test_a_listed_member_saving_their_profile_purges_the_directory_only(client, notice, committed):
    member = make_member(
        "wang@example.com", number="DL-2020-0007", employer="大连市第七人民医院", directory_listed=True
    )
    cached(client, notice.url)
    before = cached(client, DIRECTORY)
    for address in ("/zh-hant/members/directory/", f"{DIRECTORY}?district=xigang"):
        cached(client, address)

    with committed(execute=True):
        save_profile(member, employer="大连市心理援助中心", directory_listed="on", directory_show_employer="on")

    after = client.get(DIRECTORY)
    assert "大连市第七人民医院" in html(before)
    assert after.get("X-Cache") == "MISS" and "大连市心理援助中心" in html(after)
    for address in ("/zh-hant/members/directory/", f"{DIRECTORY}?district=xigang"):
        assert client.get(address).get("X-Cache") == "MISS", address
    assert client.get(notice.url).get("X-Cache") == "HIT"


def test_a_member_leaving_the_directory_disappears_from_it_at_once(client, committed):
    member = make_member("wang@example.com", number="DL-2020-0007", full_name="王晓明", directory_listed=True)
    before = cached(client, DIRECTORY)

    with committed(execute=True):
        save_profile(member, directory_listed=False)

    assert "王晓明" in html(before)
    assert "王晓明" not in html(client.get(DIRECTORY))


# Stored once per query parameter the page reads --------------------------------------------------


def stored_pages() -> int:
    """How many responses the page cache holds (local memory in the tests, Redis in CI)."""
    backend = cache._cache
    if isinstance(backend, dict):
        return sum(1 for key in backend if "pagecache:page:" in key)
    return len(backend.get_client().keys("*pagecache:page:*"))


def test_made_up_query_strings_do_not_fill_the_cache(client, notice):
    cached(client, notice.url)
    stored = stored_pages()

    responses = [client.get(notice.url, {"x": secrets.token_hex(8)}) for _ in range(100)]

    assert all(r.status_code == 200 and "关于交纳2019年会费的通知" in html(r) for r in responses)
    assert stored_pages() == stored
    assert client.get(notice.url).get("X-Cache") == "HIT"


def test_a_parameter_the_page_does_not_read_is_not_stored_even_beside_one_it_reads(client, notice):
    listing = notice.get_parent().url

    for query in ("?page=1&x=1", "?page=01", "?page=1&page=1", "?year=2019&audience=b"):
        first, again = client.get(listing + query), client.get(listing + query)
        assert first.status_code == again.status_code == 200, query
        assert again.get("X-Cache") is None, query
    assert cached(client, listing + "?year=2019")  # the year alone is read by the notice centre


def test_a_page_number_written_oddly_is_served_but_not_stored(client, home_page):
    """The expert directory reads any page number it cannot use as page 1."""
    for value in ("9" * 5000, "01", "+1", " 1", "１"):
        first, again = client.get("/experts/", {"page": value}), client.get("/experts/", {"page": value})
        assert first.status_code == again.status_code == 200, value[:10]
        assert again.get("X-Cache") is None, value[:10]
    assert cached(client, "/experts/?page=1")


def test_shared_links_get_the_cached_page_without_their_tracking_parameters(client, notice):
    cached(client, notice.url)
    stored = stored_pages()

    wechat = client.get(notice.url + "?from=singlemessage&isappinstalled=0")
    campaign = client.get(notice.url + "?utm_source=newsletter")

    assert wechat.get("X-Cache") == campaign.get("X-Cache") == "HIT"
    assert stored_pages() == stored


def test_each_page_of_a_listing_is_stored_on_its_own(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    first_day = datetime.date(2019, 1, 1)
    for day in range(21):  # a page holds 20: the oldest is alone on page 2
        NoticePageFactory(parent=index, title=f"第{day + 1}号通知", date=first_day + datetime.timedelta(days=day))

    first_page = cached(client, "/notices/")
    second_page = client.get("/notices/?page=2")
    second_page_again = client.get("/notices/?page=2")

    assert second_page.get("X-Cache") == "MISS" and second_page_again.get("X-Cache") == "HIT"
    assert second_page_again.content == second_page.content
    assert "第1号通知" in html(second_page_again) and "第21号通知" not in html(second_page_again)
    assert "第21号通知" in html(first_page) and "第1号通知" not in html(first_page)
    assert client.get("/notices/?page=1").get("X-Cache") == "MISS"  # the same cards, another address


# Purging and database transactions -----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_visitor_during_an_approval_does_not_cache_the_old_content(client, home_page, editor, moderator):
    page = StandardPageFactory(parent=home_page, title="联系我们", slug="contact", live=False)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    cached(client, "/sitemap-pages.xml")
    during: list[str] = []

    def visitor_meanwhile(sender, **kwargs):
        def visit():
            try:
                during.append(html(Client().get("/sitemap-pages.xml")))
            finally:
                connections.close_all()

        thread = threading.Thread(target=visit)
        thread.start()
        thread.join(timeout=60)

    page_published.connect(visitor_meanwhile, weak=False)
    try:
        task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
        task_state.task.specific.on_action(task_state, moderator, "approve")
    finally:
        page_published.disconnect(visitor_meanwhile)
    after = client.get("/sitemap-pages.xml")

    assert Page.objects.get(pk=page.pk).live
    assert len(during) == 1 and "/contact/" not in during[0]  # the approval was not committed yet
    assert "/contact/" in html(after)


def test_a_new_release_reads_nothing_the_previous_one_cached(client, about, settings):
    first = client.get("/about/")
    settings.RELEASE = "2026.12.2"

    after_deployment = client.get("/about/")

    assert first["X-Cache"] == "MISS"
    assert after_deployment["X-Cache"] == "MISS"
