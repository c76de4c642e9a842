"""The admin audit log: who did what in either admin site (operators at /admin/, sellers at /seller/), and when.

Written only by core.audit (the one hook every ModelAdmin on both sites goes through), never edited: an entry is
inserted once and refuses to be saved again or deleted through the ORM. Core imports no app, so the acting seller's
supplier is kept as a plain id (SUPPLIER_PATH names it for the seller site's scoping) and the user by the
configurable user model, with the e-mail kept as text for when the account is gone.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableError(Exception):
    """An audit entry was about to be changed or deleted."""


class AuditSite(models.TextChoices):
    OPERATOR = "operator", _("Operator admin (/admin/)")
    SELLER = "seller", _("Seller centre (/seller/)")


class AdminAuditEntryQuerySet(models.QuerySet):
    def delete(self):
        raise ImmutableError("Admin audit entries are never deleted.")

    delete.queryset_only = True  # type: ignore[attr-defined]


class AdminAuditEntry(models.Model):
    # The seller site scopes by this plain id (core cannot point a foreign key at suppliers).
    SUPPLIER_PATH = "supplier_id"

    # Kinds of act (the start of `action`); actions and views add ": <name>".
    ADDED = "added"
    CHANGED = "changed"
    DELETED = "deleted"
    ACTION = "action"
    VIEW = "view"

    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    # SET_NULL runs as an UPDATE of the column, not through save(): deleting an account keeps its entries.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_email = models.CharField(_("user e-mail"), max_length=254, blank=True)
    site = models.CharField(_("site"), max_length=10, choices=AuditSite.choices)
    supplier_id = models.PositiveBigIntegerField(_("acting supplier id"), null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=255, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100)
    # {"fields": {name: {"before": str, "after": str} | {"redacted": true}}, "related": [...]} for forms;
    # {"selected": [ids], "count": n, "select_across": bool} for admin actions.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = AdminAuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["supplier_id", "-created_at"], name="core_audit_supplier_when"),
            models.Index(fields=["content_type", "object_id"], name="core_audit_object"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(site__in=AuditSite.values), name="core_audit_site"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_email or '—'} {self.action} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("Admin audit entries are written once; they are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Admin audit entries are never deleted.")
