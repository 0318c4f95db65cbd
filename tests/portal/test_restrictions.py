"""A view restriction (sign-in, password or groups) on a page holds for every translation of it and
for the pages below them: when the page is served (by the portal's router or by Wagtail's own
view), in listings, in search results, in sitemap.xml and in the admin."""

import importlib
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, PageViewRestriction
from wagtail.views import serve as wagtail_serve

from tests.conftest import make_user, sign_in
from tests.home.factories import StandardPageFactory
from tests.portal.factories import dues_notices, html, translate_tree, translation_of

pytestmark = pytest.mark.django_db

LOGIN, PASSWORD, GROUPS = PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS


@pytest.fixture
def about(home_page):
    """关于协会 with 秘书处 below it, both already translated into 繁體."""
    about = StandardPageFactory(parent=home_page, slug="about", title="关于协会", intro="协会成立于2001年。")
    team = StandardPageFactory(parent=about, slug="team", title="秘书处", intro="秘书处负责日常工作。")
    translate_tree(team, "zh-hant", title="秘書處", intro="秘書處負責日常工作。")
    return about


def restrictions_of(page: Page) -> list[tuple[str, str, list[str]]]:
    """The restrictions Wagtail itself applies to `page` (its own and its ancestors')."""
    return sorted(
        (r.restriction_type, r.password, sorted(r.groups.values_list("name", flat=True)))
        for r in Page.objects.get(pk=page.pk).get_view_restrictions()
    )


def asks_to_sign_in(response) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


def test_signing_in_required_on_a_page_is_required_on_its_translation_and_below(client, about, member):
    PageViewRestriction.objects.create(page=about, restriction_type=LOGIN)

    for path in ("/zh-hant/about/", "/zh-hant/about/team/"):
        assert asks_to_sign_in(client.get(path)), path
    sign_in(client, member)
    signed_in = client.get("/zh-hant/about/team/")
    assert signed_in.status_code == 200 and "秘書處負責日常工作。" in html(signed_in)


def test_the_translation_is_restricted_for_wagtail_itself(about):
    """What Wagtail's own serve view, public() and the admin read, not only the portal's router."""
    PageViewRestriction.objects.create(page=about, restriction_type=LOGIN)
    hant_about = translation_of(about, "zh-hant")
    hant_team = translation_of(about.get_children().get(), "zh-hant")

    assert restrictions_of(hant_about) == restrictions_of(hant_team) == [(LOGIN, "", [])]
    assert not Page.objects.public().filter(pk__in=[hant_about.pk, hant_team.pk]).exists()
    request = RequestFactory().get("/zh-hant/about/team/")
    request.user = AnonymousUser()
    with translation.override("zh-hant"):
        response = wagtail_serve(request, "about/team/")
    assert asks_to_sign_in(response)


def test_a_password_on_a_page_is_asked_for_on_its_translation(client, about):
    PageViewRestriction.objects.create(page=about, restriction_type=PASSWORD, password="xinli")

    response = client.get("/zh-hant/about/team/")

    assert response.status_code == 200
    assert 'name="password"' in html(response)
    assert "秘書處負責日常工作。" not in html(response)


def test_groups_chosen_in_the_admin_hold_for_the_translation(about):
    council = Group.objects.create(name="理事会")
    # In a group: the portal asks such people for a second factor (portal/twofactor.py).
    insider = make_user("insider@example.com", two_factor=True)
    outsider = make_user("outsider@example.com")
    insider.groups.add(council)
    admin = Client()
    sign_in(admin, make_user("root@example.com", superuser=True))

    saved = admin.post(
        reverse("wagtailadmin_pages:set_privacy", args=[about.pk]),
        {"restriction_type": GROUPS, "groups": [council.pk], "password": ""},
    )

    assert saved.status_code == 200 and '"step": "set_privacy_done"' in html(saved)
    hant_about = translation_of(about, "zh-hant")
    assert restrictions_of(hant_about) == [(GROUPS, "", ["理事会"])]
    for user, allowed in ((insider, True), (outsider, False)):
        visitor = Client()
        sign_in(visitor, user)
        response = visitor.get("/zh-hant/about/team/")
        assert (response.status_code == 200) is allowed, user
    # The admin shows the translation as private, with the same groups.
    shown = json.loads(admin.get(reverse("wagtailadmin_pages:set_privacy", args=[hant_about.pk])).content)["html"]
    assert re.search(rf'value="{GROUPS}"[^>]*checked', shown)
    assert re.search(rf'value="{council.pk}"[^>]*checked', shown)


