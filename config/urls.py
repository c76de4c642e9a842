from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from core import health, ops
from suppliers.admin_scoping import seller_site

admin.site.site_header = "Silkway operations"
admin.site.site_title = "Silkway operations"

urlpatterns = [
    # Probes for load balancers and orchestrators (core/health.py): outside i18n, auth and CSP.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Celery outcomes and queue depths for operators (core/ops.py), behind the admin site's staff login.
    path("admin/ops/tasks/", admin.site.admin_view(ops.task_stats_view), name="ops-tasks"),
    path("admin/", admin.site.urls),
    path("seller/", seller_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("rankings/", include("rankings.urls")),
    path("api/v1/", include("config.api_urls")),
    path("search/", include("search.urls")),
    path("sourcing/", include("sourcing.urls")),
    path("deals/", include("deals.urls")),
    path("", include("marketplace.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
