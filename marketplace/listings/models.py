"""AI listing optimization data: one suggestion per run of the optimizer over a listing, and the batch ("optimize
these listings") it belongs to. Imported by marketplace.models, so the app label stays "marketplace".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SuggestionStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PENDING = "pending", _("Ready for review")
    APPLIED = "applied", _("Applied")
    PARTIALLY_APPLIED = "partially_applied", _("Partially applied")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")
    SUPERSEDED = "superseded", _("Superseded by a newer suggestion")


class SuggestionKind(models.TextChoices):
    LISTING = "listing", _("Listing")
    TRANSLATIONS = "translations", _("Translations of applied text")


# A product has at most one suggestion of each kind in these states; a new request reuses it or supersedes it.
# "pending" stays open while the seller applies fields one after another, until they close it (or apply the last).
OPEN_SUGGESTION_STATUSES = [SuggestionStatus.QUEUED, SuggestionStatus.RUNNING, SuggestionStatus.PENDING]


class BatchKind(models.TextChoices):
    SELECTION = "selection", _("Selected products")
    CATALOG = "catalog", _("Whole catalog")
    NIGHTLY = "nightly", _("Nightly: weakest listings")
    COMMAND = "command", _("Operator command")


class ListingOptimizationBatch(models.Model):
    """One "optimize these listings" request; progress is counted from its suggestions."""

    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="listing_batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BatchKind.choices)
    total = models.PositiveIntegerField(_("products"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The poll's heartbeat (listing_batch_dispatch): a run not polled within the lease lost its poll.
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("AI optimization run")
        verbose_name_plural = _("AI optimization runs")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=BatchKind.values), name="listing_batch_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class ListingSuggestion(models.Model):
    """An AI suggestion for one listing, with provenance. Nothing on the product changes until a seller applies it."""

    SUPPLIER_PATH = "product__supplier"

    product = models.ForeignKey("marketplace.Product", on_delete=models.CASCADE, related_name="ai_suggestions")
    batch = models.ForeignKey(
        ListingOptimizationBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name=_("AI optimization run"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.QUEUED
    )
    # A listing optimization, or the follow-up that re-translates the title/description a seller applied from one.
    kind = models.CharField(_("kind"), max_length=12, choices=SuggestionKind.choices, default=SuggestionKind.LISTING)
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups", verbose_name=_("follows")
    )
    source_hash = models.CharField(max_length=64, help_text=_("Fingerprint of the listing it was made for."))
    before = models.JSONField(_("listing before"), default=dict, blank=True)
    payload = models.JSONField(_("suggestion"), default=dict, blank=True)
    applied_fields = models.JSONField(default=list, blank=True)
    score_before = models.PositiveSmallIntegerField(_("quality before"), null=True, blank=True)
    score_after = models.PositiveSmallIntegerField(_("quality after"), null=True, blank=True)
    reasons_before = models.JSONField(default=list, blank=True)
    reasons_after = models.JSONField(default=list, blank=True)
    provider = models.CharField(_("provider"), max_length=12, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    ai_call = models.ForeignKey("ai.AICall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # With status "running", a lease: the worker holds it until started_at + services.suggestion_lease().
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("AI listing suggestion")
        verbose_name_plural = _("AI listing suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=SuggestionKind.values), name="suggestion_kind_valid"),
            models.UniqueConstraint(
                fields=["product", "kind"],
                condition=Q(status__in=OPEN_SUGGESTION_STATUSES),
                name="suggestion_one_open_per_product_kind",
            ),
            models.CheckConstraint(
                condition=(Q(score_before__isnull=True) | Q(score_before__lte=100))
                & (Q(score_after__isnull=True) | Q(score_after__lte=100)),
                name="suggestion_scores_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "-created_at"]),
            models.Index(fields=["batch", "status"]),
            models.Index(fields=["status", "dispatched_at"]),
        ]

    def __str__(self):
        return f"{self.product} · {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in OPEN_SUGGESTION_STATUSES

    @property
    def is_follow_up(self):
        return self.kind == SuggestionKind.TRANSLATIONS
