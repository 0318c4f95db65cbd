"""What a record or page shown on a page of another language needs: its language, and the name of
its translation in the reader's language, from lookups kept until the next purge (not a query per card)."""

from __future__ import annotations

from django.utils.translation import get_language
from wagtail.models import Locale

from portal.cache import cached_until_purge, cached_with_chrome

from .conversion import to_traditional

# Locale codes as the `lang` attribute spells them (BCP 47).
LANG_ATTRIBUTES = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}
TRADITIONAL = "zh-hant"


def in_reader_script(text: str) -> str:
    """Chinese `text` as a reader of the active language expects it: converted on the 繁體 site."""
    if not text or get_language() != TRADITIONAL:
        return text
    return to_traditional(text)


def lang_attribute(language_code: str) -> str:
    return LANG_ATTRIBUTES.get(language_code, language_code)


def locale_codes() -> dict[int, str]:
    """{locale id: language code}."""
    return cached_with_chrome("locale-codes", lambda: dict(Locale.objects.values_list("pk", "language_code")))


def active_locale() -> Locale | None:
    """The locale of the active language, from the lookup kept until the next purge."""
    language = get_language()
    for locale_id, code in locale_codes().items():
        if code == language:
            return Locale(pk=locale_id, language_code=code)
    return None


def language_of(instance) -> str:
    """The language code of a page or translatable record ("" when it has none)."""
    locale_id = getattr(instance, "locale_id", None)
    return locale_codes().get(locale_id, "") if locale_id else ""


def names_in(model, language_code: str) -> dict:
    """{translation key: str()} of every `model` record in that language."""

    def build():
        return {obj.translation_key: str(obj) for obj in model.objects.filter(locale__language_code=language_code)}

    return cached_until_purge(f"names-in:{model._meta.label_lower}:{language_code}", build)


def localized(instance) -> tuple[str, str]:
    """(text, language) of a translatable record for the reader: its translation in the active language
    if there is one, else on the 繁體 site its text converted, else its own text and language."""
    language = get_language()
    own = language_of(instance)
    text = str(instance)
    if own == language or not own:
        return text, language
    translated = names_in(type(instance), language).get(instance.translation_key)
    if translated is not None:
        return translated, language
    if language == TRADITIONAL and own == "zh-hans":
        return to_traditional(text), language
    return text, own
