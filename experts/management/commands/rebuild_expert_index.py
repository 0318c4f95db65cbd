from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, TransportError

from experts import index


class Command(BaseCommand):
    help = (
        "Recreate the expert directory's Elasticsearch index and index every listed expert "
        "(run after enabling ELASTICSEARCH_URL, and after changing the index's fields)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=500, help="Experts sent to Elasticsearch per request.")

    def handle(self, *args, **options):
        if not index.enabled():
            raise CommandError(
                "ELASTICSEARCH_URL is not set: the expert directory searches the database and has no index to build."
            )
        if options["chunk"] < 1:
            raise CommandError("--chunk must be at least 1.")
        name = index.index_name()
        self.stdout.write(f"Rebuilding the Elasticsearch index {name}…")
        try:
            count = index.rebuild(progress=self.stdout.write, chunk=options["chunk"])
        except (ApiError, TransportError) as error:
            raise CommandError(f"Elasticsearch could not rebuild {name}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} experts in {name}."))
