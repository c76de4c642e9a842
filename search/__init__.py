"""Buyer search: one interface over PostgreSQL (tsvector + pg_trgm + unaccent) and SQLite (FTS5).

Reads:  engine.product_search, engine.supplier_search, selectors.search_autocomplete
Writes: services.search_index_products (called by product services on every write), services.search_index_rebuild,
        services.search_log_record, services.search_log_click
Pieces: text (folding, CJK segmentation, stemming), glossary (nine-language term map), query (understanding),
        documents (catalog -> documents), ranking (the one blend), backends (full-text per database).
"""
