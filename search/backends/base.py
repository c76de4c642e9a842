"""The interface every backend implements. Filters and the ranking blend are plain ORM over ProductSearchDocument
and live in search.engine, shared by all; a backend matches text and writes the one statement that
reads the page and the facets (portable SQL here, GROUPING SETS on PostgreSQL)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from ..documents import DocumentData
from ..query import TermGroup


class SearchBackend:
    name = "base"
    doc_table = "marketplace_productsearchdocument"
    rebuild_order = ("pk",)  # the order a full rebuild writes documents in

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

    def bulk_load_analyze(self, tables: list[str]) -> None:
        """Fresh planner statistics for the rebuilt tables: without them the first searches get guessed plans."""
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def match(self, queryset: QuerySet, groups: list[TermGroup], *, require_all: bool) -> QuerySet:
        """`queryset` (of documents) narrowed to the text matches, annotated with `text_rank` in [0, 1)."""
        raise NotImplementedError

    def suggest(self, word: str) -> str | None:
        """The indexed word closest in spelling to `word`, for "did you mean"."""
        raise NotImplementedError

    def page_and_facets_sql(self, matches_sql: str, *, facets: dict[str, tuple[str, ...]], page: "PageQuery") -> str:
        """One statement over the matches (`matches_sql`, read once into the CTE `m`): the page's rows as
        ('hit', product id, score, position), then ('<facet>', key, count, 0) per group of each facet, the key
        being the facet's expressions joined by '|'. This portable form groups the CTE once per facet."""
        branches = [page.sql()]
        branches += [
            f"SELECT '{name}', {key_text(expressions)}, CAST(COUNT(*) AS FLOAT), 0 FROM m "
            f"GROUP BY {', '.join(expressions)}"
            for name, expressions in facets.items()
        ]
        return f"WITH m AS MATERIALIZED ({matches_sql}) " + " UNION ALL ".join(branches)


@dataclass(frozen=True)
class PageQuery:
    """One page of the matches `m` in `order_by`, with a late `bonus` term (SQL over `r.product_id`, at most
    `bonus_max`) added to their score.

    By relevance, the bonus is computed only for the band that can still reach the page: rows whose score is
    within `bonus_max` of the page's last score without it. The order is exact, and the bonus costs a probe per
    candidate, not per match."""

    order_by: str
    limit: int
    offset: int
    by_score: bool = False
    bonus: str = ""
    bonus_max: float = 0.0

    def sql(self) -> str:
        limit, offset = int(self.limit), int(self.offset)
        final = f"r.score + {self.bonus}" if self.bonus else "r.score"
        if self.by_score and self.bonus:
            cutoff = (
                f"COALESCE((SELECT score FROM m ORDER BY score DESC LIMIT 1 OFFSET {offset + limit - 1}), "
                f"-1e9) - {float(self.bonus_max)}"
            )
            order = "final DESC, product_id DESC"
            rows = (
                f"SELECT product_id, final FROM (SELECT r.product_id, {final} AS final FROM m AS r "
                f"WHERE r.score >= {cutoff}) AS band ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            )
        else:
            order = self.order_by
            rows = (
                f"SELECT r.*, {final} AS final FROM (SELECT * FROM m ORDER BY {order} "
                f"LIMIT {limit} OFFSET {offset}) AS r"
            )
        return (
            f"SELECT 'hit' AS facet, CAST(product_id AS TEXT) AS k, final AS n, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS pos FROM ({rows}) AS page"
        )


def key_text(expressions) -> str:
    return " || '|' || ".join(f"CAST({e} AS TEXT)" for e in expressions)
