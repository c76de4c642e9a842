"""What buyers' AI agents read: marketplace data as JSON-ready dicts (MCP tool results).

Pure reads. Every function takes ids or rows its caller already checked, runs a bounded number of queries (lists
are prefetched, never a query per row) and returns plain JSON types: Decimals as strings, dates and datetimes as
ISO strings. Business rules stay with their owners: search is search.engine's, the comparison sourcing.matching's
and sourcing.comparison's, leaderboard places rankings.selectors', certificate validity suppliers.models'. Here
they are only worded for an agent.

Text a seller wrote (titles, descriptions, specs, profiles, quote notes...) reaches the agent as data, never as
instructions: `untrusted()` cleans it and wraps it in <seller-content> delimiters it cannot close. Figures come
with what they rest on, or `null` with status "unknown": nothing here invents a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from conversations.metrics import METRICS_LOOKBACK
from core.languages import base_language
from marketplace import selectors as marketplace_selectors
from marketplace.models import Product
from marketplace.templatetags.marketplace_tags import duration_minutes
from rankings import selectors as rankings_selectors
from rankings.models import BoardKind, OfficialDesignation, designation_current_q
from rankings.services import ORDER_METRICS_LOOKBACK
from search import engine
from search.documents import category_paths
from sourcing import selectors as sourcing_selectors
from sourcing.ai import guard
from sourcing.comparison import quote_comparison
from sourcing.countries import country_name
from sourcing.extraction import extract_offline
from sourcing.matching import plan_build
from sourcing.models import RFQ, PlanStatus, RecipientStatus, RFQStatus, SourcingPlan
from sourcing.requirements import requirement_items
from sourcing.schema import Requirements
from sourcing.services import MAX_REQUEST_CHARS
from suppliers.models import RESPONSE_WINDOW, Certification, ProductionCapacity, Supplier
from suppliers.selectors import certification_valid_list

SELLER_OPEN = "<seller-content>"
SELLER_CLOSE = "</seller-content>"

# The engine pages by its own choices (12, 24, 48, 96): the smallest one, close to the ten an agent can read.
SEARCH_PER_PAGE = min(engine.PER_PAGE_CHOICES)
# The sourcing plan computes up to ten options; its page shows five (sourcing.views.PLAN_OPTIONS_SHOWN).
MAX_OPTIONS = 10

UNKNOWN = "unknown"
KNOWN = "known"


# --- seller text ------------------------------------------------------------------------------------------------

# Line and paragraph separators become plain newlines; every other control, format (zero-width, bidi, tag
# characters), surrogate and private-use character goes.
_SEPARATORS = {"\u2028": "\n", "\u2029": "\n", "\r\n": "\n", "\r": "\n"}
_KEPT_CONTROLS = {"\n", "\t"}
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}
# Either delimiter, whatever its case and spacing, and whatever look-alike a model would read as one (full-width
# brackets, an entity-encoded bracket, a dash or underscore for the hyphen); matched on a folded copy of the text.
_MARKER = re.compile(
    r"(?:<|&lt;?|&#0*60;?|&#x0*3c;?|‹|〈|⟨|﹤)"  # an opening bracket
    r"\s*(?:/|\\|∕|⁄)?"  # a closing slash, or not
    r"\s*seller\s*[-_‐‑‒–—―]?\s*content"
    r"\s*(?:>|&gt;?|&#0*62;?|&#x0*3e;?|›|〉|⟩|﹥)?",  # a closing bracket, or not
    re.IGNORECASE,
)


def _strip_invisible(text: str) -> str:
    for separator, newline in _SEPARATORS.items():
        text = text.replace(separator, newline)
    return "".join(
        char for char in text if char in _KEPT_CONTROLS or unicodedata.category(char) not in _DROPPED_CATEGORIES
    )


def _neutralise_markers(text: str) -> str:
    """Every delimiter look-alike in `text` replaced by a bracketed word that no reader takes for the tag."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).lower():
            folded.append(piece)
            origin.append(index)
    folded_text = "".join(folded)
    spans = [(origin[m.start()], origin[m.end() - 1] + 1, m.group()) for m in _MARKER.finditer(folded_text)]
    for start, end, found in reversed(spans):
        closing = any(slash in found for slash in "/\\∕⁄")
        text = text[:start] + ("[/seller content]" if closing else "[seller content]") + text[end:]
    return text


def clean_text(text) -> str:
    """Seller text made safe to quote inside platform sentences: invisible characters out, delimiters defused."""
    if text is None:
        return ""
    return _neutralise_markers(_strip_invisible(str(text))).strip()


def untrusted(text) -> str:
    """Text a seller wrote, as data: cleaned (`clean_text`) and wrapped in the seller-content delimiters, which it
    can no longer close. Empty or None gives ""."""
    clean = clean_text(text)
    if not clean:
        return ""
    return f"{SELLER_OPEN}{clean}{SELLER_CLOSE}"


