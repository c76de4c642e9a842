"""Keyword ad campaigns for the demo: what a seller sees under Ads, with 30 days of figures and the tuner's advice.

    python manage.py seed_demo && ... && python manage.py seed_deals_demo   # first
    python manage.py seed_ads_demo [--campaigns 12] [--seed 11] [--reset]

About a dozen demo suppliers whose catalogs suit it (several published products; seller-00000's supplier always
among them, so its seller login has a campaign to look at, then a power-tools and a solar supplier, the trades of
the demo's example searches, then one supplier per trade) each get one campaign, named after its main category and
markets, set up through the ads services as a seller would: 2–5 of its own published products promoted, 8–20
keywords in English and in the languages of its export markets (what the product is, its own keywords, its name in
those languages, the category's names; whatever `keyword_add` refuses is skipped and counted), a few negative
keywords, one approved headline. The second campaign (power tools) has auto-apply on.

Then 30 days of history up to yesterday, written with bulk_create: per day, keyword and buyer search term the
impressions, clicks (click-through 1–5%), spend (second price, under the bid) and inquiries (conversion 3–15%).
Buyers' searches are the keyword itself, the keyword with a spec ("… 750 ml": converts well, not a keyword yet:
the tuner proposes to harvest it) and, for some keywords, a consumer-intent variant ("… repair": clicks, never an
inquiry: the tuner proposes a negative). One or two keywords per campaign never convert at all (the tuner proposes
to pause them). A campaign stops showing once its day's budget is spent, so each day's AdCampaignDay spend is the
sum of that day's figures and never more than the budget. The last two days also have their AdClick rows (every
billed click, plus repeat and bot clicks that were not billed); their inquiries have not arrived yet, as happens
(the tuner ignores the last ADS_CONVERSION_LAG_DAYS days' conversions anyway).

Finally `campaign_tune` runs for each campaign for today, so bid changes, pauses, negatives, harvests and headlines
wait for the seller on first start (the auto-apply campaign's bid changes are already applied).

Idempotent: a supplier that already has a campaign is skipped, so re-running adds nothing and keeps whatever a
seller changed. --reset deletes the chosen suppliers' campaigns (with their figures, clicks and runs) and builds
them again, with history ending yesterday.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import BuyerProfile
from ads import services
from ads.ai import headline_suggest
from ads.models import (
    AdCampaign,
    AdCampaignDay,
    AdClick,
    AdKeyword,
    AdRecommendation,
    AdStat,
    MatchType,
    RecommendationState,
)
from demo import catalog
from marketplace.models import Product, ProductStatus
from suppliers.models import Supplier

HISTORY_DAYS = 30
CLICK_ROW_DAYS = 2  # the last days whose clicks are also stored one by one (AdClick)
FIRST_SUPPLIER = "demo-00000"  # seller-00000@demo.silkway.test
# Trades the demo's example searches are about ("cordless drill", "solar panel 430W"): their sellers come next.
FEATURED_CATEGORIES = ("power-tools", "solar-panels")
AUTO_APPLY_INDEX = 1  # the second campaign applies the tuner's bid changes itself
CENT = Decimal("0.01")
BID_CEILING = Decimal("3.00")

# Each leaf category's product nouns in English (demo templates name their product by a vocabulary noun).
NOUNS = {
    leaf["slug"]: [template["noun"]["en"] for template in leaf["products"]]
    for top in catalog.CATEGORIES
    for leaf in top["children"]
}
# The languages buyers in a supplier's export markets search in (English is always targeted).
MARKET_LANGUAGES = {
    "EU": ["de", "fr", "es"],
    "Middle East": ["ar"],
    "Africa": ["fr"],
    "Latin America": ["es", "pt"],
    "Russia & CIS": ["ru"],
    "Japan & Korea": ["ja"],
}
OTHER_LANGUAGES = ["de", "es", "fr", "pt", "ru", "ar", "ja"]
# What a buyer adds when looking for one piece, a repair or an opinion: clicks that do not become B2B inquiries.
WASTE_WORDS = {
    "en": ["repair", "review", "diy"],
    "de": ["reparatur", "testbericht"],
    "es": ["reparación", "opiniones"],
    "fr": ["réparation", "avis"],
    "pt": ["conserto", "avaliação"],
    "ru": ["ремонт", "отзывы"],
    "ar": ["تصليح"],
    "ja": ["修理", "口コミ"],
}
# What else buyers type around a generic keyword: scattered searches, none frequent enough to exclude one by one.
SCATTER_WORDS = [
    "cheap",
    "for kids",
    "gift",
    "online",
    "sale",
    "small",
    "best",
    "mini",
    "set",
    "colorful",
    "near me",
    "ideas",
]
# Negative keywords a seller sets on day one (phrase match), per language.
NEGATIVES = {
    "en": ["second hand", "free sample", "rental", "jobs"],
    "de": ["gebraucht", "kostenlos"],
    "es": ["segunda mano", "gratis"],
    "fr": ["d'occasion", "gratuit"],
    "pt": ["usado", "grátis"],
    "ru": ["бесплатно"],
}
# Sellers in different situations: (daily budget, target cost per inquiry) in USD.
BUDGETS = [("25.00", "8.00"), ("40.00", "10.00"), ("18.00", "6.00"), ("60.00", "12.00"), ("30.00", "9.00")]


@dataclass
class Term:
    """A buyer search that a keyword matched, with how it behaves: its share of the keyword's traffic (or a fixed
    number of impressions a weekday), and how much better or worse than the keyword it converts."""

    text: str
    share: float
    cvr_factor: float
    fixed: float | None = None


@dataclass
class PlannedKeyword:
    keyword: AdKeyword
    product_id: int
    impressions: float  # a weekday's mean impressions
    ctr: float
    cvr: float
    terms: list[Term] = field(default_factory=list)
    role: str = "normal"  # "normal" | "wasteful" (never converts) | "harvest" (spec variant) | "negative" (waste term)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def _english_noun(product: Product) -> str:
    """The vocabulary noun the demo product was made from, as its title carries it (longest match first)."""
    title = product.title.casefold()
    nouns = sorted(NOUNS.get(product.category.slug, ()), key=len, reverse=True)
    return next((noun for noun in nouns if noun.casefold() in title), "")


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


class Command(BaseCommand):
    help = "Demo keyword-ad campaigns with 30 days of figures and waiting recommendations (run after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--campaigns", type=int, default=12, help="How many suppliers get a campaign.")
        parser.add_argument("--seed", type=int, default=11, help="RNG seed; the same seed gives the same data.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the chosen suppliers' campaigns and build them again."
        )

    def handle(self, *args, campaigns, seed, reset, **options):
        started = time.monotonic()
        if campaigns < 1:
            raise CommandError("--campaigns must be at least 1.")
        self.seed = seed
        self.today = timezone.localdate()
        self.refused: Counter = Counter()
        suppliers = self._choose_suppliers(campaigns)
        if not suppliers:
            raise CommandError("No demo supplier has published products: run seed_demo first.")
        if reset:
            deleted = AdCampaign.objects.filter(supplier__in=[s for s, _c in suppliers]).delete()[1]
            self.stdout.write(f"reset: deleted {deleted.get('ads.AdCampaign', 0)} campaigns and their rows")
        self.buyers = list(
            BuyerProfile.objects.filter(user__email__endswith="@demo.silkway.test")
            .order_by("user__email")
            .values_list("user_id", flat=True)
        )
        built, skipped = [], 0
        for index, (supplier, category) in enumerate(suppliers):
            if AdCampaign.objects.filter(supplier=supplier).exists():
                skipped += 1
                continue
            built.append(self._build(index, supplier, category))
        tuned = 0
        for campaign in built:
            services.campaign_tune(campaign_id=campaign.pk, day=self.today)
            tuned += 1
        self._summary(built, skipped, tuned, time.monotonic() - started)

    # --- who advertises -------------------------------------------------------------------------------------------

    def _choose_suppliers(self, wanted: int) -> list[tuple[Supplier, int]]:
        """seller-00000's supplier first, then those in the featured trades, then suppliers with several published
        products, one per main category while categories last (so the demo shows different trades), in slug order:
        deterministic. A supplier's main category is the trade its name says (demo names carry it), else the one it
        lists most products in."""
        per_supplier: dict[int, Counter] = defaultdict(Counter)
        for row in (
            Product.objects.filter(status=ProductStatus.PUBLISHED, supplier__slug__startswith="demo-")
            .values("supplier_id", "category_id", "category__slug")
            .annotate(n=Count("pk"))
        ):
            per_supplier[row["supplier_id"]][(row["category_id"], row["category__slug"])] += row["n"]
        suppliers = list(Supplier.objects.filter(pk__in=per_supplier))
        main: dict[int, int] = {}
        featured: set[int] = set()
        for supplier in suppliers:
            counts = per_supplier[supplier.pk]
            by_slug = {slug: pk for pk, slug in counts}
            trade = catalog.trade_of(supplier.name)
            named = [slug for slug in (trade["categories"] if trade else ()) if slug in by_slug]
            # The trade's category it lists most products in (a trade may span several categories).
            named.sort(key=lambda slug: (-counts[(by_slug[slug], slug)], slug))
            main[supplier.pk] = by_slug[named[0]] if named else max(counts, key=lambda c: (counts[c], -c[0]))[0]
            if named and named[0] in FEATURED_CATEGORIES:
                featured.add(supplier.pk)
        ranked = sorted(
            suppliers,
            key=lambda s: (
                s.slug != FIRST_SUPPLIER,
                s.pk not in featured,
                sum(per_supplier[s.pk].values()) < 4,
                s.slug,
            ),
        )
        chosen: list[tuple[Supplier, int]] = []
        categories: set[int] = set()
        for strict in (True, False):
            for supplier in ranked:
                if len(chosen) >= wanted:
                    break
                if any(s.pk == supplier.pk for s, _c in chosen):
                    continue
                total = sum(per_supplier[supplier.pk].values())
                if supplier.slug != FIRST_SUPPLIER and (total < 2 or (strict and main[supplier.pk] in categories)):
                    continue
                chosen.append((supplier, main[supplier.pk]))
                categories.add(main[supplier.pk])
        return chosen

    # --- one campaign, as its seller sets it up ------------------------------------------------------------------

    @transaction.atomic
    def _build(self, index: int, supplier: Supplier, category_id: int) -> AdCampaign:
        rng = random.Random(f"{self.seed}-ads-{supplier.slug}")
        products = list(
            Product.objects.filter(supplier=supplier, status=ProductStatus.PUBLISHED)
            .select_related("category")
            .prefetch_related("translations", "attributes")
            .order_by("-quality_score", "pk")
        )
        main = [p for p in products if p.category_id == category_id]
        promoted = (main + [p for p in products if p.category_id != category_id])[: rng.randint(2, 5)]
        category = promoted[0].category
        languages = self._languages(supplier, rng)
        budget, target = BUDGETS[index % len(BUDGETS)]
        markets = ", ".join(supplier.export_markets[:2]) if index % 3 else "all year"
        campaign = services.campaign_create(
            supplier=supplier,
            name=f"{category.name} — {markets}"[:120],
            daily_budget=budget,
            target_cost_per_inquiry=target,
            bid_ceiling=BID_CEILING,
            starts_on=self.today - timedelta(days=HISTORY_DAYS + rng.randint(0, 60)),
            auto_apply=index == AUTO_APPLY_INDEX,
        )
        for product in promoted:
            services.promoted_product_add(campaign=campaign, product=product)
        first = campaign.promoted.select_related("product__supplier", "product__category").first()
        suggestion = headline_suggest(product=first.product, language="en")
        if suggestion:
            services.headline_edit_apply(promoted=first, language="en", text=suggestion.text)
        planned = self._keywords(index, campaign, promoted, category, languages, rng)
        for language in ["en", *languages]:
            for text in NEGATIVES.get(language, [])[: 2 if language == "en" else 1]:
                try:
                    services.negative_keyword_add(campaign=campaign, text=text, match_type=MatchType.PHRASE)
                except ValidationError as refusal:
                    self.refused[f"negative: {' '.join(refusal.messages)}"] += 1
        self._history(campaign, planned, rng)
        return campaign

    def _languages(self, supplier: Supplier, rng: random.Random) -> list[str]:
        """Two or three buyer languages besides English, from the supplier's export markets first."""
        out: list[str] = []
        for market in supplier.export_markets:
            for language in MARKET_LANGUAGES.get(market, []):
                if language not in out:
                    out.append(language)
        rng.shuffle(out)
        spare = [language for language in OTHER_LANGUAGES if language not in out]
        rng.shuffle(spare)
        return (out + spare)[: rng.randint(2, 3)]

    def _keywords(self, index, campaign, promoted, category, languages, rng) -> list[PlannedKeyword]:
        """8–20 keywords: the promoted products' own keywords (English), their names in the target languages, and
        the category's names; the first English one exact, one phrase, the rest broad. The seller's bids are
        guesses around what a click is worth (target cost per inquiry × conversion rate): some too high, some too
        low, which is what the tuner's bid changes are about."""
        english = []
        for product in promoted:
            for word in product.keywords.split(","):
                if word.strip():
                    english.append((word.strip(), "en", product))
        rng.shuffle(english)
        # What the product is, in English ("Flexible Solar Panel"): the first keyword a seller writes.
        nouns = [(noun, "en", p) for p in promoted if (noun := _english_noun(p))]
        english = nouns[:2] + english
        translated = []
        for language in languages:
            for product in promoted:
                for translation in product.translations.all():
                    if translation.language == language and translation.keywords.strip():
                        translated.append((translation.keywords.strip(), language, product))
            name = category.names.get(language)
            if name:
                translated.append((name, language, promoted[0]))
        rng.shuffle(translated)
        wanted = rng.randint(8, 20)
        # Mostly English (most buyers search in it), then every target language (at least two keywords' room).
        head = min(10, wanted - 2)
        candidates = english[:head] + translated + english[head:]
        target = float(campaign.target_cost_per_inquiry)
        planned: list[PlannedKeyword] = []
        seen = set()
        for text, language, product in candidates:
            if len(planned) >= wanted:
                break
            if (text.casefold(), language) in seen:
                continue
            seen.add((text.casefold(), language))
            match_type = MatchType.EXACT if not planned else MatchType.PHRASE if len(planned) == 3 else MatchType.BROAD
            cvr = rng.uniform(0.05, 0.14) * (1.2 if match_type == MatchType.EXACT else 1.0)
            guess = target * cvr * rng.uniform(0.7, 1.3)
            bid = _money(min(2.5, max(0.10, guess)))
            try:
                keyword = services.keyword_add(
                    campaign=campaign, text=text, bid=bid, language=language, match_type=match_type
                )
            except ValidationError as refusal:
                self.refused[" ".join(refusal.messages)[:70]] += 1
                continue
            planned.append(
                PlannedKeyword(
                    keyword=keyword,
                    product_id=product.pk,
                    impressions=rng.uniform(60, 200) if language == "en" else rng.uniform(20, 80),
                    ctr=rng.uniform(0.012, 0.05),
                    cvr=cvr,
                )
            )
        self._roles(planned, promoted, rng)
        self._scale_to_budget(campaign, planned, rng, limited=index % 4 == 3)
        return planned

    def _roles(self, planned: list[PlannedKeyword], promoted, rng: random.Random) -> None:
        """The searches behind each keyword, and the few keywords and searches that waste money:
        - wasteful: a broad English keyword whose scattered searches ("… cheap", "… for kids") never convert;
        - negative: a keyword one of whose searches ("… repair") takes clicks and never converts;
        - harvest: a keyword whose search with a spec ("… 750 ml") converts better than the keyword."""
        specs = {}
        for product in promoted:
            attribute = next((a for a in product.attributes.all() if a.unit), None)
            if attribute:
                specs[product.pk] = f"{attribute.value} {attribute.unit}".lower()
        # Waste shows where clicks are dear: among the higher bids (cheap clicks may still meet the target).
        by_bid = sorted(range(len(planned)), key=lambda i: (-planned[i].keyword.bid, i))
        broad_english = [i for i in by_bid if planned[i].keyword.language == "en" and i not in (0, 3)]
        wasteful = set(broad_english[: 2 if len(planned) >= 14 else 1])
        negative = set([i for i in by_bid if i not in wasteful][:2])
        for i, plan in enumerate(planned):
            text = plan.keyword.text.lower()
            plan.terms = [Term(text, 1.0, 1.0)]
            if i in wasteful:
                plan.role, plan.cvr, plan.ctr = "wasteful", 0.0, rng.uniform(0.03, 0.045)
                plan.terms = [Term(text, 0.6, 0.0)]
                words = rng.sample(SCATTER_WORDS, k=10)
                plan.terms += [Term(f"{text} {word}", rng.uniform(0.6, 1.0), 0.0) for word in words]
                continue
            if i in negative:
                plan.role = "negative"
                word = rng.choice(WASTE_WORDS.get(plan.keyword.language, WASTE_WORDS["en"]))
                plan.terms.append(Term(f"{text} {word}", 0.0, 0.0, fixed=2.0 / plan.ctr))  # ~50 clicks a month
                continue
            spec = specs.get(plan.product_id)
            if spec and spec not in text and rng.random() < 0.5:
                plan.role = "harvest"
                plan.terms.append(Term(f"{text} {spec}", rng.uniform(0.3, 0.6), rng.uniform(1.3, 1.7)))

    def _scale_to_budget(
        self, campaign: AdCampaign, planned: list[PlannedKeyword], rng: random.Random, *, limited: bool
    ) -> None:
        """Traffic sized so a weekday spends 50–85% of the budget (one campaign in four runs out of budget most
        days), except the wasteful keyword's: a set number of clicks, enough to show its waste, not to run the
        budget."""
        expected = sum(p.impressions * p.ctr * 0.75 * float(p.keyword.bid) for p in planned)
        utilisation = 1.3 if limited else rng.uniform(0.5, 0.85)
        scale = float(campaign.daily_budget) * utilisation / max(expected, 0.01)
        for plan in planned:
            plan.impressions *= scale
            if plan.role == "wasteful":
                plan.impressions = 2.2 / plan.ctr  # about 60 clicks in the month, a handful per search

    # --- thirty days of figures -----------------------------------------------------------------------------------

    def _history(self, campaign: AdCampaign, planned: list[PlannedKeyword], rng: random.Random) -> None:
        stats, days, clicks = [], [], []
        budget = campaign.daily_budget
        promoted = list(campaign.promoted.values_list("product_id", flat=True))
        for offset in range(HISTORY_DAYS, 0, -1):
            day = self.today - timedelta(days=offset)
            weekday = 0.6 if day.weekday() >= 5 else 1.0
            trend = 0.85 + 0.3 * (HISTORY_DAYS - offset) / HISTORY_DAYS  # the campaign gains ground over the month
            rows = []  # [plan, term, impressions, click costs]
            events = []  # (row index, cost), shuffled: the order the day's clicks came in
            for plan in planned:
                mean = plan.impressions * weekday * trend
                total_share = sum(t.share for t in plan.terms if t.fixed is None)
                for term in plan.terms:
                    if term.fixed is not None:
                        impressions = _poisson(rng, term.fixed * weekday * trend)
                    else:
                        impressions = _poisson(rng, mean * term.share / total_share)
                    if not impressions:
                        continue
                    count = min(impressions, _poisson(rng, impressions * plan.ctr))
                    rows.append([plan, term, impressions, []])
                    for _ in range(count):
                        cost = max(Decimal("0.05"), _money(float(plan.keyword.bid) * rng.uniform(0.55, 0.95)))
                        events.append((len(rows) - 1, cost))
            rng.shuffle(events)
            spend, shown = Decimal("0"), 1.0
            for position, (row, cost) in enumerate(events):
                if spend + cost > budget:
                    # The budget ran out: ads stopped showing for the rest of the day (fewer impressions too).
                    shown = position / len(events)
                    break
                spend += cost
                rows[row][3].append(cost)
            recent = offset <= CLICK_ROW_DAYS
            for plan, term, impressions, costs in rows:
                impressions = max(len(costs), round(impressions * shown))
                conversions = 0 if recent else _binomial(rng, len(costs), plan.cvr * term.cvr_factor)
                stats.append(
                    AdStat(
                        campaign=campaign,
                        keyword=plan.keyword,
                        day=day,
                        search_term=term.text[:200],
                        language=plan.keyword.language,
                        impressions=impressions,
                        clicks=len(costs),
                        spend=sum(costs, Decimal("0")),
                        conversions=conversions,
                    )
                )
                if recent:
                    clicks += self._click_rows(campaign, plan, term, day, costs, rng)
            if recent:
                clicks += self._bot_clicks(campaign, planned, promoted, day, rng)
            days.append(AdCampaignDay(campaign=campaign, day=day, budget=budget, spend=spend))
        AdStat.objects.bulk_create(stats, batch_size=1000)
        AdCampaignDay.objects.bulk_create(days)
        AdClick.objects.bulk_create(clicks, batch_size=1000)

    def _moment(self, day: date, rng: random.Random) -> datetime:
        return timezone.make_aware(
            datetime.combine(day, clock_time(rng.randint(6, 22), rng.randint(0, 59), rng.randint(0, 59)))
        )

    def _click_rows(self, campaign, plan: PlannedKeyword, term: Term, day: date, costs, rng) -> list[AdClick]:
        """One billed AdClick per click in the figures; now and then the same visitor clicks again within the
        repeat window (recorded, not billed)."""
        out = []
        for n, cost in enumerate(costs):
            buyer_id = rng.choice(self.buyers) if self.buyers and rng.random() < 0.25 else None
            who = f"user:{buyer_id}" if buyer_id else f"ip:203.0.113.{rng.randint(1, 254)}"
            visitor = _digest("demo-ads-visitor", who)[:40]
            at = self._moment(day, rng)
            common = {
                "campaign": campaign,
                "keyword": plan.keyword,
                "product_id": plan.product_id,
                "buyer_id": buyer_id,
                "search_term": term.text[:200],
                "language": plan.keyword.language,
                "visitor": visitor,
            }
            nonce = _digest("demo-ads-click", campaign.pk, plan.keyword.pk, day, term.text, n)[:32]
            out.append(AdClick(**common, nonce=nonce, cost=cost, clicked_at=at))
            if rng.random() < 0.08:
                out.append(
                    AdClick(
                        **common,
                        nonce=_digest("demo-ads-repeat", nonce)[:32],
                        cost=Decimal("0"),
                        not_billed=AdClick.NotBilled.REPEAT,
                        clicked_at=at + timedelta(minutes=rng.randint(2, 90)),
                    )
                )
        return out

    def _bot_clicks(self, campaign, planned, promoted, day: date, rng) -> list[AdClick]:
        """A crawler that followed a few ad links: recorded for the operator's fraud screen, never billed."""
        out = []
        visitor = _digest("demo-ads-visitor", f"ip:198.51.100.{rng.randint(1, 254)}")[:40]
        for n in range(rng.randint(1, 4)):
            plan = rng.choice(planned)
            out.append(
                AdClick(
                    campaign=campaign,
                    keyword=plan.keyword,
                    product_id=plan.product_id if plan.product_id in promoted else promoted[0],
                    search_term=plan.terms[0].text[:200],
                    language=plan.keyword.language,
                    visitor=visitor,
                    nonce=_digest("demo-ads-bot", campaign.pk, day, n)[:32],
                    cost=Decimal("0"),
                    not_billed=AdClick.NotBilled.BOT,
                    clicked_at=self._moment(day, rng),
                )
            )
        return out

    # --- what was made ---------------------------------------------------------------------------------------------

    def _summary(self, built: list[AdCampaign], skipped: int, tuned: int, seconds: float) -> None:
        ids = [c.pk for c in built]
        pending = Counter(
            AdRecommendation.objects.filter(run__campaign_id__in=ids, state=RecommendationState.PENDING).values_list(
                "kind", flat=True
            )
        )
        applied = AdRecommendation.objects.filter(run__campaign_id__in=ids, state=RecommendationState.APPLIED).count()
        keywords = AdKeyword.objects.filter(campaign_id__in=ids).count()
        stats = AdStat.objects.filter(campaign_id__in=ids).count()
        clicks = AdClick.objects.filter(campaign_id__in=ids)
        self.stdout.write(
            f"Ads demo: {len(built)} campaigns created, {skipped} skipped (the supplier already has one); "
            f"{keywords} keywords ({sum(self.refused.values())} refused by keyword_add), {stats} daily figures over "
            f"{HISTORY_DAYS} days, {clicks.filter(not_billed='').count()} billed and "
            f"{clicks.exclude(not_billed='').count()} unbilled clicks, {tuned} tuning runs."
        )
        for reason, count in self.refused.most_common():
            self.stdout.write(f"  refused ×{count}: {reason}")
        if built:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(pending.items()))
            self.stdout.write(f"Recommendations waiting: {kinds}; {applied} bid changes auto-applied.")
            self.stdout.write("Sellers (password silkway-demo), at /seller/:")
            for campaign in AdCampaign.objects.filter(pk__in=ids).select_related("supplier").order_by("supplier__slug"):
                email = f"seller-{campaign.supplier.slug.removeprefix('demo-')}@demo.silkway.test"
                auto = "  [auto-apply]" if campaign.auto_apply else ""
                self.stdout.write(f"  {email:<34} {campaign.name}{auto}")
        self.stdout.write(self.style.SUCCESS(f"Ads demo ready in {seconds:.1f}s."))
