"""Template tags for the site chrome: menu, breadcrumbs, language switcher, partners, contact."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from home.chrome import SHARE_IMAGE_FILTER, site_chrome
from home.queries import home_page_context
from portal.cache import cached_until_purge
from portal.listing import visible

register = template.Library()

LANGUAGE_NAMES = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}


def home_page(request):
    """The home page in the active language (or the default one)."""
    return site_chrome(request).home


@register.simple_tag(takes_context=True)
def get_home_page(context):
    return home_page(context.get("request"))


def _menu(context) -> dict:
    """The home page and the menu pages, each marked when it is (or is above) the page shown."""
    request = context.get("request")
    chrome = site_chrome(request)
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    return {
        "home": chrome.home,
        "home_current": current_path == chrome.home.path,
        "items": [
            {**item, "current": current_path == item["path"], "within": current_path.startswith(item["path"])}
            for item in chrome.menu
        ],
        "request": request,
    }


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    return _menu(context)


@register.inclusion_tag("includes/phone_menu.html", takes_context=True)
def phone_menu(context):
    """The menu behind a button on a phone: every section, then the member centre and the expert database
    (unless a section already leads there)."""
    menu = _menu(context)
    urls = {item["url"] for item in menu["items"]}
    extras = [(reverse("membership_home"), _("会员中心")), (reverse("experts:directory"), _("专家库"))]
    menu["extras"] = [{"url": url, "title": title} for url, title in extras if url not in urls]
    return menu


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, extra_title: str = ""):
    return {"crumbs": crumbs_to(context.get("request"), context.get("page")), "extra_title": extra_title}


def crumbs_to(request, page=None) -> list[dict]:
    """Title and URL of each step from the home page down to `page` (just the home page without one):
    the breadcrumbs, also for views below a page that render without it."""
    if isinstance(page, Page):
        return [*_ancestor_links(request, page), {"title": page.title, "url": page.get_url(request)}]
    home = home_page(request)
    return [{"title": home.title, "url": home.get_url(request)}]


def _parent_key(request, page: Page) -> str | None:
    """What the pages under one parent share a cached value by (their site and the parent's place in
    the tree); None for a page not yet in the tree (a preview of a new page)."""
    if page.pk is None or not page.path or getattr(request, "is_preview", False):
        return None
    site = Site.find_for_request(request)
    return f"{site.pk if site else 0}:{page.path[: -page.steplen]}"


def _ancestor_links(request, page: Page) -> list[dict]:
    """Title and URL of the page's ancestors below the tree root, kept until the next purge for all
    the pages under the same parent."""

    def build():
        return [{"title": p.title, "url": p.get_url(request)} for p in page.get_ancestors().filter(depth__gt=1)]

    key = _parent_key(request, page)
    return cached_until_purge(f"ancestor-links:{key}", build) if key else build()


def _link(request, target: Page | None, *, translated: bool) -> dict:
    url = target.get_url(request) if target else "/"
    return {"url": url, "full_url": target.get_full_url(request) if target else url, "translated": translated}


def _translation_links(request, page: Page) -> dict[str, dict]:
    """URL of the page in each language it is published in, else of the nearest page above it that is
    (its section, or that language's home page)."""
    chrome = site_chrome(request)

    def nearest_above() -> dict[str, dict]:
        # The same for all the pages under one parent: kept for them together.
        above = page.get_ancestors().filter(depth__gt=2).values("translation_key")
        sections = {}
        for section in visible(Page.objects.filter(translation_key__in=above)).order_by("depth"):
            sections[section.locale_id] = section  # the deepest one wins
        return {
            code: _link(request, sections.get(locale.pk) or chrome.homes_by_locale.get(locale.pk), translated=False)
            for code, locale in chrome.locales.items()
        }

    def build():
        translations = {p.locale_id: p for p in visible(Page.objects.filter(translation_key=page.translation_key))}
        fallbacks = {}
        if any(locale.pk not in translations for locale in chrome.locales.values()):
            key = _parent_key(request, page)
            fallbacks = cached_until_purge(f"nearest-above:{key}", nearest_above) if key else nearest_above()
        links = {}
        for code, _name in settings.LANGUAGES:
            locale = chrome.locales.get(code)
            if locale is None:
                continue
            translation = translations.get(locale.pk)
            links[code] = _link(request, translation, translated=True) if translation else fallbacks[code]
        return links

    site = Site.find_for_request(request)
    return cached_until_purge(f"translation-links:{site.pk if site else 0}:{page.translation_key}", build)


def _language_links(context) -> list[dict]:
    """The same page in every language where a translation exists, else that language's home page."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations = _translation_links(request, page) if isinstance(page, Page) else {}
    # A view that is not a page (search, the member centre …) is addressed on the site's own host, as
    # pages are, whatever Host header the request came with.
    site = Site.find_for_request(request) if request is not None else None
    root = site.root_url.rstrip("/") if site else ""
    links = []
    for code, _name in settings.LANGUAGES:
        if code in translations:
            link = translations[code]
        else:
            url = translate_url(request.get_full_path(), code) if request else "/"
            link = {"url": url, "full_url": root + url if root else url, "translated": True}
        links.append({"code": code, "name": LANGUAGE_NAMES.get(code, code), "active": code == current, **link})
    return links


def language_links(context) -> list[dict]:
    """Computed once per request: the switcher and the <head> alternates both need them."""
    request = context.get("request")
    if request is None:
        return _language_links(context)
    if not hasattr(request, "_language_links"):
        request._language_links = _language_links(context)
    return request._language_links


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    return {"links": language_links(context)}


@register.inclusion_tag("includes/alternate_links.html", takes_context=True)
def alternate_links(context):
    """<link rel="alternate" hreflang> for every language this page exists in."""
    return {"links": [link for link in language_links(context) if link["translated"]]}


@register.inclusion_tag("includes/partners.html", takes_context=True)
def partners_strip(context):
    return {"partners": site_chrome(context.get("request")).partners}


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    request = context.get("request")
    return {"contact": site_chrome(request).contact, "home": home_page(request), "request": request}


@register.inclusion_tag("includes/hotline.html", takes_context=True)
def hotline_banner(context):
    """The helpline and emergency numbers, for pages a person in distress may land on."""
    return {"hotline": site_chrome(context.get("request")).contact["hotline"]}


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_panel(context):
    """The address of the page shown, to copy or to scan (the QR code is an image the browser may keep)."""
    request = context.get("request")
    page = context.get("page")
    if request is None or getattr(request, "is_preview", False) or not isinstance(page, Page):
        return {"url": ""}
    path = page.get_url(request)
    if not path or not path.startswith("/"):
        path = request.path
    return {"url": request.build_absolute_uri(path), "qr": f"{reverse('share_qr')}?{urlencode({'u': path})}"}


@register.simple_tag(takes_context=True)
def contact_details(context):
    """The association's contact details in the visitor's language."""
    return site_chrome(context.get("request")).contact


@register.simple_tag
def home_lists(home) -> dict:
    """What the home page lists (asked for inside its fragment, so only when the fragment is rendered)."""
    return home_page_context(home)


@register.simple_tag(takes_context=True)
def page_meta(context) -> dict:
    """Title, description, canonical URL and share image of the page for <head>, the site's own where the page
    has none, without a failed lookup per field."""
    request = context.get("request")
    contact = site_chrome(request).contact
    page = context.get("page")
    if not isinstance(page, Page):
        return {"title": "", "description": contact["description"], "url": "", "image": contact["share_image"]}
    description = (
        page.search_description or getattr(page, "summary", "") or Truncator(getattr(page, "intro", "")).chars(150)
    )
    return {
        "title": page.seo_title or page.title,
        "description": description or contact["description"],
        "url": page.get_full_url(request),
        "image": _page_image(request, page) or contact["share_image"],
    }


def _page_image(request, page: Page) -> str:
    """The absolute URL of the page's own picture for share cards (an article's listing image), if it has one."""
    image = getattr(page, "listing_image", None)
    if image is None:
        return ""
    url = image.get_rendition(SHARE_IMAGE_FILTER).url
    site = Site.find_for_request(request) if request is not None else None
    return site.root_url.rstrip("/") + url if site and url.startswith("/") else url


@register.filter
def file_size(num_bytes) -> str:
    try:
        size = float(num_bytes)
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    request = context.get("request")
    params = request.GET.copy() if request else {}
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


@register.simple_tag
def elided_pages(page_obj) -> list:
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def facet_url(context, name: str, value: str = "") -> str:
    """The directory's query string with filter `name` set to `value` (or cleared if it already is), on page 1."""
    request = context.get("request")
    params = request.GET.copy() if request else {}
    params.pop("page", None)
    if not value or params.get(name) == value:
        params.pop(name, None)
    else:
        params[name] = value
    return "?" + params.urlencode() if params else "?"
