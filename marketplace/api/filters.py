"""Query filters for product lists.

Unknown values are a 400 naming the parameter (an unknown category or supplier slug included), never an
empty page that looks like "nothing matches".
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    CountryFilter,
    PositiveIntegerFilter,
    PriceFilter,
    SearchFilter,
    SlugFilter,
    StrictBooleanFilter,
    StrictFilterSet,
)
from core.languages import base_language
from suppliers.models import Certification, CertificationType, Supplier, SupplierKind, verified_supplier_q
from taxonomy import selectors as taxonomy_selectors
from taxonomy.models import Category

from ..models import Product
from ..search_hooks import text_search
from .serializers import CUSTOMIZATIONS

CUSTOMIZATION_FILTERS = {**CUSTOMIZATIONS, "samples": "samples_available"}


class ProductFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_price",
                ValidationError(_("The maximum price cannot be below the minimum price."), code="inverted_range"),
            )
        return cleaned


class ProductFilter(StrictFilterSet):
    q = SearchFilter(method="filter_q", help_text="Search words, in any language the catalog has.")
    category = SlugFilter(method="filter_category", help_text="Category slug; includes its sub-categories.")
    supplier = SlugFilter(method="filter_supplier", help_text="Supplier slug.")
    supplier_kind = django_filters.ChoiceFilter(field_name="supplier__kind", choices=SupplierKind.choices)
    country = CountryFilter(field_name="supplier__country", help_text="Supplier's country, ISO 3166-1 alpha-2.")
    verified = StrictBooleanFilter(method="filter_verified", help_text="Only products of verified suppliers.")
    trade_assurance = StrictBooleanFilter(field_name="supplier__trade_assurance")
    certification = django_filters.ChoiceFilter(
        choices=CertificationType.choices,
        method="filter_certification",
        help_text="The product carries a currently valid certificate of this type.",
    )
    moq_max = PositiveIntegerFilter(field_name="moq", lookup_expr="lte", help_text="MOQ at most this.")
    min_price = PriceFilter(field_name="price_max", lookup_expr="gte", help_text="Some tier costs at least this.")
    max_price = PriceFilter(field_name="price_min", lookup_expr="lte", help_text="Some tier costs at most this.")
    lead_time_max = PositiveIntegerFilter(
        field_name="lead_time_days", lookup_expr="lte", help_text="Ships the MOQ within this many days."
    )
    customization = django_filters.MultipleChoiceFilter(
        choices=[(key, key) for key in CUSTOMIZATION_FILTERS],
        method="filter_customization",
        help_text="Customizations offered; several values must all apply.",
    )

    class Meta:
        model = Product
        fields = []
        form = ProductFilterForm

    def filter_q(self, queryset, name, value):
        # The search engine's matching (registered by the search app: same understanding, glossary and index as
        # /search/); the API's orderings still apply, text rank does not reorder the list.
        if not value.strip():
            return queryset
        return text_search(queryset, value, language=base_language(get_language()))

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(slug=value).first()
        if category is None:
            raise ValidationError({"category": ValidationError(_("No category has this slug."), code="does_not_exist")})
        return queryset.filter(category_id__in=taxonomy_selectors.category_descendant_ids(category=category))

    def filter_supplier(self, queryset, name, value):
        supplier_id = Supplier.objects.filter(slug=value).values_list("pk", flat=True).first()
        if supplier_id is None:
            raise ValidationError({"supplier": ValidationError(_("No supplier has this slug."), code="does_not_exist")})
        return queryset.filter(supplier_id=supplier_id)

    def filter_verified(self, queryset, name, value):
        verified = verified_supplier_q("supplier__")
        return queryset.filter(verified if value else ~verified)

    def filter_certification(self, queryset, name, value):
        certified = Certification.objects.valid_on().filter(products=OuterRef("pk"), type=value)
        return queryset.filter(Exists(certified))

    def filter_customization(self, queryset, name, value):
        return queryset.filter(**{CUSTOMIZATION_FILTERS[key]: True for key in value})
