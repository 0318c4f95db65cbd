"""Produce a 繁體 (or 简体) translation of a page or snippet in one step, the way editors do in the admin,
and keep machine-made 繁體 pages in step with their 简体 originals."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.strings import StringValue

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL, as django-stubs resolves it: the kernel names no domain app.
    from django.contrib.auth.models import _User as User

TRADITIONAL = "zh-hant"


def _translate_strings(translation: Translation, user: User | None, refresh: bool = False) -> None:
    """Machine-translate the source's strings that have no translation yet (all machine-made ones with
    `refresh`), as wagtail-localize's button does, without its check that `user` may edit the target:
    keeping a translation in step is the site's job, not the publishing editor's."""
    translator = get_machine_translator()
    source_locale, target_locale = translation.source.locale, translation.target_locale
    if translator is None or not translator.can_translate(source_locale, target_locale):
        return
    existing = StringTranslation.objects.filter(locale=target_locale, context__object_id=translation.source.object_id)
    if refresh:
        existing.filter(translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE).delete()
    done = set(existing.values_list("translation_of_id", "context_id"))
    pending = defaultdict(list)
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        if (segment.string_id, segment.context_id) not in done:
            pending[segment.string.as_value()].append((segment.string_id, segment.context_id))
    if not pending:
        return
    translated = translator.translate(source_locale, target_locale, pending.keys())
    for string, places in pending.items():
        value: StringValue | None = translated.get(string)
        if value is None or value.data is None:
            continue
        for string_id, context_id in places:
            StringTranslation.objects.get_or_create(
                translation_of_id=string_id,
                locale=target_locale,
                context_id=context_id,
                defaults={
                    "data": value.data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MACHINE,
                    "tool_name": translator.display_name,
                    "last_translated_by": user,
                },
            )


@transaction.atomic
def machine_translate(instance, target_locale: Locale, user: User | None, publish: bool = True, refresh: bool = False):
    """Create (or refresh) the translation of `instance` into `target_locale` with the configured translator.

    With `refresh`, strings translated by the machine before are translated again (after a change of the
    converter); strings an editor typed are kept.
    """
    if isinstance(instance, Page):
        instance = instance.specific
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    TranslationCreator(user, [target_locale]).create_translations(instance, include_related_objects=False)
    translation = Translation.objects.get(source=source, target_locale=target_locale)
    _translate_strings(translation, user, refresh=refresh)
    translation.save_target(user=user, publish=publish)
    return translation.get_target_instance()


def managed_translation(instance, target_locale: Locale) -> Translation | None:
    """The wagtail-localize translation of `instance` into `target_locale`, if it makes that translation."""
    return (
        Translation.objects.filter(source__object_id=instance.translation_key, target_locale=target_locale)
        .select_related("source")
        .first()
    )


def is_machine_made(translation: Translation) -> bool:
    """Still synchronised by wagtail-localize, and no string of it typed by an editor."""
    return (
        translation.enabled
        and not StringTranslation.objects.filter(
            locale=translation.target_locale,
            context__object_id=translation.source.object_id,
            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        ).exists()
    )


def sync_traditional(page: Page, user: User | None = None) -> Page | None:
    """Bring the 繁體 translation of a just-published 简体 page up to date, or make it.

    A 繁體 page the machine made and nobody edited is translated again; a page that has none yet gets
    one when its parent's 繁體 translation is kept by the machine translator (a section translated that
    way keeps its new pages translated). A 繁體 page an editor wrote or corrected is left alone.
    """
    default = Locale.get_default()
    target = Locale.objects.filter(language_code=TRADITIONAL).first()
    if target is None or page.locale_id != default.pk or page.depth <= 1:
        return None
    exists = Page.objects.filter(translation_key=page.translation_key, locale=target).exists()
    if exists:
        translation = managed_translation(page, target)
        if translation is None or not is_machine_made(translation):
            return None
    else:
        parent = page.get_parent()
        if not Page.objects.filter(translation_key=parent.translation_key, locale=target).exists():
            return None
        translation = managed_translation(parent, target)
        if translation is None or not translation.enabled:
            return None
    return machine_translate(page, target, user)
