"""Queue AI optimization of listings for operators: `optimize_listings [--supplier SLUG] [--limit N]`.

Weakest listings first (lowest quality score), one run per supplier, dispatched with the same concurrency limit
as a seller's "optimize my whole catalog". With no broker configured the runs happen in this process.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from marketplace.listings import selectors, services
from marketplace.listings.models import BatchKind
from marketplace.models import Product
from suppliers.models import Supplier


class Command(BaseCommand):
    help = "Queue AI listing optimization (weakest listings first), one run per supplier."

    def add_arguments(self, parser):
        parser.add_argument("--supplier", help="Only this supplier (slug).")
        parser.add_argument("--limit", type=int, help="At most this many listings per supplier.")
        parser.add_argument("--max-score", type=int, help="Only listings scoring below this (0-100).")

    def handle(self, *args, supplier=None, limit=None, max_score=None, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        suppliers = Supplier.objects.order_by("pk")
        if supplier:
            suppliers = suppliers.filter(slug=supplier)
            if not suppliers.exists():
                raise CommandError(f"No supplier with slug {supplier!r}.")
        for each in suppliers:
            products = Product.objects.filter(supplier=each).order_by(F("quality_score").asc(nulls_first=True), "pk")
            if max_score is not None:
                products = products.filter(quality_score__lt=max_score)
            product_ids = list(products.values_list("pk", flat=True)[:limit])
            if not product_ids:
                continue
            try:
                batch = services.listing_batch_create(supplier=each, products=product_ids, kind=BatchKind.COMMAND)
            except ValidationError as error:
                self.stderr.write(f"{each.slug}: {' '.join(error.messages)}")
                continue
            progress = selectors.listing_batch_progress(batch=batch)
            self.stdout.write(
                f"{each.slug}: {batch.total} listings in run {batch.pk} "
                f"({progress['done']} done, {progress['ready']} ready for review, {progress['failed']} failed)"
            )
