"""Live sessions for the demo: a handful of demo suppliers go live on camera.

    python manage.py seed_demo        # first: the catalog and the demo buyers
    python manage.py seed_live_demo

For the first demo suppliers with published products (their seller logins are the ones seed_demo prints): one
session live now, a few upcoming over the next days, one that ended yesterday, each showing the supplier's own
products, titled after what it sells, in several languages; demo buyers registered for the upcoming ones.

Times are relative to now, so a re-run replaces the sessions it made before (recognised by their demo stream
address) with fresh ones; sessions sellers scheduled themselves are left alone. Writes go through live.services.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from demo import catalog
from live import services
from live.models import LiveSession
from marketplace.models import Product, ProductStatus
from suppliers.models import Supplier

DEMO_STREAM = "https://live.example.com/silkway-demo/"
# (hours from now to the start, length in hours, language, title pattern)
LIVE_NOW = (-0.5, 1.5, "en", "Live from the factory floor: {line}")
ENDED = (-26, 1, "en", "Factory tour and Q&A: {line}")
UPCOMING = [
    (26, 1, "zh-hans", "工厂直播：{line}"),
    (50, 1, "es", "En directo desde la fábrica: {line}"),
    (75, 1.5, "de", "Live aus der Fabrik: {line}"),
    (98, 1, "fr", "En direct de l'usine : {line}"),
    (122, 1, "en", "New season samples: {line}"),
]


class Command(BaseCommand):
    help = "Live sessions (live now, upcoming, ended) for a handful of demo suppliers, with buyer registrations."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=5, help="How many demo suppliers go live (default 5).")

    @transaction.atomic
    def handle(self, *args, suppliers: int = 5, **options):
        now = timezone.now().replace(second=0, microsecond=0)
        removed, _ = LiveSession.objects.filter(stream_url__startswith=DEMO_STREAM).delete()
        chosen = list(
            Supplier.objects.annotate(published=Count("products", filter=Q(products__status=ProductStatus.PUBLISHED)))
            .filter(published__gte=2)
            .order_by("slug")[:suppliers]
        )
        buyers = list(get_user_model().objects.filter(email__in=[b["email"] for b in catalog.BUYERS]).order_by("email"))
        sessions = registrations = 0
        for index, supplier in enumerate(chosen):
            products = list(
                Product.objects.filter(supplier=supplier, status=ProductStatus.PUBLISHED)
                .select_related("category")
                .order_by("-quality_score", "pk")[:4]
            )
            category = products[0].category if products else None
            # The first supplier is live now, the second went live yesterday; each has two sessions to come.
            plan = [LIVE_NOW] * (index == 0) + [ENDED] * (index == 1)
            plan += [UPCOMING[index % len(UPCOMING)], UPCOMING[(index + 2) % len(UPCOMING)]]
            for offset, hours, language, pattern in plan:
                starts_at = now + timedelta(hours=offset)
                session = services.session_create(
                    supplier=supplier,
                    # The category in the session's language: a German session is about "Trinkgeschirr".
                    title=pattern.format(line=category.localized_name(language) if category else supplier.name)[:200],
                    description=(
                        f"{supplier.name} shows {', '.join(p.title for p in products[:3])} on the line, "
                        "with samples, packaging options and lead times. Ask your questions on Silkway."
                    ),
                    language=language,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=hours),
                    stream_url=f"{DEMO_STREAM}{supplier.slug}/{int(starts_at.timestamp())}",
                    products=products,
                    now=min(now, starts_at - timedelta(minutes=1)),
                )
                sessions += 1
                if starts_at > now:
                    for buyer in buyers[index % 2 :: 2][:3]:
                        services.registration_set(session=session, buyer=buyer, registered=True, now=now)
                        registrations += 1
        self.stdout.write(
            f"live sessions: {sessions} for {len(chosen)} suppliers ({removed} earlier demo rows replaced), "
            f"{registrations} registrations"
        )
