"""Catalog import for sellers and operators: one row (a dict from JSONL or CSV) -> one product, idempotent on
(supplier, external_id). Writes go through the product services, so derived fields and the search index follow.

Row fields: external_id, title, description, category ("Power Tools > Cordless Drills", names in any language or
slugs), attributes ({"Voltage": "18 V"} or [{"name", "value", "unit"}]), supplier (slug), price_tiers
([{"min_quantity", "unit_price"}] or "100:2.50|500:2.10"), moq, unit, lead_time_days, currency, language, keywords
(list or comma string), translations ({"de": {"title", "description", "keywords"}}), certifications (codes the
supplier holds), publish (bool).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from suppliers.models import Certification, Supplier

from .models import (
    LANGUAGE_CODES,
    Category,
    PriceTier,
    Product,
    ProductAttribute,
    ProductTranslation,
    TranslationSource,
    Unit,
)
from .services import product_publish, product_refresh_derived

_ATTRIBUTE_VALUE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?(?:\s*(?:to|-)\s*-?\d+(?:[.,]\d+)?)?)\s*([^\d\s].{0,19})?$")


def fold(text: str) -> str:
    """Case, width and accents folded, so "Électroménager" matches "electromenager" (marketplace cannot use
    search's folding: search sits above it)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text or "")).casefold())
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c))).strip()


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
    """'A > B > C' by names in any language or slugs, each level under the previous one."""

    def __init__(self):
        self.categories = list(Category.objects.all())

    def resolve(self, path: str) -> Category | None:
        parent_id = None
        found = None
        for part in [p.strip() for p in str(path or "").split(">") if p.strip()]:
            wanted = fold(part)
            candidates = [c for c in self.categories if c.parent_id == parent_id or (found is None and parent_id
                                                                                     is None)]
            match = next((c for c in candidates if wanted in {fold(c.slug), fold(c.name),
                                                             *(fold(n) for n in (c.names or {}).values())}), None)
            if match is None:
                return None
            found, parent_id = match, match.pk
        return found


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
        value = [{"min_quantity": q, "unit_price": p} for q, p in (pair if len(pair) == 2 else (pair[0], "")
                                                                   for pair in pairs)]
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
def catalog_import_row(*, row: dict, default_supplier: Supplier | None, resolver: CategoryResolver,
                       publish_default: bool = False) -> tuple[str, Product, list[str]]:
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
    if category is None:
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
    tiers = _tiers(row.get("price_tiers") or ([{"min_quantity": row.get("moq") or 1, "unit_price": row["price"]}]
                                              if row.get("price") not in (None, "") else []), reasons)
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

    product = Product.objects.filter(supplier=supplier, external_id=external_id).first()
    status = "updated" if product else "created"
    product = product or Product(supplier=supplier, external_id=external_id)
    product.category = category
    product.title = title[:200]
    product.description = str(row.get("description") or "")
    product.keywords = _keywords(row.get("keywords"))
    product.language = language
    product.moq, product.unit, product.currency, product.lead_time_days = moq, unit, currency, lead
    try:
        product.full_clean(exclude=["slug"])
    except ValidationError as error:
        raise RowError([f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]) from None
    product.save()
    product.attributes.all().delete()
    ProductAttribute.objects.bulk_create([ProductAttribute(product=product, name=n, value=v, unit=u, position=i)
                                          for i, (n, v, u) in enumerate(attributes)])
    product.price_tiers.all().delete()
    PriceTier.objects.bulk_create([PriceTier(product=product, min_quantity=q, unit_price=p) for q, p in tiers])
    product.translations.exclude(language__in=list(translations)).delete()
    for code, data in translations.items():
        ProductTranslation.objects.update_or_create(
            product=product, language=code,
            defaults={"title": str(data["title"]).strip()[:200], "description": str(data.get("description") or ""),
                      "keywords": _keywords(data.get("keywords")), "source": TranslationSource.IMPORT},
        )
    codes = [str(c).strip().upper() for c in row.get("certifications") or []]
    held = list(Certification.objects.filter(supplier=supplier, type__in=codes))
    missing = sorted(set(codes) - {c.type for c in held})
    if missing:
        warnings.append(f"supplier holds no certificate for {', '.join(missing)}; not linked")
    product.certifications.set(held)
    product_refresh_derived(product=product)  # price range, quality, search index
    if row.get("publish", publish_default) in (True, "true", "1", 1, "yes"):
        try:
            product_publish(product=product)
        except ValidationError as error:
            warnings.append("kept as draft: " + " ".join(error.messages))
    return status, product, warnings