# --- JSON helpers -----------------------------------------------------------------------------------------------


def _money(value) -> str | None:
    return None if value is None else str(value)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _url(origin: str, path: str) -> str:
    return f"{(origin or '').rstrip('/')}{path}"


def _figure(value, *, unit: str, basis: str, provenance: str, based_on: int | None = None, **extra) -> dict:
    """A figure with what it rests on; `null` with status "unknown" when there is none."""
    known = value is not None
    return {
        "value": _money(value) if isinstance(value, Decimal) else value,
        "unit": unit,
        "status": KNOWN if known else UNKNOWN,
        "basis": basis,
        "based_on": based_on,
        "provenance": provenance if known else UNKNOWN,
        **extra,
    }


def _id(value) -> int | None:
    """A database id from what an agent sent, or None (64-bit ids: a larger number is no row, not an error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _language(language: str) -> str:
    return base_language(language)


# --- suppliers --------------------------------------------------------------------------------------------------


def _verification(supplier: Supplier) -> dict:
    """The verification level and what it rests on: an operator's check (the level names what was checked)."""
    verified = supplier.is_verified
    return {
        "level": supplier.verification_level,
        "label": str(supplier.get_verification_level_display()),
        "verified": verified,
        "verified_at": _iso(supplier.verified_at) if verified else None,
        "rests_on": (
            _("Checked by a Silkway operator: %(what)s.") % {"what": supplier.get_verification_level_display()}
            if verified
            else _("Silkway has not checked this supplier; everything it states is self-declared.")
        ),
    }


def _certificate(cert: Certification, today: date) -> dict:
    """A certificate as evidence: who issued what until when, whether it is in force today, and whether Silkway
    checked its document (never the document itself, nor where it is stored)."""
    document_checked = bool(cert.verified_at and cert.document)
    return {
        "type": cert.type,
        "type_label": str(cert.get_type_display()),
        "number": untrusted(cert.number),
        "issuer": untrusted(cert.issuer),
        "scope": untrusted(cert.scope) or None,
        "valid_from": _iso(cert.valid_from),
        "valid_until": _iso(cert.valid_until),
        "valid_today": cert.is_valid_on(today),
        "verified": document_checked,
        "verified_at": _iso(cert.verified_at) if document_checked else None,
        "document_on_file": bool(cert.document),
        "provenance": "document_verified" if document_checked else "self_declared",
        "rests_on": (
            _("Silkway checked the certificate document against the issuer.")
            if document_checked
            else _("Declared by the supplier; no document checked by Silkway.")
        ),
    }


def _supplier_ref(supplier: Supplier, origin: str) -> dict:
    return {
        "supplier_id": supplier.pk,
        "name": untrusted(supplier.name),
        "url": _url(origin, supplier.get_absolute_url()),
        "country": supplier.country,
        "kind": supplier.kind,
        "kind_label": str(supplier.get_kind_display()),
        "verified": supplier.is_verified,
    }


