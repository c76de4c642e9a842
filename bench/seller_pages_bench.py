"""How long every main seller page takes on the demo data: the dashboard, every list on the seller site, their
add forms and one change form each (the product form of a product with images and translations, an inquiry thread,
an AI listing suggestion, an ad campaign…).

    python bench/seller_pages_bench.py [--seller seller-00002@demo.silkway.test] [--runs 5] [--only product]

Works on a copy of the demo database (var/silkway.sqlite3 → /tmp/silkway-seller-bench.sqlite3, migrated, with the
dashboard's view history seeded), never on the shared file. The seller is, unless named, the demo supplier with
the most products and conversations. Each page is a whole request through the test client (middleware, SQL,
templates) signed in as that seller: one warm-up, then the median of --runs; the SQL queries of the last run.
Target: under 300 ms each.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TARGET_MS = 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=str(ROOT / "var" / "silkway.sqlite3"))
    parser.add_argument("--copy", default="/tmp/silkway-seller-bench.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="use the copy as it is (no fresh copy, no migrate)")
    parser.add_argument("--seller", default="", help="the seller's e-mail (default: the busiest demo supplier's)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    return parser.parse_args()


def main():
    args = parse_args()
    if not args.reuse or not Path(args.copy).exists():
        for suffix in ("", "-wal", "-shm"):
            Path(args.copy + suffix).unlink(missing_ok=True)
        shutil.copyfile(args.source, args.copy)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.copy}"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Not setup_test_environment(): its instrumented template rendering copies every context for the test client
    # and would add a third to a form's time. The client's host is let in, e-mail goes to memory.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if not args.reuse:
        call_command("migrate", verbosity=0)
        call_command("seed_dashboard_demo")
    pages = seller_pages(args.seller)
    run(pages, args)


def seller_pages(email):
    from django.db.models import Count
    from django.test import RequestFactory
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from marketplace.models import Product
    from suppliers.admin_scoping import seller_site
    from suppliers.models import Supplier, SupplierMembership
    from suppliers.tenancy import scope_to_supplier

    if email:
        user = User.objects.get(email=email)
        supplier = SupplierMembership.objects.get(user=user).supplier
    else:
        supplier = (
            Supplier.objects.filter(slug__startswith="demo-", memberships__isnull=False)
            .annotate(products_n=Count("products", distinct=True), threads_n=Count("conversations", distinct=True))
            .order_by("-products_n", "-threads_n")
            .first()
        )
        user = SupplierMembership.objects.filter(supplier=supplier).select_related("user").first().user
    print(f"Seller: {user.email} — {supplier.name} (supplier {supplier.pk})")
    pages = [("dashboard", reverse("seller:index"))]
    request = RequestFactory().get("/seller/")
    request.user = user
    for model, model_admin in sorted(seller_site._registry.items(), key=lambda item: item[0]._meta.label):
        opts = model._meta
        name = f"{opts.app_label}.{opts.model_name}"
        try:
            pages.append((f"{name} list", reverse(f"seller:{opts.app_label}_{opts.model_name}_changelist")))
        except NoReverseMatch:
            continue
        if model_admin.has_add_permission(request):  # the others answer 403 at once
            pages.append((f"{name} add", reverse(f"seller:{opts.app_label}_{opts.model_name}_add")))
        objects = scope_to_supplier(model._default_manager.all(), supplier)
        if model is Product:
            # The heaviest form: the product with the most images and translations.
            objects = objects.annotate(
                images_n=Count("images", distinct=True), translations_n=Count("translations", distinct=True)
            ).order_by("-images_n", "-translations_n")
        first = objects.order_by(*(objects.query.order_by or ["-pk"])).first()
        if first is not None:
            pages.append(
                (f"{name} change", reverse(f"seller:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            )
    return user, pages


def run(user_pages, args):
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, pages = user_pages
    client = Client()
    client.force_login(user)
    rows = []
    for name, url in pages:
        if args.only and args.only not in name:
            continue
        response = client.get(url)  # warm-up: templates compiled, caches filled
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connections["default"]) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        rows.append((name, url, response.status_code, median, len(queries.captured_queries)))
        flag = "" if median < TARGET_MS else "  SLOW"
        print(f"{median:8.0f} ms {len(queries.captured_queries):5d} q  {response.status_code}  {name}  {url}{flag}")
    print()
    print("| page | status | median ms | queries |")
    print("| --- | --- | --- | --- |")
    for name, _url, status, median, count in rows:
        print(f"| {name} | {status} | {median:.0f}{' **slow**' if median >= TARGET_MS else ''} | {count} |")
    slow = [row for row in rows if row[3] >= TARGET_MS]
    print(f"\n{len(rows)} pages, {len(slow)} at or over {TARGET_MS} ms.")


if __name__ == "__main__":
    main()
