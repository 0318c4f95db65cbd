from django.core.management.base import BaseCommand, CommandError

from members.imports import import_members


class Command(BaseCommand):
    help = "Import existing members and the years they paid from a UTF-8 CSV file (see members/imports.py)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")

    def handle(self, *args, **options):
        with open(options["path"], "rb") as upload:
            result = import_members(upload, by=None, dry_run=options["dry_run"])
        for line, problem in result.errors:
            self.stderr.write(f"line {line}: {problem}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} row(s) with problems; nothing imported.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"Dry run: all {len(result.rows)} rows are good; nothing written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.created} members."))
