"""Every write of the ads app: campaigns and keywords as sellers set them up, clicks and conversions as buyers
make them, impressions in batches, and the nightly tuning run with the recommendations a seller applies."""

import hashlib
import re
import statistics
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.languages import base_language
from marketplace.models import Product
from search import glossary
from suppliers.models import Supplier

from . import tuning
from .ai import headline_suggest
from .matching import understand
from .models import (
    MAX_BID,
    MIN_BID,
    AdCampaign,
    AdCampaignDay,
    AdClick,
    AdConversion,
    AdKeyword,
    AdNegativeKeyword,
    AdPromotedProduct,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    CampaignState,
    ConversionKind,
    KeywordState,
    MatchType,
    RecommendationKind,
    RecommendationState,
    TuningRunState,
)
from .selectors import keyword_index_invalidate

BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|fetch|preview|monitor|curl|wget|python-requests|httpx|aiohttp|go-http|java/|headless",
    re.IGNORECASE,
)
# Words of company names that say nothing about whose brand it is (legal forms, generic trade words).
GENERIC_NAME_WORDS = {
    "co",
    "ltd",
    "limited",
    "company",
    "inc",
    "corp",
    "corporation",
    "group",
    "industrial",
    "industry",
    "industries",
    "technology",
    "technologies",
    "tech",
    "trading",
    "trade",
    "manufacturing",
    "manufacturer",
    "factory",
    "international",
    "import",
    "export",
    "imp",
    "exp",
    "and",
    "products",
    "product",
    "equipment",
    "supply",
    "supplies",
    "global",
}
# Days of mature figures behind the realised cost per inquiry that moves λ (7 tracked the target best in
# bench/ads_simulation.py; longer windows react too slowly).
REALISED_WINDOW_DAYS = 7
CAMPAIGN_FIELDS = (
    "name",
    "state",
    "daily_budget",
    "target_cost_per_inquiry",
    "bid_floor",
    "bid_ceiling",
    "starts_on",
    "ends_on",
    "start_hour",
    "end_hour",
    "auto_apply",
)


# --- campaigns, keywords, promoted products --------------------------------------------------------------------


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount, like 2.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount, like 2.50.")})
    return amount


