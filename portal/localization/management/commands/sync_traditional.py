"""Translate every machine-made 繁體 page again, e.g. after the converter's vocabulary changed."""

from django.core.management.base import BaseCommand
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from portal.localization.services import TRADITIONAL, machine_translate


class Command(BaseCommand):
    help = (
        "Convert the 简体 pages again into their 繁體 translations kept by the machine translator "
        "(strings an editor typed are kept). Pages are done parents first."
    )

    def handle(self, *args, **options):
        target = Locale.objects.filter(language_code=TRADITIONAL).first()
        if target is None:
            self.stdout.write("No 繁體 locale: nothing to do.")
            return
        keys = set(
            Translation.objects.filter(target_locale=target, enabled=True).values_list("source__object_id", flat=True)
        )
        pages = Page.objects.filter(locale=Locale.get_default(), translation_key__in=keys).order_by("path")
        done = 0
        for page in pages.specific():
            machine_translate(page, target, None, refresh=True)
            done += 1
        self.stdout.write(self.style.SUCCESS(f"{done} 繁體 pages converted again."))
