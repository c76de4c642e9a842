"""Leaderboards: methodologies (rulesets as data), immutable dated snapshots, and the inputs ranking needs.

Three kinds of rows live here:

* the published record — Methodology, Leaderboard, Snapshot, Entry — which never changes once written;
* inputs the supplier model lacks — SupplierFigures (financial and innovation figures, each input with its
  provenance), OfficialDesignation (a real 专精特新 / "little giant" certificate, operator-verified) — and
  SupplierActivity, the platform-derived ledger of completed orders and ratings that the sourcing app writes once
  orders exist (nothing writes it in production yet; see rankings/inputs.py for what is live today);
* operator controls — RankingPenalty — and the GenerationRun log.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import RandomName, private_storage
from suppliers.models import Supplier
from suppliers.validators import validate_document_upload


class ImmutableError(Exception):
    """Raised on any attempt to change a published snapshot, its entries or a stored methodology version."""


class BoardKind(models.TextChoices):
    SPECIALIZED_INNOVATIVE = "specialized_innovative", _("Specialized & Innovative index")
    TOP_SUPPLIERS = "top_suppliers", _("Top suppliers")
    TOP_FACTORIES = "top_factories", _("Top factories")
    FASTEST_RESPONDERS = "fastest_responders", _("Fastest responders")


class Provenance(models.TextChoices):
    SELF_DECLARED = "self_declared", _("Self-declared")
    DOCUMENT_VERIFIED = "document_verified", _("Document-verified")
    PLATFORM_DERIVED = "platform_derived", _("Platform-derived")


# One character per input in Entry.provenance, so 100,000 entries stay small.
PROVENANCE_CODES = {Provenance.SELF_DECLARED: "s", Provenance.DOCUMENT_VERIFIED: "d", Provenance.PLATFORM_DERIVED: "p"}
PROVENANCE_FROM_CODE = {code: value for value, code in PROVENANCE_CODES.items()}


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model.__name__} rows are immutable.")

    def delete(self):
        raise ImmutableError(f"{self.model.__name__} rows are immutable.")


# --- Methodologies and the published record --------------------------------------------------------------------


class Methodology(models.Model):
    """One version of a board's ruleset. The definition is data (rankings/rulesets/*.json); the engine reads it."""

    board = models.CharField(_("board"), max_length=32, choices=BoardKind.choices)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        ordering = ["board", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["board", "version"], name="methodology_version_unique"),
            models.UniqueConstraint(fields=["board", "effective_from"], name="methodology_effective_unique"),
            models.CheckConstraint(condition=Q(board__in=BoardKind.values), name="methodology_board_valid"),
        ]

    def __str__(self):
        return f"{self.get_board_display()} {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("A methodology version never changes; publish a new version instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("rankings:methodology_detail", args=[self.board, self.version])

    def delete(self, *args, **kwargs):
        raise ImmutableError("Methodology versions are part of the published record.")


class Leaderboard(models.Model):
    """A board kind scoped to one category (top-level or leaf)."""

    board = models.CharField(_("board"), max_length=32, choices=BoardKind.choices)
    category = models.ForeignKey("taxonomy.Category", on_delete=models.PROTECT, related_name="leaderboards")

    class Meta:
        verbose_name = _("leaderboard")
        verbose_name_plural = _("leaderboards")
        ordering = ["board", "category__position", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "category"], name="leaderboard_unique_per_category"),
            models.CheckConstraint(condition=Q(board__in=BoardKind.values), name="leaderboard_board_valid"),
        ]

    def __str__(self):
        return f"{self.get_board_display()} — {self.category}"

    def get_absolute_url(self):
        return reverse("rankings:board", args=[self.board, self.category.slug])