def _check_campaign(campaign: AdCampaign) -> None:
    """Each field's own rules first (model validators); the rules between fields only for fields that passed."""
    try:
        # The constraints between fields are checked below, with messages a seller understands.
        campaign.full_clean(exclude=["supplier"], validate_constraints=False)
        errors: dict = {}
    except ValidationError as error:
        errors = dict(error.message_dict)
    ok = lambda *names: not any(name in errors for name in names)  # noqa: E731
    if ok("bid_ceiling", "daily_budget") and campaign.bid_ceiling > campaign.daily_budget:
        errors["bid_ceiling"] = [_("The highest bid cannot be more than the daily budget.")]
    if ok("bid_floor", "bid_ceiling") and campaign.bid_floor > campaign.bid_ceiling:
        errors["bid_floor"] = [_("The lowest bid cannot be above the highest bid.")]
    if ok("ends_on", "starts_on") and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    if ok("start_hour", "end_hour") and campaign.start_hour >= campaign.end_hour:
        errors["end_hour"] = [_("Ads must show for at least one hour a day: the end hour comes after the start hour.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(*, supplier: Supplier, **fields) -> AdCampaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name in ("daily_budget", "target_cost_per_inquiry", "bid_floor", "bid_ceiling"):
        if name in fields:
            fields[name] = _money(fields[name], name)
    fields.setdefault("starts_on", timezone.localdate())
    campaign = AdCampaign(supplier=supplier, **fields)
    _check_campaign(campaign)
    campaign.save()
    keyword_index_invalidate()
    return campaign


@transaction.atomic
def campaign_update(*, campaign: AdCampaign, **fields) -> AdCampaign:
    """Changes settings; a new daily budget applies to today at once (never below what today already spent)."""
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    campaign = AdCampaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in fields.items():
        if name in ("daily_budget", "target_cost_per_inquiry", "bid_floor", "bid_ceiling"):
            value = _money(value, name)
        setattr(campaign, name, value)
    _check_campaign(campaign)
    campaign.save()
    today = AdCampaignDay.objects.select_for_update().filter(campaign=campaign, day=timezone.localdate()).first()
    if today is not None:
        today.budget = max(campaign.daily_budget, today.spend)
        today.save(update_fields=["budget"])
    if campaign.bid_ceiling is not None:
        # Bids above a lowered ceiling come down to it; the auction would cap them anyway, the table should agree.
        campaign.keywords.filter(bid__gt=campaign.bid_ceiling).update(bid=campaign.bid_ceiling)
    keyword_index_invalidate()
    return campaign


def _competitor_brands(supplier: Supplier) -> list[tuple[str, list[str]]]:
    """Every other supplier's name with the phrases that would name it in a keyword: two distinctive words of the
    name in a row ("boreal power"), or its only distinctive word. Legal forms and trade vocabulary are not
    distinctive ("power tools" is a product, even in "Jinhua Boreal Power Tools"). One query; a bulk add reads it
    once for all its lines."""

    def trade_term(*words: str) -> bool:
        return bool(glossary.lookup(" ".join(words)))

    brands = []
    for name in Supplier.objects.exclude(pk=supplier.pk).values_list("name", flat=True).iterator():
        distinctive = [w for w in re.findall(r"\w+", name.lower()) if w not in GENERIC_NAME_WORDS and len(w) > 1]
        if len(distinctive) == 1:
            phrases = [distinctive[0]] if len(distinctive[0]) >= 4 and not trade_term(distinctive[0]) else []
        else:
            phrases = [
                f"{first} {second}"
                for first, second in zip(distinctive, distinctive[1:], strict=False)
                if not (trade_term(first, second) or (trade_term(first) and trade_term(second)))
            ]
        if phrases:
            brands.append((name, phrases))
    return brands


def _brand_named(text: str, brands: list[tuple[str, list[str]]]) -> str | None:
    joined = " " + " ".join(re.findall(r"\w+", text.lower())) + " "
    for name, phrases in brands:
        if any(f" {phrase} " in joined for phrase in phrases):
            return name
    return None


def _keyword_text(text: str, field: str = "text") -> str:
    text = " ".join(strip_tags(str(text or "")).split())
    if not text:
        raise ValidationError({field: _("Enter a keyword.")})
    if len(text) > 80:
        raise ValidationError({field: _("A keyword has at most 80 characters.")})
    return text


def _bid(value, campaign: AdCampaign) -> Decimal:
    bid = _money(value, "bid")
    if bid < MIN_BID:
        raise ValidationError(
            {"bid": _("The lowest bid is %(min)s %(cur)s.") % {"min": MIN_BID, "cur": campaign.currency}}
        )
    if bid > MAX_BID:
        raise ValidationError(
            {"bid": _("The highest bid is %(max)s %(cur)s.") % {"max": MAX_BID, "cur": campaign.currency}}
        )
    if bid > campaign.daily_budget:
        raise ValidationError({"bid": _("A bid cannot be more than the campaign's daily budget.")})
    if bid > campaign.bid_ceiling:
        raise ValidationError(
            {"bid": _("This campaign's highest bid is %(max)s; raise it first.") % {"max": campaign.bid_ceiling}}
        )
    return bid


def keyword_add(
    *, campaign: AdCampaign, text: str, bid, language: str = "en", match_type: str = MatchType.BROAD
) -> AdKeyword:
    return _keyword_add(campaign, text, bid, language, match_type, brands=_competitor_brands(campaign.supplier))


def _keyword_add(campaign: AdCampaign, text: str, bid, language: str, match_type: str, *, brands) -> AdKeyword:
    text = _keyword_text(text)
    if match_type not in MatchType.values:
        raise ValidationError({"match_type": _("Choose exact, phrase or broad.")})
    language = base_language(language or "en")
    bid = _bid(bid, campaign)
    understood = understand(text, language=language)
    if not understood.groups:
        raise ValidationError({"text": _("This keyword has no words a buyer would search for.")})
    brand = _brand_named(text, brands)
    if brand:
        raise ValidationError({"text": _("Keywords cannot name another supplier (%(name)s).") % {"name": brand}})
    with transaction.atomic():
        AdCampaign.objects.select_for_update().get(pk=campaign.pk)  # the keyword cap, counted one writer at a time
        if campaign.keywords.count() >= settings.ADS_MAX_KEYWORDS_PER_CAMPAIGN:
            raise ValidationError(
                _("A campaign has at most %(n)s keywords.") % {"n": settings.ADS_MAX_KEYWORDS_PER_CAMPAIGN}
            )
        if campaign.keywords.filter(normalized=understood.normalized, match_type=match_type).exists():
            raise ValidationError({"text": _("The campaign already has this keyword (or one that means the same).")})
        keyword = AdKeyword.objects.create(
            campaign=campaign,
            text=text,
            normalized=understood.normalized,
            concepts=understood.as_json(),
            language=language,
            match_type=match_type,
            bid=bid,
        )
    keyword_index_invalidate()
    return keyword


def keywords_add_bulk(*, campaign: AdCampaign, lines: list[str], bid, language: str, match_type: str) -> list[dict]:
    """One keyword per line (at most 1,000 lines read); a report per distinct line (added, or why not). A bad line
    never stops the others; lines repeated in the paste are reported once."""
    report, seen = [], set()
    brands = _competitor_brands(campaign.supplier)
    for line in lines[:1000]:
        text = " ".join(str(line).split())
        if not text or text.lower() in seen:
            continue
        seen.add(text.lower())
        try:
            keyword = _keyword_add(campaign, text, bid, language, match_type, brands=brands)
            report.append({"text": text, "added": True, "keyword": keyword, "error": ""})
        except ValidationError as error:
            report.append({"text": text, "added": False, "keyword": None, "error": " ".join(error.messages)})
    return report


@transaction.atomic
def keyword_update(*, keyword: AdKeyword, bid=None, state: str | None = None) -> AdKeyword:
    keyword = AdKeyword.objects.select_for_update().select_related("campaign").get(pk=keyword.pk)
    if bid is not None:
        keyword.bid = _bid(bid, keyword.campaign)
    if state is not None:
        if state not in KeywordState.values:
            raise ValidationError({"state": _("Choose active or paused.")})
        keyword.state = state
    keyword.save(update_fields=["bid", "state"])
    keyword_index_invalidate()
    return keyword


def negative_keyword_add(*, campaign: AdCampaign, text: str, match_type: str = MatchType.PHRASE) -> AdNegativeKeyword:
    text = _keyword_text(text)
    if match_type not in (MatchType.EXACT, MatchType.PHRASE):
        raise ValidationError({"match_type": _("Negative keywords are exact or phrase.")})
    understood = understand(text)
    if not understood.groups:
        raise ValidationError({"text": _("This keyword has no words a buyer would search for.")})
    try:
        with transaction.atomic():
            negative = AdNegativeKeyword.objects.create(
                campaign=campaign,
                text=text,
                normalized=understood.normalized,
                concepts=understood.as_json(),
                match_type=match_type,
            )
    except IntegrityError:
        raise ValidationError({"text": _("This negative keyword is already there.")}) from None
    keyword_index_invalidate()
    return negative


def promoted_product_add(*, campaign: AdCampaign, product: Product) -> AdPromotedProduct:
    if product.supplier_id != campaign.supplier_id:
        raise ValidationError({"product": _("Only your own products can be promoted.")})
    if not product.is_published:
        raise ValidationError({"product": _("Publish the product before promoting it.")})
    promoted, _created = AdPromotedProduct.objects.get_or_create(campaign=campaign, product=product)
    keyword_index_invalidate()
    return promoted


def negative_keywords_delete(*, campaign: AdCampaign, ids: list[int]) -> int:
    _total, by_model = AdNegativeKeyword.objects.filter(campaign=campaign, pk__in=ids).delete()
    keyword_index_invalidate()
    return by_model.get(AdNegativeKeyword._meta.label, 0)


@transaction.atomic
def promoted_products_remove(*, campaign: AdCampaign, ids: list[int]) -> int:
    # Its headline suggestions go with it (AdRecommendation.promoted cascades): they are moot once it is not promoted.
    _total, by_model = AdPromotedProduct.objects.filter(campaign=campaign, pk__in=ids).delete()
    keyword_index_invalidate()
    return by_model.get(AdPromotedProduct._meta.label, 0)


# --- buyers: clicks and conversions ----------------------------------------------------------------------------


def visitor_key(*, user=None, ip: str = "") -> str:
    """A salted hash: the same buyer (or address) gives the same key; the key gives nobody away."""
    who = f"user:{user.pk}" if user is not None and user.is_authenticated else f"ip:{ip}"
    return hashlib.sha256(f"{settings.SECRET_KEY}|ads|{who}".encode()).hexdigest()[:40]


def _stat_add(*, campaign_id, keyword_id, day: date, term: str, language: str, **increments) -> None:
    stat, _created = AdStat.objects.get_or_create(
        keyword_id=keyword_id,
        day=day,
        search_term=term[:200],
        defaults={"campaign_id": campaign_id, "language": language[:10]},
    )
    AdStat.objects.filter(pk=stat.pk).update(**{name: F(name) + value for name, value in increments.items()})


def ad_click_record(
    *,
    payload: dict,
    user=None,
    ip: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> AdClick | None:
    """Record a click from a verified click link. Charges the auction's price once, atomically and never past the
    daily budget; returns None for a replayed link (nothing recorded). A click that is not billed says why."""
    now = now or timezone.now()
    campaign = AdCampaign.objects.filter(pk=payload["c"]).select_related("supplier").first()
    product_id = int(payload["p"])
    if campaign is None or not Product.objects.filter(pk=product_id, supplier_id=campaign.supplier_id).exists():
        return None
    visitor = visitor_key(user=user, ip=ip)
    buyer = user if user is not None and user.is_authenticated else None
    keyword = AdKeyword.objects.filter(pk=payload["k"], campaign=campaign).first()
    price = min(_money(payload["$"], "price"), keyword.bid if keyword else MIN_BID)
    term, language = str(payload.get("t", ""))[:200], str(payload.get("l", "en"))[:10]
    day = timezone.localdate(now)

    reason = ""
    if not user_agent or BOT_AGENTS.search(user_agent):
        reason = AdClick.NotBilled.BOT
    elif buyer is not None and getattr(getattr(buyer, "supplier_membership", None), "supplier_id", None) == (
        campaign.supplier_id
    ):
        reason = AdClick.NotBilled.OWN
    elif (
        AdClick.objects.filter(visitor=visitor, clicked_at__gte=now - timedelta(hours=1)).count()
        >= settings.ADS_CLICK_FLOOD_PER_HOUR
    ):
        reason = AdClick.NotBilled.FLOOD
    elif AdClick.objects.filter(
        visitor=visitor,
        campaign=campaign,
        product_id=product_id,
        not_billed="",
        clicked_at__gte=now - timedelta(hours=settings.ADS_REPEAT_CLICK_HOURS),
    ).exists():
        reason = AdClick.NotBilled.REPEAT
    try:
        with transaction.atomic():
            cost = Decimal("0")
            if not reason:
                spent_row, _created = AdCampaignDay.objects.get_or_create(
                    campaign=campaign, day=day, defaults={"budget": campaign.daily_budget}
                )
                # Conditional: two clicks racing for the last of the budget cannot both be charged.
                charged = AdCampaignDay.objects.filter(pk=spent_row.pk, spend__lte=F("budget") - price).update(
                    spend=F("spend") + price
                )
                if charged:
                    cost = price
                else:
                    reason = AdClick.NotBilled.BUDGET
            click = AdClick.objects.create(
                campaign=campaign,
                keyword=keyword,
                product_id=product_id,
                buyer=buyer,
                search_term=term,
                language=language,
                visitor=visitor,
                nonce=str(payload["n"])[:32],
                cost=cost,
                not_billed=reason,
                clicked_at=now,
            )
            if not reason and keyword is not None:
                _stat_add(
                    campaign_id=campaign.pk,
                    keyword_id=keyword.pk,
                    day=day,
                    term=term,
                    language=language,
                    clicks=1,
                    spend=cost,
                )
    except IntegrityError:
        return None  # the nonce was taken: a replayed link (or two tabs of one); billed at most once
    return click


def ad_conversions_record(*, buyer, supplier_ids, product_ids, kind: str, reference: int, at: datetime) -> int:
    """A buyer reached suppliers (an inquiry about a product, an RFQ): for each advertiser among them, the buyer's
    latest real click (not a bot's, a flood's or the advertiser's own) within ADS_ATTRIBUTION_DAYS — on the
    inquiry's product, or on any of the advertiser's products for an RFQ — gets the conversion, once per inquiry or
    RFQ and campaign. Returns the number of conversions recorded."""
    if buyer is None or not getattr(buyer, "pk", None) or not supplier_ids:
        return 0
    clicks = AdClick.objects.filter(
        buyer_id=buyer.pk,
        campaign__supplier_id__in=supplier_ids,
        clicked_at__gte=at - timedelta(days=settings.ADS_ATTRIBUTION_DAYS),
        clicked_at__lte=at,
        not_billed__in=["", AdClick.NotBilled.REPEAT],
    ).select_related("campaign")
    if product_ids and kind == ConversionKind.INQUIRY:
        clicks = clicks.filter(product_id__in=product_ids)  # an inquiry is about its product; an RFQ, the supplier's
    latest: dict[int, AdClick] = {}
    for click in clicks.order_by("-clicked_at", "-pk"):
        latest.setdefault(click.campaign_id, click)
    recorded = 0
    with transaction.atomic():
        for campaign_id, click in latest.items():
            _conversion, created = AdConversion.objects.get_or_create(
                kind=kind,
                reference=reference,
                campaign_id=campaign_id,
                defaults={"click": click, "converted_at": at},
            )
            if created and click.keyword_id is not None:
                # Counted on the click's day: the tuner waits ADS_CONVERSION_LAG_DAYS before judging a day's clicks.
                _stat_add(
                    campaign_id=campaign_id,
                    keyword_id=click.keyword_id,
                    day=timezone.localdate(click.clicked_at),
                    term=click.search_term,
                    language=click.language,
                    conversions=1,
                )
            recorded += created
    return recorded


def impressions_flush(*, rows: list) -> int:
    """rows: [campaign id, keyword id, ISO day, search term, language, count]; keywords deleted since are skipped."""
    keywords = set(AdKeyword.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", flat=True))
    written = 0
    with transaction.atomic():
        # In one order everywhere: two web processes flushing the same rows at once (both exiting, say) then wait
        # for each other's row locks in turn instead of deadlocking on them.
        for campaign_id, keyword_id, day, term, language, count in sorted(rows, key=lambda row: row[1:4]):
            if keyword_id in keywords and int(count) > 0:
                _stat_add(
                    campaign_id=campaign_id,
                    keyword_id=keyword_id,
                    day=date.fromisoformat(day),
                    term=term,
                    language=language,
                    impressions=int(count),
                )
                written += 1
    return written


# --- tuning ----------------------------------------------------------------------------------------------------


def _keyword_histories(campaign: AdCampaign, day: date) -> tuple[list[tuning.KeywordHistory], list]:
    since = day - timedelta(days=30)
    mature_before = day - timedelta(days=settings.ADS_CONVERSION_LAG_DAYS)
    stats = AdStat.objects.filter(campaign=campaign, day__gte=since, day__lt=day)
    by_keyword: dict[int | None, dict] = {
        row["keyword_id"]: dict(row)
        for row in stats.values("keyword_id").annotate(
            n_impressions=Sum("impressions"),
            n_clicks=Sum("clicks"),
            n_spend=Sum("spend"),
            n_conversions=Sum("conversions", filter=Q(day__lt=mature_before)),
            n_mature_clicks=Sum("clicks", filter=Q(day__lt=mature_before)),
        )
    }
    histories = []
    for keyword in campaign.keywords.all():
        row = by_keyword.get(keyword.pk, {})
        histories.append(
            tuning.KeywordHistory(
                keyword_id=keyword.pk,
                text=keyword.text,
                language=keyword.language,
                match_type=keyword.match_type,
                bid=keyword.bid,
                impressions=row.get("n_impressions") or 0,
                clicks=row.get("n_clicks") or 0,
                conversions=row.get("n_conversions") or 0,
                mature_clicks=row.get("n_mature_clicks") or 0,
                spend=row.get("n_spend") or Decimal("0"),
                paused=keyword.state == KeywordState.PAUSED,
            )
        )
    # A term that is already a keyword's own text (any match type) is tuned through that keyword, never harvested
    # or excluded on its own.
    exact = set(campaign.keywords.values_list("normalized", flat=True))
    negatives = set(campaign.negative_keywords.values_list("normalized", flat=True))
    terms = []
    for term_row in (
        stats.values("search_term", "language", "keyword_id")
        .annotate(
            n_impressions=Sum("impressions"),
            n_clicks=Sum("clicks"),
            n_spend=Sum("spend"),
            n_conversions=Sum("conversions", filter=Q(day__lt=mature_before)),
            n_mature_clicks=Sum("clicks", filter=Q(day__lt=mature_before)),
        )
        .order_by("-n_clicks", "search_term")[:500]
    ):
        normalized = understand(term_row["search_term"], language=term_row["language"]).normalized
        terms.append(
            tuning.SearchTermHistory(
                term=term_row["search_term"],
                language=term_row["language"],
                keyword_id=term_row["keyword_id"],
                impressions=term_row["n_impressions"] or 0,
                clicks=term_row["n_clicks"] or 0,
                conversions=term_row["n_conversions"] or 0,
                mature_clicks=term_row["n_mature_clicks"] or 0,
                spend=term_row["n_spend"] or Decimal("0"),
                is_keyword=normalized in exact,
                is_negative=normalized in negatives,
            )
        )
    return histories, terms


def _category_priors(campaign: AdCampaign, day: date) -> tuple[tuning.BetaPrior, tuning.BetaPrior]:
    """The top of the hierarchy: CTR and CVR over every campaign promoting products in the same categories."""
    categories = AdPromotedProduct.objects.filter(campaign=campaign).values("product__category_id")
    peers = AdPromotedProduct.objects.filter(product__category_id__in=categories).values("campaign_id")
    mature_before = day - timedelta(days=settings.ADS_CONVERSION_LAG_DAYS)
    rows = (
        AdStat.objects.filter(campaign_id__in=peers, day__gte=day - timedelta(days=60), day__lt=day)
        .values("campaign_id")
        .annotate(
            n_impressions=Sum("impressions"),
            n_clicks=Sum("clicks"),
            n_conversions=Sum("conversions", filter=Q(day__lt=mature_before)),
            n_mature_clicks=Sum("clicks", filter=Q(day__lt=mature_before)),
        )
    )
    ctr = tuning.fit_prior(
        [(r["n_clicks"] or 0, r["n_impressions"] or 0) for r in rows], fallback=tuning.BetaPrior(1, 30)
    )
    cvr = tuning.fit_prior(
        [(r["n_conversions"] or 0, r["n_mature_clicks"] or 0) for r in rows], fallback=tuning.BetaPrior(1, 20)
    )
    return ctr, cvr


def _expansion_candidates(campaign: AdCampaign, day: date) -> list[tuple[str, str, int]]:
    """Buyer searches of the last 30 days in the promoted products' categories that are not yet keywords."""
    from search.selectors import search_log_terms_for_categories

    categories = list(
        AdPromotedProduct.objects.filter(campaign=campaign).values_list("product__category__slug", flat=True)
    )
    if not categories:
        return []
    have = set(campaign.keywords.values_list("normalized", flat=True)) | set(
        campaign.negative_keywords.values_list("normalized", flat=True)
    )
    out = []
    for term, language, searches in search_log_terms_for_categories(
        category_slugs=categories,
        since=timezone.make_aware(datetime.combine(day - timedelta(days=30), time.min)),
    ):
        understood = understand(term, language=language)
        if understood.groups and understood.normalized not in have:
            have.add(understood.normalized)
            out.append((term, language, searches))
    return out


def _refresh_quality(campaign: AdCampaign, day: date, ctr_prior: tuning.BetaPrior) -> None:
    """The auction's quality: each keyword's click-through rate over 30 days, smoothed towards the campaign's."""
    rows = {
        r["keyword_id"]: (r["n_clicks"] or 0, r["n_impressions"] or 0)
        for r in AdStat.objects.filter(campaign=campaign, day__gte=day - timedelta(days=30), day__lt=day)
        .values("keyword_id")
        .annotate(n_clicks=Sum("clicks"), n_impressions=Sum("impressions"))
    }
    keywords = list(campaign.keywords.all())
    for keyword in keywords:
        clicks, impressions = rows.get(keyword.pk, (0, 0))
        clicks = min(clicks, impressions)
        keyword.quality_ctr = (ctr_prior.alpha + clicks) / (ctr_prior.alpha + ctr_prior.beta + impressions)
    AdKeyword.objects.bulk_update(keywords, ["quality_ctr"])


def campaign_tune(*, campaign_id: int, day: date | None = None) -> AdTuningRun | None:
    """The nightly tuning run for one campaign: read 30 days of figures, ask the tuner (ads.tuning), record every
    recommendation with its reason, apply bid changes when the seller turned auto-apply on. Idempotent per campaign
    and day: a finished run is returned as it is; a failed one is tried again. A failure changes nothing but the
    run's own state and error."""
    day = day or timezone.localdate()
    campaign = AdCampaign.objects.filter(pk=campaign_id).select_related("supplier").first()
    if campaign is None:
        return None
    run, _created = AdTuningRun.objects.get_or_create(campaign=campaign, day=day)
    if run.state == TuningRunState.DONE:
        return run
    try:
        with transaction.atomic():
            run = AdTuningRun.objects.select_for_update().get(pk=run.pk)
            if run.state == TuningRunState.DONE:
                return run
            _tune(campaign, run, day)
            run.state, run.error, run.finished_at = TuningRunState.DONE, "", timezone.now()
            run.save(update_fields=["state", "error", "finished_at", "inputs"])
    except Exception as error:
        AdTuningRun.objects.filter(pk=run.pk).update(
            state=TuningRunState.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    keyword_index_invalidate()
    return run


def _tune(campaign: AdCampaign, run: AdTuningRun, day: date) -> None:
    keywords, terms = _keyword_histories(campaign, day)
    ctr_prior, cvr_prior = _category_priors(campaign, day)
    recent = {
        row.day: row.spend
        for row in AdCampaignDay.objects.filter(campaign=campaign, day__gte=day - timedelta(days=7), day__lt=day)
    }
    # λ's feedback: the cost per inquiry of the last REALISED_WINDOW_DAYS mature days (older ones were already
    # corrected for), and the λ that was in force while those clicks were bought, so a lagged measurement is not
    # corrected twice (ads.tuning.next_lambda).
    mature_before = day - timedelta(days=settings.ADS_CONVERSION_LAG_DAYS)
    window_start = mature_before - timedelta(days=REALISED_WINDOW_DAYS)
    totals = AdStat.objects.filter(campaign=campaign, day__gte=window_start, day__lt=mature_before).aggregate(
        spend=Sum("spend"), conversions=Sum("conversions")
    )
    realised = (totals["spend"] / totals["conversions"]) if totals["conversions"] else None
    runs = AdTuningRun.objects.filter(campaign=campaign, state=TuningRunState.DONE, day__lt=day)
    window_lambdas = [
        run_inputs["lambda"][1]
        for run_inputs in runs.filter(day__gte=window_start, day__lt=mature_before).values_list("inputs", flat=True)
        if isinstance(run_inputs, dict) and isinstance(run_inputs.get("lambda"), list)
    ]
    lambda_prev = campaign.tuning_lambda
    if not runs.exists():
        # The first run keeps the seller's typical bid: a second-price click costs less than the bid, so λ = 1 would
        # start every bid too low (ads.tuning.initial_lambda).
        active = [k for k in keywords if not k.paused]
        campaign_cvr = tuning.fit_prior([(k.conversions, k.mature_clicks) for k in keywords], fallback=cvr_prior)
        lambda_prev = tuning.initial_lambda(
            [k.bid for k in active],
            campaign.target_cost_per_inquiry,
            cvr_prior,
            typical_cvr=(
                statistics.median(campaign_cvr.posterior(k.conversions, k.mature_clicks).mean for k in active)
                if active
                else None
            ),
        )
    inputs = tuning.CampaignInputs(
        campaign_id=campaign.pk,
        day=day,
        target_cpi=campaign.target_cost_per_inquiry,
        daily_budget=campaign.daily_budget,
        bid_floor=campaign.bid_floor,
        bid_ceiling=campaign.bid_ceiling,
        keywords=tuple(keywords),
        search_terms=tuple(terms),
        expansion_candidates=tuple(_expansion_candidates(campaign, day)),
        category_ctr=ctr_prior,
        category_cvr=cvr_prior,
        lambda_prev=lambda_prev,
        lambda_window=sum(window_lambdas) / len(window_lambdas) if window_lambdas else None,
        realised_cpi=realised,
        realised_inquiries=totals["conversions"] or 0,
        currency=campaign.currency,
        recent_spend=tuple(recent.get(day - timedelta(days=n), Decimal("0")) for n in range(7, 0, -1)),
    )
    result = tuning.tune(inputs)
    run.inputs = {
        "keywords": len(keywords),
        "search_terms": len(terms),
        "clicks": sum(k.clicks for k in keywords),
        "conversions": sum(k.conversions for k in keywords),
        "spend": str(sum((k.spend for k in keywords), Decimal("0")).quantize(Decimal("0.01"))),
        "realised_cost_per_inquiry": str(realised.quantize(Decimal("0.01"))) if realised is not None else None,
        "target_cost_per_inquiry": str(campaign.target_cost_per_inquiry),
        "lambda": [lambda_prev, result.lambda_next],
        "pacing": result.pacing,
        "ctr_prior": [result.ctr_prior.alpha, result.ctr_prior.beta],
        "cvr_prior": [result.cvr_prior.alpha, result.cvr_prior.beta],
    }
    keyword_ids = {k.keyword_id for k in keywords}
    # A new run's advice replaces advice still waiting from earlier runs (it was computed on older figures).
    AdRecommendation.objects.filter(run__campaign=campaign, state=RecommendationState.PENDING).exclude(
        kind=RecommendationKind.HEADLINE
    ).update(state=RecommendationState.DISMISSED, decided_at=timezone.now())
    created = []
    for rec in result.recommendations:
        created.append(
            AdRecommendation(
                run=run,
                kind=rec.kind,
                keyword_id=rec.keyword_id if rec.keyword_id in keyword_ids else None,
                text=rec.text[:200],
                language=rec.language[:10],
                current_bid=rec.current_bid,
                proposed_bid=rec.proposed_bid,
                reason=rec.reason,
                evidence=rec.evidence,
            )
        )
    created += _headline_recommendations(campaign, run)
    AdRecommendation.objects.bulk_create(created)
    campaign.tuning_lambda = result.lambda_next
    campaign.save(update_fields=["tuning_lambda"])
    _refresh_quality(campaign, day, result.ctr_prior)
    if campaign.auto_apply:
        for auto in AdRecommendation.objects.filter(
            run=run, kind__in=[RecommendationKind.RAISE_BID, RecommendationKind.LOWER_BID], keyword__isnull=False
        ):
            recommendation_apply(recommendation=auto, user=None)


def _headline_recommendations(campaign: AdCampaign, run: AdTuningRun) -> list[AdRecommendation]:
    """A headline per promoted product and buyer language the campaign targets, where none is approved or waiting."""
    languages = sorted(set(campaign.keywords.values_list("language", flat=True)) | {"en"})
    waiting = set(
        AdRecommendation.objects.filter(
            run__campaign=campaign, kind=RecommendationKind.HEADLINE, state=RecommendationState.PENDING
        ).values_list("promoted_id", "language")
    )
    out = []
    for promoted in campaign.promoted.select_related("product", "product__supplier", "product__category"):
        for language in languages:
            if language in promoted.headlines or (promoted.pk, language) in waiting:
                continue
            suggestion = headline_suggest(product=promoted.product, language=language)
            if suggestion:
                out.append(
                    AdRecommendation(
                        run=run,
                        kind=RecommendationKind.HEADLINE,
                        promoted=promoted,
                        text=suggestion.text[:200],
                        language=language,
                        reason=suggestion.reason,
                        evidence={"provider": suggestion.provider, "facts": suggestion.facts},
                    )
                )
    return out


@transaction.atomic
def recommendation_apply(*, recommendation: AdRecommendation, user) -> AdRecommendation:
    """Carry out one recommendation (user None: the campaign's auto-apply). Refused when it is no longer waiting."""
    rec = AdRecommendation.objects.select_for_update().select_related("run__campaign").get(pk=recommendation.pk)
    if rec.state != RecommendationState.PENDING:
        raise ValidationError(_("This recommendation was already %(state)s.") % {"state": rec.get_state_display()})
    campaign = rec.run.campaign
    kind = rec.kind
    if kind in (RecommendationKind.RAISE_BID, RecommendationKind.LOWER_BID, RecommendationKind.PAUSE):
        if rec.keyword is None:
            raise ValidationError(_("The keyword no longer exists."))
        if kind == RecommendationKind.PAUSE:
            keyword_update(keyword=rec.keyword, state=KeywordState.PAUSED)
        else:
            proposed = rec.proposed_bid if rec.proposed_bid is not None else rec.keyword.bid
            bid = min(max(proposed, campaign.bid_floor), campaign.bid_ceiling, campaign.daily_budget)
            keyword_update(keyword=rec.keyword, bid=bid)
    elif kind == RecommendationKind.NEGATIVE:
        negative_keyword_add(campaign=campaign, text=rec.text, match_type=MatchType.EXACT)
    elif kind in (RecommendationKind.HARVEST, RecommendationKind.EXPAND):
        match_type = MatchType.EXACT if kind == RecommendationKind.HARVEST else MatchType.BROAD
        bid = min(max(rec.proposed_bid or campaign.bid_floor, campaign.bid_floor), campaign.bid_ceiling)
        keyword_add(campaign=campaign, text=rec.text, bid=bid, language=rec.language, match_type=match_type)
    elif kind == RecommendationKind.HEADLINE:
        if rec.promoted_id is None:
            raise ValidationError(_("The product is no longer promoted."))
        promoted = AdPromotedProduct.objects.select_for_update().get(pk=rec.promoted_id)
        promoted.headlines = {**promoted.headlines, rec.language: rec.text}
        promoted.save(update_fields=["headlines"])
        keyword_index_invalidate()
    rec.state, rec.decided_at, rec.decided_by = RecommendationState.APPLIED, timezone.now(), user
    rec.save(update_fields=["state", "decided_at", "decided_by"])
    return rec


@transaction.atomic
def recommendation_dismiss(*, recommendation: AdRecommendation, user) -> AdRecommendation:
    rec = AdRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    if rec.state != RecommendationState.PENDING:
        raise ValidationError(_("This recommendation was already %(state)s.") % {"state": rec.get_state_display()})
    rec.state, rec.decided_at, rec.decided_by = RecommendationState.DISMISSED, timezone.now(), user
    rec.save(update_fields=["state", "decided_at", "decided_by"])
    return rec


def headline_edit_apply(*, promoted: AdPromotedProduct, language: str, text: str) -> AdPromotedProduct:
    """A seller's own headline (or an edited suggestion): plain text only, at most 90 characters."""
    clean = " ".join(strip_tags(text or "").split())
    if not clean:
        raise ValidationError({"text": _("Write a headline.")})
    if len(clean) > 90 or clean != " ".join((text or "").split()):
        raise ValidationError({"text": _("A headline is plain text of at most 90 characters.")})
    with transaction.atomic():
        promoted = AdPromotedProduct.objects.select_for_update().get(pk=promoted.pk)
        promoted.headlines = {**promoted.headlines, base_language(language): clean}
        promoted.save(update_fields=["headlines"])
    keyword_index_invalidate()
    return promoted


def campaigns_to_tune(*, day: date) -> list[int]:
    return list(
        AdCampaign.objects.filter(state=CampaignState.ACTIVE, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("pk", flat=True)
    )
