"""What every page draws around its content: home page, menu, partners, contact details.

It is the same for every page of a language, so it is built once and kept in the shared
cache until the next purge that reaches it (a home page or a page under one published, moved
or deleted, or an edit of partners or contact settings; not an article), instead of costing a
dozen queries on every page view.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import get_language, gettext, gettext_noop
from wagtail.models import Locale, Page, Site

from portal.cache import cached_with_chrome
from portal.listing import children_of, visible
from portal.localization.conversion import to_traditional
from portal.models import ContactSettings, CustomImage

from .models import Partner

LOGO_FILTER = "height-80"  # the filter templates/includes/partners.html renders


@dataclass
class SiteChrome:
    language: str
    home: Page
    homes_by_locale: dict[int, Page]
    locales: dict[str, Locale]
    menu: list[dict]  # title, url and tree path of each menu page
    partners: list[Partner]
    contact: dict = field(default_factory=dict)


# Values of the helpline settings as the migration sets them, so that 繁體 and English readers see
# them in their language while an edited value is shown as typed.
HOTLINE_DEFAULTS = (gettext_noop("心理援助热线"), gettext_noop("24小时"))
QR_FILTER = "width-240"
SHARE_IMAGE_FILTER = "fill-1200x630"


def _in_language(value: str, language: str) -> str:
    """A setting typed in 简体, for a reader of `language`: the catalogue's words for a default, else converted."""
    if value in HOTLINE_DEFAULTS:
        return gettext(value)
    return to_traditional(value) if language == "zh-hant" else value


def _dial(number: str) -> str:
    """What a tel: link dials: the digits (and a leading +) of a number written for people."""
    return re.sub(r"[^\d+]", "", number)


def _image_url(site: Site, image, filter_spec: str, *, absolute: bool = False) -> str:
    """The URL of a rendition; absolute for share cards, which other servers and apps fetch."""
    if image is None:
        return ""
    url = image.get_rendition(filter_spec).url
    return site.root_url.rstrip("/") + url if absolute and url.startswith("/") else url


def _contact(site: Site, language: str) -> dict:
    contact = ContactSettings.for_site(site)
    name, address, description = contact.organisation_name, contact.address, contact.description
    if language == "en":
        name, address = contact.organisation_name_en or name, contact.address_en or address
        description = contact.description_en or ""
    elif language == "zh-hant":
        name, address, description = to_traditional(name), to_traditional(address), to_traditional(description)
    emergency = [number.strip() for number in re.split(r"[/、,，\s]+", contact.emergency_numbers) if number.strip()]
    return {
        "name": name,
        "address": address,
        "postcode": contact.postcode,
        "phone": contact.phone,
        "email": contact.email,
        "wechat_account": _in_language(contact.wechat_account, language),
        "wechat_qr": _image_url(site, contact.wechat_qr, QR_FILTER),
        "description": description,
        "share_image": _image_url(site, contact.share_image, SHARE_IMAGE_FILTER, absolute=True),
        "hotline": {
            "name": _in_language(contact.hotline_name, language),
            "number": contact.hotline_number,
            "dial": _dial(contact.hotline_number),
            "hours": _in_language(contact.hotline_hours, language),
            "emergency": [{"number": number, "dial": _dial(number)} for number in emergency],
        }
        if contact.hotline_number or emergency
        else None,
        "icp_number": contact.icp_number,
        "public_security_number": contact.public_security_number,
        "public_security_code": re.sub(r"\D", "", contact.public_security_number),
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
    chrome = cached_with_chrome(f"chrome:{site.pk}:{language}", lambda: build_chrome(site, language))
    if request is not None:
        request._site_chrome = chrome
    return chrome
