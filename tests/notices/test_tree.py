"""Where each page type may live in the page tree, and which sections exist only once per home page."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from home.models import HomePage, StandardPage
from notices.models import (
    ArticlePage,
    NewsArticlePage,
    NewsIndexPage,
    NewsSectionPage,
    NoticeIndexPage,
    NoticePage,
    PolicyDocumentPage,
    PolicyIndexPage,
    PolicyInterpretationPage,
    ScienceArticlePage,
    ScienceIndexPage,
)
from tests.conftest import sign_in, translate_page
from tests.home.factories import StandardPageFactory
from tests.notices.factories import (
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    NewsSectionPageFactory,
    NoticeIndexPageFactory,
    NoticePageFactory,
    PolicyDocumentPageFactory,
    PolicyIndexPageFactory,
    PolicyInterpretationPageFactory,
    ScienceArticlePageFactory,
    ScienceIndexPageFactory,
)

pytestmark = pytest.mark.django_db

SINGLETON_SECTIONS = [NoticeIndexPage, NewsIndexPage, PolicyIndexPage, ScienceIndexPage]


@pytest.fixture
def tree(home_page) -> dict[str, Page]:
    """One real page of every type, plus an English home page that has no sections yet."""
    notice_index = NoticeIndexPageFactory(parent=home_page)
    news_index = NewsIndexPageFactory(parent=home_page)
    news_section = NewsSectionPageFactory(parent=news_index)
    policy_index = PolicyIndexPageFactory(parent=home_page)
    science_index = ScienceIndexPageFactory(parent=home_page)
    return {
        "root": Page.objects.get(depth=1),
        "home": home_page,
        "empty_home": translate_page(home_page, "en"),
        "standard": StandardPageFactory(parent=home_page),
        "notice_index": notice_index,
        "notice": NoticePageFactory(parent=notice_index),
        "news_index": news_index,
        "news_section": news_section,
        "news_article": NewsArticlePageFactory(parent=news_section),
        "policy_index": policy_index,
        "policy_document": PolicyDocumentPageFactory(parent=policy_index),
        "policy_interpretation": PolicyInterpretationPageFactory(parent=policy_index),
        "science_index": science_index,
        "science_article": ScienceArticlePageFactory(parent=science_index),
    }


# The parents (keys of `tree`) under which each page type may exist at all; everywhere else it is refused.
PARENT_TYPES = {
    HomePage: {"root"},
    StandardPage: {"home", "empty_home", "standard"},
    NoticeIndexPage: {"home", "empty_home"},
    NoticePage: {"notice_index"},
    NewsIndexPage: {"home", "empty_home"},
    NewsSectionPage: {"news_index"},
    NewsArticlePage: {"news_section"},
    PolicyIndexPage: {"home", "empty_home"},
    PolicyDocumentPage: {"policy_index"},
    PolicyInterpretationPage: {"policy_index"},
    ScienceIndexPage: {"home", "empty_home"},
    ScienceArticlePage: {"science_index"},
    ArticlePage: set(),  # the shared base of all articles is never created itself
}
# Parents that already hold the one instance a type may have there.
FULL_PARENTS = {HomePage: {"root"}, **{model: {"home"} for model in SINGLETON_SECTIONS}}


@pytest.mark.parametrize("model", list(PARENT_TYPES), ids=lambda model: model.__name__)
def test_page_type_may_exist_only_under_its_parent_types(tree, model):
    allowed = {name for name, parent in tree.items() if model.can_exist_under(parent)}
    offered = {name for name, parent in tree.items() if model in parent.specific_class.creatable_subpage_models()}

    assert allowed == PARENT_TYPES[model]
    # The admin's "add child page" choice offers it exactly there.
    assert offered == PARENT_TYPES[model]


@pytest.mark.parametrize("model", list(PARENT_TYPES), ids=lambda model: model.__name__)
def test_page_type_can_be_created_only_where_allowed_and_not_yet_present(tree, model):
    creatable_under = {name for name, parent in tree.items() if model.can_create_at(parent)}

    assert creatable_under == PARENT_TYPES[model] - FULL_PARENTS.get(model, set())


def test_home_page_belongs_directly_under_the_root(tree):
    assert HomePage.can_exist_under(tree["root"])
    assert not HomePage.can_exist_under(tree["home"])
    assert not HomePage.can_exist_under(tree["standard"])


def test_article_pages_have_no_children(tree):
    for name in ("notice", "news_article", "policy_document", "policy_interpretation", "science_article"):
        assert tree[name].specific_class.creatable_subpage_models() == [], name
    # Control: a standard page does accept children.
    assert StandardPage in tree["standard"].specific_class.creatable_subpage_models()


@pytest.mark.parametrize("model", SINGLETON_SECTIONS, ids=lambda model: model.__name__)
def test_section_is_a_singleton_per_home_page(home_page, model):
    assert model.can_create_at(home_page)

    home_page.add_child(instance=model(title="栏目", slug="section"))

    assert not model.can_create_at(home_page)
    # The limit is per parent: the English home page may still have its own.
    assert model.can_create_at(translate_page(home_page, "en"))


def test_news_sections_are_not_singletons(home_page):
    news_index = NewsIndexPageFactory(parent=home_page)
    NewsSectionPageFactory(parent=news_index, title="国内资讯")

    assert NewsSectionPage.can_create_at(news_index)
    NewsSectionPageFactory(parent=news_index, title="协会动态")
    assert NewsSectionPage.objects.child_of(news_index).count() == 2


@pytest.mark.parametrize("model", SINGLETON_SECTIONS, ids=lambda model: model.__name__)
def test_admin_refuses_a_second_section(client, superuser, home_page, model):
    sign_in(client, superuser)
    url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, home_page.pk))

    assert client.get(url).status_code == 200  # control: the first one can be added

    home_page.add_child(instance=model(title="栏目", slug="section"))
    response = client.post(url, {"title": "第二个栏目", "slug": "second"})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert model.objects.child_of(home_page).count() == 1


@pytest.mark.parametrize(
    ("app_label", "model_name", "parent"),
    [("home", "homepage", "root"), ("notices", "articlepage", "home"), ("notices", "articlepage", "notice_index")],
)
def test_admin_refuses_types_that_cannot_be_created(client, superuser, tree, app_label, model_name, parent):
    sign_in(client, superuser)
    parent_page = tree[parent]
    allowed = reverse("wagtailadmin_pages:add", args=("home", "standardpage", tree["home"].pk))
    refused = reverse("wagtailadmin_pages:add", args=(app_label, model_name, parent_page.pk))

    assert client.get(allowed).status_code == 200
    response = client.get(refused)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