def test_making_a_page_public_again_opens_its_translation(about):
    PageViewRestriction.objects.create(page=about, restriction_type=LOGIN)
    admin = Client()
    sign_in(admin, make_user("root@example.com", superuser=True))

    admin.post(reverse("wagtailadmin_pages:set_privacy", args=[about.pk]), {"restriction_type": "none"})

    assert restrictions_of(translation_of(about, "zh-hant")) == []
    assert Client().get("/zh-hant/about/").status_code == 200


def test_a_restriction_set_on_the_translation_holds_for_the_original_too(client, about):
    PageViewRestriction.objects.create(page=translation_of(about, "zh-hant"), restriction_type=LOGIN)

    assert restrictions_of(about) == [(LOGIN, "", [])]
    assert asks_to_sign_in(client.get("/about/"))


def test_a_translation_made_later_takes_the_restrictions_of_each_page(client, home_page, member):
    """Wagtail copies a page's own restriction to a new translation only when the parent has none."""
    about = StandardPageFactory(parent=home_page, slug="about", title="关于协会")
    team = StandardPageFactory(parent=about, slug="team", title="秘书处", intro="秘书处负责日常工作。")
    PageViewRestriction.objects.create(page=about, restriction_type=LOGIN)
    PageViewRestriction.objects.create(page=team, restriction_type=PASSWORD, password="xinli")

    hant_team = translate_tree(team, "zh-hant", title="秘書處", intro="秘書處負責日常工作。")
    sign_in(client, member)
    response = client.get("/zh-hant/about/team/")

    assert restrictions_of(hant_team) == [(LOGIN, "", []), (PASSWORD, "xinli", [])]
    assert response.status_code == 200 and 'name="password"' in html(response)
    assert "秘書處負責日常工作。" not in html(response)


def test_deleting_the_original_leaves_the_translation_restricted(client, about, member):
    PageViewRestriction.objects.create(page=about, restriction_type=LOGIN)

    Page.objects.get(pk=about.pk).delete()

    assert asks_to_sign_in(client.get("/zh-hant/about/"))


def test_the_translation_leaves_the_sitemap(client, about):
    PageViewRestriction.objects.create(page=about, restriction_type=PASSWORD, password="xinli")

    sitemap = html(client.get("/sitemap-pages.xml"))

    assert "/zh-hant/about/" not in sitemap and "/zh-hant/about/team/" not in sitemap
    assert "/zh-hant/" in sitemap  # the rest of the 繁體 site is still listed


def test_the_translation_leaves_listings_and_search_results(client, home_page):
    dues_2019, _dues_2015, _meeting = dues_notices(home_page)
    hant = translate_tree(dues_2019, "zh-hant", title="關於交納2019年會費的通知", slug="dues-2019")
    PageViewRestriction.objects.create(page=dues_2019, restriction_type=LOGIN)

    listing = html(client.get("/zh-hant/notices/"))
    results = html(client.get("/zh-hant/search/", {"q": "会费"}))

    assert hant.url.startswith("/zh-hant/")
    assert hant.url not in listing and "關於交納2019年會費的通知" not in listing
    assert hant.url not in results


def test_restrictions_made_before_they_were_shared_are_shared_by_the_migration(about):
    # bulk_create sends no signal: how restrictions stood before translations shared them.
    PageViewRestriction.objects.bulk_create([PageViewRestriction(page=about, restriction_type=LOGIN)])
    hant_about = translation_of(about, "zh-hant")
    assert restrictions_of(hant_about) == []

    migration = importlib.import_module("home.migrations.0004_share_view_restrictions_with_translations")
    from django.apps import apps

    migration.share_with_translations(apps, None)

    assert restrictions_of(hant_about) == [(LOGIN, "", [])]
    assert PageViewRestriction.objects.filter(page=about).count() == 1
