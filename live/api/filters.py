"""Query filters on live sessions: unknown values are a 400 naming the parameter."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.api.filters import PositiveIntegerFilter, SlugFilter, StrictFilterSet
from suppliers.models import Supplier

from ..models import LiveSession, LiveStatus


class LiveSessionFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(
        choices=LiveStatus.choices, method="filter_status", help_text="Live now, upcoming or ended."
    )
    supplier = SlugFilter(method="filter_supplier", help_text="Supplier slug.")
    product = PositiveIntegerFilter(field_name="products", help_text="Sessions showing this product (its id).")

    class Meta:
        model = LiveSession
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_supplier(self, queryset, name, value):
        supplier_id = Supplier.objects.filter(slug=value).values_list("pk", flat=True).first()
        if supplier_id is None:
            raise ValidationError({"supplier": ValidationError(_("No supplier has this slug."), code="does_not_exist")})
        return queryset.filter(supplier_id=supplier_id)
