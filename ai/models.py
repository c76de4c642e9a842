"""Provenance and cost of every AI call, and the per-supplier daily usage the limits are checked against.

Suppliers are referenced by plain id: the provider layer depends on no other app (DESIGN.md import rules).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    OFFLINE = "offline", _("Offline rules")
    OPENAI = "openai", _("OpenAI-compatible API")


class CallKind(models.TextChoices):
    STRUCTURED = "structured", _("Structured output")
    EMBEDDING = "embedding", _("Embeddings")


class CallStatus(models.TextChoices):
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")


class AICall(models.Model):
    """One logical call (retries inside it included): who asked, which provider/model/prompt, what it cost."""

    task = models.CharField(_("task"), max_length=60, help_text=_('e.g. "optimize_listing"'))
    kind = models.CharField(max_length=12, choices=CallKind.choices, default=CallKind.STRUCTURED)
    provider = models.CharField(max_length=12, choices=Provider.choices)
    model = models.CharField(_("model"), max_length=100)
    prompt_version = models.CharField(_("prompt version"), max_length=40, blank=True)
    supplier_id = models.PositiveBigIntegerField(_("supplier id"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True, help_text=_('e.g. "marketplace.product:42"'))
    status = models.CharField(max_length=8, choices=CallStatus.choices)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name_plural = _("AI calls")
        verbose_name = _("AI call")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(provider__in=Provider.values), name="aicall_provider_valid"),
            models.CheckConstraint(condition=Q(status__in=CallStatus.values), name="aicall_status_valid"),
            models.CheckConstraint(condition=Q(cost_usd__gte=0), name="aicall_cost_nonneg"),
        ]
        indexes = [
            models.Index(fields=["supplier_id", "-created_at"]),
            models.Index(fields=["task", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.task} via {self.provider}/{self.model} ({self.status})"

    @property
    def total_tokens(self):
        return (self.prompt_tokens or 0) + (self.completion_tokens or 0)


class AIUsageDay(models.Model):
    """Paid calls and tokens per supplier per day; reserved atomically before each call."""

    supplier_id = models.PositiveBigIntegerField(_("supplier id"))
    day = models.DateField()
    requests = models.PositiveIntegerField(default=0)
    tokens = models.PositiveBigIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)

    class Meta:
        verbose_name = _("AI usage per supplier and day")
        verbose_name_plural = _("AI usage per supplier and day")
        ordering = ["-day", "supplier_id"]
        constraints = [models.UniqueConstraint(fields=["supplier_id", "day"], name="aiusage_one_row_per_day")]

    def __str__(self):
        return f"supplier {self.supplier_id} on {self.day}: {self.requests} requests, {self.tokens} tokens"
