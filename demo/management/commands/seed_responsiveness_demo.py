"""Response commitments for the demo (run after seed_demo): several demo suppliers publish one, and their last 30
days of conversations make at least one clearly kept and one clearly broken, then the metrics are recomputed.

The kept and the broken supplier get extra demo conversations (a buyer's message, the seller's answer or none) timed
by the commitment's own clock (conversations.metrics), so their figures come out right whatever seed_demo drew for
them; two more suppliers publish a commitment measured on seed_demo's conversations alone. Idempotent: once a demo
supplier has a commitment, a re-run only recomputes the figures.
"""

import random
from datetime import UTC, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from conversations.metrics import WorkingHours, answered_in_time, commitment_deadline, supplier_metrics_recompute
from conversations.models import Conversation, ConversationKind, Message
from demo import catalog
from marketplace.models import Product, ProductStatus
from suppliers.models import Supplier, SupplierMembership

# (role, commitment minutes, working hours or None for around the clock, time zone)
PLANS = [
    ("kept", 120, (time(9), time(18)), "Asia/Shanghai"),
    ("broken", 60, (time(9), time(18)), "Asia/Shanghai"),
    ("measured", 240, (time(8, 30), time(17, 30)), "Asia/Shanghai"),
    ("measured", 1440, None, "Asia/Shanghai"),
]
KEPT_SAMPLE, KEPT_SHARE = 20, 0.95
BROKEN_SAMPLE, BROKEN_SHARE = 12, 0.5
# The broken supplier's extra conversations, in turn: late, late, in time, never answered, late, in time.
BROKEN_PATTERN = ["late", "late", "in_time", "none", "late", "in_time"]


class Command(BaseCommand):
    help = "Give demo suppliers response commitments, one clearly kept and one clearly broken (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, seed, **options):
        self.rng = random.Random(f"{seed}-responsiveness")
        self.now = timezone.now()
        done = list(Supplier.objects.filter(slug__startswith="demo-", response_commitment_minutes__isnull=False))
        if done:
            for supplier in done:
                supplier_metrics_recompute(supplier_id=supplier.pk, now=self.now)
            self.report(done, "already seeded; figures recomputed")
            return
        sellers = dict(
            SupplierMembership.objects.filter(supplier__slug__startswith="demo-").values_list("supplier_id", "user_id")
        )
        products = {}
        for pk, supplier_id, title in Product.objects.filter(
            supplier_id__in=list(sellers), status=ProductStatus.PUBLISHED
        ).values_list("pk", "supplier_id", "title"):
            products.setdefault(supplier_id, []).append((pk, title))
        candidates = list(Supplier.objects.filter(pk__in=list(products)).order_by("slug")[: len(PLANS)])
        if len(candidates) < 2:
            self.stdout.write("responsiveness: no demo suppliers with products (run seed_demo first)")
            return
        self.buyers = list(
            Conversation.objects.filter(supplier__slug__startswith="demo-")
            .values_list("buyer_id", flat=True)
            .distinct()[:10]
        )
        if not self.buyers:
            self.stdout.write("responsiveness: no demo buyers (run seed_demo first)")
            return
        self.product_type = ContentType.objects.get_for_model(Product)
        with transaction.atomic():
            for supplier, (role, minutes, hours, zone) in zip(candidates, PLANS, strict=False):
                start, end = hours or (None, None)
                Supplier.objects.filter(pk=supplier.pk).update(
                    response_commitment_minutes=minutes,
                    response_hours_start=start,
                    response_hours_end=end,
                    response_timezone=zone,
                )
                supplier.refresh_from_db()
                if role in ("kept", "broken"):
                    self.top_up(supplier, role, sellers[supplier.pk], products[supplier.pk])
                supplier_metrics_recompute(supplier_id=supplier.pk, now=self.now)
        self.report(candidates, "commitments published")

    # --- conversations timed by the commitment's clock --------------------------------------------------------

    def decided(self, supplier, hours):
        rows = Conversation.objects.filter(
            supplier=supplier, created_at__gte=self.now - timedelta(days=30), created_at__lte=self.now
        ).values_list("created_at", "first_response_at")
        verdicts = [answered_in_time(c, a, supplier.response_commitment_minutes, hours, now=self.now) for c, a in rows]
        decided = [v for v in verdicts if v is not None]
        return sum(decided), len(decided)

    def top_up(self, supplier, role, seller_id, products):
        hours = WorkingHours.of(supplier)
        kept, total = self.decided(supplier, hours)
        outcomes = []
        if role == "kept":
            while total + len(outcomes) < KEPT_SAMPLE or (kept + len(outcomes)) < KEPT_SHARE * (total + len(outcomes)):
                outcomes.append("in_time")
        else:
            late_kept = kept
            while total + len(outcomes) < BROKEN_SAMPLE or late_kept > BROKEN_SHARE * (total + len(outcomes)):
                outcome = BROKEN_PATTERN[len(outcomes) % len(BROKEN_PATTERN)]
                outcomes.append(outcome)
                late_kept += outcome == "in_time"
        for outcome in outcomes:
            self.talk(supplier, seller_id, products, hours, outcome)

    def talk(self, supplier, seller_id, products, hours, outcome):
        rng = self.rng
        # A weekday or, now and then, a Saturday, 5 to 28 days ago, at a working time or just before closing.
        day = (self.now - timedelta(days=rng.randint(5, 28))).astimezone(hours.zone).date()
        if day.weekday() == 6 or (day.weekday() == 5 and rng.random() < 0.7):
            day -= timedelta(days=day.weekday() - 4)
        clock = rng.choice([time(9, 40), time(11, 5), time(14, 20), time(16, 45), time(17, 50)])
        created = datetime.combine(day, clock, tzinfo=hours.zone).astimezone(UTC)
        deadline = commitment_deadline(created, supplier.response_commitment_minutes, hours)
        answered = None
        if outcome == "in_time":
            answered = created + (deadline - created) * rng.uniform(0.15, 0.85)
        elif outcome == "late":
            answered = min(deadline + timedelta(minutes=rng.randint(60, 1800)), self.now - timedelta(hours=1))
        product_pk, title = rng.choice(products)
        buyer_id = rng.choice(self.buyers)
        conversation = Conversation.objects.create(
            buyer_id=buyer_id,
            supplier=supplier,
            kind=ConversationKind.INQUIRY,
            topic_type=self.product_type,
            topic_id=product_pk,
            subject=title[:200],
            quantity=rng.choice([300, 500, 1000, 3000]),
            created_at=created,
            first_response_at=answered,
            last_message_at=answered or created,
            buyer_read_at=answered or created,
            supplier_read_at=answered or created,
            status="answered" if answered else "open",
        )
        Message.objects.create(
            conversation=conversation,
            sender_id=buyer_id,
            body=rng.choice(catalog.INQUIRY_MESSAGES),
            language="en",
            created_at=created,
            notified_at=created,
        )
        if answered:
            Message.objects.create(
                conversation=conversation,
                sender_id=seller_id,
                from_supplier=True,
                body=rng.choice(catalog.REPLY_MESSAGES),
                language="en",
                created_at=answered,
                notified_at=answered,
            )

    def report(self, suppliers, what):
        from suppliers.display import commitment_summary, response_summary

        lines = [f"responsiveness: {what}"]
        for supplier in Supplier.objects.filter(pk__in=[s.pk for s in suppliers]).order_by("slug"):
            lines.append(f"  {supplier.name} (/suppliers/{supplier.slug}/)")
            lines.append(f"    {response_summary(supplier)}")
            lines.append(f"    {commitment_summary(supplier)}")
        self.stdout.write("\n".join(lines))
