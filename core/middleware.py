"""Response headers every page gets that Django itself does not set."""

from django.conf import settings

from core.observability import REQUEST_ID_HEADER, clean_request_id, new_request_id, request_id_var


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
