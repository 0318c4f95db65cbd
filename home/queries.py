"""What the home page shows, in a fixed number of queries.

Which articles it lists is kept as id lists until the next purge, so a site with thousands
of notices does not sort them all on every view of the home page.
"""

from django.utils import timezone

from home.models import ContactPage
from notices.models import (
    NewsArticlePage,
    NewsIndexPage,
    NewsSectionPage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    ScienceArticlePage,
    ScienceIndexPage,
)
from portal.cache import cached_until_purge
from portal.listing import children_of, descendants_of, in_language, in_order, visible

LATEST_NOTICES = 8
NEWS_PER_SECTION = 5
SCIENCE_HIGHLIGHTS = 4


def _section_indexes(home) -> dict:
    """The section pages the home page links to, found once until the next purge."""

    def build():
        models = {
            "notice_index": NoticeIndexPage,
            "news_index": NewsIndexPage,
            "policy_index": PolicyIndexPage,
            "science_index": ScienceIndexPage,
            "contact_page": ContactPage,
        }
        return {name: visible(children_of(model.objects.all(), home)).first() for name, model in models.items()}

    return cached_until_purge(f"home-sections:{home.pk}", build)


def _latest_ids(key: str, articles, limit: int) -> list[int]:
    """The ids of the first `limit` of `articles`, the choice cached until the next purge."""
    return cached_until_purge(key, lambda: list(articles.values_list("pk", flat=True)[:limit]))


def _latest(key: str, articles, limit: int) -> list:
    return in_order(articles, _latest_ids(key, articles, limit))


def _news_by_section(sections) -> list[dict]:
    """The latest news of every section, fetched in one query whatever the number of sections."""
    chosen = {
        section.pk: _latest_ids(f"home-news:{section.pk}", section.get_articles(), NEWS_PER_SECTION)
        for section in sections
    }
    found = {
        page.pk: page
        for page in in_order(
            NewsArticlePage.objects.visible().for_cards(), [pk for ids in chosen.values() for pk in ids]
        )
    }
    return [
        {"section": section, "articles": [found[pk] for pk in chosen[section.pk] if pk in found]}
        for section in sections
    ]


def home_page_context(home) -> dict:
    today = timezone.localdate()
    notices = in_language(NoticePage.objects.visible(), home).for_cards().select_related("category").pinned_first(today)
    sections = cached_until_purge(
        f"home-news-sections:{home.pk}",
        lambda: list(visible(descendants_of(NewsSectionPage.objects.all(), home)).order_by("path")),
    )
    science = (
        in_language(ScienceArticlePage.objects.visible(), home)
        .for_cards()
        .prefetch_related("audiences")
        .order_by("-date", "-pk")
    )
    return {
        **_section_indexes(home),
        # Pins end and notices close at midnight: the choice is made again each day.
        "latest_notices": _latest(f"home-notices:{home.pk}:{today:%Y%m%d}", notices, LATEST_NOTICES),
        "news_sections": _news_by_section(sections),
        "science_articles": _latest(f"home-science:{home.pk}", science, SCIENCE_HIGHLIGHTS),
        "quick_links": home.quick_links.select_related("link_page"),
    }
