"""Twelve weeks of product page views for the demo suppliers' published products (run after seed_demo and
seed_responsiveness_demo), so the seller dashboard's views figure, trend and chart have a history.

Plausible, not uniform: a product's daily views grow with the inquiries it received (the conversations about it),
with its listing quality, and over the weeks; weekends are quieter. Days with no view get no row, as the live counter
(marketplace.stats) writes them. Idempotent: once demo products have views before today, a re-run does nothing.
"""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from conversations.models import Conversation
from marketplace.models import Product, ProductStatus, ProductViewDay

DAYS = 12 * 7


class Command(BaseCommand):
    help = "Seed 12 weeks of product page views for the demo suppliers' products (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, seed, **options):
        rng = random.Random(f"{seed}-dashboard")
        today = timezone.now().date()
        first_day = today - timedelta(days=DAYS - 1)
        demo = Product.objects.filter(supplier__slug__startswith="demo-", status=ProductStatus.PUBLISHED)
        if ProductViewDay.objects.filter(product__in=demo, day__lt=today).exists():
            self.stdout.write("dashboard: product views already seeded")
            return
        products = list(demo.values_list("pk", "quality_score"))
        if not products:
            self.stdout.write("dashboard: no demo products (run seed_demo first)")
            return
        inquiries = dict(
            Conversation.objects.filter(topic_type=ContentType.objects.get_for_model(Product), topic_id__isnull=False)
            .values("topic_id")
            .annotate(n=Count("pk"))
            .values_list("topic_id", "n")
        )
        rows = []
        for pk, quality in products:
            # A few views a day for an ordinary listing; several times that for one buyers write about.
            base = rng.uniform(0.05, 0.45) * (0.6 + (quality or 50) / 100) * (1 + 1.5 * inquiries.get(pk, 0))
            for offset in range(DAYS):
                day = first_day + timedelta(days=offset)
                growth = 0.7 + 0.6 * offset / DAYS  # the storefront gets better known
                weekend = 0.55 if day.weekday() >= 5 else 1.0
                mean = base * growth * weekend
                # Poisson-like draw: the sum of a few Bernoulli trials keeps it cheap and integral.
                count = sum(1 for _ in range(max(1, round(mean * 3))) if rng.random() < mean / max(1, round(mean * 3)))
                if count:
                    rows.append(ProductViewDay(product_id=pk, day=day, views=count))
        with transaction.atomic():
            ProductViewDay.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        total = sum(row.views for row in rows)
        self.stdout.write(
            f"dashboard: {total} product views over {DAYS} days for {len(products)} demo products ({len(rows)} rows)"
        )
