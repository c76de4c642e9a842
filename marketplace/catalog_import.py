"""Catalog import for sellers and operators: one row (a dict from JSONL or CSV) -> one product, idempotent on
(supplier, external_id). This module parses and validates; every write is a product service
(product_import_upsert, product_publish, category_path_ensure), so derived fields and the search index follow.

Row fields: external_id, title, description, category ("Power Tools > Cordless Drills", names in any language or
slugs), attributes ({"Voltage": "18 V"} or [{"name", "value", "unit"}]), supplier (slug), price_tiers
([{"min_quantity", "unit_price"}] or "100:2.50|500:2.10"), moq, unit, lead_time_days, currency, language, keywords
(list or comma string), translations ({"de": {"title", "description", "keywords"}}), certifications (codes the
supplier holds), publish (bool). With create_categories, a category path that does not exist is created
(taxonomy.services.category_path_ensure) and the row says so.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from suppliers.models import Certification, Supplier
from taxonomy.models import Category
from taxonomy.services import category_path_ensure, category_path_find, category_path_parts

from .models import LANGUAGE_CODES, Product, Unit
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
        reasons.append(f"{name} is not a number: {value!r}")
        return None
    if not number.is_finite() or number <= 0:
        reasons.append(f"{name} must be positive: {value!r}")
        return None
    return number


def _positive_int(value, name, reasons, default=None):
    if value in (None, ""):
        if default is None:
            reasons.append(f"{name} is required")
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        reasons.append(f"{name} must be a whole number: {value!r}")
        return None
    if number < 1:
        reasons.append(f"{name} must be at least 1")
        return None
    return number


def _tiers(value, reasons):
    if isinstance(value, str):
        pairs = [part.split(":", 1) for part in value.split("|") if part.strip()]
        value = [
            {"min_quantity": q, "unit_price": p}
            for q, p in (pair if len(pair) == 2 else (pair[0], "") for pair in pairs)
        ]
    tiers = []
    for tier in value or []:
        if not isinstance(tier, dict):
            reasons.append("price tiers must be objects with min_quantity and unit_price")
            continue
        quantity = _positive_int(tier.get("min_quantity"), "price tier min_quantity", reasons)
        price = _decimal(tier.get("unit_price"), "price tier unit_price", reasons)
        if quantity and price:
            tiers.append((quantity, price))
    if len({q for q, _ in tiers}) != len(tiers):
        reasons.append("two price tiers start at the same quantity")
    return sorted(tiers)


def _attributes(value, reasons):
    if isinstance(value, str):
        value = dict(part.split("=", 1) for part in value.split("|") if "=" in part)
    if isinstance(value, dict):
        value = [{"name": k, "value": v} for k, v in value.items()]
    out = []
    for item in value or []:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip() or item.get("value") in (None, ""):
            reasons.append(f"attribute without name or value: {item!r}"[:200])
            continue
        name, raw, unit = str(item["name"]).strip()[:80], str(item["value"]).strip(), str(item.get("unit") or "")
        match = _ATTRIBUTE_VALUE.match(raw)
        if not unit and match and match.group(2):
            raw, unit = match.group(1), match.group(2).strip()
        out.append((name, raw[:200], unit[:20]))
    if len({n.casefold() for n, _, _ in out}) != len(out):
        reasons.append("an attribute name appears twice")
    return out


def _keywords(value):
    if isinstance(value, list):
        return ", ".join(str(v).strip() for v in value if str(v).strip())[:500]
    return str(value or "").strip()[:500]


@transaction.atomic
def catalog_import_row(
    *, row: dict, default_supplier: Supplier | None, resolver: CategoryResolver, publish_default: bool = False
) -> tuple[str, Product, list[str]]:
    """Create or update one product from `row`; ('created'|'updated', product, warnings) or RowError."""
    reasons, warnings = [], []
    if not isinstance(row, dict):
        raise RowError(["a row must be an object"])
    external_id = str(row.get("external_id") or "").strip()
    title = str(row.get("title") or "").strip()
    if not external_id:
        reasons.append("external_id is required")
    elif len(external_id) > 100:
        reasons.append("external_id is longer than 100 characters")
    if not title:
        reasons.append("title is required")
    supplier = default_supplier
    if row.get("supplier"):
        supplier = Supplier.objects.filter(slug=str(row["supplier"]).strip()).first()
        if supplier is None:
            reasons.append(f"unknown supplier {row['supplier']!r}")
    if supplier is None and not row.get("supplier"):
        reasons.append("no supplier: give a supplier column or --supplier")
    category = resolver.resolve(row.get("category", ""))
    if category is None and not (resolver.create and category_path_parts(row.get("category", ""))):
        reasons.append(f"unknown category path {row.get('category')!r}")
    language = str(row.get("language") or "en").strip().lower()
    if language not in LANGUAGE_CODES:
        reasons.append(f"unknown language {language!r}")
    unit = str(row.get("unit") or Unit.PIECES).strip()
    if unit not in Unit.values:
        reasons.append(f"unknown unit {unit!r}")
    currency = str(row.get("currency") or "USD").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        reasons.append(f"currency must be an ISO 4217 code, not {currency!r}")
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
        reasons.append("translations must be an object keyed by language")
        translations = {}
    for code, data in translations.items():
        if code not in LANGUAGE_CODES:
            reasons.append(f"unknown translation language {code!r}")
        elif not isinstance(data, dict) or not str(data.get("title") or "").strip():
            reasons.append(f"translation {code!r} needs a title")
    if reasons:
        raise RowError(reasons)

    if category is None:
        try:
            category, created = resolver.ensure(str(row.get("category")), language=language)
        except ValidationError as error:
            raise RowError(error.messages) from None
        warnings += [f"created category {_path_of(c)!r}" for c in created]
    codes = [str(c).strip().upper() for c in row.get("certifications") or []]
    held = list(Certification.objects.filter(supplier=supplier, type__in=codes))
    missing = sorted(set(codes) - {c.type for c in held})
    if missing:
        warnings.append(f"supplier holds no certificate for {', '.join(missing)}; not linked")
    fields = {
        "title": title[:200],
        "description": str(row.get("description") or ""),
        "keywords": _keywords(row.get("keywords")),
        "language": language,
        "moq": moq,
        "unit": unit,
        "currency": currency,
        "lead_time_days": lead,
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
    wanted = row.get("publish", publish_default) in (True, "true", "1", 1, "yes")
    # The publish rules decide, as in the seller admin: a live listing the row breaks goes back to draft.
    problems = product_publish_problems(product=product)
    if product.is_published and problems:
        product_unpublish(product=product)
        warnings.append("unpublished, back to draft: " + "; ".join(problems))
    elif not product.is_published:
        if wanted and not problems:
            product_publish(product=product)
        elif wanted:
            warnings.append("imported as a draft, not published: " + "; ".join(problems))
        else:
            warnings.append(
                "imported as a draft: publishing was not asked for (publish, --publish)"
                + (f"; it could not be yet: {'; '.join(problems)}" if problems else "")
            )
    return ("created" if created else "updated"), product, warnings


def _path_of(category: Category) -> str:
    names, node, seen = [], category, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names.append(node.name)
        node = node.parent
    return " > ".join(reversed(names))
