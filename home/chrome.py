"""What every page draws around its content: home page, menu, partners, contact details.

It is the same for every page of a language, so it is built once and kept in the shared
cache until the next purge (any publish, move or delete, or an edit of partners or
contact settings), instead of costing a dozen queries on every page view.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from portal.cache import cached_until_purge
from portal.listing import children_of, visible
from portal.localization.conversion import to_traditional

from .models import ContactSettings, CustomImage, Partner

LOGO_FILTER = "height-80"  # the filter templates/includes/partners.html renders
CHROME_SECONDS = 3600


@dataclass
class SiteChrome:
    language: str
    home: Page
    homes_by_locale: dict[int, Page]
    locales: dict[str, Locale]
    menu: list[dict]  # title, url and tree path of each menu page
    partners: list[Partner]
    contact: dict = field(default_factory=dict)


def _contact(site: Site, language: str) -> dict:
    contact = ContactSettings.for_site(site)
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


def build_chrome(site: Site, language: str) -> SiteChrome:
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    root = site.root_page
    homes = {p.locale_id: p for p in visible(Page.objects.filter(translation_key=root.translation_key)).specific()}
    locale = locales.get(language)
    home = homes.get(locale.pk) if locale else None
    home = home or root.specific
    logos = CustomImage.objects.prefetch_renditions(LOGO_FILTER)
    partners = (
        Partner.objects.filter(locale=locale).prefetch_related(Prefetch("logo", queryset=logos)) if locale else []
    )
    return SiteChrome(
        language=language,
        home=home,
        homes_by_locale=homes,
        locales=locales,
        menu=[
            {"title": page.title, "url": page.get_url(current_site=site), "path": page.path}
            for page in visible(children_of(Page.objects.all(), home)).in_menu().order_by("path")
        ],
        partners=list(partners),
        contact=_contact(site, language),
    )


def site_chrome(request) -> SiteChrome:
    """The chrome for this request's site and language, from the request, the shared cache, or built."""
    language = get_language()
    memo = getattr(request, "_site_chrome", None) if request is not None else None
    if memo is not None and memo.language == language:
        return memo
    site = (Site.find_for_request(request) if request is not None else None) or Site.objects.get(is_default_site=True)
    chrome = cached_until_purge(f"chrome:{site.pk}:{language}", lambda: build_chrome(site, language), CHROME_SECONDS)
    if request is not None:
        request._site_chrome = chrome
    return chrome
