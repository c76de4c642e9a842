from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = pgettext_lazy("admin app", "Search")

    def ready(self):
        # Search sits above marketplace, suppliers and rankings: it listens to their signals and fills
        # marketplace's text-search hook, so none of them imports search.
        from marketplace import search_hooks

        from . import engine, signals  # noqa: F401 — connects the receivers

        search_hooks.register_text_search(engine.product_queryset_search)

        from core.public_cache import invalidate_public_cache_on_change

        from .models import ProductSearchDocument, SearchQuantity, SearchTerm

        # Search results come from these (core/public_cache.py); a full rebuild invalidates once at its end.
        invalidate_public_cache_on_change(ProductSearchDocument, SearchQuantity, SearchTerm)
