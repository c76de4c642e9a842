"""From the request to candidates with their evidence, in a fixed number of queries whatever the catalog size:

- the search engine (search.engine.product_search, with its query understanding and zero-result recovery) for
  the product phrase, twice at most: with the filters the engine understands, and once more either without
  the certificate filter (certificates linked to products are sparse; suppliers often hold them at company
  level) or for the second page of 96;
- one query for the hits' suppliers and product-linked certificates (the search documents);
- then one query each for suppliers, certificates, capacities, option products, their price tiers, their
  attributes, the categories, and rankings.selectors.supplier_badges (3), and the reference tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext as _

from marketplace.models import PriceTier, Product, ProductAttribute
from rankings.models import BoardKind
from rankings.selectors import supplier_badges
from search.engine import MOQ_BUCKETS, PER_PAGE_CHOICES, product_search
from search.models import ProductSearchDocument
from sourcing.models import DutyRate, FreightRate, MarketRequirement
from sourcing.schema import Requirements
from suppliers.models import Certification, CertificationType, ProductionCapacity, Supplier
from taxonomy.models import Category

from .facts import Badge, Candidate, Capacity, Cert, MarketRule, ProductFacts, SupplierFacts, Tier, param
from .figures import monthly
from .landed import DutyRow, FreightRow

PAGE = max(PER_PAGE_CHOICES)
SUPPLIER_FIELDS = (
    "id",
    "name",
    "slug",
    "kind",
    "country",
    "region",
    "founded_year",
    "staff_count",
    "rd_staff_count",
    "factory_area_m2",
    "export_markets",
    "years_exporting",
    "languages",
    "offers_oem",
    "offers_odm",
    "offers_custom_packaging",
    "offers_samples",
    "trade_assurance",
    "invention_patents",
    "utility_patents",
    "design_patents",
    "rd_spend_share",
    "verification_level",
    "response_rate",
    "median_response_minutes",
    "response_sample_size",
    "response_commitment_minutes",
    "response_hours_start",
    "response_hours_end",
    "response_timezone",
    "commitment_kept_rate",
    "commitment_sample_size",
    "commitment_kept",
    "on_time_delivery_rate",
    "dispute_rate",
    "repeat_buyer_rate",
    "rating_average",
    "rating_count",
    "leaderboard_standing",
)
PRODUCT_FIELDS = (
    "id",
    "title",
    "category_id",
    "moq",
    "unit",
    "currency",
    "lead_time_days",
    "custom_logo",
    "custom_packaging",
    "custom_color",
    "oem",
    "odm",
    "samples_available",
    "sample_price",
)


@dataclass
class SearchReport:
    """How the catalog was searched, for the buyer (stored in the plan's "query")."""

    text: str
    language: str
    filters: dict
    passes: list[dict] = field(default_factory=list)
    products_found: int = 0  # distinct products among the hits read
    total_matches: int = 0  # what the engine counted for the first pass
    suppliers_found: int = 0
    backend: str = ""
    relaxed: str = ""
    relaxed_filter: str = ""

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "language": self.language,
            "filters": self.filters,
            "passes": self.passes,
            "total_matches": self.total_matches,
            "products_read": self.products_found,
            "suppliers_found": self.suppliers_found,
            "backend": self.backend,
            "relaxed": self.relaxed,
            "relaxed_filter": self.relaxed_filter,
        }


def search_params(requirements: Requirements, *, with_certs: bool = True) -> dict:
    """The engine's facet parameters for the request. MOQ: the engine accepts bucket limits only, so the smallest
    bucket at or above the quantity (a superset; the exact MOQ check is a hard constraint later)."""
    params: dict = {}
    if requirements.supplier_kind == "factory":
        params["kind"] = ["factory", "both"]
    elif requirements.supplier_kind == "trading_company":
        params["kind"] = ["trading_company", "both"]
    if requirements.quantity:
        bucket = next((b for b in MOQ_BUCKETS if b >= requirements.quantity), None)
        if bucket:
            params["moq"] = str(bucket)
    certs = [code for code in requirements.certifications if code in CertificationType.values]
    if with_certs and certs:
        params["cert"] = certs
    return params


