from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self):
        from core.public_cache import invalidate_public_cache_on_change

        from .models import PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation

        # Catalog pages, search results and API lists show these (core/public_cache.py).
        invalidate_public_cache_on_change(PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation)
