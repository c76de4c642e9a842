"""Benchmark: a supplier's inbox, a buyer's message list, a thread page, the polling call and the metrics task with
many conversations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_conversations_bench \\
        .venv/bin/python bench/conversations_bench.py --conversations 50000

Migrates the database and, unless it already holds them, fills it with synthetic threads: one busy supplier (a tenth
of all threads, two messages each), one busy buyer (a twentieth), the rest spread over 500 suppliers and 2,000
buyers. Then times each read through the Django test client (the full request: middleware, SQL, templates) and the
response metrics of the busy supplier; prints the median of several runs and the number of SQL queries.
The database name must contain "bench" (or be a SQLite file under /tmp): the script writes synthetic rows.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import BuyerProfile, User  # noqa: E402
from conversations.metrics import supplier_metrics_recompute  # noqa: E402
from conversations.models import Conversation, Message  # noqa: E402
from suppliers.models import Supplier, SupplierMembership  # noqa: E402

BUSY_SUPPLIER, BUSY_BUYER, SELLER = "bench-busy-supplier", "bench-busy-buyer@bench.test", "bench-seller@bench.test"


def _guard():
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name and not name.startswith("/tmp/"):
        sys.exit(f"Refusing to write synthetic rows into {name!r}: use a database whose name contains 'bench'.")


def fill(total: int) -> None:
    if Conversation.objects.count() >= total:
        return
    rng = random.Random(7)
    now = timezone.now()
    password = "bench"
    with transaction.atomic():
        busy = Supplier.objects.create(name="Busy Bench Factory", slug=BUSY_SUPPLIER, kind="factory", country="CN")
        seller = User.objects.create_user(email=SELLER, password=password)
        SupplierMembership.objects.create(user=seller, supplier=busy)
        suppliers = [busy] + Supplier.objects.bulk_create(
            Supplier(name=f"Bench Supplier {n}", slug=f"bench-supplier-{n}", kind="factory", country="CN")
            for n in range(500)
        )
        buyer = User.objects.create_user(email=BUSY_BUYER, password=password)
        buyers = [buyer] + User.objects.bulk_create(User(email=f"bench-buyer-{n}@bench.test") for n in range(2000))
        BuyerProfile.objects.bulk_create(
            BuyerProfile(user=u, company_name=f"Buyer {u.pk}", country="DE") for u in buyers
        )
    batch = []
    for n in range(total):
        supplier = busy if n % 10 == 0 else rng.choice(suppliers)
        who = buyer if n % 20 == 0 else rng.choice(buyers)
        created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        answered = created + timedelta(minutes=rng.randint(5, 3000)) if rng.random() < 0.8 else None
        batch.append(
            Conversation(
                buyer=who,
                supplier=supplier,
                subject=f"Bench thread {n}",
                created_at=created,
                first_response_at=answered,
                last_message_at=answered or created,
                status="answered" if answered else "open",
            )
        )
        if len(batch) == 5000 or n == total - 1:
            created_rows = Conversation.objects.bulk_create(batch)
            Message.objects.bulk_create(
                message
                for c in created_rows
                for message in (
                    Message(conversation=c, sender=c.buyer, body="Price for 1,000 pcs?", created_at=c.created_at),
                    Message(
                        conversation=c, sender=seller, from_supplier=True, body="USD 4.10", created_at=c.last_message_at
                    ),
                )
            )
            batch = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(label, call, runs=7):
    first = call()  # warm
    status = getattr(first, "status_code", 200)
    if status != 200:
        sys.exit(f"{label}: HTTP {status}")
    samples = []
    # Every alias: pages may read from the replica alias (core.db).
    captures = [CaptureQueriesContext(connections[alias]) for alias in connections]
    for capture in captures:
        capture.__enter__()
    call()
    for capture in captures:
        capture.__exit__(None, None, None)
    queries = [q for capture in captures for q in capture.captured_queries]
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:58s} median {statistics.median(samples):7.1f} ms  p max {max(samples):7.1f} ms  {len(queries)} queries"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20000)
    args = parser.parse_args()
    _guard()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(args.conversations)
    print(
        f"data: {Conversation.objects.count()} conversations, {Message.objects.count()} messages "
        f"({time.perf_counter() - started:.0f} s), {connection.vendor}"
    )
    settings.ALLOWED_HOSTS = ["*"]
    busy = Supplier.objects.get(slug=BUSY_SUPPLIER)
    seller, buyer = Client(), Client()
    seller.force_login(User.objects.get(email=SELLER))
    buyer.force_login(User.objects.get(email=BUSY_BUYER))
    thread = Conversation.objects.filter(supplier=busy).first()
    own = Conversation.objects.filter(buyer__email=BUSY_BUYER).first()
    print(
        f"busy supplier: {busy.conversations.count()} threads; busy buyer: "
        f"{Conversation.objects.filter(buyer__email=BUSY_BUYER).count()} threads"
    )
    timed("seller inbox, first page (awaiting first)", lambda: seller.get("/seller/conversations/conversation/"))
    timed(
        "seller inbox, filtered to awaiting",
        lambda: seller.get("/seller/conversations/conversation/?status__exact=open"),
    )
    timed("seller thread page", lambda: seller.get(f"/seller/conversations/conversation/{thread.pk}/change/"))
    timed("buyer message list, first page", lambda: buyer.get("/messages/"))
    timed("buyer message list, page 20", lambda: buyer.get("/messages/?page=20"))
    timed("buyer thread page", lambda: buyer.get(f"/messages/{own.pk}/"))
    timed("buyer polling call (nothing new)", lambda: buyer.get(f"/messages/{own.pk}/updates/?after=999999999"))
    timed("API: buyer conversation list", lambda: buyer.get("/api/v1/conversations/"))
    timed("response metrics of the busy supplier", lambda: supplier_metrics_recompute(supplier_id=busy.pk), runs=3)


if __name__ == "__main__":
    main()
