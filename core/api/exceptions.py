"""The API's one error shape, for every 4xx/5xx under /api/v1/ (validation, 401/403/404/405/415/429, bad JSON, 503
when the database is unreachable):

    {"errors": [{"field": "quantity", "code": "min_value", "message": "Ensure this value is ..."}]}

`field` is null for errors about the request as a whole; nested fields are dotted ("profile.country").
Kept apart from core/api/pagination.py because it imports rest_framework.views, which loads the DRF settings
that point back at core/api/pagination.py.
"""

import logging

from django.core import signals
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.middleware import (
    DATABASE_RETRY_AFTER_SECONDS,
    DATABASE_UNAVAILABLE_ERRORS,
    SERVICE_UNAVAILABLE_CODE,
    database_unavailable,
    service_unavailable_message,
)

logger = logging.getLogger("silkway.api")


def _join(prefix, name):
    if name is None:
        return prefix
    return f"{prefix}.{name}" if prefix else str(name)


def flatten_errors(detail, field=None, default_code="invalid"):
    """DRF's nested error detail (dicts, lists, ErrorDetail) as a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = None if key in (api_settings.NON_FIELD_ERRORS_KEY, "__all__") else key
            items.extend(flatten_errors(value, _join(field, name), default_code))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            # A list of dicts is a list of nested objects: their index is part of the path.
            sub = _join(field, index) if isinstance(value, dict) else field
            items.extend(flatten_errors(value, sub, default_code))
        return items
    return [{"field": field, "code": getattr(detail, "code", None) or default_code, "message": str(detail)}]


def _errors_for(exc):
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        return flatten_errors(detail)
    # simplejwt answers {"detail": ..., "code": ..., "messages": [...]}: keep the headline, not the internals.
    if isinstance(detail, dict) and "detail" in detail:
        code = detail.get("code") or getattr(detail["detail"], "code", None) or exc.default_code
        return [{"field": None, "code": str(code), "message": str(detail["detail"])}]
    return flatten_errors(detail, default_code=exc.default_code)


def _service_unavailable(exc, context):
    """The database went away (core.middleware.DatabaseUnavailableMiddleware answers pages the same way): 503 with
    Retry-After in the API's shape, logged once, the broken connection closed so the next request reconnects."""
    request = context["request"]
    database_unavailable(request.method, request.path, exc)
    set_rollback()
    response = Response(
        {"errors": [{"field": None, "code": SERVICE_UNAVAILABLE_CODE, "message": service_unavailable_message()}]},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )
    add_never_cache_headers(response)
    response._has_been_logged = True  # Django's request logger would log the 503 a second time
    return response


def exception_handler(exc, context):
    if isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        return _service_unavailable(exc, context)
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; its field names are the API's field names.
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        # e.g. RequestDataTooBig, or a header Django refuses: the client's fault, not ours.
        exc = exceptions.ParseError(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        # A bug. Log it like Django would, let test clients re-raise it, and still answer in the API's shape.
        request = context.get("request")
        django_request = getattr(request, "_request", request)
        logger.error(
            "Internal Server Error: %s",
            getattr(django_request, "path", "?"),
            exc_info=exc,
            extra={"status_code": 500, "request": django_request},
        )
        signals.got_request_exception.send(sender=None, request=django_request)
        set_rollback()
        return Response(
            {"errors": [{"field": None, "code": "server_error", "message": _("Something went wrong on our side.")}]},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    response.data = {"errors": _errors_for(exc)}
    return response


@csrf_exempt  # a plain view: without this, an unknown POST/DELETE address would get the HTML CSRF page
def api_not_found(request, *args, **kwargs):
    """Unknown addresses under /api/v1/ answer in the API's error shape, not with the HTML 404 page."""
    return JsonResponse(
        {"errors": [{"field": None, "code": "not_found", "message": _("No API endpoint at this address.")}]},
        status=404,
    )
