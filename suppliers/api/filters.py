"""Query filters on the supplier directory."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.api.filters import CountryFilter, SearchFilter, StrictBooleanFilter, StrictFilterSet

from ..models import Certification, CertificationType, Supplier, SupplierKind, verified_supplier_q

OFFERS = {
    "oem": "offers_oem",
    "odm": "offers_odm",
    "custom_packaging": "offers_custom_packaging",
    "samples": "offers_samples",
}


class SupplierFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=SupplierKind.choices, help_text="Factory, trading company or both.")
    country = CountryFilter(field_name="country", help_text="ISO 3166-1 alpha-2 code, e.g. CN.")
    verified = StrictBooleanFilter(method="filter_verified", help_text="Only suppliers Silkway has verified.")
    certification = django_filters.ChoiceFilter(
        choices=CertificationType.choices,
        method="filter_certification",
        help_text="Holds a currently valid certificate of this type.",
    )
    trade_assurance = StrictBooleanFilter(field_name="trade_assurance")
    offers = django_filters.MultipleChoiceFilter(
        choices=[(key, key) for key in OFFERS],
        method="filter_offers",
        help_text="Services the supplier offers; several values must all apply.",
    )
    q = SearchFilter(method="filter_q", help_text="Words in the supplier's name, region or city.")

    class Meta:
        model = Supplier
        fields = []

    def filter_verified(self, queryset, name, value):
        verified = verified_supplier_q()
        return queryset.filter(verified if value else ~verified)

    def filter_certification(self, queryset, name, value):
        valid = Certification.objects.valid_on().filter(supplier=OuterRef("pk"), type=value)
        return queryset.filter(Exists(valid))

    def filter_offers(self, queryset, name, value):
        return queryset.filter(**{OFFERS[key]: True for key in value})

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(region__icontains=value) | Q(city__icontains=value))
