"""What the home page shows, in a fixed number of queries."""

from notices.models import (
    NewsIndexPage,
    NewsSectionPage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    ScienceArticlePage,
    ScienceIndexPage,
)
from portal.listing import children_of, descendants_of, visible

LATEST_NOTICES = 8
NEWS_PER_SECTION = 5
SCIENCE_HIGHLIGHTS = 4


def _first(model, home):
    return visible(children_of(model.objects.all(), home)).first()


def home_page_context(home) -> dict:
    notices = (
        descendants_of(NoticePage.objects.visible(), home)
        .for_cards()
        .select_related("category")
        .order_by("-pinned", "-date", "-pk")[:LATEST_NOTICES]
    )
    news_sections = [
        {"section": section, "articles": section.get_articles()[:NEWS_PER_SECTION]}
        for section in visible(descendants_of(NewsSectionPage.objects.all(), home)).order_by("path")
    ]
    science = (
        descendants_of(ScienceArticlePage.objects.visible(), home)
        .for_cards()
        .prefetch_related("audiences")
        .order_by("-date", "-pk")[:SCIENCE_HIGHLIGHTS]
    )
    return {
        "latest_notices": notices,
        "notice_index": _first(NoticeIndexPage, home),
        "news_index": _first(NewsIndexPage, home),
        "news_sections": news_sections,
        "policy_index": _first(PolicyIndexPage, home),
        "science_index": _first(ScienceIndexPage, home),
        "science_articles": science,
        "quick_links": home.quick_links.select_related("link_page"),
    }
