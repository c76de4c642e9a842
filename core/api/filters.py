"""Strict query-parameter filters for the API.

django-filter's stock fields are lenient where a mobile client needs an answer: `?verified=banana` is read as
"no filter", and a decimal field takes `?moq_max=2.5`. These fields reject anything they cannot read with a
400 naming the parameter, and each declares its exact OpenAPI type so the schema and the server agree.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

MAX_INT = 2_147_483_647
MAX_PRICE = 1_000_000_000


class StrictBooleanField(forms.Field):
    TRUE = {"true", "1"}
    FALSE = {"false", "0"}
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_INT})
class PositiveIntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INT)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "number", "minimum": 0, "maximum": MAX_PRICE})
class PriceFilter(django_filters.NumberFilter):
    field_class = forms.DecimalField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_PRICE)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$"})
class CountryFilter(django_filters.CharFilter):
    """An ISO 3166-1 alpha-2 code, any case."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"^[A-Za-z]{2}$")
        kwargs.setdefault("error_messages", {"invalid": _("Enter a two-letter country code such as DE.")})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, value.upper() if value else value)


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 200})
class SlugFilter(django_filters.CharFilter):
    """A slug; the filter's method decides what an unknown one means (usually a 400)."""

    field_class = forms.SlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "maxLength": 200})
class SearchFilter(django_filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class StrictFilterSet(django_filters.FilterSet):
    """A filter given with no value (`?verified=`) is a 400, not silently "no filter": the schema types every
    parameter, and an empty string is not a boolean, a number or a choice. Free text (`q`) may be empty."""

    allow_empty = ("q",)

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.allow_empty or name not in self.data:
                continue
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
            if any(value.strip() == "" for value in values):
                self.form.add_error(
                    name, forms.ValidationError(_("Give a value, or leave the parameter out."), code="blank")
                )
        return valid and not self.form.errors
