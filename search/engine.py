"""Product and supplier search: query understanding -> backend text match -> filters -> ranking blend ->
facets and page in one statement, with zero-result recovery. Backend-independent: the backend matches text and
writes that statement in its dialect."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Value
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.db import use_replica
from core.languages import base_language
from live.selectors import live_product_ids
from marketplace.models import Product, ProductStatus
from marketplace.search_hooks import substring_search
from marketplace.selectors import product_list_published
from suppliers.models import (
    MANUFACTURER_KINDS,
    Certification,
    CertificationType,
    ProductionCapacity,
    Supplier,
    SupplierKind,
    verified_supplier_q,
)
from taxonomy.models import Category
from taxonomy.selectors import categories_for_hints

from .backends import get_backend
from .backends.base import PageQuery
from .models import ProductSearchDocument, SearchTerm
from .query import MAX_GROUPS, Alternative, ParsedQuery, TermGroup, parse_query
from .ranking import WEIGHTS, product_score, spec_bonus_sql
from .text import script_of

PER_PAGE_CHOICES = (12, 24, 48, 96)
DEFAULT_PER_PAGE = 24
MAX_PAGE = 100  # deeper pages are never what a buyer needs; refine instead
MOQ_BUCKETS = (100, 500, 1000, 5000)
LEAD_BUCKETS = (7, 15, 30, 45, 60)
PRICE_BUCKETS = {"0-1": (0, 1), "1-5": (1, 5), "5-20": (5, 20), "20-100": (20, 100), "100-": (100, None)}
CUSTOM_FLAGS = {
    "logo": "custom_logo",
    "packaging": "custom_packaging",
    "color": "custom_color",
    "oem": "oem",
    "odm": "odm",
    "samples": "samples_available",
}
CAPACITY_BUCKETS = (10_000, 50_000, 100_000, 300_000)


def _int(value, default=None, low=None, high=None):
    try:
        number = int(str(value).strip()[:12])
    except (TypeError, ValueError):
        return default
    if low is not None and number < low:
        return default
    if high is not None and number > high:
        return high
    return number


@dataclass
class Filters:
    """The buyer's facet choices, validated: unknown values are dropped and reported, never an error."""

    category: Category | None = None
    kinds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    certs: list[str] = field(default_factory=list)
    verified: bool = False
    trade_assurance: bool = False
    live: bool = False
    moq: int | None = None
    price: str | None = None
    lead: int | None = None
    custom: list[str] = field(default_factory=list)
    capacity: int | None = None
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params, categories_by_slug) -> "Filters":
        filters = cls()

        def many(name):
            values = params.getlist(name) if hasattr(params, "getlist") else params.get(name) or []
            return [str(v)[:40] for v in (values if isinstance(values, list) else [values]) if v][:20]

        slug = str(params.get("category") or "")[:100]
        if slug:
            filters.category = categories_by_slug.get(slug)
            if filters.category is None:
                filters.ignored.append(slug)
        for value in many("kind"):
            (filters.kinds if value in SupplierKind.values else filters.ignored).append(value)
        for value in many("country"):
            value = value.upper()
            (filters.countries if len(value) == 2 and value.isalpha() else filters.ignored).append(value)
        for value in many("cert"):
            (filters.certs if value in CertificationType.values else filters.ignored).append(value)
        for value in many("custom"):
            (filters.custom if value in CUSTOM_FLAGS else filters.ignored).append(value)
        filters.verified = params.get("verified") in ("1", "true", "on")
        filters.trade_assurance = params.get("ta") in ("1", "true", "on")
        filters.live = params.get("live") in ("1", "true", "on")
        for name, allowed in (("moq", MOQ_BUCKETS), ("lead", LEAD_BUCKETS), ("capacity", CAPACITY_BUCKETS)):
            raw = params.get(name)
            if raw:
                value = _int(raw)
                if value in allowed:
                    setattr(filters, name, value)
                else:
                    filters.ignored.append(str(raw)[:40])
        price = params.get("price")
        if price:
            if price in PRICE_BUCKETS:
                filters.price = price
            else:
                filters.ignored.append(str(price)[:40])
        return filters

    def as_dict(self):
        data = {
            "category": self.category.slug if self.category else None,
            "kind": self.kinds,
            "country": self.countries,
            "cert": self.certs,
            "verified": self.verified,
            "ta": self.trade_assurance,
            "live": self.live,
            "moq": self.moq,
            "price": self.price,
            "lead": self.lead,
            "custom": self.custom,
            "capacity": self.capacity,
        }
        return {k: v for k, v in data.items() if v not in (None, False, [], "")}


