"""Import products from a JSONL or CSV file; re-running the same file updates instead of duplicating.

    python manage.py import_catalog catalog.jsonl --supplier my-factory [--publish] [--dry-run]
        [--create-categories [--category-sector industrial]]
    python manage.py import_catalog catalog.csv --format csv

JSONL: one JSON object per line (fields in marketplace/catalog_import.py). CSV: a header row with the
same names; price_tiers as "100:2.50|500:2.10", attributes as "Voltage=18 V|Material=Steel", keywords
comma-separated, translations as title_de / description_de / keywords_de columns, certifications "CE|RoHS".
Every row is reported: created, updated, or rejected with its reasons, the categories it created
(--create-categories: a path that does not exist, e.g. "Vehicles > Electric Scooters", is created under its
deepest existing level), and why it is not published when it is not. A rejected row changes nothing.
"""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from marketplace.catalog_import import CategoryResolver, ImportReport, RowError, catalog_import_row, csv_rows
from suppliers.models import Supplier
from taxonomy.models import Sector

MAX_LINE_BYTES = 1_000_000


def _jsonl_rows(handle):
    for line in handle:
        if len(line) > MAX_LINE_BYTES:
            yield RowError(["line longer than 1 MB"])
            continue
        if not line.strip():
            yield None
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as error:
            yield RowError([f"invalid JSON: {error.msg} at column {error.colno}"])


class Command(BaseCommand):
    help = "Import a product catalog (JSONL or CSV), idempotent on external_id; reports every rejected row."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["jsonl", "csv"], help="Default: from the file extension.")
        parser.add_argument("--supplier", help="Slug of the supplier for rows without a supplier column.")
        parser.add_argument("--publish", action="store_true", help="Publish rows that can be published.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument(
            "--create-categories",
            action="store_true",
            help="Create category paths that do not exist (reported per row).",
        )
        parser.add_argument(
            "--category-sector",
            choices=Sector.values,
            help="Sector of new top-level categories (default: consumer; sub-categories inherit).",
        )

    def handle(
        self, *args, file, format, supplier, publish, dry_run, create_categories=False, category_sector=None, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        kind = format or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
        default_supplier = None
        if supplier:
            default_supplier = Supplier.objects.filter(slug=supplier).first()
            if default_supplier is None:
                raise CommandError(f"No supplier with slug {supplier!r}.")
        report = ImportReport()
        resolver = CategoryResolver(create=create_categories, sector=category_sector)
        try:
            with path.open(encoding="utf-8-sig", newline="" if kind == "csv" else None) as handle:
                rows = csv_rows(handle) if kind == "csv" else _jsonl_rows(handle)
                for line, row in enumerate(rows, start=2 if kind == "csv" else 1):
                    self._import(line, row, default_supplier, resolver, publish, dry_run, report)
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text ({error.reason}).") from None
        except csv.Error as error:
            raise CommandError(f"{file} is not valid CSV: {error}") from None
        for line, external_id, reasons in report.rejected:
            self.stdout.write(f"line {line} ({external_id or 'no external_id'}): rejected: {'; '.join(reasons)}")
        for line, external_id, warning in report.warnings:
            self.stdout.write(f"line {line} ({external_id}): {warning}")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.created + report.updated} ({report.created} new, {report.updated} updated), "
                f"rejected {len(report.rejected)}."
            )
        )

    def _import(self, line, row, default_supplier, resolver, publish, dry_run, report):
        if row is None:
            return
        external_id = str(row.get("external_id", "")) if isinstance(row, dict) else ""
        try:
            if isinstance(row, RowError):
                raise row
            with transaction.atomic():
                status, product, warnings = catalog_import_row(
                    row=row, default_supplier=default_supplier, resolver=resolver, publish_default=publish
                )
                if dry_run:
                    transaction.set_rollback(True)
        except RowError as error:
            resolver.discard()  # the row's new categories were rolled back with it
            report.rejected.append((line, external_id, error.reasons))
            return
        if dry_run:
            resolver.discard()
        else:
            resolver.keep()
        if status == "created":
            report.created += 1
        else:
            report.updated += 1
        report.warnings += [(line, external_id, w) for w in warnings]