def _response_metrics(supplier: Supplier) -> dict:
    days, hours = METRICS_LOOKBACK.days, int(RESPONSE_WINDOW.total_seconds() // 3600)
    basis = _(
        "Measured by Silkway over the inquiries of the %(days)s days before the last update (those younger than "
        "%(hours)s hours left out); the number of inquiries is not stored."
    ) % {"days": days, "hours": hours}
    minutes = supplier.median_response_minutes
    return {
        "response_rate": _figure(
            supplier.response_rate,
            unit="percent",
            basis=_("Share of inquiries answered within %(hours)s hours.") % {"hours": hours} + " " + basis,
            provenance="platform_derived",
        ),
        "median_first_response": _figure(
            minutes,
            unit="minutes",
            basis=basis,
            provenance="platform_derived",
            text=duration_minutes(minutes) or None,
        ),
        "repeat_buyer_rate": _figure(
            supplier.repeat_buyer_rate,
            unit="percent",
            basis=_("Share of buyers who sent this supplier more than one inquiry."),
            provenance="platform_derived",
        ),
        "inquiries_counted": None,
        "updated_at": _iso(supplier.metrics_updated_at),
    }


def _order_metrics(supplier: Supplier) -> dict:
    basis = _(
        "From escrow orders completed on Silkway in the last %(days)s days; suppliers cannot edit them. The number "
        "of orders is not stored."
    ) % {"days": ORDER_METRICS_LOOKBACK.days}
    return {
        "on_time_delivery_rate": _figure(
            supplier.on_time_delivery_rate, unit="percent", basis=basis, provenance="platform_derived"
        ),
        "dispute_rate": _figure(supplier.dispute_rate, unit="percent", basis=basis, provenance="platform_derived"),
        "rating": _figure(
            supplier.rating_average if supplier.rating_count else None,
            unit="stars (1-5)",
            basis=_("Average of buyers' ratings in the last %(days)s days.") % {"days": ORDER_METRICS_LOOKBACK.days},
            provenance="platform_derived",
            based_on=supplier.rating_count,
        ),
        "orders_counted": None,
    }


def _position(position: dict, origin: str, language: str) -> dict:
    entry, snapshot = position["entry"], position["snapshot"]
    leaderboard, methodology = snapshot.leaderboard, snapshot.methodology
    item = {
        "board": leaderboard.board,
        "board_label": str(leaderboard.get_board_display()),
        "category": {"slug": leaderboard.category.slug, "name": leaderboard.category.localized_name(language)},
        "title": f"{leaderboard.get_board_display()} — {leaderboard.category.localized_name(language)}",
        "rank": entry.rank,
        "of": snapshot.entry_count,
        "rank_range": [entry.rank_low, entry.rank_high],
        # xgettext:no-python-format
        "rank_range_meaning": _("Best and worst rank in the central 90% of weight perturbations."),
        "previous_rank": entry.previous_rank,
        "score": round(entry.score, 1),
        "coverage": round(entry.coverage, 3),
        "period": _iso(snapshot.period),
        "period_label": _("Week of %(period)s") % {"period": snapshot.period.isoformat()},
        "data_as_of": _iso(snapshot.as_of),
        "methodology": {
            "version": methodology.version,
            "title": methodology.title,
            "url": _url(origin, methodology.get_absolute_url()),
        },
        "url": _url(origin, snapshot.get_absolute_url()),
    }
    if leaderboard.board == BoardKind.SPECIALIZED_INNOVATIVE:
        item["note"] = _(
            "This index follows the structure of China's 2022 scheme for specialized and innovative SMEs (MIIT 2022 "
            "No. 63). It is Silkway's assessment, not a government certification."
        )
    return item


def _capacity(capacity: ProductionCapacity, language: str) -> dict:
    return {
        "product_line": untrusted(capacity.product_line),
        "category": {"slug": capacity.category.slug, "name": capacity.category.localized_name(language)},
        "quantity": capacity.quantity,
        "unit": capacity.unit,
        "period": capacity.period,
        "production_lines": capacity.production_lines,
        "provenance": "self_declared",
    }


def supplier_payload(supplier_id: int, *, language: str = "en", origin: str = "") -> dict | None:
    """A supplier with its evidence: certificates (expired ones too, flagged), verification, response and order
    metrics with their basis, leaderboard places, capacity. None if there is no such supplier. At most six
    queries."""
    language = _language(language)
    pk = _id(supplier_id)
    if pk is None:
        return None
    supplier = (
        Supplier.objects.filter(pk=pk)
        .prefetch_related(
            "certifications",
            Prefetch("capacities", queryset=ProductionCapacity.objects.select_related("category")),
        )
        .first()
    )
    if supplier is None:
        return None
    with translation.override(language):
        today = timezone.localdate()
        positions = rankings_selectors.supplier_positions(supplier=supplier)
        designations = OfficialDesignation.objects.filter(designation_current_q(on=today), supplier=supplier)
        return {
            **_supplier_ref(supplier, origin),
            "region": untrusted(supplier.region) or None,
            "city": untrusted(supplier.city) or None,
            "about": untrusted(supplier.about),
            "verification": _verification(supplier),
            "order_protection": {
                "granted": supplier.trade_assurance,
                "label": _("Silkway Order Protection"),
                "meaning": _("Granted by Silkway: orders are paid into escrow and refunded if the goods do not match."),
            },
            "certifications": [_certificate(cert, today) for cert in supplier.certifications.all()],
            "official_designations": [
                {
                    "level": designation.level,
                    "label": str(designation.get_level_display()),
                    "certificate_number": untrusted(designation.certificate_number),
                    "issuer": untrusted(designation.issuer),
                    "issued_on": _iso(designation.issued_on),
                    "valid_until": _iso(designation.valid_until),
                    "verified_at": _iso(designation.verified_at),
                    "rests_on": _("A government designation whose certificate a Silkway operator checked."),
                }
                for designation in designations
            ],
            "response_metrics": _response_metrics(supplier),
            "order_metrics": _order_metrics(supplier),
            "leaderboards": [_position(position, origin, language) for position in positions],
            "company": {
                "founded_year": supplier.founded_year,
                "years_in_business": supplier.years_in_business,
                "years_exporting": supplier.years_exporting,
                "staff": supplier.staff_count,
                "rd_staff": supplier.rd_staff_count,
                "factory_area_m2": supplier.factory_area_m2,
                "export_markets": [untrusted(market) for market in supplier.export_markets or []],
                "languages": [str(code) for code in supplier.languages or []],
                "services": {
                    "oem": supplier.offers_oem,
                    "odm": supplier.offers_odm,
                    "custom_packaging": supplier.offers_custom_packaging,
                    "samples": supplier.offers_samples,
                },
                "patents": {
                    "invention": supplier.invention_patents,
                    "utility_model": supplier.utility_patents,
                    "design": supplier.design_patents,
                },
                "provenance": "self_declared",
            },
            "figures": {
                "rd_spend_share": _figure(
                    supplier.rd_spend_share,
                    unit="percent of revenue",
                    basis=_("From the latest fiscal year's ranking figures."),
                    provenance="ranking_figures",
                ),
                "main_business_revenue_share": _figure(
                    supplier.main_business_revenue_share,
                    unit="percent of revenue",
                    basis=_("From the latest fiscal year's ranking figures."),
                    provenance="ranking_figures",
                ),
            },
            "capacities": [_capacity(capacity, language) for capacity in supplier.capacities.all()],
            "methodology": {
                "leaderboards": _url(origin, reverse("rankings:methodology_list")),
                "supplier_ranks": _url(origin, reverse("rankings:supplier_ranks", args=[supplier.slug])),
            },
        }


# --- products ---------------------------------------------------------------------------------------------------


def _customization(product: Product) -> list[str]:
    flags = {
        "logo": product.custom_logo,
        "packaging": product.custom_packaging,
        "color": product.custom_color,
        "oem": product.oem,
        "odm": product.odm,
    }
    return [key for key, enabled in flags.items() if enabled]


def product_payload(product_id: int, *, language: str = "en", origin: str = "") -> dict | None:
    """One published product with its specs, price tiers, terms, category path and a compact supplier. None when
    it is missing or not published (drafts are never revealed). Seven queries."""
    language = _language(language)
    pk = _id(product_id)
    if pk is None:
        return None
    try:
        product = marketplace_selectors.product_get_published(pk=pk, language=language)
    except Product.DoesNotExist:
        return None
    with translation.override(language):
        supplier = product.supplier
        translated = product.translation_for(language)
        path = list(reversed(category_paths().get(product.category_id, [product.category])))
        today = timezone.localdate()
        return {
            "product_id": product.pk,
            "title": untrusted(product.localized_title(language)),
            "description": untrusted(product.localized_description(language)),
            "content_language": translated.language if translated and translated.title else product.language,
            "url": _url(origin, product.get_absolute_url()),
            "category_path": [{"slug": c.slug, "name": c.localized_name(language)} for c in path],
            "specs": [
                {"name": untrusted(attribute.name), "value": untrusted(attribute.display_value)}
                for attribute in product.attributes.all()
            ],
            "price": {
                "currency": product.currency,
                "min": _money(product.price_min),
                "max": _money(product.price_max),
                "tiers": [
                    {
                        "min_quantity": tier.min_quantity,
                        "unit_price": _money(tier.unit_price),
                        "lead_time_days": tier.lead_time_days or product.lead_time_days,
                    }
                    for tier in product.price_tiers.all()
                ],
                "status": KNOWN if product.price_min is not None else UNKNOWN,
                "basis": _("The seller's volume prices per unit; a quote may differ."),
            },
            "moq": product.moq,
            "unit": product.unit,
            "unit_label": str(product.get_unit_display()),
            "lead_time_days": product.lead_time_days,
            "lead_time_basis": _("Days to ship an order of the MOQ."),
            "samples": {
                "available": product.samples_available,
                "price": _money(product.sample_price) if product.samples_available else None,
                "currency": product.currency,
            },
            "customization": _customization(product),
            "certifications": [_certificate(cert, today) for cert in product.valid_certifications],
            "published_at": _iso(product.published_at),
            "supplier": {
                **_supplier_ref(supplier, origin),
                "region": untrusted(supplier.region) or None,
                "verification": _verification(supplier),
                "order_protection": supplier.trade_assurance,
                "years_in_business": supplier.years_in_business,
                "evidence_url": _url(origin, supplier.get_absolute_url()),
            },
            "provenance": "self_declared",
        }


# --- search -----------------------------------------------------------------------------------------------------


def _relaxed(result) -> dict | None:
    """How a search that found nothing was widened, in the words of the search page."""
    if result.relaxed == "spelling":
        text = _("No results for your spelling; showing results for “%(s)s”.") % {"s": result.suggestion}
    elif result.relaxed == "words":
        text = _("No listing matches every word; showing listings that match some of them.")
    elif result.relaxed == "filter":
        text = _("Nothing matched with the filter “%(f)s”, so it was relaxed.") % {"f": result.relaxed_filter}
    else:
        return None
    return {"how": result.relaxed, "explanation": text}


def _understood(result) -> dict:
    parsed = result.query
    return {
        "text": parsed.text,
        "language": parsed.language,
        "truncated": parsed.truncated,
        "words": parsed.words(),
        "understood_as": [{"key": chip.key, "label": str(chip.label), "kind": chip.kind} for chip in parsed.chips],
    }


def _product_hit(product: Product, origin: str, language: str) -> dict:
    supplier = product.supplier
    return {
        "product_id": product.pk,
        "title": untrusted(product.localized_title(language)),
        "url": _url(origin, product.get_absolute_url()),
        "supplier": {
            "supplier_id": supplier.pk,
            "name": untrusted(supplier.name),
            "country": supplier.country,
            "kind": supplier.kind,
            "verified": supplier.is_verified,
        },
        "price": {"currency": product.currency, "min": _money(product.price_min), "max": _money(product.price_max)},
        "moq": product.moq,
        "unit": product.unit,
        "lead_time_days": product.lead_time_days,
        "certifications": [cert.type for cert in product.valid_certifications],
        "customization": _customization(product),
        "samples_available": product.samples_available,
    }


def _engine_params(*, category="", country="", moq=None, kind="", verified=False) -> dict[str, str]:
    """A tool's filters as the search engine's page parameters (the engine validates and reports unknown ones)."""
    given = {"category": category, "country": country, "moq": moq, "kind": kind, "verified": "1" if verified else ""}
    return {name: str(value) for name, value in given.items() if value not in (None, "")}


def _with_valid_certifications(hits) -> None:
    prefetch_related_objects(
        hits, Prefetch("certifications", queryset=certification_valid_list(), to_attr="valid_certifications")
    )


def product_search_payload(
    *,
    query: str,
    category: str = "",
    country: str = "",
    max_moq: int | None = None,
    verified_only: bool = False,
    page: int = 1,
    language: str = "en",
    origin: str = "",
) -> dict:
    """Published products as /search/ finds them (a query in any language), one page of SEARCH_PER_PAGE. Filters
    are the engine's; a value it does not know is reported in `ignored_filters`, never an error (MOQ takes the
    page's steps: engine.MOQ_BUCKETS). Six queries, a few more when the engine recovers from zero results."""
    language = _language(language)
    params = _engine_params(category=category, country=country, moq=max_moq, verified=verified_only)
    with translation.override(language):
        result = engine.product_search(
            q=str(query or "")[:200], params=params, page=page, per_page=SEARCH_PER_PAGE, ui_language=language
        )
        _with_valid_certifications(result.hits)
        return {
            "query": _understood(result),
            "total": result.page.total,
            "page": result.page.number,
            "pages": result.page.num_pages,
            "per_page": result.page.per_page,
            "filters": result.filters.as_dict(),
            "ignored_filters": list(result.filters.ignored),
            "filter_choices": {"max_moq": list(engine.MOQ_BUCKETS)},
            "relaxed": _relaxed(result),
            "did_you_mean": result.suggestion or None,
            # Results from this index on match only some of the words (few matched them all); null: all do.
            "partial_from": result.partial_from,
            "results": [_product_hit(product, origin, language) for product in result.hits],
        }


def supplier_search_payload(
    *,
    query: str,
    country: str = "",
    kind: str = "",
    verified_only: bool = False,
    page: int = 1,
    language: str = "en",
    origin: str = "",
) -> dict:
    """Suppliers by capability as the /search/ suppliers tab finds them. Seven queries."""
    language = _language(language)
    params = _engine_params(country=country, kind=kind, verified=verified_only)
    with translation.override(language):
        result = engine.supplier_search(
            q=str(query or "")[:200], params=params, page=page, per_page=SEARCH_PER_PAGE, ui_language=language
        )
        _with_valid_certifications(result.hits)
        results = []
        for supplier in result.hits:
            capacities = list(supplier.capacities.all())
            results.append(
                {
                    **_supplier_ref(supplier, origin),
                    "region": untrusted(supplier.region) or None,
                    "verification_level": supplier.verification_level,
                    "order_protection": supplier.trade_assurance,
                    "years_in_business": supplier.years_in_business,
                    "main_products": [untrusted(capacity.product_line) for capacity in capacities],
                    "matching_products": getattr(supplier, "matching_products", 0),
                    "certifications": sorted({cert.type for cert in supplier.valid_certifications}),
                    "response_rate": _money(supplier.response_rate),
                    "median_response_minutes": supplier.median_response_minutes,
                }
            )
        return {
            "query": _understood(result),
            "total": result.page.total,
            "page": result.page.number,
            "pages": result.page.num_pages,
            "per_page": result.page.per_page,
            "filters": result.filters.as_dict(),
            "ignored_filters": list(result.filters.ignored),
            "results": results,
        }


# --- the sourcing comparison ------------------------------------------------------------------------------------


class _Quoted:
    """Platform sentences that quote sellers (the plan's summary quotes a supplier's name and a product title, a
    dimension's evidence the title): cleaned, with every quoted seller string inside the delimiters."""

    # The planner quotes titles whole or cut (sourcing.matching.advice: 100 characters, dimensions: 120).
    CUTS = (None, 120, 100)

    def __init__(self, seller_strings: Iterable[str]):
        variants = set()
        for text in seller_strings:
            clean = clean_text(text)
            variants.update(clean[:cut].strip() if cut else clean for cut in self.CUTS)
        variants = {variant for variant in variants if len(variant) >= 3}
        ordered = sorted(variants, key=lambda variant: (-len(variant), variant))  # longest first: no nesting
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text) -> str:
        clean = clean_text(text)
        if self.pattern is None:
            return clean
        return self.pattern.sub(lambda match: untrusted(match.group()), clean)

    @classmethod
    def of_result(cls, result: dict) -> _Quoted:
        strings = []
        for option in [*(result.get("options") or []), *(result.get("excluded") or [])]:
            supplier, product = option.get("supplier") or {}, option.get("product") or {}
            strings += [supplier.get("name") or "", supplier.get("region") or "", product.get("title") or ""]
        return cls(strings)