def candidates_search(requirements: Requirements) -> tuple[list[tuple[int, float]], SearchReport]:
    """[(product id, search score)] best first, deduplicated, and how they were found.

    Pages of the engine's results are read until `candidate_suppliers` distinct suppliers are among them or
    `candidate_pages` pages were read: one supplier with many matching listings must not crowd the others out
    of the comparison, and the number of queries stays bounded whatever the catalog's size."""
    language = requirements.language or "en"
    params = search_params(requirements)
    report = SearchReport(text=requirements.product, language=language, filters=params)
    if not requirements.product.strip():
        return [], report
    hits: dict[int, float] = {}
    suppliers_seen: set[int] = set()

    def read(pass_params: dict, page: int):
        found = product_search(
            q=requirements.product,
            params=pass_params,
            per_page=PAGE,
            page=page,
            hydrate=False,
            query_language=language,
            ui_language=language,
            fill=False,  # a comparison considers listings that match the need, not the nearest others
        )
        report.passes.append(
            {
                "filters": pass_params,
                "page": page,
                "matches": found.total,
                "relaxed": found.relaxed,
                "relaxed_filter": str(found.relaxed_filter),
            }
        )
        for hit in found.hits:
            pk, score = int(hit["product_id"]), float(hit["score"] or 0)
            hits[pk] = max(score, hits.get(pk, score))
        suppliers_seen.update(_suppliers_of([int(hit["product_id"]) for hit in found.hits]))
        return found

    first = read(params, 1)
    report.total_matches, report.backend = first.total, first.backend
    report.relaxed, report.relaxed_filter = first.relaxed, str(first.relaxed_filter)
    budget = param("candidate_pages") - 1
    if "cert" in params and not first.relaxed and budget > 0:
        # Suppliers often hold certificates at company level without linking them to each listing: read the
        # best matches without the certificate filter too; the hard-constraint check reads their certificates.
        read(search_params(requirements, with_certs=False), 1)
        budget -= 1
    page = 2
    while budget > 0 and len(suppliers_seen) < param("candidate_suppliers") and first.total > (page - 1) * PAGE:
        read(params, page)
        page, budget = page + 1, budget - 1
    report.products_found = len(hits)
    return sorted(hits.items(), key=lambda item: (-item[1], item[0])), report


def _suppliers_of(product_ids: list[int]) -> set[int]:
    if not product_ids:
        return set()
    return set(ProductSearchDocument.objects.filter(product_id__in=product_ids).values_list("supplier_id", flat=True))


def _supplier_facts(row: dict) -> SupplierFacts:
    data = {name: row[name] for name in SUPPLIER_FIELDS}
    data["export_markets"] = list(data["export_markets"] or [])
    data["languages"] = list(data["languages"] or [])
    return SupplierFacts(**data)