@dataclass
class Page:
    number: int
    per_page: int
    total: int

    @property
    def num_pages(self):
        return max(1, min(MAX_PAGE, math.ceil(self.total / self.per_page)))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def offset(self):
        return (self.number - 1) * self.per_page


@dataclass
class ProductSearchResult:
    query: ParsedQuery
    filters: Filters
    sort: str
    page: Page
    hits: list
    facets: dict
    relaxed: str = ""  # "" | "spelling" | "words" | "filter"
    # Hits from this position on match only some of the query's words: fewer listings matched every word than fill
    # a first page, so it goes on with the nearest ones (None: every hit matches every word).
    partial_from: int | None = None
    relaxed_filter: str = ""
    suggestion: str = ""
    suggested_categories: list = field(default_factory=list)
    backend: str = ""

    @property
    def total(self):
        return self.page.total


def _descendants(category, categories):
    by_parent = {}
    for c in categories:
        by_parent.setdefault(c.parent_id, []).append(c.pk)
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = [child for pk in frontier for child in by_parent.get(pk, [])]
        ids += frontier
    return ids


def _kinds(filters: Filters, parsed: ParsedQuery) -> list[str]:
    """Supplier kinds asked for: the facet's, plus what the query's words meant ("factory" is every manufacturer,
    suppliers.models.MANUFACTURER_KINDS; "trading company" includes factories with a trading arm)."""
    kinds = set(filters.kinds)
    for kind in parsed.kinds:
        kinds.update(
            MANUFACTURER_KINDS if kind == SupplierKind.FACTORY else (SupplierKind.TRADING_COMPANY, SupplierKind.BOTH)
        )
    return sorted(str(kind) for kind in kinds)


def _filter_conditions(
    filters: Filters, parsed: ParsedQuery, categories, live_ids: frozenset[int] = frozenset()
) -> list[tuple[str, str, Q]]:
    """(key, label, condition) for every active filter, strictest-looking first isn't assumed: recovery measures.
    `live_ids`: the products in a session live now (the "Live now" filter)."""
    out = []
    if filters.category:
        out.append(
            (
                "category",
                filters.category.localized_name(),
                Q(category_id__in=_descendants(filters.category, categories)),
            )
        )
    kinds = _kinds(filters, parsed)
    if kinds:
        out.append(("kind", ", ".join(kinds), Q(supplier_kind__in=kinds)))
    if filters.countries:
        out.append(("country", ", ".join(filters.countries), Q(supplier_country__in=filters.countries)))
    for code in dict.fromkeys([*filters.certs, *parsed.certifications]):
        out.append((f"cert:{code}", code, Q(cert_codes__contains=f"|{code}|")))
    if filters.verified:
        out.append(("verified", _("Verified"), Q(supplier_verified=True)))
    if filters.trade_assurance:
        out.append(("ta", _("Silkway Order Protection"), Q(supplier_trade_assurance=True)))
    if filters.live:
        # Nothing live: a condition no document meets (an empty IN list cannot be compiled into the one statement).
        live = Q(product_id__in=sorted(live_ids)) if live_ids else Q(product_id__isnull=True)
        out.append(("live", _("Live now"), live))
    moq = min(v for v in (filters.moq, parsed.moq_max) if v is not None) if (filters.moq or parsed.moq_max) else None
    if moq:
        out.append(("moq", _("MOQ ≤ %(n)s") % {"n": moq}, Q(moq__lte=moq)))
    low, high = PRICE_BUCKETS.get(filters.price, (None, None))
    if parsed.price_max is not None:
        high = parsed.price_max if high is None else min(high, parsed.price_max)
    if parsed.price_min is not None:
        low = parsed.price_min if low is None else max(low, parsed.price_min)
    if low is not None or high is not None:
        condition = Q(price_min__isnull=False)
        if low:
            condition &= Q(price_min__gte=low)
        if high is not None:
            condition &= Q(price_min__lte=high)
        out.append(("price", _("Price"), condition))
    if filters.lead:
        out.append(("lead", _("Lead time ≤ %(n)s days") % {"n": filters.lead}, Q(lead_time_days__lte=filters.lead)))
    for flag in filters.custom:
        out.append((f"custom:{flag}", flag, Q(**{CUSTOM_FLAGS[flag]: True})))
    return out