def _verdict(cell: dict) -> str:
    """The plan page's colour for a cell, as a word (templates/sourcing/plan_detail.html)."""
    score = cell.get("score")
    if cell.get("applicable") is False:
        return "not_applicable"
    if score is None:
        return UNKNOWN
    return "good" if score >= 0.75 else "ok" if score >= 0.4 else "weak"


# The planner's placeholders for a cell without a value (sourcing.matching.dimensions: unknown, not_applicable).
_NO_VALUE = {"", "?", "—"}


def _dimension_cell(cell: dict, say: _Quoted) -> dict:
    value = say(cell.get("value"))
    value = None if value in _NO_VALUE else value
    return {
        "key": cell.get("key"),
        "label": cell.get("label"),
        "value": value,
        "score": cell.get("score"),
        "verdict": _verdict(cell),
        "status": KNOWN if value is not None and cell.get("score") is not None else UNKNOWN,
        "provenance": cell.get("provenance") or UNKNOWN,
        "evidence": say(cell.get("evidence")) or None,
        "weight": cell.get("weight"),
    }


def _option(option: dict, origin: str, say: _Quoted) -> dict:
    supplier, product = option.get("supplier") or {}, option.get("product") or None
    out = {
        "rank": option.get("rank"),
        "score": option.get("score"),
        "score_meaning": _("Fit out of 100, weighted over the dimensions with data."),
        "coverage": option.get("coverage"),
        "meets_hard_constraints": option.get("meets_hard_constraints"),
        "misses": [say(miss.get("reason")) for miss in option.get("misses") or []],
        "supplier": {
            "supplier_id": supplier.get("id"),
            "name": untrusted(supplier.get("name")),
            "country": supplier.get("country"),
            "kind": supplier.get("kind"),
            "verified": supplier.get("verified"),
            "verification_level": supplier.get("verification_level"),
            "order_protection": supplier.get("order_protection"),
            "url": _url(origin, reverse("marketplace:supplier_detail", args=[supplier["slug"]]))
            if supplier.get("slug")
            else None,
        },
        "product": None,
        "dimensions": [_dimension_cell(cell, say) for cell in option.get("dimensions") or []],
        "landed_cost": option.get("landed_cost"),
        "risks": [say(risk) for risk in option.get("risks") or []],
        "questions": [say(question) for question in option.get("questions") or []],
    }
    if product and product.get("id"):
        out["product"] = {
            "product_id": product["id"],
            "title": untrusted(product.get("title")),
            "url": _url(origin, reverse("marketplace:product_detail_short", args=[product["id"]])),
            "moq": product.get("moq"),
            "unit": product.get("unit"),
            "currency": product.get("currency"),
            "lead_time_days": product.get("lead_time_days"),
            "unit_price_at_quantity": product.get("unit_price_at_quantity"),
            "unit_price_buyer_currency": product.get("unit_price_buyer_currency"),
            "buyer_currency": product.get("buyer_currency"),
            "quantity_basis": product.get("quantity_basis"),
        }
    return out


