"""Records are kept in 简体 (names, places, vocabulary, tags): on the 繁體 site they are shown converted.

`{{ value|hant }}` and `{% hant %}…{% endhant %}` convert only while 繁體 is the active language,
and leave text that is 繁體 already as it is, so text an editor wrote in 繁體 passes through.
"""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from portal.localization import display
from portal.localization.conversion import to_traditional

register = template.Library()

TRADITIONAL = "zh-hant"
HAN = re.compile(r"[\u3400-\u9fff]")


@register.filter(is_safe=True)
def hant(value):
    """The value converted to 繁體 on the 繁體 site (markup is ASCII and left alone, so safe stays safe)."""
    if value is None or value == "":
        return value
    if get_language() != TRADITIONAL:
        return value
    converted = to_traditional(str(value))
    return mark_safe(converted) if isinstance(value, SafeData) else converted  # noqa: S308 - converts safe HTML's text only


class HantNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return mark_safe(display.in_reader_script(self.nodelist.render(context)))  # noqa: S308 - rendered, escaped template output


@register.tag("hant")
def do_hant(parser, token):
    """{% hant %}…{% endhant %}: the rendered content converted to 繁體 on the 繁體 site."""
    nodelist = parser.parse(("endhant",))
    parser.delete_first_token()
    return HantNode(nodelist)


@register.filter
def localized(instance):
    """A translatable record (category, audience, vocabulary) named in the reader's language where it
    can be; otherwise in its own, marked with its `lang`."""
    if instance is None:
        return ""
    text, language = display.localized(instance)
    if language == get_language():
        return text
    return format_html('<span lang="{}">{}</span>', display.lang_attribute(language), text)


@register.simple_tag
def other_language(instance) -> str:
    """The `lang` of a page or record shown on a page of another language ("" when it is in the reader's)."""
    language = display.language_of(instance)
    return display.lang_attribute(language) if language and language != get_language() else ""


@register.filter
def for_reader(value, instance):
    """A text field of `instance` for the reader: as it is when the page is in the reader's language,
    converted on the 繁體 site for a 简体 page, and left out ("") where the reader would not understand it
    (the Chinese summary of a page listed on the English site)."""
    language = display.language_of(instance)
    active = get_language()
    if not language or language == active:
        return value
    if active == TRADITIONAL and language == "zh-hans":
        return hant(value)
    return ""


@register.filter(is_safe=True)
def zh(value):
    """Chinese text of a record (kept in 简体): converted on the 繁體 site, marked lang="zh-Hans" on the
    English one so it is read out as Chinese."""
    if value is None or value == "":
        return value
    language = get_language()
    if language == TRADITIONAL:
        return hant(value)
    if language.startswith("zh") or not HAN.search(str(value)):
        return value
    return format_html('<span lang="zh-Hans">{}</span>', value)


@register.simple_tag
def list_separator() -> str:
    """Between the items of a list run into a sentence: 、 in Chinese, a comma and a space in English."""
    return "、" if get_language().startswith("zh") else ", "


@register.filter
def list_join(items) -> str:
    """Items run into a sentence with the separator of the active language (、 or ", ")."""
    return list_separator().join(str(item) for item in items) if items else ""


@register.simple_tag(takes_context=True)
def translated_url(context, page) -> str:
    """The URL of `page` in the reader's language where it is published in it, else of `page` itself."""
    request = context.get("request")
    translation = page.get_translation_or_none(display.active_locale()) if page is not None else None
    target = translation if translation is not None and translation.live else page
    return target.get_url(request) if target is not None else ""


@register.simple_tag
def lang_attribute(language_code: str) -> str:
    """A language code as the `lang` attribute spells it (zh-Hans, zh-Hant, en)."""
    return display.lang_attribute(language_code)
