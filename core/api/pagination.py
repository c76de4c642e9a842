"""Keyset cursor pagination for every API list."""

import base64
import binascii
import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param


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
                {
                    self.page_size_query_param: [
                        exceptions.ErrorDetail(
                            _("Enter a whole number from 1 to %(max)s.") % {"max": maximum}, code="invalid"
                        )
                    ]
                }
            )
        return size

    def _ordering_name(self, request, orderings, default):
        name = request.query_params.get(self.ordering_query_param, default)
        if name not in orderings:
            choices = ", ".join(orderings)
            raise exceptions.ValidationError(
                {
                    self.ordering_query_param: [
                        exceptions.ErrorDetail(
                            _("Choose one of: %(choices)s.") % {"choices": choices}, code="invalid_choice"
                        )
                    ]
                }
            )
        return name

    def _invalid_cursor(self):
        return exceptions.ValidationError(
            {self.cursor_query_param: [exceptions.ErrorDetail(_("This cursor is not valid."), code="invalid_cursor")]}
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
