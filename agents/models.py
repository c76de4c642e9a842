"""What buyers' agents did through MCP: each buyer's activity log (and the idempotency record of every write), and
the RFQs agents drafted that wait for the buyer's click."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class AgentAction(models.Model):
    """One tool call an agent made for a buyer. A write's idempotency key is unique per buyer, agent and tool: the
    same key again returns the stored result instead of acting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_actions")
    # The OAuth client (or "local" for the stdio command). Kept as text: the log outlives a deleted client.
    client_id = models.CharField(max_length=100)
    agent_name = models.CharField(_("agent"), max_length=255)
    tool = models.CharField(_("tool"), max_length=60)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    summary = models.CharField(_("what happened"), max_length=300)
    idempotency_key = models.CharField(max_length=100, blank=True)
    arguments_hash = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("agent action")
        verbose_name_plural = _("agent actions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="agent_action_outcome"),
            models.UniqueConstraint(
                fields=["user", "client_id", "tool", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="agent_action_idempotency_key",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.agent_name}: {self.tool}"


class RFQConfirmation(models.Model):
    """An RFQ an agent drafted, and to whom it proposed sending it. Nothing reaches a supplier until the buyer opens
    the confirmation page and clicks Send (then `confirmed_at` is set); the agent only ever gets the link."""

    rfq = models.OneToOneField("sourcing.RFQ", on_delete=models.CASCADE, related_name="agent_confirmation")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.CharField(max_length=100)
    agent_name = models.CharField(_("agent"), max_length=255)
    supplier_ids = models.JSONField(default=list, blank=True)
    broadcast = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("RFQ awaiting the buyer's confirmation")
        verbose_name_plural = _("RFQs awaiting the buyer's confirmation")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(discarded_at__isnull=True), name="rfq_confirmation_one_end"
            ),
        ]
        indexes = [models.Index(fields=["user", "client_id", "confirmed_at", "discarded_at"])]

    def __str__(self):
        return f"RFQ {self.rfq_id} ({self.agent_name})"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.discarded_at is None
