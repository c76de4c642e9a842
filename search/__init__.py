"""Buyer search, its own app above marketplace, suppliers and rankings (none of them imports it): one interface
over PostgreSQL (tsvector + pg_trgm + unaccent) and SQLite (FTS5).

Reads:  engine.product_search, engine.supplier_search (pages and /api/v1/search/), engine.product_queryset_search
        (the product list's q, through marketplace.search_hooks), selectors.search_autocomplete
Writes: services.search_index_products (on marketplace.signals.products_changed), services.search_documents_sync_
        suppliers (supplier saves, rankings.signals.standings_published), services.search_documents_refresh_derived
        and services.search_index_catch_up (beat tasks), services.search_index_rebuild, services.search_log_*
Pieces: text (folding, CJK segmentation, stemming), glossary (nine-language term map), query (understanding),
        documents (catalog -> documents), ranking (the one blend), backends (full-text per database),
        signals (receivers), api (the JSON search).
"""
