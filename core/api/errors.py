"""The API's one error shape as serializers, for the schema and the exception handler (core.api.exceptions)."""

from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="Dotted path of the offending field; null when about the whole request."
    )
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. required, invalid, not_found.")
    message = serializers.CharField(help_text="Human-readable message in the request's language.")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
