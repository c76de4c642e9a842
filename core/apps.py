from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The only models here are the audit log's, so this is what both admin sites' indexes show above it.
    verbose_name = _("Audit")

    def ready(self):
        from . import audit, checks  # noqa: F401 - checks registers the system checks

        # Last in INSTALLED_APPS: the admin modules are imported, every ModelAdmin on every site is there to audit.
        audit.install_all()
