"""Plumbing every /api/v1/ endpoint shares: the error serializers, keyset cursor pagination, throttles and
conditional GET for detail views. The exception handler is in config/exceptions.py, the schema class in
config/api_schema.py: this module must not import rest_framework.views (DRF's settings import it back).
"""

import base64
import binascii
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.utils.cache import parse_etags, patch_vary_headers, quote_etag
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
from rest_framework.utils.urls import replace_query_param

# --- errors -------------------------------------------------------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="Dotted path of the offending field; null when about the whole request."
    )
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. required, invalid, not_found.")
    message = serializers.CharField(help_text="Human-readable message in the request's language.")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


# --- pagination ---------------------------------------------------------------------------------------------


class KeysetOrdering:
    """One way a list can be sorted: an expression (never null) and its direction; ties break on the primary key."""

    def __init__(self, expression, *, descending=False, label=""):
        self.expression = F(expression) if isinstance(expression, str) else expression
        self.descending = descending
        self.label = label


class KeysetCursorPagination(BasePagination):
    """Opaque cursors over (sort key, id): stable under inserts and as fast on page 5,000 as on page 1.

    The view declares `keyset_orderings` ({name: KeysetOrdering}) and `default_ordering`; clients choose with
    `?ordering=`, size pages with `?page_size=` (1..API_MAX_PAGE_SIZE) and follow `next` until it is null.
    Bad values of any of the three are a 400, never a silent default.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"
    key_alias = "_keyset_key"

    def _orderings(self, view):
        orderings = getattr(view, "keyset_orderings", None)
        if not orderings:
            return {"default": KeysetOrdering("pk", descending=True)}, "default"
        return orderings, view.default_ordering

    def _page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return api_settings.PAGE_SIZE
        maximum = settings.API_MAX_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = None
        if size is None or not 1 <= size <= maximum:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [
                    exceptions.ErrorDetail(
                        _("Enter a whole number from 1 to %(max)s.") % {"max": maximum}, code="invalid"
                    )
                ]}
            )
        return size

    def _ordering_name(self, request, orderings, default):
        name = request.query_params.get(self.ordering_query_param, default)
        if name not in orderings:
            choices = ", ".join(orderings)
            raise exceptions.ValidationError(
                {self.ordering_query_param: [
                    exceptions.ErrorDetail(
                        _("Choose one of: %(choices)s.") % {"choices": choices}, code="invalid_choice"
                    )
                ]}
            )
        return name

    def _invalid_cursor(self):
        return exceptions.ValidationError(
            {self.cursor_query_param: [exceptions.ErrorDetail(_("This cursor is not valid."), code="invalid")]}
        )

    def _decode(self, raw, ordering_name, output_field):
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
            if not isinstance(payload, dict) or payload.get("o") != ordering_name:
                raise ValueError
            pk = payload["p"]
            if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
                raise ValueError
            value = output_field.to_python(payload["k"])
            if value is None:
                raise ValueError
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error, DjangoValidationError):
            raise self._invalid_cursor() from None
        return value, pk

    def _encode(self, ordering_name, value, pk):
        payload = {"o": ordering_name, "k": value if isinstance(value, int) else str(value), "p": pk}
        if hasattr(value, "isoformat"):
            payload["k"] = value.isoformat()
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        orderings, default = self._orderings(view)
        page_size = self._page_size(request)
        ordering_name = self._ordering_name(request, orderings, default)
        ordering = orderings[ordering_name]

        queryset = queryset.annotate(**{self.key_alias: ordering.expression})
        key = self.key_alias
        if ordering.descending:
            queryset = queryset.order_by(F(key).desc(), "-pk")
        else:
            queryset = queryset.order_by(F(key).asc(), "pk")

        raw_cursor = request.query_params.get(self.cursor_query_param)
        if raw_cursor:
            output_field = queryset.query.annotations[key].output_field
            value, pk = self._decode(raw_cursor, ordering_name, output_field)
            after = "lt" if ordering.descending else "gt"
            queryset = queryset.filter(Q(**{f"{key}__{after}": value}) | Q(**{key: value, f"pk__{after}": pk}))

        rows = list(queryset[: page_size + 1])
        self.next_cursor = None
        if len(rows) > page_size:
            rows = rows[:page_size]
            last = rows[-1]
            self.next_cursor = self._encode(ordering_name, getattr(last, key), last.pk)
        return rows

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page; null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        orderings, default = self._orderings(view)
        parameters = [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Results per page (default {api_settings.PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
            },
        ]
        if getattr(view, "keyset_orderings", None):
            described = "; ".join(f"`{name}`: {o.label}" for name, o in orderings.items() if o.label)
            parameters.append(
                {
                    "name": self.ordering_query_param,
                    "in": "query",
                    "required": False,
                    "description": f"Sort order (default `{default}`). {described}",
                    "schema": {"type": "string", "enum": list(orderings), "default": default},
                }
            )
        return parameters


# --- throttling ---------------------------------------------------------------------------------------------


class _LiveRates:
    """DRF copies the rates once at import; read them per request, so settings overrides (tests, env) apply."""

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - DRF's attribute name
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonThrottle(_LiveRates, AnonRateThrottle):
    pass


class UserThrottle(_LiveRates, UserRateThrottle):
    pass


class AuthThrottle(_LiveRates, SimpleRateThrottle):
    """The stricter scope on login, refresh, registration and logout: per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


# --- conditional GET ----------------------------------------------------------------------------------------


# ETag on detail responses; a matching If-None-Match gets 304 with no body. The tag hashes the representation
# itself (language and media type included), so it changes whenever anything shown changes (a price tier, a
# translation, a certificate), not only the row's updated_at. (A comment, not a docstring: the schema would
# show a docstring as every subclass's description.)
class ConditionalRetrieveMixin:

    def retrieve(self, request, *args, **kwargs):
        data = self.get_serializer(self.get_object()).data
        body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(f"{request.accepted_media_type}\n{body}".encode()).hexdigest()[:32]
        etag = quote_etag(digest)
        candidates = parse_etags(request.headers.get("If-None-Match", ""))
        if "*" in candidates or etag in [tag.removeprefix("W/") for tag in candidates]:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(data)
        response["ETag"] = etag
        # Revalidate every time: cheap with the ETag, and never stale after a seller edits.
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response


# --- strict JSON fields -------------------------------------------------------------------------------------


class StrictIntegerField(serializers.IntegerField):
    """A JSON number with no fraction; DRF's own field would also take "12" and true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float) or (
            isinstance(data, float) and not data.is_integer()
        ):
            self.fail("invalid")
        return super().to_internal_value(int(data))


class StrictStringMixin:
    """Only a JSON string; DRF's string fields would also turn 12 into "12"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Not a valid string."), code="invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass
