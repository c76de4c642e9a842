"""Search learning for the demo: a few buyer phrasings no listing uses, searched and clicked through to products
that are what the buyers meant, then mined, so /admin/search/synonymcandidate/ has candidates to approve.

    python manage.py seed_demo                    # first: the catalog
    python manage.py seed_search_learning_demo

A re-run replaces the searches it made before (recognised by their query text). Writes go through search.services.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from marketplace.models import Product, ProductStatus
from search import services
from search.models import SearchLog

# (what a buyer types, its language, a word of the titles of the products they clicked)
PHRASINGS = [
    ("charge brick", "en", "power bank"),
    ("sun panel", "en", "solar panel"),
    ("yoga carpet", "en", "yoga mat"),
    ("cargador de bolsillo", "es", "power bank"),
]
SEARCHES = 3  # per phrasing, each clicking two products: over the default thresholds (3 clicks, 2 searches)


class Command(BaseCommand):
    help = "Seed searches and result clicks that teach search a few synonyms, and mine them into candidates."

    @transaction.atomic
    def handle(self, *args, **options):
        SearchLog.objects.filter(query__in=[phrase for phrase, _language, _word in PHRASINGS]).delete()
        seeded = 0
        for phrase, language, word in PHRASINGS:
            products = list(
                Product.objects.filter(status=ProductStatus.PUBLISHED, title__icontains=word)
                .order_by("pk")
                .values_list("pk", flat=True)[:2]
            )
            if not products:
                continue
            for _n in range(SEARCHES):
                log = services.search_log_record(
                    query=phrase, language=language, tab="products", filters={}, result_count=0
                )
                for position, product_id in enumerate(products, 1):
                    services.search_click_record(log_id=log.pk, product_id=product_id, position=position)
            seeded += 1
        summary = services.synonym_candidates_mine()
        self.stdout.write(
            f"{seeded} phrasings searched and clicked; {summary['created']} new synonym candidates, "
            f"{summary['updated']} updated (see /admin/search/synonymcandidate/)."
        )