def _comparison(result: dict, *, origin: str, limit: int) -> dict:
    """The plan page's table from a plan result (PlanResult.as_dict(), or SourcingPlan.result as stored)."""
    options = (result.get("options") or [])[: max(1, min(int(limit), MAX_OPTIONS))]
    say = _Quoted.of_result(result)
    return {
        # "ok" | "no_exact_match" (the nearest options, with what they miss) | "no_candidates"
        "match_status": result.get("status"),
        "summary": say(result.get("summary")),
        "hard_constraints": result.get("hard_constraints") or [],
        "market_requirements": result.get("market_requirements") or [],
        "dimensions": [
            {
                "key": d.get("key"),
                "label": d.get("label"),
                "weight": d.get("weight"),
                "description": d.get("description"),
            }
            for d in result.get("dimensions") or []
        ],
        "options": [_option(option, origin, say) for option in options],
        "excluded_total": result.get("excluded_total", 0),
        "unknown": [say(item) for item in result.get("unknown") or []],
        "risks": [say(risk) for risk in result.get("risks") or []],
        "next_steps": [say(step) for step in result.get("next_steps") or []],
        "reference": result.get("reference") or {},
        "provenance_meaning": _(
            "Provenance: self-declared means the supplier says so; document-verified means Silkway checked a "
            "document; platform-derived means measured from activity on Silkway. Landed costs are estimates from "
            "reference rates, not freight or customs quotes."
        ),
        # The site has no page explaining the plan's method; `dimensions` carries each rule and its weight.
        "method_url": None,
    }


