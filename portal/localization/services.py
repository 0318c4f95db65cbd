"""Produce a 繁體 (or 简体) translation of a page or snippet in one step, the way editors do in the admin."""

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.views.edit_translation import apply_machine_translation


@transaction.atomic
def machine_translate(instance, target_locale: Locale, user, publish: bool = True):
    """Create (or refresh) the translation of `instance` into `target_locale` with the configured translator."""
    if isinstance(instance, Page):
        instance = instance.specific
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    TranslationCreator(user, [target_locale]).create_translations(instance, include_related_objects=False)
    translation = Translation.objects.get(source=source, target_locale=target_locale)
    translator = get_machine_translator()
    apply_machine_translation(translation.pk, user, translator)
    translation.save_target(user=user, publish=publish)
    return translation.get_target_instance()