def _apply(queryset, conditions, skip=None):
    for key, _label, condition in conditions:
        if key != skip:
            queryset = queryset.filter(condition)
    return queryset


def _bucket(column, limits):
    """SQL: the smallest limit the value is at or under (0 above them all); counts become cumulative in Python."""
    whens = " ".join(f"WHEN {column} <= {int(limit)} THEN {int(limit)}" for limit in limits)
    return f"CASE {whens} ELSE 0 END"


def _price_bucket():
    whens = []
    for key, (low, high) in PRICE_BUCKETS.items():
        condition = f"price_min >= {low}" + (f" AND price_min < {high}" if high is not None else "")
        whens.append(f"WHEN {condition} THEN '{key}'")
    return f"CASE {' '.join(whens)} ELSE '' END"


def _as_int(*columns):
    return tuple(f"CAST({c} AS INTEGER)" for c in columns)


# Facet name -> the SQL expressions its counts are grouped by (over the matched rows).
FACET_KEYS = {
    "category": ("category_id",),
    "supplier": ("supplier_kind", "supplier_country", *_as_int("supplier_verified", "supplier_trade_assurance")),
    "cert": ("cert_codes",),
    # MOQ, lead time and price buckets together: at most 5 × 6 × 6 groups, one hash table instead of three.
    "ranges": (_bucket("moq", MOQ_BUCKETS), _bucket("lead_time_days", LEAD_BUCKETS), _price_bucket()),
    "custom": _as_int(*CUSTOM_FLAGS.values()),
}
# Fewer full matches than this and the first page goes on with partial ones (_filled).
FILL_BELOW = 10
FILL_FACETS = {"category": FACET_KEYS["category"]}  # the filling pass needs no facets; one keeps the SQL uniform
# The page order over the matched rows, NULLs last on every backend.
ORDER_SQL = {
    "relevance": "score DESC, product_id DESC",
    "price": "price_min IS NULL, price_min ASC, product_id ASC",
    "moq": "moq ASC, product_id ASC",
    "lead_time": "lead_time_days ASC, product_id ASC",
    "newest": "published_at IS NULL, published_at DESC, product_id DESC",
}
MATCH_COLUMNS = (
    "product_id",
    "category_id",
    "supplier_kind",
    "supplier_country",
    "supplier_verified",
    "supplier_trade_assurance",
    "cert_codes",
    "moq",
    "lead_time_days",
    "price_min",
    "published_at",
    *CUSTOM_FLAGS.values(),
)


def _live_facet(live_ids) -> dict[str, tuple[str, ...]]:
    """The "Live now" count as one more facet: 1 for a match shown in a live session (a few ids, inlined as
    integers), grouped with the others in the same statement. None live: no facet (and no GROUP BY constant)."""
    if not live_ids:
        return {}
    ids = ", ".join(str(int(pk)) for pk in sorted(live_ids))
    return {"live": (f"CASE WHEN product_id IN ({ids}) THEN 1 ELSE 0 END",)}


