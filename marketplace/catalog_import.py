"""Catalog import and export for sellers and operators: one row (a dict from JSONL, CSV or XLSX) -> one product,
idempotent on (supplier, external_id) or on the product's id. This module parses and validates; every write is a
product service (product_import_upsert, product_publish, category_path_ensure), so derived fields and the search
index follow. Operators import with `manage.py import_catalog` (each row on its own); sellers upload a file in the
seller admin (catalog_import_file: scoped to their supplier, all rows or none). The seller's export writes the same
columns, so an exported file imports back unchanged.

Row fields: external_id, title, description, category ("Power Tools > Cordless Drills", names in any language or
slugs), attributes ({"Voltage": "18 V"} or [{"name", "value", "unit"}], or that list as JSON text), supplier
(slug), price_tiers ([{"min_quantity", "unit_price", "lead_time_days"}] or "100:2.50|500:2.10:14"), moq, unit,
lead_time_days, currency, language, keywords (list or comma string), translations ({"de": {"title", "description",
"keywords"}}), certifications (codes the supplier holds), publish (bool) or status (draft|published),
samples_available, sample_price, id (a product of the row's supplier; updated, and given the row's external id).
With create_categories, a category path that does not exist is created (taxonomy.services.category_path_ensure)
and the row says so.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from suppliers.models import Certification, Supplier
from taxonomy.models import Category
from taxonomy.services import category_path_ensure, category_path_find, category_path_parts

from .models import LANGUAGE_CODES, Product, ProductStatus, Unit
from .services import (
    product_import_upsert,
    product_publish,
    product_publish_problems,
    product_unpublish,
)

_ATTRIBUTE_VALUE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?(?:\s*(?:to|-)\s*-?\d+(?:[.,]\d+)?)?)\s*([^\d\s].{0,19})?$")


class RowError(Exception):
    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list = field(default_factory=list)  # (line, external_id, reasons)
    warnings: list = field(default_factory=list)


class CategoryResolver:
    """'A > B > C' by names in any language or slugs, each level under the previous one (one query for the
    whole import). With `create`, missing levels are created through taxonomy.services.category_path_ensure; the ones
    created by a row that is then rolled back (rejected, or a dry run) are forgotten with `discard()`."""

    def __init__(self, *, create: bool = False, sector: str | None = None):
        self.categories = list(Category.objects.all())
        self.create, self.sector = create, sector
        self.pending: list[Category] = []

    def resolve(self, path: str) -> Category | None:
        found, missing = category_path_find(path=path, categories=self.categories)
        return found if not missing else None

    def ensure(self, path: str, *, language: str = "en") -> tuple[Category, list[Category]]:
        category, created = category_path_ensure(
            path=path, language=language, sector=self.sector, categories=self.categories
        )
        self.pending += created
        return category, created

    def keep(self):
        self.pending = []

    def discard(self):
        self.categories = [c for c in self.categories if c not in self.pending]
        self.pending = []


def _decimal(value, name, reasons):
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        reasons.append(_("%(field)s is not a number: %(value)s") % {"field": name, "value": repr(value)})
        return None
    if not number.is_finite() or number <= 0:
        reasons.append(_("%(field)s must be positive: %(value)s") % {"field": name, "value": repr(value)})
        return None
    return number


def _positive_int(value, name, reasons, default=None):
    if value in (None, ""):
        if default is None:
            reasons.append(_("%(field)s is required") % {"field": name})
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        reasons.append(_("%(field)s must be a whole number: %(value)s") % {"field": name, "value": repr(value)})
        return None
    if number < 1:
        reasons.append(_("%(field)s must be at least 1") % {"field": name})
        return None
    return number


def _tiers(value, reasons):
    if isinstance(value, str):
        value = [
            dict(zip(("min_quantity", "unit_price", "lead_time_days"), part.split(":", 2), strict=False))
            for part in value.split("|")
            if part.strip()
        ]
    tiers = []
    for tier in value or []:
        if not isinstance(tier, dict):
            reasons.append(_("price tiers must be objects with min_quantity and unit_price"))
            continue
        quantity = _positive_int(tier.get("min_quantity"), "price tier min_quantity", reasons)
        price = _decimal(tier.get("unit_price", ""), "price tier unit_price", reasons)
        lead = tier.get("lead_time_days")
        lead = _positive_int(lead, "price tier lead_time_days", reasons) if lead not in (None, "") else None
        if quantity and price:
            tiers.append((quantity, price, lead))
    if len({q for q, _p, _l in tiers}) != len(tiers):
        reasons.append(_("two price tiers start at the same quantity"))
    return sorted(tiers, key=lambda tier: tier[0])


def _attributes(value, reasons):
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:  # the export writes JSON when "name=value|..." would not read back the same
            value = json.loads(value)
        except json.JSONDecodeError:
            reasons.append(_("attributes are not valid JSON"))
            return []
    if isinstance(value, str):
        value = dict(part.split("=", 1) for part in value.split("|") if "=" in part)
    if isinstance(value, dict):
        value = [{"name": k, "value": v} for k, v in value.items()]
    out = []
    for item in value or []:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip() or item.get("value") in (None, ""):
            reasons.append((_("attribute without name or value: %(item)s") % {"item": repr(item)})[:200])
            continue
        name, raw, unit = str(item["name"]).strip()[:80], str(item["value"]).strip(), str(item.get("unit") or "")
        match = _ATTRIBUTE_VALUE.match(raw)
        if "unit" not in item and match and match.group(2):
            raw, unit = match.group(1), match.group(2).strip()
        out.append((name, raw[:200], unit[:20]))
    if len({n.casefold() for n, _v, _u in out}) != len(out):
        reasons.append(_("an attribute name appears twice"))
    return out


def _keywords(value):
    if isinstance(value, list):
        return ", ".join(str(v).strip() for v in value if str(v).strip())[:500]
    return str(value or "").strip()[:500]


TRUE_WORDS = (True, "true", "1", 1, "yes")
BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _boolean(value, name, reasons):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in BOOLEAN_WORDS:
        reasons.append(_("%(field)s must be yes or no: %(value)s") % {"field": name, "value": repr(value)})
        return None
    return BOOLEAN_WORDS[word]


@transaction.atomic
def catalog_import_row(
    *,
    row: dict,
    default_supplier: Supplier | None,
    resolver: CategoryResolver,
    publish_default: bool = False,
    only_supplier: Supplier | None = None,
) -> tuple[str, Product, list[str]]:
    """Create or update one product from `row`; ('created'|'updated', product, warnings) or RowError.
    `only_supplier` (a seller's import): the row may only name that supplier and that supplier's products."""
    reasons, warnings = [], []
    if not isinstance(row, dict):
        raise RowError([_("a row must be an object")])
    external_id = str(row.get("external_id") or "").strip()
    title = str(row.get("title") or "").strip()
    product_id = None
    if str(row.get("id") or "").strip():
        product_id = _positive_int(row["id"], "id", reasons)
    if not external_id and not product_id:
        reasons.append(_("external_id is required"))
    elif len(external_id) > 100:
        reasons.append(_("external_id is longer than 100 characters"))
    if not title:
        reasons.append(_("title is required"))
    supplier = default_supplier
    if row.get("supplier"):
        supplier = Supplier.objects.filter(slug=str(row["supplier"]).strip()).first()
        if supplier is None or (only_supplier is not None and supplier != only_supplier):
            # A seller's file cannot say whether another supplier exists.
            reasons.append(_("unknown supplier %(supplier)s") % {"supplier": repr(row["supplier"])})
    if supplier is None and not row.get("supplier"):
        reasons.append(_("no supplier: give a supplier column or --supplier"))
    if product_id and supplier is not None and not Product.objects.filter(pk=product_id, supplier=supplier).exists():
        # Another supplier's product and a missing one read the same.
        reasons.append(_("id %(id)s is not one of your products") % {"id": product_id})
    category = resolver.resolve(row.get("category", ""))
    if category is None and not (resolver.create and category_path_parts(row.get("category", ""))):
        reasons.append(_("unknown category path %(path)s") % {"path": repr(row.get("category"))})
    language = str(row.get("language") or "en").strip().lower()
    if language not in LANGUAGE_CODES:
        reasons.append(_("unknown language %(language)s") % {"language": repr(language)})
    unit = str(row.get("unit") or Unit.PIECES).strip()
    if unit not in Unit.values:
        reasons.append(_("unknown unit %(unit)s") % {"unit": repr(unit)})
    currency = str(row.get("currency") or "USD").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        reasons.append(_("currency must be an ISO 4217 code, not %(currency)s") % {"currency": repr(currency)})
    tiers = _tiers(
        row.get("price_tiers")
        or (
            [{"min_quantity": row.get("moq") or 1, "unit_price": row["price"]}]
            if row.get("price") not in (None, "")
            else []
        ),
        reasons,
    )
    moq = _positive_int(row.get("moq"), "moq", reasons, default=tiers[0][0] if tiers else 1)
    lead = _positive_int(row.get("lead_time_days"), "lead_time_days", reasons)
    attributes = _attributes(row.get("attributes"), reasons)
    translations = row.get("translations") or {}
    if not isinstance(translations, dict):
        reasons.append(_("translations must be an object keyed by language"))
        translations = {}
    for code, data in translations.items():
        if code not in LANGUAGE_CODES:
            reasons.append(_("unknown translation language %(language)s") % {"language": repr(code)})
        elif not isinstance(data, dict) or not str(data.get("title") or "").strip():
            reasons.append(_("translation %(language)s needs a title") % {"language": repr(code)})
    extra = {}
    if str(row.get("samples_available", "")).strip():
        extra["samples_available"] = _boolean(row["samples_available"], "samples_available", reasons)
    if "sample_price" in row:
        sample_price = str(row["sample_price"] or "").strip()
        extra["sample_price"] = _decimal(sample_price, "sample_price", reasons) if sample_price else None
    status = str(row.get("status") or "").strip().lower()
    if status and status not in ProductStatus.values:
        reasons.append(_("status must be draft or published, not %(status)s") % {"status": repr(status)})
    if reasons:
        raise RowError(reasons)

    if category is None:
        try:
            category, created = resolver.ensure(str(row.get("category")), language=language)
        except ValidationError as error:
            raise RowError(error.messages) from None
        warnings += [_("created category %(path)s") % {"path": repr(_path_of(c))} for c in created]
    codes = [str(c).strip().upper() for c in row.get("certifications") or []]
    held = list(Certification.objects.filter(supplier=supplier, type__in=codes))
    missing = sorted(set(codes) - {c.type for c in held})
    if missing:
        warnings.append(_("supplier holds no certificate for %(codes)s; not linked") % {"codes": ", ".join(missing)})
    fields = {
        "title": title[:200],
        "description": str(row.get("description") or ""),
        "keywords": _keywords(row.get("keywords")),
        "language": language,
        "moq": moq,
        "unit": unit,
        "currency": currency,
        "lead_time_days": lead,
        **extra,
    }
    texts = {
        code: {
            "title": str(data["title"]).strip()[:200],
            "description": str(data.get("description") or ""),
            "keywords": _keywords(data.get("keywords")),
        }
        for code, data in translations.items()
    }
    try:
        product, created = product_import_upsert(
            supplier=supplier,
            external_id=external_id,
            product_id=product_id,
            category=category,
            fields=fields,
            attributes=attributes,
            tiers=tiers,
            translations=texts,
            certifications=held,
        )
    except ValidationError as error:
        by_field = error.message_dict if hasattr(error, "error_dict") else {"product": error.messages}
        raise RowError([f"{k}: {' '.join(v)}" for k, v in by_field.items()]) from None
    wanted = row.get("publish", publish_default) in TRUE_WORDS or status == ProductStatus.PUBLISHED
    # The publish rules decide, as in the seller admin: a live listing the row breaks goes back to draft.
    problems = product_publish_problems(product=product)
    if product.is_published and status == ProductStatus.DRAFT:
        product_unpublish(product=product)
    elif product.is_published and problems:
        product_unpublish(product=product)
        warnings.append(_("unpublished, back to draft: %(problems)s") % {"problems": "; ".join(problems)})
    elif not product.is_published and status != ProductStatus.DRAFT and (wanted or only_supplier is None):
        if wanted and not problems:
            product_publish(product=product)
        elif wanted:
            warnings.append(_("imported as a draft, not published: %(problems)s") % {"problems": "; ".join(problems)})
        elif problems:
            warnings.append(
                _(
                    "imported as a draft: publishing was not asked for (publish, --publish); "
                    "it could not be yet: %(problems)s"
                )
                % {"problems": "; ".join(problems)}
            )
        else:
            warnings.append(_("imported as a draft: publishing was not asked for (publish, --publish)"))
    return ("created" if created else "updated"), product, warnings


def _path_of(category: Category) -> str:
    names, node, seen = [], category, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names.append(node.name)
        node = node.parent
    return " > ".join(reversed(names))


# --- Files: CSV and XLSX rows, the seller's export and import -------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
XLSX_MAGIC = b"PK\x03\x04"
TRANSLATED_COLUMNS = ("title", "description", "keywords")
EXPORT_COLUMNS = [
    "id",
    "external_id",
    "title",
    "category",
    "language",
    "description",
    "keywords",
    "moq",
    "unit",
    "currency",
    "lead_time_days",
    "samples_available",
    "sample_price",
    "price_tiers",
    "attributes",
    "certifications",
    "status",
    *(f"{name}_{code}" for code in LANGUAGE_CODES for name in TRANSLATED_COLUMNS),
]


def flat_row(row: dict) -> dict:
    """A CSV or spreadsheet row (one cell per column) as an import row: title_de/description_de/keywords_de
    columns become translations, "CE|RoHS" a list of certificate codes."""
    row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
    translations = {}
    for code in LANGUAGE_CODES:
        if row.get(f"title_{code}"):
            translations[code] = {name: row.pop(f"{name}_{code}", "") for name in TRANSLATED_COLUMNS}
        for name in TRANSLATED_COLUMNS:
            row.pop(f"{name}_{code}", None)
    row["translations"] = translations
    row["certifications"] = [c for c in row.get("certifications", "").split("|") if c.strip()]
    return row


def csv_rows(handle):
    for row in csv.DictReader(handle):
        yield flat_row(row)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(data: bytes):
    """The first sheet's rows under its header row, as import rows."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_cell(name).strip() for name in next(values, ())]
        for cells in values:
            if not any(cell not in (None, "") for cell in cells):
                yield None  # a blank line: skipped, but it keeps the line numbers right
                continue
            yield flat_row(dict(zip(header, (_cell(cell) for cell in cells), strict=False)))
    finally:
        workbook.close()


def _attributes_cell(attributes) -> str:
    """'Voltage=18 V|Material=Steel' when that reads back as the same attributes, else JSON (exact)."""
    items = [(a.name, a.value, a.unit) for a in attributes]
    if not items:
        return ""
    simple = "|".join(f"{n}={v} {u}".strip() for n, v, u in items)
    if _attributes(simple, []) == items:
        return simple
    return json.dumps([{"name": n, "value": v, "unit": u} for n, v, u in items], ensure_ascii=False)


def _tiers_cell(tiers) -> str:
    return "|".join(
        f"{t.min_quantity}:{t.unit_price.normalize():f}" + (f":{t.lead_time_days}" if t.lead_time_days else "")
        for t in tiers
    )


def catalog_export_rows(products):
    """One dict per product in EXPORT_COLUMNS, in a bounded number of queries whatever the count."""
    products = products.select_related("category").prefetch_related(
        "price_tiers", "attributes", "translations", "certifications"
    )
    for product in products:
        row = {
            "id": product.pk,
            "external_id": product.external_id,
            "title": product.title,
            "category": product.category.slug,
            "language": product.language,
            "description": product.description,
            "keywords": product.keywords,
            "moq": product.moq,
            "unit": product.unit,
            "currency": product.currency,
            "lead_time_days": product.lead_time_days,
            "samples_available": "yes" if product.samples_available else "no",
            "sample_price": "" if product.sample_price is None else f"{product.sample_price:f}",
            "price_tiers": _tiers_cell(product.price_tiers.all()),
            "attributes": _attributes_cell(product.attributes.all()),
            "certifications": "|".join(sorted({c.type for c in product.certifications.all()})),
            "status": product.status,
        }
        for translation in product.translations.all():
            for name in TRANSLATED_COLUMNS:
                row[f"{name}_{translation.language}"] = getattr(translation, name)
        yield row


def catalog_export_csv(products) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, restval="")
    writer.writeheader()
    writer.writerows(catalog_export_rows(products))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read it as UTF-8


