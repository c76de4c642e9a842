"""Response headers every page gets that Django itself does not set, request ids, and the 503 answer when the
database has gone away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core.observability import REQUEST_ID_HEADER, clean_request_id, new_request_id, request_id_var

db_logger = logging.getLogger("silkway.db")

# What a database that went away raises: the server restarting or failing over, a refused or timed-out connection,
# a connection dropped mid-query (Django wraps the driver's errors in these).
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before trying again (the Retry-After header of the 503).
DATABASE_RETRY_AFTER_SECONDS = 5
SERVICE_UNAVAILABLE_CODE = "service_unavailable"


def close_broken_connections() -> None:
    """Close every connection a database error left unusable, so the next query (this process's next request)
    connects again. A connection inside an atomic block is left to the block that owns it."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except Exception:  # closing a dead connection must never turn the 503 into a 500
            db_logger.warning("could not close database connection %r", connection.alias, exc_info=True)


def database_unavailable(method: str, path: str, exc) -> None:
    """The bookkeeping of a database outage seen while serving `method path` (a page, the API or /mcp): one error
    log line (with the request id) and the broken connections closed."""
    request_id = request_id_var.get()
    db_logger.error(
        "Database unavailable: %s %s (%s: %s)",
        method,
        path,
        exc.__class__.__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "",
        exc_info=exc,
        extra={"status_code": 503, "request_id": request_id},
    )
    close_broken_connections()


def service_unavailable_message() -> str:
    return _("Silkway is briefly unavailable. Please try again in a few seconds.")


def _finish_503(response):
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged once above; Django's request logger would log every response of 500 and more again.
    response._has_been_logged = True
    return response


def service_unavailable_response(request):
    """503 with Retry-After: JSON in the API's error shape under /api/, else the short 503 page. The page touches
    no database (no user, no session, no messages), so it renders while the database is down."""
    if request.path.startswith("/api/"):
        body = {"errors": [{"field": None, "code": SERVICE_UNAVAILABLE_CODE, "message": service_unavailable_message()}]}
        return _finish_503(JsonResponse(body, status=503))
    try:
        html = render_to_string("503.html", {"retry_after": DATABASE_RETRY_AFTER_SECONDS})
    except Exception:  # the page must not fail in turn: plain text rather than a 500
        db_logger.warning("could not render 503.html", exc_info=True)
        return _finish_503(HttpResponse(service_unavailable_message(), status=503, content_type="text/plain"))
    return _finish_503(HttpResponse(html, status=503))


class DatabaseUnavailableMiddleware:
    """A view (or the template it renders) that raises OperationalError / InterfaceError gets a 503 with Retry-After
    instead of Django's 500, logged once as an error with the request id, and the broken connection is closed so
    the next request reconnects: no web or worker process needs a restart after the database comes back.

    DRF views handle their own exceptions: core.api.exceptions.exception_handler answers the same way for the API.
    What a later middleware raises (the session saved on the way out) never reaches process_exception: Django's 500
    handler, core.views.server_error, answers that with the same 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return None
        database_unavailable(request.method, request.path, exception)
        return service_unavailable_response(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy from settings.PERMISSIONS_POLICY: {feature: [allowed origins]}; [] denies the feature.

    Origins are written as in the header: "self", or a quoted origin such as '"https://pay.example"'.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RequestIdMiddleware:
    """Carries a request id through the request's log lines and the Celery tasks it queues (core/observability.py).

    The client's `X-Request-ID` is kept when it is a short safe token (a proxy's id joins its logs to ours); otherwise
    a new uuid4 hex. The id is returned in the `X-Request-ID` response header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
