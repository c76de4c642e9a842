"""PostgreSQL: a weighted tsvector per document (title A, keywords/attributes/categories B, description C), each
piece parsed with its language's text-search configuration after unaccent, in a GIN index; pg_trgm finds
"did you mean" words. Objects created by migrations 0005 and 0006 (PostgreSQL only): the `vector` column and its
GIN index, `rank_vector` (titles only, for ranking; migration 0009), `silkway_unaccent()`
(an IMMUTABLE wrapper, so query constants fold once per statement), the `silkway_tsvector_agg` aggregate,
and a trigram index on the vocabulary."""

import threading
from collections import OrderedDict

from django.db import connection
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from ..query import cjk_bigram_alternative
from ..text import index_text, pg_config
from .base import SearchBackend, key_text

_UPDATE = """
UPDATE marketplace_productsearchdocument AS d SET vector = v.vec, rank_vector = ts_filter(v.vec, '{a}')
FROM (
    SELECT pid, silkway_tsvector_agg(setweight(to_tsvector(cfg::regconfig, silkway_unaccent(txt)), w::"char")) AS vec
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS t(pid, cfg, w, txt)
    GROUP BY pid
) AS v
WHERE d.product_id = v.pid
"""


def _quote(lexeme: str) -> str:
    """A lexeme as a tsquery operand (quotes doubled, backslashes escaped), so no input is ever tsquery syntax."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# (text-search configuration, text) -> its lexemes. Deterministic for a given database, so kept per process, least
# recently used first, at most _LEXEMES_MAX entries. A query's own entries are collected into a local dict before
# anything is evicted, so no eviction (this request's or another thread's) can take away what it is about to use.
_LEXEMES: OrderedDict[tuple[str, str], tuple[str, ...]] = OrderedDict()
_LEXEMES_MAX = 10_000
_LEXEMES_LOCK = threading.Lock()


def _lexemes(keys) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each text's lexemes under its configuration, as plainto_tsquery would find them; one query for the
    ones not seen before."""
    keys = list(keys)
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    with _LEXEMES_LOCK:
        for key in keys:
            if key not in found and key in _LEXEMES:
                _LEXEMES.move_to_end(key)
                found[key] = _LEXEMES[key]
    missing = list(dict.fromkeys(key for key in keys if key not in found))
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(to_tsvector(c::regconfig, silkway_unaccent(t))) "
                "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS u(c, t, i) ORDER BY i",
                [[c for c, _t in missing], [t for _c, t in missing]],
            )
            rows = cursor.fetchall()
        fetched = {key: tuple(sorted(row[0])) for key, row in zip(missing, rows, strict=True)}
        found.update(fetched)
        with _LEXEMES_LOCK:
            _LEXEMES.update(fetched)
            while len(_LEXEMES) > _LEXEMES_MAX:
                _LEXEMES.popitem(last=False)
    return found


class PostgresBackend(SearchBackend):
    name = "postgres"
    # Category by category: a query's matches mostly share a category, so they then share heap pages too (at a
    # million products, "solar panel" reads about a sixth of the pages it reads in id order). SQLite stores rows
    # by id whatever the insert order, so it keeps the base order.
    rebuild_order = ("category_id", "pk")

    def write(self, documents):
        pids, configs, weights, texts = [], [], [], []
        for document in documents:
            # One text per (language, weight): fewer to_tsvector calls, same lexemes.
            merged = {}
            for language, weight, text in document.segments:
                merged.setdefault((pg_config(language), weight), []).append(index_text(text))
            for (config, weight), parts in merged.items():
                pids.append(document.product_id)
                configs.append(config)
                weights.append(weight)
                texts.append("\n".join(parts))
        if pids:
            with connection.cursor() as cursor:
                cursor.execute(_UPDATE, [pids, configs, weights, texts])

    def delete(self, product_ids):
        pass  # the vector lives on the document row, which the caller deletes

    def clear(self):
        pass

    # Maintaining the GIN index row by row costs about a third of a full rebuild; one CREATE INDEX is cheaper.
    def bulk_load_start(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_doc_vector")

    def bulk_load_end(self):
        with connection.cursor() as cursor:
            # Inside an outer transaction, deferred FK checks must fire before the table can be indexed.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # GIN builds in memory and flushes when this fills: the default (64 MB) takes minutes at a million.
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_doc_vector ON marketplace_productsearchdocument USING gin (vector)"
            )
            cursor.execute("RESET maintenance_work_mem")

    def bulk_load_analyze(self, tables):
        if connection.in_atomic_block:  # VACUUM cannot run in a transaction
            return super().bulk_load_analyze(tables)
        with connection.cursor() as cursor:
            for table in tables:
                # VACUUM as well: it marks the fresh pages all-visible, so index-only scans (the specs probe) stay so.
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")

    def tsquery(self, groups, *, require_all) -> str:
        """The query as one tsquery literal: each group an OR of its alternatives, each an AND of its lexemes.

        The same lexemes reached through several languages ("panel" in six of them) are kept once: with the
        duplicates, GIN evaluated the query four times slower at a million products."""

        def variants(alternative):
            bigram = cjk_bigram_alternative(alternative)
            for variant in [alternative, bigram] if bigram else [alternative]:
                yield pg_config(variant.language), index_text(" ".join(variant.tokens))

        lexemes = _lexemes(
            [key for group in groups for alternative in group.alternatives for key in variants(alternative)]
        )
        sql_groups = []
        for group in groups:
            alternatives = [
                " & ".join(_quote(w) for w in lexemes[key])
                for alternative in group.alternatives
                for key in variants(alternative)
                if lexemes[key]
            ]  # all stopwords: no constraint
            if alternatives:
                sql_groups.append("(" + " | ".join(f"({a})" for a in dict.fromkeys(alternatives)) + ")")
        return (" & " if require_all else " | ").join(sql_groups)

    def match(self, queryset, groups, *, require_all):
        sql, params = "%s::tsquery", [self.tsquery(groups, require_all=require_all)]
        return queryset.extra(where=[f"{self.doc_table}.vector @@ {sql}"], params=params).annotate(
            # Normalization 32 maps the rank into [0, 1): rank / (rank + 1).
            # Ranked on the compact title vector (migrations 0006, 0009): the full one is TOASTed and slow to read.
            text_rank=RawSQL(f"ts_rank({self.doc_table}.rank_vector, {sql}, 32)", params, output_field=FloatField())
        )

    def suggest(self, word):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM marketplace_searchterm WHERE term %% %s AND term <> %s "
                "ORDER BY similarity(term, %s) DESC, frequency DESC LIMIT 1",
                [word, word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    def page_and_facets_sql(self, matches_sql, *, facets, page):
        """As the base, but every facet is counted in a single pass over the matches (GROUPING SETS keep one hash
        table per facet), which at tens of thousands of matches is several times cheaper than a pass per facet."""

        def grouped(expressions):
            return f"GROUPING({', '.join(expressions)}) = 0"

        name = " ".join(f"WHEN {grouped(e)} THEN '{n}'" for n, e in facets.items())
        key = " ".join(f"WHEN {grouped(e)} THEN {key_text(e)}" for e in facets.values())
        sets = ", ".join(f"({', '.join(e)})" for e in facets.values())
        return (
            f"WITH m AS MATERIALIZED ({matches_sql}) {page.sql()} UNION ALL "
            f"SELECT CASE {name} END, CASE {key} END, CAST(COUNT(*) AS FLOAT), 0 FROM m "
            f"GROUP BY GROUPING SETS ({sets})"
        )
