"""The interface every backend implements. Everything that is not full-text (filters, facets, ranking blend,
sorting) is plain ORM over ProductSearchDocument and lives in marketplace.search.engine, shared by all."""

from collections.abc import Iterable

from django.db.models import QuerySet

from ..documents import DocumentData
from ..query import TermGroup


class SearchBackend:
    name = "base"
    doc_table = "marketplace_productsearchdocument"

    def write(self, documents: list[DocumentData]) -> None:
        """Store the full-text part of these documents (their rows already exist)."""
        raise NotImplementedError

    def delete(self, product_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def bulk_load_start(self) -> None:
        """A full rebuild is about to write every document: drop what is cheaper to build once at the end."""

    def bulk_load_end(self) -> None:
        """The full rebuild is over (or failed): restore what bulk_load_start dropped."""

    def match(self, queryset: QuerySet, groups: list[TermGroup], *, require_all: bool) -> QuerySet:
        """`queryset` (of documents) narrowed to the text matches, annotated with `text_rank` in [0, 1)."""
        raise NotImplementedError

    def suggest(self, word: str) -> str | None:
        """The indexed word closest in spelling to `word`, for "did you mean"."""
        raise NotImplementedError

    def page_and_facets_sql(self, matches_sql: str, *, facets: dict[str, tuple[str, ...]], order_by: str,
                            limit: int, offset: int) -> str:
        """One statement over the matches (`matches_sql`, read once into the CTE `m`): first the page's rows in
        order as ('hit', product id, score), then ('<facet>', key, count) per group of each facet, the key being
        the facet's expressions joined by '|'. This portable form groups the CTE once per facet."""
        branches = [self._page_sql(order_by, limit, offset)]
        branches += [f"SELECT '{name}', {key_text(expressions)}, CAST(COUNT(*) AS FLOAT) FROM m "
                     f"GROUP BY {', '.join(expressions)}" for name, expressions in facets.items()]
        return f"WITH m AS MATERIALIZED ({matches_sql}) " + " UNION ALL ".join(branches)

    @staticmethod
    def _page_sql(order_by, limit, offset):
        return (f"SELECT * FROM (SELECT 'hit' AS facet, CAST(product_id AS TEXT) AS k, score AS n FROM m "
                f"ORDER BY {order_by} LIMIT {int(limit)} OFFSET {int(offset)}) AS page")


def key_text(expressions) -> str:
    return " || '|' || ".join(f"CAST({e} AS TEXT)" for e in expressions)
