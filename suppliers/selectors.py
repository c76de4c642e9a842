"""Reads on suppliers shared by pages, the API and tasks."""

from django.db.models import Prefetch, QuerySet

from .models import Certification, Supplier


def certification_valid_list() -> QuerySet:
    return Certification.objects.valid_on()


def supplier_list() -> QuerySet:
    return Supplier.objects.all()


def supplier_get(*, slug: str) -> Supplier:
    """One storefront, with its current certifications and capacities loaded."""
    return Supplier.objects.prefetch_related(
        Prefetch("certifications", queryset=certification_valid_list(), to_attr="valid_certifications"),
        "capacities__category",
    ).get(slug=slug)
