"""Reads for ads: the keyword index the auction consults on every search, candidates for a query, and the
figures seller and operator screens show."""

import re
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.languages import base_language
from marketplace.models import Product, ProductStatus, ProductTranslation
from search.backends import get_backend
from search.models import ProductSearchDocument
from search.query import ParsedQuery

from .auction import Candidate, day_fraction, pacing_allows
from .matching import Understood, matches, understand
from .models import (
    AdCampaign,
    AdCampaignDay,
    AdClick,
    AdKeyword,
    AdNegativeKeyword,
    AdPromotedProduct,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    CampaignState,
    KeywordState,
    MatchType,
    RecommendationState,
)

INDEX_VERSION_KEY = "ads:keyword-index-version"
# A safety net only: every service that changes what the index holds bumps the shared version at once.
INDEX_MAX_AGE_SECONDS = 300
# A process reads the shared version at most this often (one search asks for the index several times): another
# process's keyword change reaches this one's searches within a second.
INDEX_VERSION_CHECK_SECONDS = 1.0
_version_checked_at = 0.0


@dataclass(frozen=True)
class IndexedKeyword:
    keyword_id: int
    campaign_id: int
    match_type: str
    understood: Understood
    bid: Decimal
    ctr: float


@dataclass(frozen=True)
class ServingTerms:
    """What decides whether an active campaign may show now, kept in the index (campaign_update refreshes it)."""

    campaign_id: int
    supplier_id: int
    daily_budget: Decimal
    bid_ceiling: Decimal
    starts_on: date
    ends_on: date | None
    start_hour: int
    end_hour: int


@dataclass(frozen=True)
class ServingCampaign:
    terms: ServingTerms
    spend_today: Decimal


@dataclass
class KeywordIndex:
    by_concept: dict[str, list[IndexedKeyword]]
    negatives: dict[int, list[tuple[str, Understood]]]  # campaign -> (match type, understood)
    # campaign -> its published promoted products as (product id, category slug, approved headlines by language)
    promoted: dict[int, list[tuple[int, str, dict]]]
    campaigns: dict[int, ServingTerms]
    version: object
    built_at: float


_index: KeywordIndex | None = None
_index_lock = threading.Lock()


def keyword_index_invalidate() -> None:
    """Called by every service that changes keywords, bids or campaign states: each process rebuilds its index on
    its next search (the version lives in the shared cache, so every web process hears it)."""
    global _index
    cache.set(INDEX_VERSION_KEY, time.time_ns(), None)
    _index = None


def keyword_index() -> KeywordIndex:
    """Every active keyword of every active campaign, by concept, with the campaigns' negatives and promoted products,
    so a query finds its candidates without a query of its own. Rebuilt (three queries) when a service changed
    keywords, promotions or headlines, or after INDEX_MAX_AGE_SECONDS (a product unpublished meanwhile is dropped
    when the winners are loaded)."""
    global _index, _version_checked_at
    current = _index
    clock = time.monotonic()
    if current is not None and clock - _version_checked_at < INDEX_VERSION_CHECK_SECONDS:
        return current
    version = cache.get(INDEX_VERSION_KEY)
    if current is not None and current.version == version and clock - current.built_at < INDEX_MAX_AGE_SECONDS:
        _version_checked_at = clock
        return current
    with _index_lock:
        by_concept: dict[str, list[IndexedKeyword]] = {}
        rows = AdKeyword.objects.filter(state=KeywordState.ACTIVE, campaign__state=CampaignState.ACTIVE).values_list(
            "pk", "campaign_id", "match_type", "concepts", "normalized", "bid", "quality_ctr"
        )
        for pk, campaign_id, match_type, concepts, normalized, bid, ctr in rows:
            understood = Understood.from_json(concepts, normalized)
            entry = IndexedKeyword(pk, campaign_id, match_type, understood, bid, ctr)
            for concept in understood.concepts:
                by_concept.setdefault(concept, []).append(entry)
        negatives: dict[int, list[tuple[str, Understood]]] = {}
        for campaign_id, match_type, concepts, normalized in AdNegativeKeyword.objects.filter(
            campaign__state=CampaignState.ACTIVE
        ).values_list("campaign_id", "match_type", "concepts", "normalized"):
            negatives.setdefault(campaign_id, []).append((match_type, Understood.from_json(concepts, normalized)))
        promoted: dict[int, list[tuple[int, str, dict]]] = {}
        for campaign_id, product_id, slug, headlines in AdPromotedProduct.objects.filter(
            campaign__state=CampaignState.ACTIVE, product__status=ProductStatus.PUBLISHED
        ).values_list("campaign_id", "product_id", "product__category__slug", "headlines"):
            promoted.setdefault(campaign_id, []).append((product_id, slug, headlines or {}))
        campaigns = {
            row[0]: ServingTerms(*row)
            for row in AdCampaign.objects.filter(state=CampaignState.ACTIVE).values_list(
                "pk", "supplier_id", "daily_budget", "bid_ceiling", "starts_on", "ends_on", "start_hour", "end_hour"
            )
        }
        _index = KeywordIndex(by_concept, negatives, promoted, campaigns, version, time.monotonic())
        _version_checked_at = time.monotonic()
        return _index


