"""Builders shared by the tests in tests/portal: translated page trees and reading rendered pages."""

import re

from django.http import HttpResponse
from wagtail.models import Locale, Page

from tests.conftest import translate_page
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory, body

VIEW_COUNT = re.compile(r"<dt>点击量</dt><dd>(\d+)</dd>")


def html(response: HttpResponse) -> str:
    return response.content.decode()


def shown_view_count(response: HttpResponse) -> int:
    """The 点击量 an article page (in 简体) shows."""
    match = VIEW_COUNT.search(html(response))
    assert match, "the page shows no view count"
    return int(match.group(1))


def translation_of(page: Page, language_code: str) -> Page | None:
    locale = Locale.objects.get(language_code=language_code)
    return Page.objects.filter(translation_key=page.translation_key, locale=locale).specific().first()


def translate_tree(page: Page, language_code: str, **fields) -> Page:
    """A published translation of `page`, translating its untranslated ancestors (titles unchanged) first."""
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if translation_of(ancestor, language_code) is None:
            translate_page(ancestor, language_code)
    return translate_page(page.specific, language_code, **fields)


def dues_notices(home) -> tuple[Page, Page, Page]:
    """The notice centre with two notices about 会费 and one that is about the annual meeting (年会)."""
    index = NoticeIndexPageFactory(parent=home)
    dues_2019 = NoticePageFactory(
        parent=index,
        title="关于交纳2019年会费的通知",
        slug="dues-2019",
        summary="请各位会员按时交纳2019年会费。",
        body=body("会员应于3月31日前交纳年度会费。"),
    )
    dues_2015 = NoticePageFactory(
        parent=index,
        title="2015年会费收缴通知",
        slug="dues-2015",
        summary="2015年度会费收缴工作即将开始。",
        body=body("请按标准缴纳。"),
    )
    meeting = NoticePageFactory(
        parent=index,
        title="关于召开2019年年会的通知",
        slug="annual-meeting-2019",
        summary="协会定于12月召开年会。",
        body=body("年会议程另行通知。"),
        source="协会秘书处",
    )
    return dues_2019, dues_2015, meeting
