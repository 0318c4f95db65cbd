"""Editors create every page type through the Wagtail admin; only moderators publish."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import StandardPage
from notices.models import (
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
from tests.conftest import sign_in
from tests.home.factories import DocumentFactory, ImageFactory
from tests.notices.factories import (
    AudienceFactory,
    NewsIndexPageFactory,
    NewsSectionPageFactory,
    NoticeCategoryFactory,
    NoticeIndexPageFactory,
    PolicyDocumentPageFactory,
    PolicyIndexPageFactory,
    ScienceIndexPageFactory,
)

pytestmark = pytest.mark.django_db


def add_url(model, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


def body(text: str) -> dict:
    return streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])


def body_text(page) -> str:
    return "".join(block.value.source for block in page.body)


def article_fields(title: str, slug: str) -> dict:
    return {
        "title": title,
        "slug": slug,
        "date": "2024-05-06",
        "author": "协会秘书处",
        "source": "大连市心理咨询师协会",
        "summary": f"{title}的摘要。",
        "body": body(f"{title}的正文。"),
        "tags": "心理健康, 公益活动",
    }


def check_article(page, title: str) -> None:
    assert page.date == datetime.date(2024, 5, 6)
    assert page.author == "协会秘书处"
    assert page.source == "大连市心理咨询师协会"
    assert page.summary == f"{title}的摘要。"
    assert f"{title}的正文。" in body_text(page)
    assert sorted(page.tags.names()) == sorted(["心理健康", "公益活动"])


# Each case makes the parent and returns (model, parent, form data, check of the saved page).


def standard_case(home):
    data = {"title": "关于协会", "slug": "about", "intro": "协会简介。", "body": body("协会成立于1990年。")}

    def check(page):
        assert page.intro == "协会简介。"
        assert "协会成立于1990年。" in body_text(page)

    return StandardPage, home, data, check


def index_case(model, title, slug):
    def case(home):
        def check(page):
            assert page.intro == f"{title}栏目的导语。"

        return model, home, {"title": title, "slug": slug, "intro": f"{title}栏目的导语。"}, check

    return case


def news_section_case(home):
    news = NewsIndexPageFactory(parent=home)
    data = {"title": "协会动态", "slug": "association", "intro": "协会的活动。"}

    def check(page):
        assert page.intro == "协会的活动。"

    return NewsSectionPage, news, data, check


def notice_case(home):
    index = NoticeIndexPageFactory(parent=home)
    category = NoticeCategoryFactory(name="会费", slug="dues")
    document = DocumentFactory(title="会费缴纳说明")
    image = ImageFactory()
    title = "关于交纳2024年会费的通知"
    data = {
        **article_fields(title, "dues-2024"),
        "document_number": "大心协发〔2024〕3号",
        "category": str(category.pk),
        "pinned": "on",
        "closing_date": "2024-06-30",
        "listing_image": str(image.pk),
        "attachments": inline_formset([{"document": str(document.pk), "title": "缴费说明（PDF）"}]),
    }

    def check(page):
        check_article(page, title)
        assert page.document_number == "大心协发〔2024〕3号"
        assert page.category == category
        assert page.pinned is True
        assert page.closing_date == datetime.date(2024, 6, 30)
        assert page.listing_image == image
        assert [(a.document, a.display_title) for a in page.attachments.all()] == [(document, "缴费说明（PDF）")]

    return NoticePage, index, data, check


def news_article_case(home):
    section = NewsSectionPageFactory(parent=NewsIndexPageFactory(parent=home))
    title = "协会开展社区心理健康公益讲座"
    data = {**article_fields(title, "lecture"), "listing_image": str(ImageFactory().pk)}

    def check(page):
        check_article(page, title)
        assert page.listing_image is not None

    return NewsArticlePage, section, data, check


def policy_document_case(home):
    index = PolicyIndexPageFactory(parent=home)
    title = "关于印发全国社会心理服务体系建设试点工作方案的通知"
    data = {
        **article_fields(title, "pilot-scheme"),
        "issuing_body": "国家卫生健康委",
        "document_number": "国卫疾控发〔2018〕44号",
        "issue_date": "2018-11-16",
        "disclosure": "主动公开",
        "attachments": inline_formset([]),
    }

    def check(page):
        check_article(page, title)
        assert page.issuing_body == "国家卫生健康委"
        assert page.document_number == "国卫疾控发〔2018〕44号"
        assert page.issue_date == datetime.date(2018, 11, 16)
        assert page.disclosure == "主动公开"

    return PolicyDocumentPage, index, data, check


def policy_interpretation_case(home):
    index = PolicyIndexPageFactory(parent=home)
    document = PolicyDocumentPageFactory(parent=index, title="关于印发心理疏导工作方案的通知")
    title = "解读：心理疏导工作方案"
    data = {
        **article_fields(title, "scheme-explained"),
        "document_links": inline_formset([{"document": str(document.pk)}], min=1),
    }

    def check(page):
        check_article(page, title)
        assert [link.document_id for link in page.document_links.all()] == [document.pk]

    return PolicyInterpretationPage, index, data, check


def science_article_case(home):
    index = ScienceIndexPageFactory(parent=home)
    children = AudienceFactory(name="儿童青少年", slug="children")
    AudienceFactory(name="老年人", slug="elderly")
    parents = AudienceFactory(name="家长", slug="parents")
    title = "如何帮助孩子缓解考试焦虑"
    # A tuple: nested_form_data() would flatten a list into audiences-0, audiences-1.
    data = {**article_fields(title, "exam-anxiety"), "audiences": (str(children.pk), str(parents.pk))}

    def check(page):
        check_article(page, title)
        assert sorted(a.slug for a in page.audiences.all()) == ["children", "parents"]

    return ScienceArticlePage, index, data, check


CASES = {
    "StandardPage": standard_case,
    "NoticeIndexPage": index_case(NoticeIndexPage, "通知公告", "notices"),
    "NoticePage": notice_case,
    "NewsIndexPage": index_case(NewsIndexPage, "行业资讯", "news"),
    "NewsSectionPage": news_section_case,
    "NewsArticlePage": news_article_case,
    "PolicyIndexPage": index_case(PolicyIndexPage, "政策解读", "policies"),
    "PolicyDocumentPage": policy_document_case,
    "PolicyInterpretationPage": policy_interpretation_case,
    "ScienceIndexPage": index_case(ScienceIndexPage, "心理科普", "science"),
    "ScienceArticlePage": science_article_case,
}


def post_new_page(client, case, home, **extra):
    model, parent, data, check = case(home)
    response = client.post(add_url(model, parent), nested_form_data({**data, **extra}))
    assert response.status_code == 302, response.context and response.context["form"].errors
    return model.objects.child_of(parent).get(slug=data["slug"]), data, check


@pytest.mark.parametrize("name", list(CASES))
def test_editor_creates_page_as_draft(client, editor, home_page, name):
    sign_in(client, editor)

    page, data, check = post_new_page(client, CASES[name], home_page)

    assert page.title == data["title"]
    assert page.live is False
    assert page.has_unpublished_changes is True
    assert page.owner == editor
    assert page.latest_revision is not None and page.latest_revision.user == editor
    check(page)
    # The draft is not on the public site yet.
    assert Client().get(page.url).status_code == 404


@pytest.mark.parametrize("name", ["NoticePage", "PolicyInterpretationPage", "ScienceArticlePage"])
def test_editor_cannot_publish(client, editor, home_page, name):
    sign_in(client, editor)

    page, data, check = post_new_page(client, CASES[name], home_page, **{"action-publish": "action-publish"})

    check(page)
    assert page.live is False
    assert page.first_published_at is None
    assert Client().get(page.url).status_code == 404


@pytest.mark.parametrize("name", ["NoticePage", "PolicyInterpretationPage", "ScienceArticlePage"])
def test_moderator_publishes_directly(client, moderator, home_page, name):
    sign_in(client, moderator)

    page, data, check = post_new_page(client, CASES[name], home_page, **{"action-publish": "action-publish"})

    check(page)
    assert page.live is True
    response = Client().get(page.url)
    assert response.status_code == 200
    assert data["title"] in response.content.decode()


def test_interpretation_without_a_policy_document_cannot_be_published(client, moderator, home_page):
    sign_in(client, moderator)
    model, parent, data, _check = policy_interpretation_case(home_page)
    publish = {"action-publish": "action-publish"}

    refused = client.post(
        add_url(model, parent), nested_form_data({**data, **publish, "document_links": inline_formset([], min=1)})
    )
    assert refused.status_code == 200  # the form comes back with an error on the document links
    assert refused.context["form"].formsets["document_links"].non_form_errors()
    assert not model.objects.child_of(parent).exists()

    accepted = client.post(add_url(model, parent), nested_form_data({**data, **publish}))
    assert accepted.status_code == 302
    assert model.objects.child_of(parent).get().live is True