def _excluded_by_negative(negatives: list[tuple[str, Understood]], query: Understood) -> bool:
    for match_type, negative in negatives:
        if match_type == MatchType.EXACT and negative.normalized == query.normalized:
            return True
        if match_type == MatchType.PHRASE and matches(negative, MatchType.PHRASE, query):
            return True
    return False


def keywords_triggered(query: Understood) -> list[IndexedKeyword]:
    index = keyword_index()
    seen: dict[int, IndexedKeyword] = {}
    for concept in query.spans:
        for entry in index.by_concept.get(concept, ()):
            if entry.keyword_id not in seen and matches(entry.understood, entry.match_type, query):
                seen[entry.keyword_id] = entry
    return [
        entry for entry in seen.values() if not _excluded_by_negative(index.negatives.get(entry.campaign_id, []), query)
    ]


def campaigns_serving(*, campaign_ids, now: datetime) -> dict[int, ServingCampaign]:
    """The campaigns among `campaign_ids` that may show now: active, in their dates and hours (from the index),
    budget left and not running ahead of their pacing (today's spend: one query)."""
    today, local = timezone.localdate(now), timezone.localtime(now)
    index = keyword_index()
    eligible = {
        pk: terms
        for pk in campaign_ids
        if (terms := index.campaigns.get(pk)) is not None
        and terms.starts_on <= today
        and (terms.ends_on is None or terms.ends_on >= today)
        and terms.start_hour <= local.hour < terms.end_hour
    }
    if not eligible:
        return {}
    spent = dict(AdCampaignDay.objects.filter(campaign_id__in=eligible, day=today).values_list("campaign_id", "spend"))
    serving = {}
    for pk, terms in eligible.items():
        spend = spent.get(pk, Decimal("0"))
        fraction = day_fraction(local, start_hour=terms.start_hour, end_hour=terms.end_hour)
        if pacing_allows(spend=spend, budget=terms.daily_budget, fraction_of_day=fraction):
            serving[pk] = ServingCampaign(terms, spend)
    return serving


def promoted_headlines(*, campaign_id: int, product_id: int) -> dict:
    """The approved headlines of a promoted product, by language, from the keyword index (no query)."""
    for promoted_id, _slug, headlines in keyword_index().promoted.get(campaign_id, ()):
        if promoted_id == product_id:
            return headlines
    return {}


