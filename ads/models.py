"""Keyword ads (pay per click): campaigns, their keywords and promoted products, clicks and conversions, daily
figures and the tuner's runs. Money is Decimal in the campaign's currency; every invariant that can be a database
constraint is one, because spend is written by concurrent click requests."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}
MIN_BID = Decimal("0.05")  # the reserve price: no click is sold for less
MAX_BID = Decimal("50.00")
MAX_DAILY_BUDGET = Decimal("100000.00")


class CampaignState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class AdCampaign(models.Model):
    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="ad_campaigns", verbose_name=_("supplier")
    )
    name = models.CharField(_("name"), max_length=120)
    state = models.CharField(_("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.ACTIVE)
    currency = models.CharField(_("currency"), max_length=3, default="USD", editable=False)
    daily_budget = models.DecimalField(
        _("daily budget"),
        **MONEY,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_DAILY_BUDGET)],
        help_text=_("Clicks stop for the day when this much has been spent."),
    )
    target_cost_per_inquiry = models.DecimalField(
        _("target cost per inquiry"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.10"))],
        help_text=_("Goal: as many inquiries as possible at about this cost each. The tuner bids towards it."),
    )
    bid_floor = models.DecimalField(_("lowest bid"), **MONEY, default=MIN_BID, validators=[MinValueValidator(MIN_BID)])
    bid_ceiling = models.DecimalField(
        _("highest bid"), **MONEY, default=Decimal("5.00"), validators=[MaxValueValidator(MAX_BID)]
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Schedule within the day, in the platform's time zone: ads show from start_hour up to (not including) end_hour.
    start_hour = models.PositiveSmallIntegerField(_("from hour"), default=0, validators=[MaxValueValidator(23)])
    end_hour = models.PositiveSmallIntegerField(_("until hour"), default=24, validators=[MaxValueValidator(24)])
    auto_apply = models.BooleanField(
        _("apply bid changes automatically"),
        default=False,
        help_text=_("The nightly tuner applies its bid changes itself, within the lowest and highest bid."),
    )
    # The tuner's feedback multiplier: moves so that the realised cost per inquiry tracks the target.
    tuning_lambda = models.FloatField(default=1.0, editable=False, verbose_name=_("tuning strength"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("ad campaign")
        verbose_name_plural = _("ad campaigns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_budget__gt=0), name="ad_campaign_budget_positive"),
            models.CheckConstraint(condition=Q(target_cost_per_inquiry__gt=0), name="ad_campaign_target_positive"),
            models.CheckConstraint(condition=Q(bid_floor__gte=MIN_BID), name="ad_campaign_floor_reserve"),
            models.CheckConstraint(condition=Q(bid_ceiling__gte=F("bid_floor")), name="ad_campaign_floor_ceiling"),
            models.CheckConstraint(condition=Q(bid_ceiling__lte=F("daily_budget")), name="ad_campaign_bid_budget"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="ad_campaign_dates"
            ),
            models.CheckConstraint(condition=Q(start_hour__lt=F("end_hour")), name="ad_campaign_hours"),
            models.CheckConstraint(condition=Q(state__in=CampaignState.values), name="ad_campaign_state_valid"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ad_campaign_currency_iso4217"),
        ]
        indexes = [models.Index(fields=["state", "starts_on"])]

    def __str__(self):
        return self.name


class MatchType(models.TextChoices):
    EXACT = "exact", _("Exact")
    PHRASE = "phrase", _("Phrase")
    BROAD = "broad", _("Broad")


class KeywordState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class AdKeyword(models.Model):
    SUPPLIER_PATH = "campaign__supplier"

    campaign = models.ForeignKey(
        AdCampaign, on_delete=models.CASCADE, related_name="keywords", verbose_name=_("campaign")
    )
    text = models.CharField(_("keyword"), max_length=80)
    # What matching compares: the words as search understands them (ads.matching.normalize).
    normalized = models.CharField(max_length=200, editable=False, verbose_name=_("normalized text"))
    # Its word groups as concepts (ads.matching.Understood.as_json), computed once when written.
    concepts = models.JSONField(default=list, editable=False, verbose_name=_("concepts"))
    language = models.CharField(_("language"), max_length=10)
    match_type = models.CharField(_("match"), max_length=6, choices=MatchType.choices, default=MatchType.BROAD)
    bid = models.DecimalField(
        _("max cost per click"), **MONEY, validators=[MinValueValidator(MIN_BID), MaxValueValidator(MAX_BID)]
    )
    state = models.CharField(_("state"), max_length=6, choices=KeywordState.choices, default=KeywordState.ACTIVE)
    # Smoothed click-through rate over the last 30 days (the auction's quality), refreshed with the figures.
    quality_ctr = models.FloatField(default=1 / 31, editable=False, verbose_name=_("expected click rate"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["campaign", "normalized", "match_type"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "normalized", "match_type"], name="ad_keyword_unique"),
            models.CheckConstraint(condition=Q(bid__gte=MIN_BID) & Q(bid__lte=MAX_BID), name="ad_keyword_bid_range"),
            models.CheckConstraint(condition=~Q(normalized=""), name="ad_keyword_not_empty"),
            models.CheckConstraint(condition=Q(match_type__in=MatchType.values), name="ad_keyword_match_valid"),
            models.CheckConstraint(condition=Q(state__in=KeywordState.values), name="ad_keyword_state_valid"),
        ]
        indexes = [models.Index(fields=["state", "campaign"])]

    def __str__(self):
        return f"{self.text} ({self.get_match_type_display()})"


class AdNegativeKeyword(models.Model):
    """A search term the campaign never shows for (exact: the whole query; phrase: the words in order)."""

    SUPPLIER_PATH = "campaign__supplier"

    campaign = models.ForeignKey(
        AdCampaign, on_delete=models.CASCADE, related_name="negative_keywords", verbose_name=_("campaign")
    )
    text = models.CharField(_("negative keyword"), max_length=80)
    normalized = models.CharField(max_length=200, editable=False, verbose_name=_("normalized text"))
    concepts = models.JSONField(default=list, editable=False, verbose_name=_("concepts"))
    match_type = models.CharField(
        _("match"),
        max_length=6,
        choices=[(MatchType.EXACT, _("Exact")), (MatchType.PHRASE, _("Phrase"))],
        default=MatchType.PHRASE,
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("negative keyword")
        verbose_name_plural = _("negative keywords")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "normalized", "match_type"], name="ad_negative_unique"),
            models.CheckConstraint(condition=~Q(normalized=""), name="ad_negative_not_empty"),
        ]

    def __str__(self):
        return self.text


class AdPromotedProduct(models.Model):
    """A product the campaign advertises, with the headlines the seller approved (language -> text)."""

    SUPPLIER_PATH = "campaign__supplier"

    campaign = models.ForeignKey(
        AdCampaign, on_delete=models.CASCADE, related_name="promoted", verbose_name=_("campaign")
    )
    product = models.ForeignKey(
        "marketplace.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    headlines = models.JSONField(_("headlines"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("promoted product")
        verbose_name_plural = _("promoted products")
        constraints = [models.UniqueConstraint(fields=["campaign", "product"], name="ad_promoted_unique")]

    def __str__(self):
        return str(self.product)


class AdClick(models.Model):
    """A click on a sponsored result. Every click is recorded; only billable ones cost anything, and
    `not_billed` says why the others did not (replay, repeat, bot, budget)."""

    SUPPLIER_PATH = "campaign__supplier"

    class NotBilled(models.TextChoices):
        BILLED = "", _("Billed")
        REPEAT = "repeat", _("Repeat click in the window")
        BOT = "bot", _("Automated traffic")
        BUDGET = "budget", _("Daily budget spent")
        FLOOD = "flood", _("Click flood from one visitor")
        OWN = "own", _("The advertiser's own click")

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="clicks")
    keyword = models.ForeignKey(AdKeyword, null=True, on_delete=models.SET_NULL, related_name="clicks")
    product = models.ForeignKey("marketplace.Product", on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    search_term = models.CharField(max_length=200)
    language = models.CharField(max_length=10)
    # A salted hash of the signed-in user or the IP address: enough to find repeats, nothing that identifies.
    visitor = models.CharField(max_length=64, db_index=True)
    # The signed click URL's one-time nonce: a replayed URL finds it taken and is not recorded again.
    nonce = models.CharField(max_length=32, unique=True)
    cost = models.DecimalField(**MONEY, default=Decimal("0"))
    not_billed = models.CharField(max_length=10, choices=NotBilled.choices, blank=True, default="")
    clicked_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("ad click")
        verbose_name_plural = _("ad clicks")
        ordering = ["-clicked_at"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="ad_click_cost_nonnegative"),
            models.CheckConstraint(condition=Q(not_billed="") | Q(cost=0), name="ad_click_unbilled_free"),
        ]
        indexes = [
            models.Index(fields=["campaign", "product", "visitor", "clicked_at"], name="ad_click_repeat"),
            models.Index(fields=["buyer", "product", "clicked_at"], name="ad_click_attribution"),
        ]

    def __str__(self):
        return f"click on {self.product_id} for {self.search_term!r}"


class ConversionKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    RFQ = "rfq", _("Request for quotation")


class AdConversion(models.Model):
    """A buyer who clicked an ad reached its advertiser within the attribution window: an inquiry about the clicked
    product, or an RFQ sent to the advertiser. Once per inquiry or RFQ and campaign."""

    SUPPLIER_PATH = "click__campaign__supplier"

    click = models.ForeignKey(AdClick, on_delete=models.CASCADE, related_name="conversions")
    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="conversions")
    kind = models.CharField(max_length=8, choices=ConversionKind.choices)
    reference = models.PositiveBigIntegerField(help_text=_("The inquiry's or RFQ's id."))
    converted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ad conversion")
        verbose_name_plural = _("ad conversions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference", "campaign"], name="ad_conversion_once"),
            models.CheckConstraint(condition=Q(kind__in=ConversionKind.values), name="ad_conversion_kind"),
        ]

    def __str__(self):
        return f"{self.kind} {self.reference} from click {self.click_id}"


class AdCampaignDay(models.Model):
    """The campaign's spend for one day, with that day's budget copied in so the database itself refuses a
    charge past it (concurrent clicks update this row with a conditional UPDATE)."""

    SUPPLIER_PATH = "campaign__supplier"

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="days", verbose_name=_("campaign"))
    day = models.DateField(verbose_name=_("day"))
    budget = models.DecimalField(**MONEY, verbose_name=_("budget"))
    spend = models.DecimalField(**MONEY, default=Decimal("0"), verbose_name=_("spend"))

    class Meta:
        verbose_name = _("campaign day")
        verbose_name_plural = _("campaign days")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="ad_campaign_day_unique"),
            models.CheckConstraint(condition=Q(spend__gte=0) & Q(spend__lte=F("budget")), name="ad_spend_in_budget"),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day}: {self.spend}/{self.budget}"


class AdStat(models.Model):
    """Daily figures per keyword and buyer search term (the search-term report; keyword figures are its sums)."""

    SUPPLIER_PATH = "campaign__supplier"

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="stats", verbose_name=_("campaign"))
    keyword = models.ForeignKey(
        AdKeyword, null=True, on_delete=models.SET_NULL, related_name="stats", verbose_name=_("keyword")
    )
    day = models.DateField(verbose_name=_("day"))
    search_term = models.CharField(max_length=200, verbose_name=_("search term"))
    language = models.CharField(max_length=10, verbose_name=_("language"))
    impressions = models.PositiveIntegerField(default=0, verbose_name=_("impressions"))
    clicks = models.PositiveIntegerField(default=0, verbose_name=_("clicks"))
    spend = models.DecimalField(**MONEY, default=Decimal("0"), verbose_name=_("spend"))
    conversions = models.PositiveIntegerField(default=0, verbose_name=_("inquiries"))

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["keyword", "day", "search_term"], name="ad_stat_unique"),
            models.CheckConstraint(condition=Q(spend__gte=0), name="ad_stat_spend_nonnegative"),
        ]
        indexes = [models.Index(fields=["campaign", "day"])]

    def __str__(self):
        return f"{self.day} {self.search_term}"


class TuningRunState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AdTuningRun(models.Model):
    """One run of the keyword tuner for a campaign and day (unique: a second run the same day reuses it)."""

    SUPPLIER_PATH = "campaign__supplier"

    campaign = models.ForeignKey(
        AdCampaign, on_delete=models.CASCADE, related_name="tuning_runs", verbose_name=_("campaign")
    )
    day = models.DateField(verbose_name=_("day"))
    state = models.CharField(
        max_length=8, choices=TuningRunState.choices, default=TuningRunState.RUNNING, verbose_name=_("state")
    )
    inputs = models.JSONField(default=dict, blank=True, verbose_name=_("inputs"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished"))

    class Meta:
        verbose_name = _("tuning run")
        verbose_name_plural = _("tuning runs")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="ad_tuning_run_once_a_day")]

    def __str__(self):
        return f"{self.campaign} {self.day}"


class RecommendationKind(models.TextChoices):
    RAISE_BID = "raise_bid", _("Raise bid")
    LOWER_BID = "lower_bid", _("Lower bid")
    PAUSE = "pause", _("Pause keyword")
    NEGATIVE = "negative", _("Add negative keyword")
    HARVEST = "harvest", _("Add converting search term as keyword")
    EXPAND = "expand", _("Add keyword from buyer searches")
    HEADLINE = "headline", _("Ad headline")


class RecommendationState(models.TextChoices):
    PENDING = "pending", _("Waiting for you")
    APPLIED = "applied", _("Applied")
    DISMISSED = "dismissed", _("Dismissed")


class AdRecommendation(models.Model):
    """What the tuner suggests, with its reason and evidence; a person (or auto-apply, for bids) applies it."""

    SUPPLIER_PATH = "run__campaign__supplier"

    run = models.ForeignKey(
        AdTuningRun, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("tuning run")
    )
    kind = models.CharField(max_length=10, choices=RecommendationKind.choices, verbose_name=_("kind"))
    keyword = models.ForeignKey(
        AdKeyword, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("keyword")
    )
    promoted = models.ForeignKey(
        AdPromotedProduct,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("promoted product"),
    )
    text = models.CharField(max_length=200, verbose_name=_("text"))
    language = models.CharField(max_length=10, verbose_name=_("language"))
    current_bid = models.DecimalField(**MONEY, null=True, blank=True, verbose_name=_("current bid"))
    proposed_bid = models.DecimalField(**MONEY, null=True, blank=True, verbose_name=_("proposed bid"))
    reason = models.TextField(verbose_name=_("reason"))
    evidence = models.JSONField(default=dict, blank=True, verbose_name=_("evidence"))
    state = models.CharField(
        max_length=10, choices=RecommendationState.choices, default=RecommendationState.PENDING, verbose_name=_("state")
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["run", "kind", "text"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RecommendationKind.values), name="ad_recommendation_kind"),
            models.CheckConstraint(condition=Q(state__in=RecommendationState.values), name="ad_recommendation_state"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"
