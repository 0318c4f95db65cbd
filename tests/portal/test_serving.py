"""Pages are served by Wagtail's own view: every language, sub-routes, drafts, and the view restrictions.

Below the home page, pages are found by the home page's route() in one query
(portal/tree_routing.py): it must answer as Wagtail's Page.route() does, page for page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site

from tests.conftest import sign_in
from tests.home.factories import StandardPageFactory
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory
from tests.portal.factories import html, translate_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, slug="dues-2019", title="关于交纳2019年会费的通知")
    NoticePageFactory(parent=index, slug="draft", live=False)
    # A child whose slug is also a sub-route of the listing: the feed/ route answers, in Wagtail too.
    NoticePageFactory(parent=index, slug="feed", title="名为 feed 的通知")
    about = StandardPageFactory(parent=home_page, slug="about", title="关于协会")
    StandardPageFactory(parent=about, slug="team", title="秘书处")
    hidden = StandardPageFactory(parent=home_page, slug="hidden", live=False)
    StandardPageFactory(parent=hidden, slug="inside", title="草稿栏目下的页面")
    translate_tree(notice, "zh-hant", title="關於交納2019年會費的通知")
    return home_page


def answer(result) -> tuple | None:
    """What a route result serves: the page, and the sub-route with its arguments for routable pages."""
    if result is None:
        return None
    page, args, kwargs = result
    if args:
        view, view_args, view_kwargs = args
        args = (view.__name__, tuple(view_args), dict(view_kwargs))
    return type(page).__name__, page.pk, tuple(args), kwargs


def routed(path: str, route) -> tuple | None:
    request = RequestFactory().get(path)
    home = Site.find_for_request(request).root_page.localized.specific
    try:
        return answer(route(home, request, [c for c in path.split("/") if c]))
    except Http404:
        return None


PATHS = [
    "/",
    "/notices/",
    "/notices/feed/",
    "/notices/dues-2019/",
    "/notices/dues-2019/extra/",
    "/notices/draft/",
    "/notices/missing/",
    "/notices/2019/",
    "/about/",
    "/about/team/",
    "/about/team/extra/",
    "/hidden/",
    "/hidden/inside/",
    "/nowhere/",
    "/nowhere/notices/",
]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("path", PATHS)
def test_the_home_pages_route_answers_as_wagtails_own(tree, path, language):
    with translation.override(language):
        assert routed(path, type(tree).route) == routed(path, Page.route)


def test_the_answers_compared_are_not_all_alike(tree):
    """The comparison above covers pages, sub-routes and 404s, in both Chinese trees."""
    with translation.override("zh-hans"):
        assert routed("/notices/dues-2019/", Page.route)[0] == "NoticePage"
        assert routed("/notices/feed/", Page.route)[2][0] == "feed_route"
        assert routed("/notices/draft/", Page.route) is None
        assert routed("/hidden/inside/", Page.route)[0] == "StandardPage"
    with translation.override("zh-hant"):
        zh_hant_notice = routed("/notices/dues-2019/", Page.route)
    assert zh_hant_notice[1] != routed("/notices/dues-2019/", Page.route)[1]


def test_a_deep_page_is_found_in_one_query_below_the_home_page(tree, django_assert_num_queries):
    request = RequestFactory().get("/about/team/")
    home = Site.find_for_request(request).root_page.localized.specific

    with django_assert_num_queries(2):  # the pages along the path, then the one that answers
        page, _args, _kwargs = home.route(request, ["about", "team"])

    assert page.title == "秘书处"


def test_pages_are_served_in_each_language(client, tree):
    simplified = client.get("/notices/dues-2019/")
    traditional = client.get("/zh-hant/notices/dues-2019/")
    feed = client.get("/notices/feed/")

    assert simplified.status_code == traditional.status_code == 200
    assert "<h1>关于交纳2019年会费的通知</h1>" in html(simplified)
    assert "<h1>關於交納2019年會費的通知</h1>" in html(traditional)
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert client.get("/notices/draft/").status_code == 404


# View restrictions --------------------------------------


@pytest.fixture
def members_only(tree):
    about = tree.get_children().get(slug="about")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    return about


def test_login_restricted_page_and_its_children_ask_anonymous_visitors_to_sign_in(client, members_only, member):
    for path in ("/about/", "/about/team/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "login" in response["Location"]

    sign_in(client, member)
    assert client.get("/about/team/").status_code == 200


def test_pages_beside_a_restricted_one_stay_open(client, members_only):
    assert client.get("/notices/dues-2019/").status_code == 200


def test_password_restricted_page_asks_for_the_password(client, tree):
    about = tree.get_children().get(slug="about")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="xinli")

    response = client.get("/about/team/")

    assert response.status_code == 200
    assert 'name="password"' in html(response)
    assert "秘书处" not in html(response)


UNLOCK_FORM = re.compile(r'<form action="([^"]+)" method="POST">')
PASSWORD_MESSAGES = {
    "zh-hans": ("需要密码", "密码错误，请重新输入", "秘书处负责日常工作。"),
    "zh-hant": ("需要密碼", "密碼錯誤，請重新輸入", "秘書處負責日常工作。"),
}


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_password_restricted_page_is_unlocked_with_its_password(client, tree, language):
    about = tree.get_children().get(slug="about")
    team = about.get_children().get(slug="team").specific
    team.intro = "秘书处负责日常工作。"
    team.save_revision().publish()
    translate_tree(team, "zh-hant", title="秘書處", intro="秘書處負責日常工作。")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="xinli")
    prefix = "" if language == "zh-hans" else f"/{language}"
    heading, refusal, content = PASSWORD_MESSAGES[language]
    page_path = f"{prefix}/about/team/"

    asked = client.get(page_path)
    action = UNLOCK_FORM.search(html(asked)).group(1)
    wrong = client.post(action, {"password": "wrong", "return_url": page_path})
    right = client.post(action, {"password": "xinli", "return_url": page_path})
    unlocked = client.get(page_path)

    assert asked.status_code == 200 and heading in html(asked) and content not in html(asked)
    assert action.startswith(f"{prefix}/_util/authenticate_with_password/")
    assert wrong.status_code == 200 and refusal in html(wrong) and content not in html(wrong)
    assert right.status_code == 302 and right["Location"] == page_path
    assert unlocked.status_code == 200 and content in html(unlocked)


def test_group_restricted_page_refuses_a_member_outside_the_group(client, tree, member):
    about = tree.get_children().get(slug="about")
    restriction = PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="理事会"))
    sign_in(client, member)

    response = client.get("/about/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_alias_takes_the_restrictions_its_source_page_gets_later(client, tree):
    about = tree.get_children().get(slug="about").specific
    about.create_alias(parent=tree, update_slug="about-copy")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/about-copy/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_page_under_an_alias_takes_the_restrictions_of_the_aliased_tree(client, tree):
    about = tree.get_children().get(slug="about").specific
    about.create_alias(parent=tree, update_slug="about-copy", recursive=True)
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/about-copy/team/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_wagtail_serves_each_sub_route_and_refuses_what_is_not_there(client, tree):
    assert client.get("/notices/dues-2019/extra/").status_code == 404
    assert client.get("/about/team/extra/").status_code == 404
    assert client.get("/nowhere/notices/").status_code == 404
    assert "秘书处" in html(client.get("/about/team/"))