def candidates_for_query(*, parsed: ParsedQuery, query: Understood, now: datetime) -> list[Candidate]:
    """Every (keyword, promoted product) pair that may enter the auction for this query, with the listing's
    relevance: 1 when the product matches every word of the query, 0.7 when it matches some and its category is the
    one the query names, 0.4 when it matches some otherwise (below the floor), 0 when it matches none."""
    triggered = keywords_triggered(query)
    if not triggered:
        return []
    campaigns = campaigns_serving(campaign_ids={k.campaign_id for k in triggered}, now=now)
    if not campaigns:
        return []
    index = keyword_index()
    promoted = [
        (campaign_id, product_id, slug)
        for campaign_id in campaigns
        for product_id, slug, _headlines in index.promoted.get(campaign_id, ())
    ]
    product_ids = {product_id for _c, product_id, _s in promoted}
    if not product_ids or not parsed.groups:
        return []
    backend = get_backend()
    documents = ProductSearchDocument.objects.filter(product_id__in=product_ids)
    full = set(backend.match(documents, parsed.groups, require_all=True).values_list("product_id", flat=True))
    partial: set[int] = set()
    if product_ids - full:  # only the products that did not match every word need the second look
        rest = ProductSearchDocument.objects.filter(product_id__in=product_ids - full)
        partial = set(backend.match(rest, parsed.groups, require_all=False).values_list("product_id", flat=True))
    hinted = set(parsed.category_slugs)
    by_campaign: dict[int, list[tuple[int, str]]] = {}
    for campaign_id, product_id, slug in promoted:
        by_campaign.setdefault(campaign_id, []).append((product_id, slug))
    out = []
    for keyword in triggered:
        campaign = campaigns.get(keyword.campaign_id)
        if campaign is None:
            continue
        terms = campaign.terms
        bid = min(keyword.bid, terms.bid_ceiling, terms.daily_budget - campaign.spend_today)
        for product_id, slug in by_campaign.get(keyword.campaign_id, []):
            if product_id in full:
                relevance = 1.0
            elif product_id in partial:
                relevance = 0.7 if slug in hinted else 0.4
            else:
                relevance = 0.0
            out.append(
                Candidate(
                    keyword.keyword_id,
                    keyword.campaign_id,
                    product_id,
                    bid,
                    keyword.ctr,
                    relevance,
                    advertiser_id=terms.supplier_id,
                )
            )
    return out


# --- seller and operator screens ------------------------------------------------------------------------------


