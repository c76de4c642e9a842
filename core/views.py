"""Django's error handlers (config/urls.py)."""

import sys

from django.views import defaults

from core.middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable, service_unavailable_response


def server_error(request):
    """Django's 500 page, except when the database went away outside a view: a later middleware's own query (the
    session saved on the way out, the user loaded on the way in) raises where DatabaseUnavailableMiddleware's
    process_exception never looks, and Django hands it straight to this handler, still inside its `except` block.
    That outage gets the same 503 as one inside a view."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
        database_unavailable(request.method, request.path, exception)
        return service_unavailable_response(request)
    return defaults.server_error(request)
