"""`manage.py catalogues`: makemessages/compilemessages without GNU gettext."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import catalogues


class Command(BaseCommand):
    help = "Extract, compile and verify the project's translation catalogues (zh_Hant, en) in pure Python."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="Extract messages and merge them into the .po files.")
        parser.add_argument("--compile", action="store_true", help="Write the .mo files next to the .po files.")
        parser.add_argument(
            "--check", action="store_true", help="Fail if the catalogues are stale, incomplete or not compiled."
        )

    def handle(self, *args, **options):
        if not (options["update"] or options["compile"] or options["check"]):
            raise CommandError("Pass at least one of --update, --compile, --check.")
        base_dir = Path(settings.BASE_DIR)
        locale_dir = Path(settings.LOCALE_PATHS[0])
        try:
            if options["update"]:
                self.run_update(base_dir, locale_dir)
            if options["compile"]:
                self.run_compile(locale_dir)
            if options["check"]:
                self.run_check(base_dir, locale_dir)
        except catalogues.CatalogueError as exc:
            raise CommandError(str(exc)) from exc

    def run_update(self, base_dir: Path, locale_dir: Path) -> None:
        catalogue = catalogues.collect(base_dir)
        for report in catalogues.update(catalogue, locale_dir):
            state = "written" if report.written else "unchanged"
            self.stdout.write(
                f"{report.language}: {len(catalogue)} messages, {report.added} added, {report.removed} removed, "
                f"{report.autofilled} filled by OpenCC, {report.untranslated} untranslated ({state})."
            )

    def run_compile(self, locale_dir: Path) -> None:
        written = catalogues.compile_catalogues(locale_dir)
        for path in written:
            self.stdout.write(f"Compiled {path}.")
        if not written:
            self.stdout.write("All .mo files already up to date.")

    def run_check(self, base_dir: Path, locale_dir: Path) -> None:
        catalogue = catalogues.collect(base_dir)
        problems = catalogues.check(catalogue, locale_dir)
        if problems:
            listing = "\n".join(f"  - {problem}" for problem in problems)
            raise CommandError(
                f"Translation catalogues need attention ({len(problems)} problems):\n{listing}\n"
                "Fix with `manage.py catalogues --update`, translate, then `manage.py catalogues --compile`."
            )
        languages = ", ".join(language.code for language in catalogues.LANGUAGES)
        self.stdout.write(self.style.SUCCESS(f"Translation catalogues OK: {len(catalogue)} messages in {languages}."))