def _understood_requirements(requirements) -> dict:
    data = requirements.model_dump(mode="json")
    data.pop("unread", None)
    return {
        **{key: value for key, value in data.items() if value not in (None, [], "")},
        "as_requirements": [{"key": item["key"], "label": item["label"]} for item in requirement_items(requirements)],
    }


def comparison_payload(
    *, need: str, destination_country: str = "", language: str = "en", limit: int = 5, origin: str = ""
) -> dict:
    """A supplier comparison for a need in words, for anyone: the need read by the offline rules (no model call,
    no row written, not even the AI call log), then the sourcing planner's ranking."""
    with translation.override(_language(language)):
        text = str(need or "").strip()
        notes: list[str] = []
        if len(text) > MAX_REQUEST_CHARS:
            notes.append(_("Only the first %(n)s characters of the need were read.") % {"n": f"{MAX_REQUEST_CHARS:,}"})
            text = text[:MAX_REQUEST_CHARS]
        # sourcing.ai.extract_requirements would log an AI call (a row) and may spend a model's tokens for an
        # anonymous caller: the offline rules it falls back to, through the same guard, read the need without either.
        requirements = guard(extract_offline(text))
        code = str(destination_country or "").strip().upper()
        if code:
            if len(code) == 2 and country_name(code):
                if requirements.destination_country and requirements.destination_country != code:
                    notes.append(
                        _("The destination %(given)s was used instead of %(read)s read from the need.")
                        % {"given": code, "read": requirements.destination_country}
                    )
                requirements = requirements.model_copy(update={"destination_country": code})
            else:
                notes.append(_("%(code)s is not a country code (ISO 3166-1, e.g. DE); not used.") % {"code": code[:10]})
        built = plan_build(requirements, buyer_country=None)
        return {
            "requirements": _understood_requirements(requirements),
            "unread": [*notes, *(clean_text(item) for item in requirements.unread)],
            **_comparison(built.as_dict(), origin=origin, limit=limit),
        }


