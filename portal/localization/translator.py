"""A wagtail-localize machine translator that converts between Simplified and Traditional Chinese."""

from django.utils.translation import gettext_lazy as _
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from .conversion import can_convert, convert


class OpenCCTranslator(BaseMachineTranslator):
    """简体 -> 繁體 and back in one step; every other language pair is declined."""

    display_name = _("OpenCC 简繁转换")

    def can_translate(self, source_locale, target_locale) -> bool:
        return can_convert(source_locale.language_code, target_locale.language_code)

    def translate(self, source_locale, target_locale, strings):
        source, target = source_locale.language_code, target_locale.language_code
        # String values are HTML fragments; OpenCC leaves ASCII markup untouched.
        return {string: StringValue(convert(string.data, source, target)) for string in strings}