def _search_pass(backend, queryset, score, bonus, *, sort, offset, limit, facets=FACET_KEYS):
    """One statement for the page and every facet (see SearchBackend.page_and_facets_sql). Returns
    ({facet: {key: count}}, [(product_id, score)]). Reading the matches (index, heap and rank) is what costs at
    scale, so they are read once. `bonus`: the specs term as (sql, params), added late (see PageQuery)."""
    matches = queryset.order_by().annotate(score=score).values(*MATCH_COLUMNS, "score")
    sql, params = matches.query.sql_with_params()
    bonus_sql, bonus_params = bonus
    page = PageQuery(
        order_by=ORDER_SQL[sort],
        limit=limit,
        offset=offset,
        by_score=sort == "relevance",
        bonus=bonus_sql,
        bonus_max=WEIGHTS["specs"],
    )
    counts, hits = {name: {} for name in facets}, []
    with connections[queryset.db].cursor() as cursor:  # the replica inside use_replica() (config/db_router.py)
        cursor.execute(backend.page_and_facets_sql(sql, facets=facets, page=page), [*params, *bonus_params])
        for facet, key, n, position in cursor.fetchall():
            if facet == "hit":
                hits.append((position, int(key), n))
            else:
                counts[facet][key or ""] = int(n)
    return counts, [(pk, value) for _position, pk, value in sorted(hits)]


def _facets(counts, categories, language) -> dict:
    """The sidebar from the grouped counts: suppliers' kind, country, verified and Order Protection from their
    combinations, certificates from their code lists, MOQ and lead time made cumulative."""
    by_kind, by_country, verified, assured = {}, {}, 0, 0
    for key, n in counts["supplier"].items():
        kind, country, is_verified, is_assured = key.split("|")
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_country[country] = by_country.get(country, 0) + n
        verified += n if is_verified == "1" else 0
        assured += n if is_assured == "1" else 0
    by_cert = {}
    for key, n in counts["cert"].items():
        for code in filter(None, key.split("|")):
            by_cert[code] = by_cert.get(code, 0) + n
    custom = dict.fromkeys(CUSTOM_FLAGS, 0)
    for key, n in counts["custom"].items():
        for name, flag in zip(CUSTOM_FLAGS, key.split("|"), strict=True):
            custom[name] += n if flag == "1" else 0

    by_moq, by_lead, by_price = {}, {}, {}
    for key, n in counts["ranges"].items():
        moq, lead, price = key.split("|")
        by_moq[int(moq)] = by_moq.get(int(moq), 0) + n
        by_lead[int(lead)] = by_lead.get(int(lead), 0) + n
        by_price[price] = by_price.get(price, 0) + n

    def cumulative(by_limit, limits):
        return [(limit, sum(n for k, n in by_limit.items() if k and k <= limit)) for limit in limits]

    by_category = {int(k): n for k, n in counts["category"].items()}
    # Leaf counts roll up to their parents, so the sidebar can show the tree.
    parents = {c.pk: c.parent_id for c in categories}
    rolled = dict(by_category)
    for pk, n in by_category.items():
        parent = parents.get(pk)
        while parent:
            rolled[parent] = rolled.get(parent, 0) + n
            parent = parents.get(parent)
    rows = [
        {"category": c, "name": c.localized_name(language), "count": rolled[c.pk], "depth": 0 if not c.parent_id else 1}
        for c in categories
        if rolled.get(c.pk)
    ]
    # As a tree: the busiest top-level categories first, each followed by its own sub-categories, busiest first.
    by_count = sorted(rows, key=lambda row: (-row["count"], row["name"]))
    category_rows = []
    for row in by_count:
        if row["depth"] == 0:
            category_rows.append(row)
            category_rows += [r for r in by_count if r["category"].parent_id == row["category"].pk]
    labels = dict(CertificationType.choices)
    return {
        "total": sum(by_category.values()),
        "categories": category_rows[:24],
        "kinds": [(k, label, by_kind[k]) for k, label in SupplierKind.choices if by_kind.get(k)],
        "countries": sorted(((c, n) for c, n in by_country.items() if c), key=lambda item: -item[1]),
        "certs": [(c, labels[c], by_cert[c]) for c in CertificationType.values if by_cert.get(c)],
        "verified": verified,
        "ta": assured,
        "live": sum(n for key, n in counts.get("live", {}).items() if key == "1"),
        "moq": cumulative(by_moq, MOQ_BUCKETS),
        "lead": cumulative(by_lead, LEAD_BUCKETS),
        "price": [(key, by_price.get(key, 0)) for key in PRICE_BUCKETS],
        "custom": [(key, n) for key, n in custom.items() if n],
    }