def catalog_export_xlsx(products) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Products"))
    sheet.append(EXPORT_COLUMNS)
    for row in catalog_export_rows(products):
        sheet.append([row.get(column, "") for column in EXPORT_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass
class RowResult:
    line: int
    label: str  # the row's external id, id or title: what the seller recognises
    status: str  # "created", "updated" or "error"
    messages: list = field(default_factory=list)


@dataclass
class FileReport:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    applied: bool = False

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _file_rows(name: str, data: bytes, report: FileReport):
    """(first line number, rows) for an uploaded CSV or XLSX, or None with the reason in report.file_errors."""
    kind = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if kind == "xlsx":
        if not data.startswith(XLSX_MAGIC):
            report.file_errors.append(_("This file is not an Excel workbook (.xlsx)."))
            return None
        try:
            return list(xlsx_rows(data))
        except Exception:  # noqa: BLE001 - a damaged or disguised workbook: say so, whatever openpyxl raised
            report.file_errors.append(_("This Excel workbook cannot be read; save it again as .xlsx."))
            return None
    if kind == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.file_errors.append(_("This CSV file is not UTF-8 text; save it as “CSV UTF-8”."))
            return None
        if "\x00" in text:
            report.file_errors.append(_("This file is not a CSV text file."))
            return None
        try:
            return list(csv_rows(io.StringIO(text, newline="")))
        except csv.Error as error:
            report.file_errors.append(_("This CSV file cannot be read: %(error)s") % {"error": error})
            return None
    report.file_errors.append(_("Upload a .csv or .xlsx file (the export's format)."))
    return None


def catalog_import_file(*, name: str, data: bytes, supplier: Supplier) -> FileReport:
    """A seller's import: every row of the file checked and reported (created, updated, or an error with its
    reasons), scoped to `supplier`; applied in one transaction only when no row has an error."""
    report = FileReport()
    if len(data) > MAX_UPLOAD_BYTES:
        report.file_errors.append(
            _("The file is larger than %(mb)s MB; split it into several files.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
        return report
    rows = _file_rows(name, data, report)
    if rows is None:
        return report
    if sum(1 for row in rows if row is not None) > MAX_ROWS:
        report.file_errors.append(
            _("The file has more than %(rows)s products; split it into several files.") % {"rows": MAX_ROWS}
        )
        return report
    if not any(rows):
        report.file_errors.append(_("The file has no product rows under its header."))
        return report
    resolver = CategoryResolver(create=False)
    seen = set()
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            if row is None:
                continue
            label = row.get("external_id") or (f"id {row['id']}" if row.get("id") else row.get("title", ""))
            keys = {("id", row.get("id")), ("external_id", row.get("external_id"))} - {("id", ""), ("external_id", "")}
            if keys & seen:
                report.rows.append(RowResult(line, label, "error", [_("this product is already on an earlier line")]))
                continue
            seen |= keys
            try:
                status, _product, warnings = catalog_import_row(
                    row=row, default_supplier=supplier, resolver=resolver, only_supplier=supplier
                )
            except RowError as error:
                report.rows.append(RowResult(line, label, "error", error.reasons))
                continue
            report.rows.append(RowResult(line, label, status, warnings))
        report.applied = not report.count("error")
        if not report.applied:
            transaction.set_rollback(True)  # one bad row: nothing changes
    return report