def plan_payload(plan: SourcingPlan, *, origin: str = "") -> dict:
    """A stored plan (its owner checked by the caller): progress while it runs, the comparison once done. The plan's
    sentences are stored in its buyer's language."""
    out = {
        "plan_id": plan.pk,
        "request_id": plan.request_id,
        "status": plan.status,
        "status_label": str(plan.get_status_display()),
        "progress": plan.progress,
        "progress_note": plan.progress_note,
        "error": plan.error or None,
        "created_at": _iso(plan.created_at),
        "finished_at": _iso(plan.finished_at),
        "url": _url(origin, reverse("sourcing:plan_detail", args=[plan.pk])),
    }
    if plan.status == PlanStatus.DONE:
        result = plan.result or {}
        stored = result.get("requirements") or plan.requirements.data or {}
        try:
            requirements = Requirements.model_validate(stored)
        except PydanticValidationError:  # a result stored by an older schema: shown as it was stored
            out["requirements"] = {key: value for key, value in stored.items() if value not in (None, [], "")}
        else:
            out["requirements"] = _understood_requirements(requirements)
        out["unread"] = [clean_text(item) for item in stored.get("unread") or []]
        out.update(_comparison(result, origin=origin, limit=MAX_OPTIONS))
    return out


# --- RFQs and quotes --------------------------------------------------------------------------------------------


def _prefetched(rfq: RFQ) -> RFQ:
    """The RFQ with what the comparison reads, fetched the way the RFQ page fetches it unless it already was."""
    cache = getattr(rfq, "_prefetched_objects_cache", {})
    if {"lines", "recipients", "quotes"} <= set(cache):
        return rfq
    return sourcing_selectors.rfq_get_for_buyer(buyer=rfq.buyer_id, pk=rfq.pk)


def _line(line) -> dict:
    return {
        "line_id": line.pk,
        "position": line.position,
        "product_name": line.product_name,
        "quantity": line.quantity,
        "unit": line.unit,
        "target_unit_price": _money(line.target_unit_price),
        "specs": [{"name": spec.get("name"), "value": spec.get("value")} for spec in line.specs or []],
        "reference_product_id": line.reference_product_id,
    }


def _answers(items: Iterable[dict], answers: dict) -> list[dict]:
    out = []
    for item in items:
        answer = answers.get(item["key"])
        out.append(
            {
                "key": item["key"],
                "label": item["label"],
                "answer": answer.answer if answer else None,
                "answer_label": str(answer.get_answer_display()) if answer else _("No answer"),
                "note": untrusted(answer.note) if answer else "",
            }
        )
    return out