def indexed_words(candidates) -> set[str]:
    """Which of these folded words the catalog's titles, keywords or category names use (one query)."""
    return set(SearchTerm.objects.filter(term__in=list(candidates)[:MAX_GROUPS]).values_list("term", flat=True))


def did_you_mean(parsed: ParsedQuery, backend) -> str:
    """The query with unknown Latin/Cyrillic words replaced by the closest indexed words ('' if none)."""
    candidates = [
        g.text
        for g in parsed.groups
        if " " not in g.text
        and len(g.text) >= 4
        and script_of(g.text) in ("latin", "cyrillic")
        and not any(c.isdigit() for c in g.text)
    ][:4]
    if not candidates:
        return ""
    known = set(SearchTerm.objects.filter(term__in=candidates).values_list("term", flat=True))
    replaced, changed = [], False
    for group in parsed.groups:
        word = group.text
        if word in candidates and word not in known:
            better = backend.suggest(word)
            if better:
                word, changed = better, True
        replaced.append(word)
    return " ".join(replaced) if changed else ""


@use_replica()  # a read: may go to the replica (config/db_router.py)
def product_search(
    *,
    q="",
    params=None,
    sort="relevance",
    page=1,
    per_page=DEFAULT_PER_PAGE,
    ui_language="en",
    query_language=None,
    ignore=(),
    hydrate=True,
    fill=True,
) -> ProductSearchResult:
    """Search published products. Bounded queries whatever the page size or match count: categories (1), one
    statement for facets and the page (1), hydration (3), a few more only when recovering from zero results or
    filling a short first page. `fill`: a first page with fewer full matches than FILL_BELOW goes on with partial
    ones (`partial_from`), for a person browsing; False for callers that must only see full matches."""
    params = params or {}
    backend = get_backend()
    ui_language = base_language(ui_language)
    categories = list(Category.objects.all())
    filters = Filters.from_params(params, {c.slug: c for c in categories})
    parsed = parse_query(
        q, ui_language=ui_language, language=query_language, ignore=ignore, indexed_words=indexed_words
    )
    sort = sort if sort in ORDER_SQL else "relevance"
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    requested = Page(max(1, min(_int(page, 1, low=1) or 1, MAX_PAGE)), per_page, 0)
    # Hints name categories by slug or English name; a catalog without them just gets no category boost.
    category_ids = [c.pk for c in categories_for_hints(parsed.category_slugs, categories)]
    live_ids = frozenset(live_product_ids())  # once per search (cached with the public cache)
    facet_keys = {**FACET_KEYS, **_live_facet(live_ids)}
    conditions = _filter_conditions(filters, parsed, categories, live_ids)
    result = ProductSearchResult(parsed, filters, sort, Page(1, per_page, 0), [], {}, backend=backend.name)
    if parsed.is_empty and not conditions and not category_ids:
        return result

    documents = ProductSearchDocument.objects.all()
    score = product_score(F("text_rank"), category_ids=category_ids)
    bonus = spec_bonus_sql(parsed.quantities, product_id="r.product_id")

    def matched(groups, require_all):
        if groups:
            return backend.match(documents, groups, require_all=require_all)
        return documents.annotate(text_rank=Value(0.0, output_field=FloatField()))

    def run(queryset, page_obj=requested):
        counts, rows = _search_pass(
            backend,
            queryset,
            score,
            bonus,
            sort=sort,
            offset=page_obj.offset,
            limit=page_obj.per_page,
            facets=facet_keys,
        )
        return queryset, _facets(counts, categories, ui_language), rows

    groups = parsed.groups
    if parsed.is_empty and category_ids:
        conditions.insert(0, ("glossary", "", Q(category_id__in=category_ids)))
    queryset, facets, rows = run(_apply(matched(groups, True), conditions))
    if facets["total"] == 0 and groups:
        suggestion = did_you_mean(parsed, backend)
        result.suggestion = suggestion
        if suggestion:
            corrected = parse_query(
                suggestion,
                ui_language=ui_language,
                language=parsed.language,
                ignore=ignore,
                indexed_words=indexed_words,
            )
            attempt = run(_apply(matched(corrected.groups, True), conditions))
            if attempt[1]["total"]:
                (queryset, facets, rows), groups, result.relaxed = attempt, corrected.groups, "spelling"
        # Any word, or any spec as the index writes it ("550w"): a query of unknown words still finds its specs.
        spec_groups = [TermGroup(w, [Alternative("en", (w,))]) for w in parsed.quantity_words]
        if facets["total"] == 0 and len(groups) + len(spec_groups) > 1:
            attempt = run(_apply(matched([*groups, *spec_groups], False), conditions))
            if attempt[1]["total"]:
                (queryset, facets, rows), result.relaxed = attempt, "words"
    if facets["total"] == 0 and conditions:
        # Relax the filter that costs the most results: the one whose removal brings back the most.
        best = None
        for key, label, _condition in conditions:
            count = _apply(matched(groups, True), conditions, skip=key).order_by().count()
            if count and (best is None or count > best[2]):
                best = (key, label, count)
        if best:
            queryset, facets, rows = run(_apply(matched(groups, True), conditions, skip=best[0]))
            result.relaxed, result.relaxed_filter = "filter", best[1] or best[0]
    few = 0 < facets["total"] < FILL_BELOW and len(groups) > 1
    if fill and few and not result.relaxed and sort == "relevance" and requested.number == 1:
        any_word = _apply(matched(groups, False), conditions)
        rows, result.partial_from = _filled(backend, any_word, score, bonus, rows, limit=per_page)
    if facets["total"] == 0:
        result.suggested_categories = [c for c in categories if c.pk in category_ids][:6]
    elif facets["total"] < 3 and groups and not result.suggestion:
        result.suggestion = did_you_mean(parsed, backend)

    result.facets = facets
    result.page = Page(min(requested.number, Page(1, per_page, facets["total"]).num_pages), per_page, facets["total"])
    if result.page.number != requested.number:  # asked past the last page: show the last one
        _queryset, _facets_again, rows = run(queryset, result.page)
    if hydrate and rows:
        result.hits = _hydrated(rows, ui_language)
    else:
        result.hits = [{"product_id": pk, "score": row_score} for pk, row_score in rows]
    return result


