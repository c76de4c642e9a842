"""Writes on suppliers. Views, admin actions, API views and tasks all come through here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Certification, Supplier, VerificationLevel
from .signals import response_commitment_changed

COMMITMENT_FIELDS = ("response_commitment_minutes", "response_hours_start", "response_hours_end", "response_timezone")


@transaction.atomic
def supplier_verify(*, supplier: Supplier, level: str, operator) -> Supplier:
    """An operator records how far a supplier has been checked. Only staff may verify."""
    if not getattr(operator, "is_staff", False):
        raise ValidationError(_("Only Silkway operators can verify suppliers."))
    if level not in VerificationLevel.values:
        raise ValidationError({"verification_level": _("Unknown verification level %(level)s.") % {"level": level}})
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    supplier.verification_level = level
    if level == VerificationLevel.UNVERIFIED:
        supplier.verified_at, supplier.verified_by = None, None
    else:
        supplier.verified_at, supplier.verified_by = timezone.now(), operator
    supplier.save(update_fields=["verification_level", "verified_at", "verified_by", "updated_at"])
    return supplier


def _commitment_changed(supplier: Supplier, changed_fields) -> None:
    """A new commitment is measured afresh: its old figures go now, the new ones come once the commit is done."""
    if not set(changed_fields) & set(COMMITMENT_FIELDS):
        return
    supplier.commitment_kept_rate, supplier.commitment_kept, supplier.commitment_sample_size = None, None, 0
    transaction.on_commit(lambda: response_commitment_changed.send(sender=Supplier, supplier_id=supplier.pk))


@transaction.atomic
def supplier_save_by_seller(*, supplier: Supplier, changed_fields) -> Supplier:
    """A seller's edit of its own storefront (the form leaves platform-granted fields out)."""
    _commitment_changed(supplier, changed_fields)
    supplier.save()
    return supplier


@transaction.atomic
def supplier_save_by_operator(*, supplier: Supplier, changed_fields, operator) -> Supplier:
    """An operator's edit of a supplier; a changed verification level is recorded with who and when."""
    _commitment_changed(supplier, changed_fields)
    supplier.save()
    if "verification_level" in changed_fields:
        supplier = supplier_verify(supplier=supplier, level=supplier.verification_level, operator=operator)
    return supplier


def supplier_standings_write(*, standings: dict[int, float], batch_size: int = 5000) -> list[int]:
    """Set each supplier's leaderboard standing (best percentile, 1 = first place); suppliers not in `standings`
    that had one drop to 0. Written by rankings after each run. Returns the ids of suppliers that changed."""
    changed = []
    for supplier_id, current in Supplier.objects.filter(
        Q(pk__in=list(standings)) | Q(leaderboard_standing__gt=0)
    ).values_list("pk", "leaderboard_standing"):
        if standings.get(supplier_id, 0.0) != current:
            changed.append(Supplier(pk=supplier_id, leaderboard_standing=standings.get(supplier_id, 0.0)))
    Supplier.objects.bulk_update(changed, ["leaderboard_standing"], batch_size=batch_size)
    return [supplier.pk for supplier in changed]


def supplier_figures_summary_write(*, supplier_id: int, rd_spend_share, main_business_revenue_share) -> None:
    """The storefront's R&D and main-business shares (percent of revenue, or None when unknown). Written by
    rankings from the supplier's latest fiscal-year figures, their one source; sellers do not type them."""
    Supplier.objects.filter(pk=supplier_id).update(
        rd_spend_share=rd_spend_share, main_business_revenue_share=main_business_revenue_share
    )


def supplier_order_metrics_write(
    *, supplier_id: int, on_time_delivery_rate, dispute_rate, rating_average, rating_count: int
) -> None:
    """The storefront's delivery, dispute and rating figures. Written by rankings from the platform's record of
    completed orders and ratings (rankings.SupplierActivity), their one source; sellers do not type them."""
    Supplier.objects.filter(pk=supplier_id).update(
        on_time_delivery_rate=on_time_delivery_rate,
        dispute_rate=dispute_rate,
        rating_average=rating_average,
        rating_count=rating_count,
        metrics_updated_at=timezone.now(),
    )


# Changing any of these means the document an operator checked is no longer what is shown.
CERTIFICATION_EVIDENCE_FIELDS = {"type", "number", "issuer", "scope", "valid_from", "valid_until", "document"}


def certification_save_by_seller(*, certification: Certification, changed_fields) -> Certification:
    """A seller's edit of a checked certificate withdraws the check until an operator looks again."""
    if certification.pk and CERTIFICATION_EVIDENCE_FIELDS & set(changed_fields):
        certification.verified_at = None
    certification.save()
    return certification


@transaction.atomic
def certification_verify(*, certification: Certification, operator) -> Certification:
    """An operator has checked the certificate document against the issuer's register."""
    if not getattr(operator, "is_staff", False):
        raise ValidationError(_("Only Silkway operators can verify certificates."))
    if not certification.document:
        raise ValidationError(_("%(cert)s has no document to check.") % {"cert": certification})
    if certification.valid_until < timezone.localdate():
        raise ValidationError(_("%(cert)s has expired and cannot be verified.") % {"cert": certification})
    certification.verified_at = timezone.now()
    certification.save(update_fields=["verified_at"])
    return certification
