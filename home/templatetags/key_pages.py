"""Links to the pages other templates point at by their role: the join guide and the legal pages
(charter, privacy policy, user agreement), each in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from portal.cache import cached_with_chrome
from portal.listing import children_of, visible
from portal.localization.display import language_of

from ..chrome import site_chrome
from ..models import JoinGuidePage

register = template.Library()

# The legal pages are StandardPages directly under the home page with these slugs.
LEGAL_SLUGS = ("charter", "privacy", "terms")
JOIN_GUIDE = "join-guide"
LEGAL_NAMES = {"charter": _("协会章程"), "privacy": _("隐私政策"), "terms": _("用户协议")}


def key_pages(request) -> dict[str, dict]:
    """Title, URL, language and live revision of the join guide and each legal page in the active
    language (in the default language where one has no translation), kept with the chrome."""
    chrome = site_chrome(request)
    site = (Site.find_for_request(request) if request is not None else None) or Site.objects.get(is_default_site=True)

    def build() -> dict[str, dict]:
        homes = [chrome.home]
        default_home = chrome.homes_by_locale.get(site.root_page.locale_id)
        if default_home is not None and default_home.pk != chrome.home.pk:
            homes.append(default_home)
        found: dict[str, dict] = {}
        for home in homes:
            children = visible(children_of(Page.objects.all(), home))
            pages = [*children.filter(slug__in=LEGAL_SLUGS), *children.type(JoinGuidePage).order_by("path")[:1]]
            for page in pages:
                role = page.slug if page.slug in LEGAL_SLUGS else JOIN_GUIDE
                found.setdefault(
                    role,
                    {
                        "title": page.title,
                        "url": page.get_url(current_site=site),
                        "language": language_of(page),
                        "revision": page.live_revision_id,
                    },
                )
        return found

    return cached_with_chrome(f"key-pages:{site.pk}:{chrome.language}", build)


def agreed_versions(request) -> dict:
    """What a reader agreeing to the user agreement and privacy policy was shown: each document's
    language and live revision, kept with the account as the record of their consent."""
    pages = key_pages(request)
    return {
        slug: {"language": pages[slug]["language"], "revision": pages[slug]["revision"]}
        for slug in ("terms", "privacy")
        if slug in pages
    }


@register.simple_tag(takes_context=True)
def join_guide_url(context) -> str:
    """The 入会指南's address in the reader's language ("" while there is none)."""
    return key_pages(context.get("request")).get(JOIN_GUIDE, {}).get("url", "")


@register.simple_tag(takes_context=True)
def legal_links(context) -> list[dict]:
    """The published legal pages, in a fixed order, for the footer."""
    pages = key_pages(context.get("request"))
    return [pages[slug] for slug in LEGAL_SLUGS if slug in pages]


@register.simple_tag(takes_context=True)
def legal_link(context, slug: str, new_window: bool = True) -> str:
    """A link to a legal page named as a document (《隐私政策》, or the Privacy Policy in English), for
    the sentences beside consent boxes; it opens in a new window so a half-filled form is not lost."""
    page = key_pages(context.get("request")).get(slug)
    title = page["title"] if page else str(LEGAL_NAMES.get(slug, slug))
    label = title if (get_language() or "").startswith("en") else f"《{title}》"
    if page is None:  # not published (yet): the document is still named
        return label
    if not new_window:
        return format_html('<a href="{}">{}</a>', page["url"], label)
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', page["url"], label)