def _filled(backend, any_word_matches, score, bonus, rows, *, limit: int) -> tuple[list, int | None]:
    """The page's rows (all of them matching every word), continued with the best listings that match only some of
    the words, up to a page: a buyer's extra word ("for concrete", "half cell", a word no listing uses) must not hide
    the near matches. One more statement, only when few listings match every word; the facets stay those of the
    full matches."""
    _counts, more = _search_pass(
        backend, any_word_matches, score, bonus, sort="relevance", offset=0, limit=limit, facets=FILL_FACETS
    )
    seen = {pk for pk, _score in rows}
    extra = [(pk, value) for pk, value in more if pk not in seen][: max(0, limit - len(rows))]
    return (rows + extra, len(rows)) if extra else (rows, None)


def _hydrated(rows, language: str) -> list:
    """The page's products in rank order, each with its search_score; one published-products query."""
    products = {p.pk: p for p in product_list_published(language=language).filter(pk__in=[r[0] for r in rows])}
    hits = []
    for pk, row_score in rows:
        if pk in products:
            products[pk].search_score = row_score
            hits.append(products[pk])
    return hits


class CachedHits(Sequence):
    """A product search's hits as they are cached (core/public_cache.py): their ids and scores only, hydrated by
    the first read of a product. A search page whose result fragments are cached as well never reads one, so a
    repeated search neither unpickles nor queries its 24 products (unpickling them was most of its cost)."""

    def __init__(self, hits: list, language: str):
        self.rows = [(hit.pk, hit.search_score) for hit in hits]
        self.language = language
        self._products: list | None = hits

    @property
    def loaded(self) -> bool:
        return self._products is not None

    def _load(self) -> list:
        if self._products is None:
            self._products = _hydrated(self.rows, self.language)
        return self._products

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __getitem__(self, index):
        return self._load()[index]

    def __iter__(self):
        return iter(self._load())

    def __getstate__(self) -> dict:
        return {"rows": self.rows, "language": self.language, "_products": None}