def campaign_daily_figures(*, campaign: AdCampaign, days: int = 30, today: date | None = None) -> list[dict]:
    """Spend, impressions, clicks, inquiries and cost per inquiry per day, oldest first, every day present."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows: dict[date, dict] = {
        row["day"]: {name.removeprefix("n_"): value for name, value in row.items() if name != "day"}
        for row in AdStat.objects.filter(campaign=campaign, day__gte=start, day__lte=today)
        .values("day")
        .annotate(
            n_impressions=Sum("impressions"),
            n_clicks=Sum("clicks"),
            n_spend=Sum("spend"),
            n_conversions=Sum("conversions"),
        )
    }
    out = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        row = rows.get(day, {})
        spend: Decimal = row.get("spend") or Decimal("0")
        conversions: int = row.get("conversions") or 0
        out.append(
            {
                "day": day,
                "impressions": row.get("impressions") or 0,
                "clicks": row.get("clicks") or 0,
                "spend": spend,
                "conversions": conversions,
                "cost_per_inquiry": (spend / conversions).quantize(Decimal("0.01")) if conversions else None,
            }
        )
    return out


def keyword_figures(*, campaign: AdCampaign, since: date) -> QuerySet:
    """The campaign's keywords with their figures since `since` (one query)."""
    return campaign.keywords.annotate(
        f_impressions=Coalesce(Sum("stats__impressions", filter=Q(stats__day__gte=since)), 0),
        f_clicks=Coalesce(Sum("stats__clicks", filter=Q(stats__day__gte=since)), 0),
        f_spend=Coalesce(
            Sum("stats__spend", filter=Q(stats__day__gte=since)),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        f_conversions=Coalesce(Sum("stats__conversions", filter=Q(stats__day__gte=since)), 0),
    ).order_by("-f_spend", "normalized")


def search_term_report(*, campaign: AdCampaign, since: date, limit: int = 200) -> list[dict]:
    """What buyers actually typed when the campaign's ads showed, with the keyword that matched (one query)."""
    rows = (
        AdStat.objects.filter(campaign=campaign, day__gte=since)
        .values("search_term", "language", "keyword_id", "keyword__text", "keyword__match_type")
        .annotate(
            n_impressions=Sum("impressions"),
            n_clicks=Sum("clicks"),
            n_spend=Sum("spend"),
            n_conversions=Sum("conversions"),
        )
        .order_by("-n_clicks", "-n_impressions", "search_term")[:limit]
    )
    return [{name.removeprefix("n_"): value for name, value in row.items()} for row in rows]


def platform_revenue_by_day(*, days: int = 30, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    rows = (
        AdCampaignDay.objects.filter(day__gt=today - timedelta(days=days))
        .values("day")
        .annotate(revenue=Sum("spend"), campaigns=Count("campaign", distinct=True))
        .order_by("day")
    )
    return [dict(row) for row in rows]


def click_patterns_flagged(*, since: datetime, limit: int = 50) -> list[dict]:
    """Visitors whose clicks were refused as bots, floods or repeats, most first: what an operator looks into."""
    rows = (
        AdClick.objects.filter(clicked_at__gte=since)
        .exclude(not_billed="")
        .values("visitor", "not_billed")
        .annotate(clicks=Count("pk"), campaigns=Count("campaign", distinct=True))
        .order_by("-clicks")[:limit]
    )
    return [dict(row) for row in rows]


# --- the admin screens: campaign lists with their figures, the campaign page, keyword suggestions ---------------

FIGURE_DAYS = 30  # "last 30 days", today included, on every seller and operator screen
SUGGESTION_SOURCES = ("search", "translation", "product", "category")


def figures_since(*, today: date | None = None, days: int = FIGURE_DAYS) -> date:
    return (today or timezone.localdate()) - timedelta(days=days - 1)


def campaigns_with_figures(queryset: QuerySet, *, today: date | None = None, days: int = FIGURE_DAYS) -> QuerySet:
    """`queryset` (campaigns) with today's spend and the last `days` days' impressions, clicks, spend and inquiries,
    each a subquery of the list's own query: one query whatever the number of campaigns."""
    today = today or timezone.localdate()
    since = figures_since(today=today, days=days)
    money = DecimalField(max_digits=12, decimal_places=2)

    def total(field: str, output, zero):
        rows = (
            AdStat.objects.filter(campaign=OuterRef("pk"), day__gte=since, day__lte=today)
            .order_by()
            .values("campaign")
            .annotate(total=Sum(field))
            .values("total")[:1]
        )
        return Coalesce(Subquery(rows, output_field=output), Value(zero), output_field=output)

    spend_today = AdCampaignDay.objects.filter(campaign=OuterRef("pk"), day=today).values("spend")[:1]
    return queryset.annotate(
        f_spend_today=Coalesce(Subquery(spend_today, output_field=money), Value(Decimal("0")), output_field=money),
        f_impressions=total("impressions", IntegerField(), 0),
        f_clicks=total("clicks", IntegerField(), 0),
        f_spend=total("spend", money, Decimal("0")),
        f_conversions=total("conversions", IntegerField(), 0),
    )


def recommendations_pending(*, campaign: AdCampaign, limit: int = 200) -> list[AdRecommendation]:
    """What the tuner suggests and the seller has not decided yet, the latest run's first (one query)."""
    return list(
        AdRecommendation.objects.filter(run__campaign=campaign, state=RecommendationState.PENDING)
        .select_related("run", "keyword", "promoted__product")
        .order_by("-run__day", "-run_id", "kind", "text", "pk")[:limit]
    )


def tuning_runs_for_campaign(*, campaign: AdCampaign, limit: int = 30) -> list[AdTuningRun]:
    return list(AdTuningRun.objects.filter(campaign=campaign).order_by("-day", "-id")[:limit])


def promoted_for_campaign(*, campaign: AdCampaign) -> list[AdPromotedProduct]:
    return list(
        AdPromotedProduct.objects.filter(campaign=campaign).select_related("product").order_by("product__title", "pk")
    )


def promotable_products(*, supplier, campaign: AdCampaign | None = None) -> QuerySet:
    """The supplier's published products a campaign may promote (those it does not promote yet)."""
    products = Product.objects.filter(supplier=supplier, status=ProductStatus.PUBLISHED).order_by("title", "pk")
    if campaign is not None:
        products = products.exclude(pk__in=AdPromotedProduct.objects.filter(campaign=campaign).values("product_id"))
    return products


def _keyword_phrases(text: str) -> list[str]:
    return [" ".join(part.split()) for part in re.split(r"[,;\n|、，；]", text or "") if part.strip()]


def keyword_suggestions(*, campaign: AdCampaign, limit: int = 30) -> list[tuple[str, str, str]]:
    """Keywords the campaign could add, as (text, language, source), in several buyer languages: what buyers
    searched in the promoted products' categories ("search"), the keywords of the products' translations
    ("translation") and of the products themselves ("product"), and the categories' names in every language
    ("category"). The sources take turns so each is represented; a suggestion is never one of the campaign's
    keywords or negative keywords (compared as matching compares them). A few queries, whatever the catalog."""
    from search.selectors import search_log_terms_for_categories

    promoted = list(
        AdPromotedProduct.objects.filter(campaign=campaign).values_list(
            "product_id",
            "product__language",
            "product__keywords",
            "product__category__slug",
            "product__category__name",
            "product__category__names",
        )
    )
    if not promoted:
        return []
    candidates: dict[str, list[tuple[str, str]]] = {source: [] for source in SUGGESTION_SOURCES}
    categories: dict[str, tuple[str, dict]] = {}
    for _pk, language, keywords, slug, name, names in promoted:
        candidates["product"] += [(phrase, language or "en") for phrase in _keyword_phrases(keywords)]
        if slug:
            categories[slug] = (name, names or {})
    for language, keywords in (
        ProductTranslation.objects.filter(product_id__in=[row[0] for row in promoted])
        .exclude(keywords="")
        .order_by("language", "pk")
        .values_list("language", "keywords")
    ):
        candidates["translation"] += [(phrase, language) for phrase in _keyword_phrases(keywords)]
    for name, names in categories.values():
        candidates["category"] += [(name, "en"), *sorted((text, code) for code, text in names.items() if text)]
    if categories:
        since = timezone.now() - timedelta(days=FIGURE_DAYS)
        candidates["search"] = [
            (term, language)
            for term, language, _searches in search_log_terms_for_categories(
                category_slugs=list(categories), since=since
            )
        ]

    have = set(campaign.keywords.values_list("normalized", flat=True))
    have |= set(campaign.negative_keywords.values_list("normalized", flat=True))
    seen_text: set[tuple[str, str]] = set()
    out: list[tuple[str, str, str]] = []
    queues = {source: iter(candidates[source]) for source in SUGGESTION_SOURCES}
    while queues and len(out) < limit:
        for source in list(queues):
            for text, language in queues[source]:
                language = base_language(language)
                text = " ".join(str(text).split())
                if not text or len(text) > 80 or (text.casefold(), language) in seen_text:
                    continue
                seen_text.add((text.casefold(), language))
                understood = understand(text, language=language)
                if not understood.groups or understood.normalized in have:
                    continue
                have.add(understood.normalized)
                out.append((text, language, source))
                break
            else:
                del queues[source]  # this source has nothing more to offer
            if len(out) >= limit:
                break
    return out
