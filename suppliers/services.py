"""Writes on suppliers. Views, admin actions, API views and tasks all come through here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Certification, Supplier, VerificationLevel


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