def product_result_cacheable(result: ProductSearchResult, *, ui_language: str) -> ProductSearchResult:
    """The same result, its hits stored as CachedHits (the products stay loaded in this process)."""
    if isinstance(result.hits, list) and all(isinstance(hit, Product) for hit in result.hits):
        result.hits = CachedHits(result.hits, base_language(ui_language))
    return result


# --- suppliers ("find a factory") -------------------------------------------------------------------------------


@dataclass
class SupplierSearchResult:
    query: ParsedQuery
    filters: Filters
    page: Page
    hits: list
    facets: dict


def supplier_search(
    *, q="", params=None, page=1, per_page=DEFAULT_PER_PAGE, ui_language="en", query_language=None, ignore=()
) -> SupplierSearchResult:
    """Suppliers by capability: what they sell (their published products matching the query, through the same
    full-text index), what they declare (capacities, name, profile, region), plus kind, region, certification,
    verification and monthly capacity filters. Suppliers are few next to products, so candidates are ranked in
    Python: five queries whatever the page size."""
    params = params or {}
    backend = get_backend()
    categories = list(Category.objects.all())
    filters = Filters.from_params(params, {c.slug: c for c in categories})
    parsed = parse_query(q, ui_language=ui_language, language=query_language, ignore=ignore)
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    glossary_categories = [c.pk for c in categories_for_hints(parsed.category_slugs, categories)]
    product_matches = {}
    suppliers = Supplier.objects.listed()  # not companies still under review
    if parsed.groups:
        matched = backend.match(ProductSearchDocument.objects.all(), parsed.groups, require_all=True)
        product_matches = dict(matched.order_by().values_list("supplier_id").annotate(n=Count("pk")))
        text = Q(pk__in=list(product_matches))
        declared = Q()
        for group in parsed.groups:
            condition = Q()
            for alternative in group.alternatives:
                phrase = " ".join(alternative.tokens)
                condition |= (
                    Q(name__icontains=phrase)
                    | Q(about__icontains=phrase)
                    | Q(region__icontains=phrase)
                    | Q(capacities__product_line__icontains=phrase)
                )
            declared &= condition
        if glossary_categories:
            declared |= Q(capacities__category_id__in=glossary_categories)
        suppliers = suppliers.filter(text | Q(pk__in=Supplier.objects.filter(declared).values("pk")))
    kinds = _kinds(filters, parsed)
    if kinds:
        suppliers = suppliers.filter(kind__in=kinds)
    if filters.countries:
        suppliers = suppliers.filter(country__in=filters.countries)
    if filters.category:
        ids = _descendants(filters.category, categories)
        suppliers = suppliers.filter(
            Exists(ProductionCapacity.objects.filter(supplier=OuterRef("pk"), category_id__in=ids))
            | Exists(
                Product.objects.filter(supplier=OuterRef("pk"), category_id__in=ids, status=ProductStatus.PUBLISHED)
            )
        )
    for code in dict.fromkeys([*filters.certs, *parsed.certifications]):
        # Only certificates in force today count, as on the products tab.
        suppliers = suppliers.filter(
            Exists(Certification.objects.valid_on().filter(supplier=OuterRef("pk"), type=code))
        )
    if filters.verified:
        suppliers = suppliers.filter(verified_supplier_q())
    if filters.trade_assurance:
        suppliers = suppliers.filter(trade_assurance=True)
    if filters.capacity:
        suppliers = suppliers.filter(
            Exists(
                ProductionCapacity.objects.filter(
                    supplier=OuterRef("pk"), period="month", quantity__gte=filters.capacity
                )
            )
        )
    in_category = set()
    if glossary_categories:
        in_category = set(
            ProductionCapacity.objects.filter(category_id__in=glossary_categories).values_list("supplier_id", flat=True)
        )
    rows = list(
        suppliers.order_by()
        .annotate(
            is_verified=ExpressionWrapper(verified_supplier_q(), output_field=BooleanField()),
        )
        .values_list("pk", "kind", "is_verified", "trade_assurance", "response_rate", "name")
    )

    def score(row):
        pk, _kind, verified, _ta, response_rate, name = row
        return (
            -(
                0.5 * min(1.0, product_matches.get(pk, 0) / 10)
                + 0.2 * (pk in in_category)
                + 0.15 * bool(verified)
                + 0.15 * float(response_rate or 0) / 100
            ),
            name,
            pk,
        )

    rows.sort(key=score)
    page_obj = Page(1, per_page, len(rows))
    page_obj.number = max(1, min(_int(page, 1, low=1) or 1, page_obj.num_pages))
    page_ids = [row[0] for row in rows[page_obj.offset : page_obj.offset + per_page]]
    by_id = Supplier.objects.prefetch_related("capacities").in_bulk(page_ids)
    hits = [by_id[pk] for pk in page_ids if pk in by_id]
    for supplier in hits:
        supplier.matching_products = product_matches.get(supplier.pk, 0)
    kind_counts = {}
    for row in rows:
        kind_counts[row[1]] = kind_counts.get(row[1], 0) + 1
    facets = {
        "total": len(rows),
        "kinds": [(k, label, kind_counts[k]) for k, label in SupplierKind.choices if kind_counts.get(k)],
        "verified": sum(1 for row in rows if row[2]),
        "ta": sum(1 for row in rows if row[3]),
    }
    return SupplierSearchResult(parsed, filters, page_obj, hits, facets)


