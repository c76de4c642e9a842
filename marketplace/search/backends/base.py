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
