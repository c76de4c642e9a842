"""Deals at volume: one buyer and one supplier with N orders walked through the real services, then

- each service step's latency (p50/p95 over the N deals): accept quote → contract drafted (offline) → signed by both
  → payment confirmed → production → shipment and B/L → departure → deposit and balance released → delivery
  confirmed (order completes) → rating;
- the pages and API lists as the buyer and the seller see them with N orders (p50/p95 of 20 requests, queries per
  request): /deals/, /api/v1/deals/orders/, /seller/deals/order/, /admin/deals/ledgertransaction/.

Against whatever database DATABASE_URL names (a scratch one: it creates users, suppliers and deals):

    createdb -h 127.0.0.1 -U postgres silkway_deals_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_deals_bench
    python manage.py migrate
    python bench/deals_bench.py --deals 300

Measured on the 2-core development machine, 2026-12-04, PostgreSQL 15, 300 deals (50 s to walk them all):

    service step                      p50 ms  p95 ms      page / list with 300 orders        p50 ms  p95 ms  queries
    RFQ, quote, accept + draft          62.1    83.5      /deals/                              33.2    44.5        8
    buyer signs                          3.7     5.5      /deals/orders/<id>/                  29.7    37.9        9
    supplier signs (order created)       9.3    12.4      /seller/deals/order/                 58.6    93.8        6
    payment confirmed                    9.7    12.8      /seller/deals/contract/              56.8    59.4        6
    production started                   7.8    10.8      /admin/deals/ledgertransaction/      75.9    79.7       10
    B/L uploaded (checked)               4.6     6.0      /admin/deals/order/                 100.5   119.5        8
    departed (order ships)               9.8    12.7      /api/v1/deals/orders/?page_size=50   55.2    64.2        5
    milestone released                   8.8    12.1      /api/v1/deals/contracts/?...=50      52.4    59.9        4
    delivery confirmed (completes)      16.2    21.4
    rated                               10.3    13.1
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AI_PROVIDER", "offline")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from deals.models import Contract, Order, ShipmentStage, Side  # noqa: E402
from deals.services import contracts, disputes, orders  # noqa: E402
from sourcing.models import ExchangeRate  # noqa: E402
from suppliers.models import Supplier, SupplierMembership  # noqa: E402
from tests.deals.builders import accepted_quote, pdf_file  # noqa: E402  (the same walk the tests take)

PASSWORD = "bench-pass-1234"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def people(tag: str):
    buyer, _ = User.objects.get_or_create(email=f"bench-buyer-{tag}@example.com")
    supplier, _ = Supplier.objects.get_or_create(
        slug=f"bench-solar-{tag}", defaults={"name": f"Bench Solar {tag} Co., Ltd.", "kind": "factory"}
    )
    seller, _ = User.objects.get_or_create(email=f"bench-seller-{tag}@example.com")
    SupplierMembership.objects.get_or_create(user=seller, defaults={"supplier": supplier})
    operator, _ = User.objects.get_or_create(
        email=f"bench-ops-{tag}@example.com", defaults={"is_staff": True, "is_superuser": True}
    )
    for user in (buyer, seller, operator):
        user.set_password(PASSWORD)
        user.save()
    return buyer, supplier, seller, operator


def walk(buyer, supplier, seller, operator, timings):
    def step(name, call):
        started = time.perf_counter()
        result = call()
        timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    # RFQ, quote and acceptance; with eager Celery the contract's draft (offline rules) runs on the commit.
    quote = step("RFQ, quote, accept + draft", lambda: accepted_quote(buyer, supplier))
    contract = contracts.contract_draft(contract_id=Contract.objects.get(quote=quote).pk)  # no-op when drafted
    version = contract.versions.get()
    step(
        "buyer signs",
        lambda: contracts.contract_accept(
            contract=contract, version=version, actor=buyer, side=Side.BUYER, signatory="Anna Buyer"
        ),
    )
    step(
        "supplier signs (order created)",
        lambda: contracts.contract_accept(
            contract=contract, version=version, actor=seller, side=Side.SUPPLIER, signatory="Li Seller"
        ),
    )
    order = Order.objects.get(contract=contract)
    step(
        "payment confirmed",
        lambda: orders.order_confirm_payment(
            order=order, operator=operator, amount=order.total, currency=order.currency
        ),
    )
    step("production started", lambda: orders.order_start_production(order=order, actor=seller))
    shipment = orders.shipment_add(
        order=order, actor=seller, mode="sea", carrier="COSCO", tracking_number=f"C{order.pk}"
    )
    step(
        "B/L uploaded (checked)",
        lambda: orders.document_upload(
            order=order, actor=seller, side=Side.SUPPLIER, kind="bill_of_lading", file=pdf_file()
        ),
    )
    step(
        "departed (order ships)",
        lambda: orders.shipment_event_record(shipment=shipment, actor=seller, stage=ShipmentStage.DEPARTED),
    )
    for milestone in order.milestones.order_by("position"):
        step("milestone released", lambda m=milestone: orders.milestone_release(milestone=m, actor=buyer))
    step("delivery confirmed (completes)", lambda: orders.order_confirm_delivery(order=order, actor=buyer))
    step(
        "rated",
        lambda: disputes.review_create(order=order, buyer=buyer, supplier_rating=5, product_rating=4),
    )


def measure(client, url, rounds=20):
    times, queries = [], []
    for _ in range(rounds):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(len(connection.queries))
        assert response.status_code == 200, (url, response.status_code)
    return percentile(times, 0.5), percentile(times, 0.95), max(queries)


@override_settings(DEBUG=True, ALLOWED_HOSTS=["*"])  # DEBUG: connection.queries counts the queries
def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=200)
    parser.add_argument("--tag", default=timezone.now().strftime("%H%M%S"))
    args = parser.parse_args()
    if not ExchangeRate.objects.exists():
        sys.exit("No reference data: run `python manage.py migrate` first.")
    buyer, supplier, seller, operator = people(args.tag)
    timings: dict[str, list[float]] = {}
    started = time.perf_counter()
    for _ in range(args.deals):
        walk(buyer, supplier, seller, operator, timings)
    print(f"{args.deals} deals walked in {time.perf_counter() - started:.1f}s on {connection.vendor}\n")
    print(f"{'service step':34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in timings.items():
        print(f"{name:34} {percentile(values, 0.5):8.1f} {percentile(values, 0.95):8.1f}")

    print(f"\n{'page / list with ' + str(args.deals) + ' orders':48} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for user, urls in (
        (buyer, ["/deals/", f"/deals/orders/{Order.objects.filter(buyer=buyer).latest('pk').pk}/"]),
        (seller, ["/seller/deals/order/", "/seller/deals/contract/"]),
        (operator, ["/admin/deals/ledgertransaction/", "/admin/deals/order/"]),
    ):
        client = Client()
        client.force_login(user)
        for url in urls:
            print(
                f"{url:48} "
                + " ".join(f"{v:8.1f}" if isinstance(v, float) else f"{v:8d}" for v in measure(client, url))
            )
    api = Client()
    token = api.post(
        "/api/v1/auth/token/", {"email": buyer.email, "password": PASSWORD}, content_type="application/json"
    ).json()["access"]
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for url in ("/api/v1/deals/orders/?page_size=50", "/api/v1/deals/contracts/?page_size=50"):
        print(f"{url:48} " + " ".join(f"{v:8.1f}" if isinstance(v, float) else f"{v:8d}" for v in measure(api, url)))
    print(f"\nsettings: DATABASE={settings.DATABASES['default']['ENGINE']}")


if __name__ == "__main__":
    main()
