from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = pgettext_lazy("admin app", "Suppliers")

    def ready(self):
        from core.public_cache import invalidate_public_cache_on_change

        from .models import Certification, ProductionCapacity, Supplier

        # Catalog pages, search results and API lists show these (core/public_cache.py).
        invalidate_public_cache_on_change(Certification, ProductionCapacity, Supplier)