class Snapshot(models.Model):
    """One published edition of a leaderboard for one period (the Monday of an ISO week). Never changes."""

    leaderboard = models.ForeignKey(Leaderboard, on_delete=models.PROTECT, related_name="snapshots")
    period = models.DateField(_("period (week starting)"))
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="snapshots")
    generated_at = models.DateTimeField(_("generated at"))
    as_of = models.DateTimeField(_("data as of"))
    seed = models.BigIntegerField(_("Monte Carlo seed"))
    draws = models.PositiveIntegerField(_("Monte Carlo draws"))
    considered_count = models.PositiveIntegerField(_("suppliers considered"))
    entry_count = models.PositiveIntegerField(_("suppliers ranked"))
    verified_share = models.FloatField(_("verified share of inputs"), null=True, blank=True)
    run = models.ForeignKey("GenerationRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("leaderboard snapshot")
        verbose_name_plural = _("leaderboard snapshots")
        ordering = ["-period"]
        get_latest_by = "period"
        constraints = [
            models.UniqueConstraint(fields=["leaderboard", "period"], name="snapshot_one_per_period"),
            models.CheckConstraint(condition=Q(entry_count__lte=F("considered_count")), name="snapshot_counts_sane"),
        ]
        indexes = [models.Index(fields=["leaderboard", "-period"])]

    def __str__(self):
        return f"{self.leaderboard} · {self.period.isoformat()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("Snapshots are immutable; generate a new period instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        url = reverse("rankings:board", args=[self.leaderboard.board, self.leaderboard.category.slug])
        return f"{url}?period={self.period.isoformat()}"

    def delete(self, *args, **kwargs):
        raise ImmutableError("Snapshots are part of the published record.")


class Entry(models.Model):
    """One ranked supplier in a snapshot, with everything needed to explain and reproduce its score.

    Per-indicator data are lists in the methodology's indicator order (inputs, points, provenance codes), per-pillar
    scores a list in pillar order: compact enough for 100,000-supplier boards.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="entries")
    # A supplier's erasure removes its rows from history; otherwise entries never change.
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="leaderboard_entries")
    supplier_name = models.CharField(max_length=200)
    rank = models.PositiveIntegerField()
    # xgettext:no-python-format
    rank_low = models.PositiveIntegerField(help_text=_("Best rank in the central 90% of weight perturbations."))
    # xgettext:no-python-format
    rank_high = models.PositiveIntegerField(help_text=_("Worst rank in the central 90% of weight perturbations."))
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField()
    pillar_scores = models.JSONField(default=list)
    indicator_points = models.JSONField(default=list)
    inputs = models.JSONField(default=list)
    provenance = models.CharField(
        max_length=64, blank=True, help_text=_("One code per indicator: s/d/p, - if missing.")
    )
    coverage = models.FloatField()
    verified_share = models.FloatField(null=True, blank=True)
    gates = models.JSONField(default=dict, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("leaderboard entry")
        verbose_name_plural = _("leaderboard entries")
        verbose_name_plural = _("entries")
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "supplier"], name="entry_supplier_once_per_snapshot"),
            models.UniqueConstraint(fields=["snapshot", "rank"], name="entry_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="entry_rank_positive"),
            models.CheckConstraint(
                condition=Q(rank_low__lte=F("rank_high")) & Q(rank_low__gte=1), name="entry_interval_ordered"
            ),
            models.CheckConstraint(condition=Q(coverage__gte=0, coverage__lte=1), name="entry_coverage_0_1"),
        ]
        indexes = [models.Index(fields=["supplier", "snapshot"])]

    def __str__(self):
        return f"#{self.rank} {self.supplier_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("Entries of a published snapshot are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Entries of a published snapshot are immutable.")

    @property
    def movement(self):
        """Places gained since the previous snapshot (positive = up); None for a newcomer."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


class GenerationRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    period = models.DateField()
    trigger = models.CharField(max_length=20, default="command")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    # While running, the worker's lease (renewed after each board); a run past it lost its worker, and the next
    # run of its period (redelivered, re-requested or sent by the sweeper) takes it over. Null: expired.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshots_created = models.PositiveIntegerField(default=0)
    boards_skipped = models.PositiveIntegerField(default=0, help_text=_("Already published for this period."))
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("leaderboard generation run")
        verbose_name_plural = _("leaderboard generation runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.period} {self.get_status_display()}"


# --- Inputs the supplier model lacks ---------------------------------------------------------------------------


class KeyField(models.TextChoices):
    GAP_FILLING = "gap_filling", _("Fills a gap / strengthens a key link of an industrial supply chain")
    SIX_FOUNDATIONS = (
        "six_foundations",
        _("Industrial 'six foundations' field, time-honoured brand or key-chain supplier"),
    )
    NONE = "none", _("Neither")


class RDInstitution(models.TextChoices):
    NATIONAL = "national", _("National-level")
    PROVINCIAL = "provincial", _("Provincial-level")
    MUNICIPAL = "municipal", _("Municipal-level")
    LOWER = "lower", _("Below municipal level")
    NONE = "none", _("No R&D institution")


# The inputs a seller declares here, in the order forms show them. Each has a provenance in `provenance`.
FIGURE_INPUTS = [
    "revenue_cny",
    "main_business_share",
    "main_business_growth_2y",
    "niche_since_year",
    "key_field",
    "digitalization_level",
    "quality_award",
    "own_brand",
    "standards_drafted",
    "net_profit_margin",
    "debt_asset_ratio",
    "class1_ip_high_value",
    "class1_ip_self_developed",
    "class1_ip_total",
    "class2_ip_total",
    "rd_spend_cny",
    "rd_institution",
    "equity_financing_2y_cny",
]


class SupplierFigures(models.Model):
    """A supplier's figures for one fiscal year, as the ranking reads them. Empty means not declared."""

    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="ranking_figures", verbose_name=_("supplier")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=[MinValueValidator(2000)])
    revenue_cny = models.DecimalField(
        _("revenue (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    main_business_share = models.DecimalField(
        # xgettext:no-python-format
        _("main business (% of revenue)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    main_business_growth_2y = models.DecimalField(
        _("main-business revenue growth, 2-year average (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(1000)],
    )
    niche_since_year = models.PositiveSmallIntegerField(
        _("in this niche market since (year)"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    key_field = models.CharField(_("main product's field"), max_length=20, choices=KeyField.choices, blank=True)
    digitalization_level = models.PositiveSmallIntegerField(
        _("digitalization level (1–4, SME digital maturity assessment)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    quality_award = models.BooleanField(_("provincial or higher quality award"), null=True, blank=True)
    own_brand = models.BooleanField(_("own brand"), null=True, blank=True)
    standards_drafted = models.PositiveSmallIntegerField(_("standards drafted or revised"), null=True, blank=True)
    net_profit_margin = models.DecimalField(
        _("net profit margin (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    debt_asset_ratio = models.DecimalField(
        _("debt-to-asset ratio (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(300)],
    )
    class1_ip_high_value = models.PositiveIntegerField(
        _("high-value class-I IP for the main product"), null=True, blank=True
    )
    class1_ip_self_developed = models.PositiveIntegerField(
        _("self-developed class-I IP (invention patents etc.)"), null=True, blank=True
    )
    class1_ip_total = models.PositiveIntegerField(_("class-I IP in total"), null=True, blank=True)
    class2_ip_total = models.PositiveIntegerField(_("class-II IP (utility models, designs…)"), null=True, blank=True)
    rd_spend_cny = models.DecimalField(
        _("R&D spend (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rd_institution = models.CharField(
        _("R&D institution level"), max_length=12, choices=RDInstitution.choices, blank=True
    )
    equity_financing_2y_cny = models.DecimalField(
        _("new equity financing, last 2 years (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    provenance = models.JSONField(
        _("provenance per input"),
        default=dict,
        blank=True,
        help_text=_("Input name → self_declared / document_verified. Set by services, never typed."),
    )
    evidence = models.FileField(
        _("evidence (audited statements, certificates)"),
        upload_to=RandomName("ranking-evidence"),
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
    )
    verified_at = models.DateTimeField(_("verified by Silkway at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("ranking figures")
        verbose_name_plural = _("ranking figures")
        ordering = ["supplier", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "fiscal_year"], name="figures_one_per_year"),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2000), name="figures_fiscal_year_sane"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"figures_{field}_nonneg",
                )
                for field in ("revenue_cny", "rd_spend_cny", "equity_financing_2y_cny")
            ],
            models.CheckConstraint(
                condition=Q(main_business_share__isnull=True)
                | Q(main_business_share__gte=0, main_business_share__lte=100),
                name="figures_main_business_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(main_business_growth_2y__isnull=True)
                | Q(main_business_growth_2y__gte=-100, main_business_growth_2y__lte=1000),
                name="figures_growth_sane",
            ),
            models.CheckConstraint(
                condition=Q(net_profit_margin__isnull=True)
                | Q(net_profit_margin__gte=-100, net_profit_margin__lte=100),
                name="figures_margin_percent",
            ),
            models.CheckConstraint(
                condition=Q(debt_asset_ratio__isnull=True) | Q(debt_asset_ratio__gte=0, debt_asset_ratio__lte=300),
                name="figures_debt_ratio_sane",
            ),
            models.CheckConstraint(
                condition=Q(digitalization_level__isnull=True)
                | Q(digitalization_level__gte=1, digitalization_level__lte=4),
                name="figures_digitalization_1_4",
            ),
            # R&D spend above revenue is a typing error, not an innovation strategy.
            models.CheckConstraint(
                condition=Q(rd_spend_cny__isnull=True)
                | Q(revenue_cny__isnull=True)
                | Q(rd_spend_cny__lte=F("revenue_cny")),
                name="figures_rd_within_revenue",
            ),
            models.CheckConstraint(
                condition=Q(class1_ip_self_developed__isnull=True)
                | Q(class1_ip_total__isnull=True)
                | Q(class1_ip_self_developed__lte=F("class1_ip_total")),
                name="figures_self_developed_within_total",
            ),
            models.CheckConstraint(
                condition=Q(key_field="") | Q(key_field__in=KeyField.values), name="figures_key_field_valid"
            ),
            models.CheckConstraint(
                condition=Q(rd_institution="") | Q(rd_institution__in=RDInstitution.values),
                name="figures_rd_institution_valid",
            ),
        ]

    def __str__(self):
        return f"{self.supplier} FY{self.fiscal_year}"

    def clean(self):
        errors = {}
        this_year = timezone.now().year
        if self.fiscal_year and self.fiscal_year > this_year:
            errors["fiscal_year"] = _("Figures cannot be for a future fiscal year.")
        if self.niche_since_year and self.niche_since_year > this_year:
            errors["niche_since_year"] = _("The year you entered this niche cannot be in the future.")
        if self.rd_spend_cny is not None and self.revenue_cny is not None and self.rd_spend_cny > self.revenue_cny:
            errors["rd_spend_cny"] = _("R&D spend cannot exceed revenue.")
        if (
            self.class1_ip_self_developed is not None
            and self.class1_ip_total is not None
            and self.class1_ip_self_developed > self.class1_ip_total
        ):
            errors["class1_ip_self_developed"] = _("Self-developed class-I IP is part of the class-I total.")
        if errors:
            raise ValidationError(errors)

    def provenance_of(self, field):
        return self.provenance.get(field, Provenance.SELF_DECLARED)


class DesignationLevel(models.TextChoices):
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME (创新型中小企业)")
    SPECIALIZED_SME = "specialized_sme", _("Specialized & innovative SME (专精特新中小企业)")
    LITTLE_GIANT = "little_giant", _("Specialized & innovative 'little giant' (专精特新“小巨人”)")


class OfficialDesignation(models.Model):
    """A real government designation, shown as a badge only once an operator has checked the certificate.

    Separate from the Specialized & Innovative index on purpose: the index is ours, the designation is the state's.
    """

    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="official_designations", verbose_name=_("supplier")
    )
    level = models.CharField(_("designation"), max_length=20, choices=DesignationLevel.choices)
    certificate_number = models.CharField(_("certificate / list number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("e.g. MIIT, or a provincial department"))
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    document = models.FileField(
        _("certificate or official list"),
        upload_to=RandomName("designations"),
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
    )
    verified_at = models.DateTimeField(_("verified by Silkway at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("official designation")
        verbose_name_plural = _("official designations")
        ordering = ["-valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["level", "certificate_number"], name="designation_certificate_unique"),
            models.CheckConstraint(condition=Q(valid_until__gt=F("issued_on")), name="designation_dates_ordered"),
            models.CheckConstraint(condition=Q(level__in=DesignationLevel.values), name="designation_level_valid"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.certificate_number}"

    def clean(self):
        if self.issued_on and self.valid_until and self.valid_until <= self.issued_on:
            raise ValidationError({"valid_until": _("The designation must be valid after the date it was issued.")})

    @property
    def is_current(self):
        return self.verified_at is not None and self.issued_on <= timezone.localdate() <= self.valid_until


def designation_current_q(*, on=None) -> Q:
    """Designations a badge may show on a day (today by default): checked by an operator and in force."""
    on = on or timezone.localdate()
    return Q(verified_at__isnull=False, issued_on__lte=on, valid_until__gte=on)


class ActivityKind(models.TextChoices):
    ORDER = "order", _("Completed order")
    RATING = "rating", _("Buyer rating")


class SupplierActivity(models.Model):
    """Platform-derived ledger the Top suppliers board reads: completed orders and ratings.

    The sourcing app (orders, reviews) will write one row per completed order and per rating through
    services.supplier_activity_record; until it exists nothing writes here in production, and the order-based
    indicators are empty (which the board shows as missing coverage, not as zeros).
    """

    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="ranking_activity")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    source_ref = models.CharField(max_length=100, help_text=_("The order or review this row comes from, e.g. order:42"))
    occurred_at = models.DateTimeField()
    order_value_usd = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    delivered_on_time = models.BooleanField(null=True, blank=True)
    disputed = models.BooleanField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("supplier activity")
        verbose_name_plural = _("supplier activity")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_ref"], name="activity_source_unique"),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(
                condition=Q(order_value_usd__isnull=True) | Q(order_value_usd__gte=0), name="activity_value_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="activity_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(kind="rating", rating__isnull=False) | Q(kind="order", order_value_usd__isnull=False),
                name="activity_kind_has_its_value",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "kind", "occurred_at"]), models.Index(fields=["occurred_at"])]

    def __str__(self):
        return f"{self.supplier_id} {self.kind} {self.source_ref}"


class RankingPenalty(models.Model):
    """An operator's sanction (e.g. fraud under investigation): the supplier is not ranked while it is active."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="ranking_penalties", verbose_name=_("supplier")
    )
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: until lifted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("ranking penalty")
        verbose_name_plural = _("ranking penalties")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="penalty_dates_ordered"
            )
        ]

    def __str__(self):
        return f"{self.supplier}: {self.reason[:40]}"