def candidates_load(hits: list[tuple[int, float]], *, today) -> list[Candidate]:
    """Group the hits by supplier (its best-scoring product is the option's product) and load the evidence."""
    if not hits:
        return []
    scores = dict(hits)
    documents = ProductSearchDocument.objects.filter(product_id__in=list(scores)).values_list(
        "product_id", "supplier_id", "cert_codes"
    )
    best: dict[int, tuple[float, int]] = {}
    counts: dict[int, int] = {}
    cert_codes: dict[int, set[str]] = {}
    for product_id, supplier_id, codes in documents:
        cert_codes[product_id] = set(filter(None, (codes or "").split("|")))
        counts[supplier_id] = counts.get(supplier_id, 0) + 1
        key = (scores[product_id], -product_id)  # ties: the older listing, deterministically
        if supplier_id not in best or key > (best[supplier_id][0], -best[supplier_id][1]):
            best[supplier_id] = (scores[product_id], product_id)
    supplier_ids = sorted(best)
    product_ids = [product_id for _score, product_id in best.values()]

    suppliers = {
        row["id"]: _supplier_facts(row) for row in Supplier.objects.filter(pk__in=supplier_ids).values(*SUPPLIER_FIELDS)
    }
    # Certificates from a year back: expired ones explain "expired on ...", valid ones count.
    for cert_row in Certification.objects.filter(
        supplier_id__in=supplier_ids, valid_until__gte=today - timedelta(days=365)
    ).values("supplier_id", "type", "valid_from", "valid_until", "verified_at", "document"):
        if cert_row["supplier_id"] in suppliers:
            suppliers[cert_row["supplier_id"]].certs.append(
                Cert(
                    code=cert_row["type"],
                    valid_from=cert_row["valid_from"],
                    valid_until=cert_row["valid_until"],
                    verified=bool(cert_row["verified_at"] and cert_row["document"]),
                )
            )
    for cap_row in ProductionCapacity.objects.filter(supplier_id__in=supplier_ids).values(
        "supplier_id", "category_id", "quantity", "unit", "period", "product_line"
    ):
        suppliers[cap_row["supplier_id"]].capacities.append(
            Capacity(
                category_id=cap_row["category_id"],
                monthly=monthly(cap_row["quantity"], cap_row["period"]),
                unit=cap_row["unit"],
                product_line=cap_row["product_line"],
            )
        )
    labels = dict(BoardKind.choices)
    for supplier_id, badges in supplier_badges(supplier_ids=supplier_ids).items():
        for entry in badges["top"]:
            board = entry.snapshot.leaderboard
            suppliers[supplier_id].badges.append(
                Badge(
                    board=board.board,
                    board_label=str(labels.get(board.board, board.board)),
                    category_id=board.category_id,
                    category_name=board.category.localized_name(),
                    rank=entry.rank,
                )
            )

    products = {
        cap_row["id"]: ProductFacts(**cap_row)
        for cap_row in Product.objects.filter(pk__in=product_ids).values(*PRODUCT_FIELDS)
    }
    for tier_row in PriceTier.objects.filter(product_id__in=product_ids).values(
        "product_id", "min_quantity", "unit_price", "lead_time_days"
    ):
        products[tier_row["product_id"]].tiers.append(
            Tier(tier_row["min_quantity"], tier_row["unit_price"], tier_row["lead_time_days"])
        )
    for attr_row in (
        ProductAttribute.objects.filter(product_id__in=product_ids)
        .order_by("position", "id")
        .values_list("product_id", "name", "value", "unit")
    ):
        products[attr_row[0]].attributes.append((attr_row[1], attr_row[2], attr_row[3]))

    candidates = []
    for supplier_id, (score, product_id) in best.items():
        if supplier_id not in suppliers or product_id not in products:
            continue  # deleted between the search and now
        product = products[product_id]
        product.cert_codes = cert_codes.get(product_id, set())
        candidates.append(
            Candidate(suppliers[supplier_id], product, search_score=score, matching_products=counts[supplier_id])
        )
    return candidates


def category_paths_load() -> dict[int, list[tuple[int, str, str]]]:
    """Each category with its ancestors (most specific first) as (id, slug, name). One query; the tree is small."""
    rows = {c.pk: c for c in Category.objects.only("id", "parent_id", "slug", "name", "names")}
    paths = {}
    for pk, category in rows.items():
        path: list[tuple[int, str, str]] = []
        node: Category | None = category
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path.append((node.pk, node.slug, node.localized_name()))
            node = rows.get(node.parent_id) if node.parent_id else None
        paths[pk] = path
    return paths


def reference_load(keys: list[str]) -> tuple[list[MarketRule], list[FreightRow], list[DutyRow]]:
    """Market rules, freight and duty rows for the destination's keys: three queries."""
    rules = [
        MarketRule(r.destination, r.category_slug, r.certification, r.mandatory, r.source, r.note)
        for r in MarketRequirement.objects.filter(destination__in=keys)
    ]
    freight = [
        FreightRow(
            r.origin_country,
            r.destination,
            r.mode,
            r.percent_of_value,
            r.minimum_usd,
            r.transit_days,
            r.source,
            r.as_of,
        )
        for r in FreightRate.objects.filter(destination__in=keys)
    ]
    duty = [
        DutyRow(r.destination, r.category_slug, r.rate_percent, r.source, r.as_of)
        for r in DutyRate.objects.filter(destination__in=keys)
    ]
    return rules, freight, duty


def search_summary(report: SearchReport) -> str:
    text = _("Searched the catalog for “%(q)s” (%(lang)s): %(n)s matching products, %(s)s suppliers.") % {
        "q": report.text,
        "lang": report.language,
        "n": f"{report.total_matches:,}",
        "s": report.suppliers_found,
    }
    if report.relaxed == "filter":
        text += " " + _("Nothing matched every filter, so “%(f)s” was dropped.") % {"f": report.relaxed_filter}
    elif report.relaxed == "words":
        text += " " + _("Nothing matched every word, so products matching most words were used.")
    elif report.relaxed == "spelling":
        text += " " + _("Nothing matched as typed, so the spelling was corrected.")
    return text
