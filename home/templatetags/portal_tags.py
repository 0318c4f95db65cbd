"""Template tags for the site chrome: menu, breadcrumbs, language switcher, partners, contact."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page

from home.chrome import site_chrome
from portal.listing import visible

register = template.Library()

LANGUAGE_NAMES = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}


def home_page(request):
    """The home page in the active language (or the default one)."""
    return site_chrome(request).home


@register.simple_tag(takes_context=True)
def get_home_page(context):
    return home_page(context.get("request"))


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    chrome = site_chrome(request)
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    return {
        "home": chrome.home,
        "home_current": current_path == chrome.home.path,
        "items": [
            {"page": item, "current": current_path == item.path, "within": current_path.startswith(item.path)}
            for item in chrome.menu
        ],
        "request": request,
    }


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, extra_title: str = ""):
    page = context.get("page")
    crumbs = []
    if isinstance(page, Page):
        crumbs = list(page.get_ancestors(inclusive=True).filter(depth__gt=1))
    else:
        crumbs = [home_page(context.get("request"))]
    return {"crumbs": crumbs, "extra_title": extra_title, "request": context.get("request")}


def _language_links(context) -> list[dict]:
    """The same page in every language where a translation exists, else that language's home page."""
    request = context.get("request")
    page = context.get("page")
    chrome = site_chrome(request)
    locales = chrome.locales
    translations = {}
    if isinstance(page, Page):
        translations = {p.locale_id: p for p in visible(Page.objects.filter(translation_key=page.translation_key))}
    homes = chrome.homes_by_locale
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        locale = locales.get(code)
        translated = False
        if isinstance(page, Page) and locale is not None:
            translated = locale.pk in translations
            target = translations.get(locale.pk) or homes.get(locale.pk)
            url = target.get_url(request) if target else "/"
            full_url = target.get_full_url(request) if target else url
        else:
            translated = True
            url = translate_url(request.get_full_path(), code) if request else "/"
            full_url = request.build_absolute_uri(url) if request else url
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": url,
                "full_url": full_url,
                "active": code == current,
                "translated": translated,
            }
        )
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


@register.simple_tag(takes_context=True)
def contact_details(context):
    """The association's contact details in the visitor's language."""
    return site_chrome(context.get("request")).contact


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