# --- the product list's `q` (marketplace.search_hooks) ----------------------------------------------------------


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same condition on a related model's fields (document fields reached from Product)."""
    out = Q()
    out.connector, out.negated = condition.connector, condition.negated
    out.children = [
        (prefix + child[0], child[1]) if isinstance(child, tuple) else _prefixed(child, prefix)
        for child in condition.children
    ]
    return out


def product_queryset_search(queryset, text, *, language=None):
    """Narrow a Product queryset (the API's product list) to what the search page matches for `text`: the same
    query understanding (language, stemming, CJK words, glossary; understood certificate, supplier-kind, price
    and MOQ words become the same filters) and the same full-text match on the same index. Registered as
    marketplace's text search in SearchConfig.ready().

    A list filter narrows and never widens: zero-result recovery (spelling, fewer words, a dropped filter) and
    the ranking blend are /api/v1/search/'s, where the response says what was relaxed. No query of its own
    (on PostgreSQL, the words' lexemes once per process)."""
    parsed = parse_query(text, ui_language=base_language(language or get_language()), indexed_words=indexed_words)
    conditions = [condition for _key, _label, condition in _filter_conditions(Filters(), parsed, [])]
    if parsed.is_empty and not conditions and not parsed.category_slugs:
        return substring_search(queryset, text)  # nothing understood (a model number, punctuation)
    # The backends write SQL against the document table by name, so it is joined here (under that name) rather
    # than used as a subquery, where Django would re-alias it.
    joined = queryset.filter(search_document__isnull=False)
    for condition in conditions:
        joined = joined.filter(_prefixed(condition, "search_document__"))
    if parsed.is_empty:
        return joined.filter(category__slug__in=parsed.category_slugs) if parsed.category_slugs else joined
    return get_backend().match(joined, parsed.groups, require_all=True)
