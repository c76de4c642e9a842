"""Serializer fields that take only the JSON type they declare."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.utils import html

from core.languages import normalize_language


class StrictIntegerField(serializers.IntegerField):
    """A JSON number with no fraction; DRF's own field would also take "12" and true."""

    def to_internal_value(self, data):
        if (
            isinstance(data, bool)
            or not isinstance(data, int | float)
            or (isinstance(data, float) and not data.is_integer())
        ):
            self.fail("invalid")
        return super().to_internal_value(int(data))


class SingleFormValueMixin:
    """A form field sent twice is refused as a list; DRF would silently take its last value."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and len(dictionary.getlist(self.field_name)) > 1:
            return dictionary.getlist(self.field_name)
        return super().get_value(dictionary)


class StrictStringMixin(SingleFormValueMixin):
    """Only a JSON string; DRF's string fields would also turn 12 into "12"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Not a valid string."), code="invalid")
        # The schema's maxLength is about what the client sent: DRF would measure after trimming whitespace, and
        # take a padded string longer than the limit (found by the API fuzzer).
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class LanguageField(SingleFormValueMixin, serializers.ChoiceField):
    """One of settings.LANGUAGES, taking the plain ISO 639-1 code and regional spellings too ("zh", "zh-CN" and
    "zh-hans" are all Simplified Chinese; "pt-BR" is "pt"). Always answers with the served code."""

    def __init__(self, **kwargs):
        super().__init__(choices=settings.LANGUAGES, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(normalize_language(data) or data)