def _column(column: dict, lines: list, items: list[dict], origin: str) -> dict:
    recipient, quote = column["recipient"], column["quote"]
    out: dict[str, Any] = {
        "supplier": _supplier_ref(column["supplier"], origin),
        "recipient_status": recipient.status,
        "recipient_status_label": str(recipient.get_status_display()),
        "quote_id": quote.pk if quote else None,
        "gap": None,
    }
    if quote is None:
        declined = recipient.status == RecipientStatus.DECLINED
        out["gap"] = {
            "kind": "declined" if declined else "no_quote",
            "explanation": _("Declined to quote") if declined else _("No quote yet"),
            "reason": untrusted(recipient.decline_reason) if declined else "",
        }
        return out
    out.update(
        {
            "status": quote.status,
            "status_label": str(quote.get_status_display()),
            "open": column["open"],
            "lowest_landed_cost": column["best"],
            "goods": _money(column["goods"]),
            "freight_estimate": _money(column["freight"]),
            "duty_estimate": _money(column["duty"]),
            "landed": _money(column["landed"]),
            "landed_per_unit": _money(column["landed_per_unit"]),
            "landed_status": KNOWN if column["landed"] is not None else UNKNOWN,
            "landed_basis": [clean_text(note) for note in column["notes"]],
            "quoted_currency": quote.currency,
            "incoterm": quote.incoterm,
            "incoterm_place": untrusted(quote.incoterm_place),
            "lead_time_days": quote.lead_time_days,
            "payment_terms": untrusted(quote.payment_terms),
            "valid_until": _iso(quote.valid_until),
            "samples_available": quote.samples_available,
            "sample_price": _money(quote.sample_price),
            "notes": untrusted(quote.notes),
            "submitted_at": _iso(quote.submitted_at),
            "lines": [
                {
                    "line_id": line.pk,
                    "unit_price": _money(cell["unit_price"]),
                    "unit_price_converted": _money(cell["converted"]),
                    "quantity_reaches_first_tier": cell["moq_reached"],
                    "offered_product": untrusted(cell["offered_product"]),
                }
                for line, cell in zip(lines, column["lines"], strict=False)
            ],
            "requirements": _answers(items, column["answers"]),
        }
    )
    return out


def rfq_quotes_payload(rfq: RFQ, *, language: str = "en", origin: str = "") -> dict:
    """A buyer's RFQ (its owner checked by the caller) and its quotes compared as its page compares them
    (sourcing.comparison): one currency, delivered duty paid, cheapest landed cost first, then declines and
    silences as gaps, and each requirement answered meets / alternative / no."""
    language = _language(language)
    with translation.override(language):
        rfq = _prefetched(rfq)
        lines = list(rfq.lines.all())
        items = rfq.requirement_items()
        out: dict[str, Any] = {
            "rfq_id": rfq.pk,
            "title": rfq.title,
            "status": rfq.status,
            "status_label": str(rfq.get_status_display()),
            "deadline": _iso(rfq.quote_deadline),
            "currency": rfq.currency,
            "incoterm": rfq.incoterm or None,
            "incoterm_place": rfq.incoterm_place or None,
            "destination_country": rfq.destination_country or None,
            "drafted_by_agent": rfq.drafted_by_agent or None,
            "sent_at": _iso(rfq.sent_at),
            "url": _url(origin, reverse("sourcing:rfq_detail", args=[rfq.pk])),
            "lines": [_line(line) for line in lines],
            "requirements": [{"key": item["key"], "label": item["label"]} for item in items],
            "recipients": [
                {
                    "supplier_id": recipient.supplier_id,
                    "name": untrusted(recipient.supplier.name),
                    "status": recipient.status,
                    "status_label": str(recipient.get_status_display()),
                    "declined_reason": untrusted(recipient.decline_reason) or None,
                    "invited_at": _iso(recipient.invited_at),
                    "viewed_at": _iso(recipient.viewed_at),
                }
                for recipient in rfq.recipients.all()
            ],
            "comparison": None,
        }
        if rfq.status == RFQStatus.DRAFT:
            return out
        comparison = quote_comparison(rfq)
        out["comparison"] = {
            "currency": comparison["currency"],
            "basis": _(
                "Every quote converted to %(c)s and brought to the same basis: delivered to your destination with "
                "duty paid (freight and duty are estimates)."
            )
            % {"c": comparison["currency"]},
            "rates_as_of": _iso(comparison["rates_as_of"]),
            "rates_source": comparison["rates_source"],
            "order": _("Quotes first, the lowest landed cost leading; then declines, then suppliers yet to answer."),
            "columns": [_column(column, lines, items, origin) for column in comparison["columns"]],
        }
        return out
