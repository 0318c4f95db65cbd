"""The publishing side: notice centre, news, policy documents and interpretations, science."""

from .articles import (
    ArticleAttachment,
    ArticlePage,
    ArticleQuerySet,
    ArticleTag,
    InterpretationDocumentLink,
    NewsArticlePage,
    NoticePage,
    NoticeQuerySet,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ScienceArticlePage,
    open_on,
    pinned_on,
)
from .indexes import IndexPage, NewsIndexPage, NewsSectionPage, NoticeIndexPage, PolicyIndexPage, ScienceIndexPage
from .vocabulary import Audience, NoticeCategory

__all__ = [
    "ArticleAttachment",
    "ArticlePage",
    "ArticleQuerySet",
    "ArticleTag",
    "Audience",
    "IndexPage",
    "InterpretationDocumentLink",
    "NewsArticlePage",
    "NewsIndexPage",
    "NewsSectionPage",
    "NoticeCategory",
    "NoticeIndexPage",
    "NoticePage",
    "NoticeQuerySet",
    "PolicyDocumentPage",
    "PolicyIndexPage",
    "PolicyInterpretationPage",
    "ScienceArticlePage",
    "ScienceIndexPage",
    "open_on",
    "pinned_on",
]
