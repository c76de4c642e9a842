from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from oauth2_provider import urls as oauth_urls
from oauth2_provider import views as oauth_views

from accounts import preferences as accounts_preferences
from agents.oauth import AgentAuthorizationView
from core import health, ops
from suppliers.admin_scoping import seller_site

admin.site.site_header = "Silkway operations"
admin.site.site_title = "Silkway operations"

oauth_patterns = [
    *oauth_urls.metadata_urlpatterns,
    path(
        "oauth/",
        include(
            [
                path("authorize/", AgentAuthorizationView.as_view(), name="authorize"),
                path("token/", oauth_views.TokenView.as_view(), name="token"),
                path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
                path("introspect/", oauth_views.IntrospectTokenView.as_view(), name="introspect"),
                *oauth_urls.dcr_urlpatterns,
            ]
        ),
    ),
]

# A database outage raised outside a view (a middleware's query) is a 503 too, not a 500.
handler500 = "core.views.server_error"

urlpatterns = [
    # Probes for load balancers and orchestrators (core/health.py): outside i18n, auth and CSP.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Celery outcomes and queue depths for operators (core/ops.py), behind the admin site's staff login.
    path("admin/ops/tasks/", admin.site.admin_view(ops.task_stats_view), name="ops-tasks"),
    path("admin/", admin.site.urls),
    # The seller centre's own pages (dashboard, catalog import and export) first, then the scoped model admins.
    path("seller/", include("sellercentre.urls")),
    path("seller/", seller_site.urls),
    # Applying to sell and joining a supplier's team.
    path("sell/", include("sellercentre.public_urls")),
    # Django's language switcher, saving a signed-in buyer's choice to their profile (accounts/preferences.py).
    path("i18n/setlang/", accounts_preferences.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("messages/", include("conversations.urls")),
    path("rankings/", include("rankings.urls")),
    path("api/v1/", include("config.api_urls")),
    path("search/", include("search.urls")),
    path("ads/", include("ads.urls")),
    path("sourcing/", include("sourcing.urls")),
    path("deals/", include("deals.urls")),
    path("agents/", include("agents.urls")),
    path("live/", include("live.urls")),
    # OAuth 2.1 for buyers' agents (django-oauth-toolkit): metadata at the origin's well-known URLs (RFC 8414, RFC
    # 9728), authorization with our consent page, tokens, revocation and client registration under /oauth/.
    path("", include((oauth_patterns, "oauth2_provider"))),
    path("", include("marketplace.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
