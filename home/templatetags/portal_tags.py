"""Template tags for the site chrome: menu, breadcrumbs, language switcher, partners, contact."""

from django import template
from django.conf import settings
from django.db.models import Prefetch
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from home.models import ContactSettings, CustomImage, Partner
from portal.listing import visible
from portal.localization.conversion import to_traditional

register = template.Library()

LANGUAGE_NAMES = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}
LOGO_FILTER = "height-80"  # the filter templates/includes/partners.html renders


def _cached(request, key, build):
    """Compute once per request: the chrome is drawn by several tags."""
    store = request.__dict__.setdefault("_portal_chrome", {}) if request is not None else {}
    if key not in store:
        store[key] = build()
    return store[key]


def _locales(request) -> dict[str, Locale]:
    return _cached(request, "locales", lambda: {loc.language_code: loc for loc in Locale.objects.all()})


def home_page(request):
    """The home page in the active language (or the default one)."""

    def build():
        site = Site.find_for_request(request) if request else None
        root = site.root_page if site else Site.objects.get(is_default_site=True).root_page
        locale = _locales(request).get(get_language())
        if locale is None or locale.pk == root.locale_id:
            return root
        return Page.objects.filter(translation_key=root.translation_key, locale=locale).first() or root

    return _cached(request, "home", build)


@register.simple_tag(takes_context=True)
def get_home_page(context):
    return home_page(context.get("request"))


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    home = home_page(request)
    current = context.get("page")
    items = _cached(request, "menu", lambda: list(visible(home.get_children()).in_menu().order_by("path")))
    current_path = current.path if isinstance(current, Page) else ""
    return {
        "home": home,
        "home_current": current_path == home.path,
        "items": [
            {"page": item, "current": current_path == item.path, "within": current_path.startswith(item.path)}
            for item in items
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
    locales = _locales(request)
    translations = {}
    if isinstance(page, Page):
        translations = {
            p.locale_id: p for p in visible(Page.objects.filter(translation_key=page.translation_key))
        }
    site_home = home_page(request)
    homes = {p.locale_id: p for p in visible(Page.objects.filter(translation_key=site_home.translation_key))}
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
    request = context.get("request")
    if request is None:
        return _language_links(context)
    return _cached(request, "language_links", lambda: _language_links(context))


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    return {"links": language_links(context)}


@register.inclusion_tag("includes/alternate_links.html", takes_context=True)
def alternate_links(context):
    """<link rel="alternate" hreflang> for every language this page exists in."""
    return {"links": [link for link in language_links(context) if link["translated"]]}


@register.inclusion_tag("includes/partners.html", takes_context=True)
def partners_strip(context):
    request = context.get("request")
    locale = _locales(request).get(get_language())

    def build():
        logos = CustomImage.objects.prefetch_renditions(LOGO_FILTER)
        partners = Partner.objects.filter(locale=locale).prefetch_related(Prefetch("logo", queryset=logos))
        return list(partners)

    return {"partners": _cached(request, "partners", build) if locale else []}


@register.simple_tag(takes_context=True)
def contact_details(context):
    """The association's contact details in the visitor's language."""
    request = context.get("request")
    if request is not None:
        contact = ContactSettings.for_request(request)
    else:
        contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    language = get_language()
    name, address = contact.organisation_name, contact.address
    if language == "en":
        name, address = contact.organisation_name_en or name, contact.address_en or address
    elif language == "zh-hant":
        name, address = to_traditional(name), to_traditional(address)
    return {
        "name": name,
        "address": address,
        "postcode": contact.postcode,
        "phone": contact.phone,
        "email": contact.email,
        "wechat_account": contact.wechat_account,
        "icp_number": contact.icp_number,
    }


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
