"""Reads on suppliers shared by pages, the API and tasks."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import (
    Certification,
    Supplier,
    SupplierApplication,
    SupplierInvitation,
    SupplierMembership,
)


def certification_valid_list() -> QuerySet:
    return Certification.objects.valid_on()


def supplier_list() -> QuerySet:
    """The suppliers buyers see (not those whose application to sell is still under review or was refused)."""
    return Supplier.objects.listed()


def supplier_get(*, slug: str) -> Supplier:
    """One storefront, with its current certifications and capacities loaded."""
    return (
        Supplier.objects.listed()
        .prefetch_related(
            Prefetch("certifications", queryset=certification_valid_list(), to_attr="valid_certifications"),
            "capacities__category",
        )
        .get(slug=slug)
    )


def supplier_may_publish(supplier) -> bool:
    """Whether the supplier's products may go live: not while its application to sell is waiting for review or was
    rejected. Suppliers that sold before applications existed (no application) may."""
    return Supplier.objects.listed().filter(pk=supplier.pk).exists()


def supplier_application_status(supplier) -> str | None:
    """The status of the supplier's application to sell, or None for a supplier that never applied."""
    return SupplierApplication.objects.filter(supplier_id=supplier.pk).values_list("status", flat=True).first()


def supplier_team_list(supplier) -> QuerySet:
    """The supplier's members, owners first, with their accounts (one query)."""
    return SupplierMembership.objects.filter(supplier=supplier).select_related("user").order_by("role", "user__email")


def supplier_invitation_open_list(supplier) -> QuerySet:
    """Invitations still waiting for an answer (not accepted, revoked or expired), newest first."""
    return SupplierInvitation.objects.filter(
        supplier=supplier, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def supplier_invitation_by_token(token: str):
    """The invitation a link's token names, with its supplier, or None."""
    from .onboarding import invitation_token_hash  # the hashing rule lives with the service that writes it

    return SupplierInvitation.objects.select_related("supplier").filter(token_hash=invitation_token_hash(token)).first()
