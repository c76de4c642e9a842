"""Rebuild the product search index from the catalog (after a bulk load, a restore or a glossary change).

python manage.py rebuild_search_index [--batch-size 2000] [--keep] [--workers N]
"""

from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend
from search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Index every published product again (search documents, full text, specs, vocabulary)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Update documents in place instead of clearing the index first "
            "(search keeps answering during the rebuild).",
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="Index in this many processes (PostgreSQL; about one per core)."
        )

    def handle(self, *args, batch_size, keep, workers, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        backend = get_backend()

        def progress(done, total, seconds):
            self.stdout.write(f"  {done:>9}/{total} products indexed ({seconds:.0f}s)", ending="\r")

        count = search_index_rebuild(batch_size=batch_size, clear=not keep, progress=progress, workers=workers)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published products with the {backend.name} backend."))
