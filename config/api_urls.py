"""/api/v1/: every API route, the OpenAPI schema and its documentation pages, from one place."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.api.exceptions import api_not_found


class IdConverter:
    """Database ids in URLs: at most 18 digits, so a longer number is a 404, never an integer overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


# Before the includes below: their routers use lookup_value_converter = "id".
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("suppliers.api.urls")),
    path("", include("conversations.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("search.api.urls")),
    path("", include("sourcing.api.urls")),
    path("", include("deals.api.urls")),
    path("", include("live.api.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc's bundle inserts two <style> elements before it can be handed the nonce, and searches in a blob: worker.
    path(
        "redoc/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    # Session sign-in for the browsable API (JWT is for apps).
    path("auth/session/", include("rest_framework.urls")),
    # Last: anything else under /api/v1/ is a 404 in the API's error shape.
    re_path(r"^[\s\S]*$", api_not_found),  # [\s\S]: newlines in a path are still "anything"
]
