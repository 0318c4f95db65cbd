"""Every public page type renders for an anonymous visitor with its real content."""

import datetime

import pytest

from notices.models import ArticleAttachment, InterpretationDocumentLink
from tests.home.factories import DocumentFactory, StandardPageFactory
from tests.notices.factories import (
    AudienceFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    NewsSectionPageFactory,
    NoticeCategoryFactory,
    NoticeIndexPageFactory,
    NoticePageFactory,
    PolicyDocumentPageFactory,
    PolicyIndexPageFactory,
    PolicyInterpretationPageFactory,
    ScienceArticlePageFactory,
    ScienceIndexPageFactory,
)

pytestmark = pytest.mark.django_db


def test_notice_page_shows_metadata_attachments_and_badges(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    category = NoticeCategoryFactory(name="会费", slug="dues")
    notice = NoticePageFactory(
        parent=index,
        title="关于交纳2019年会费的通知",
        document_number="联防联控机制发〔2020〕39号",
        category=category,
        pinned=True,
        closing_date=datetime.date(2019, 3, 1),
    )
    document = DocumentFactory(title="会费缴纳说明")
    ArticleAttachment.objects.create(page=notice, document=document)

    response = client.get(notice.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "关于交纳2019年会费的通知" in html
    assert "联防联控机制发〔2020〕39号" in html
    assert "协会秘书处" in html and "大连市心理咨询师协会" in html
    assert "置顶" in html and "已截止" in html
    assert "会费缴纳说明" in html and "PDF" in html
    assert "当前位置" in html


def test_a_notice_shows_its_category_by_its_current_name(client, home_page, django_capture_on_commit_callbacks):
    index = NoticeIndexPageFactory(parent=home_page)
    category = NoticeCategoryFactory(name="表彰", slug="awards")
    notice = NoticePageFactory(parent=index, title="关于优秀会员的通报", category=category)
    before = client.get(notice.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        category.name = "表彰奖励"
        category.save()
    after = client.get(notice.url).content.decode()

    assert '<span class="badge">表彰</span>' in before
    assert '<span class="badge">表彰奖励</span>' in after


def test_index_pages_list_their_articles(client, home_page):
    notices = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=notices, title="理事会会议通知")
    news = NewsIndexPageFactory(parent=home_page)
    section = NewsSectionPageFactory(parent=news, title="协会动态")
    NewsArticlePageFactory(parent=section, title="协会开展公益活动")
    science = ScienceIndexPageFactory(parent=home_page)
    children = AudienceFactory(name="儿童青少年", slug="children")
    article = ScienceArticlePageFactory(parent=science, title="困境儿童心理关爱")
    article.audiences.add(children)
    article.save()

    assert "理事会会议通知" in client.get(notices.url).content.decode()
    assert "协会开展公益活动" in client.get(news.url).content.decode()
    assert "协会开展公益活动" in client.get(section.url).content.decode()
    science_html = client.get(science.url + "?audience=children").content.decode()
    assert "困境儿童心理关爱" in science_html and "儿童青少年" in science_html


def test_policy_document_and_interpretation_link_both_ways(client, home_page):
    index = PolicyIndexPageFactory(parent=home_page)
    document = PolicyDocumentPageFactory(parent=index, title="关于印发心理疏导方案的通知")
    interpretation = PolicyInterpretationPageFactory(parent=index, title="解读：心理疏导方案")
    InterpretationDocumentLink.objects.create(page=interpretation, document=document)

    document_html = client.get(document.url).content.decode()
    interpretation_html = client.get(interpretation.url).content.decode()

    assert "解读：心理疏导方案" in document_html
    assert document.document_number in document_html and document.issuing_body in document_html
    assert "关于印发心理疏导方案的通知" in interpretation_html


def test_home_and_standard_pages_render(client, home_page):
    StandardPageFactory(parent=home_page, title="关于协会", slug="about")
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="关于2022年会费缴纳的通知")

    home_html = client.get("/").content.decode()
    about_html = client.get("/about/").content.decode()

    assert "关于2022年会费缴纳的通知" in home_html
    assert "关于协会" in about_html
