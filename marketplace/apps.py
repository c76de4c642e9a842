from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = pgettext_lazy("admin app", "Marketplace")

    def ready(self):
        from conversations.topics import register_reply_facts
        from core.public_cache import invalidate_public_cache_on_change

        from .models import PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation

        # Catalog pages, search results and API lists show these (core/public_cache.py).
        invalidate_public_cache_on_change(PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation)
        # A seller's AI reply draft in a thread about a product rests on the listing's terms.
        from .selectors import product_reply_facts

        register_reply_facts("marketplace.product", product_reply_facts)
