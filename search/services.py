"""Writes on the search index and the search log. search_index_products runs on every product change (the
products_changed signal, see search/signals.py), so the index is never more than one write behind the catalog;
search_index_catch_up and search_documents_refresh_derived (beat tasks) catch what no signal reports."""

import logging
import multiprocessing
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import DecimalField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Round, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import blind_writes
from core.public_cache import public_cache_invalidate
from marketplace.models import Product, ProductStatus
from suppliers.models import Supplier, certificate_valid_q, verified_supplier_q

from . import glossary, learning
from .backends import get_backend
from .documents import SUPPLIER_FIELDS, build_documents, category_paths, supplier_signals_by_id, term_counts
from .models import (
    CandidateStatus,
    ProductSearchDocument,
    SearchClick,
    SearchLog,
    SearchQuantity,
    SearchSynonym,
    SearchTab,
    SearchTerm,
    SynonymCandidate,
)
from .text import fold, words

logger = logging.getLogger(__name__)
BATCH = 1000
# indexed_at is written explicitly (bulk_update skips auto_now): the catch-up and derived-data refreshes
# compare it with product and certificate dates.
DOCUMENT_FIELDS = [f.name for f in ProductSearchDocument._meta.concrete_fields if f.name != "product"]
CATCH_UP_LIMIT = 5000


def _store(documents, drop_ids, *, count_terms=True):
    # Bulk writes send no signals: cached search results are dropped here, once the index change is committed.
    transaction.on_commit(public_cache_invalidate)
    backend = get_backend()
    if drop_ids:
        ProductSearchDocument.objects.filter(product_id__in=drop_ids).delete()
        backend.delete(drop_ids)
    if not documents:
        return
    ids = [d.product_id for d in documents]
    existing = set(ProductSearchDocument.objects.filter(product_id__in=ids).values_list("product_id", flat=True))
    now = timezone.now()
    rows = [ProductSearchDocument(product_id=d.product_id, indexed_at=now, **d.fields) for d in documents]
    ProductSearchDocument.objects.bulk_create([r for r in rows if r.product_id not in existing], batch_size=BATCH)
    ProductSearchDocument.objects.bulk_update(
        [r for r in rows if r.product_id in existing], DOCUMENT_FIELDS, batch_size=BATCH
    )
    SearchQuantity.objects.filter(document_id__in=ids).delete()
    SearchQuantity.objects.bulk_create(
        [
            SearchQuantity(document_id=d.product_id, unit=u, low=lo, high=hi)
            for d in documents
            for u, lo, hi in d.quantities
        ],
        batch_size=BATCH,
    )
    backend.write(documents)
    if count_terms:
        SearchTerm.objects.bulk_create(
            [
                SearchTerm(term=term, language=language)
                for term, language in dict(pair for d in documents for pair in d.terms()).items()
            ],
            ignore_conflicts=True,
            batch_size=BATCH,
        )


def search_documents_sync_suppliers(*, supplier_ids=None) -> int:
    """Copy suppliers' current signals (kind, country, verification, Order Protection, response rate, leaderboard
    standing) onto their products' search documents: one UPDATE, whatever the number of suppliers.
    Every supplier when `supplier_ids` is None. Returns the number of documents written."""
    supplier = Supplier.objects.filter(pk=OuterRef("supplier_id"))
    documents = ProductSearchDocument.objects.all()
    if supplier_ids is not None:
        documents = documents.filter(supplier_id__in=list(supplier_ids))
    return documents.update(
        supplier_kind=Subquery(supplier.values("kind")[:1]),
        supplier_country=Subquery(supplier.values("country")[:1]),
        supplier_verified=Exists(supplier.filter(verified_supplier_q())),
        supplier_trade_assurance=Exists(supplier.filter(trade_assurance=True)),
        supplier_response_rate=Subquery(
            supplier.values(
                rate=Cast(Round(Coalesce("response_rate", Value(0), output_field=DecimalField())), IntegerField())
            )[:1]
        ),
        supplier_standing=Subquery(supplier.values("leaderboard_standing")[:1]),
    )


@transaction.atomic
def search_index_products(*, product_ids, today=None) -> int:
    """Bring these products' search documents up to date: (re)index the published, drop the rest.
    `today` decides which certificates are valid (the local date by default)."""
    product_ids = list(dict.fromkeys(int(pk) for pk in product_ids))
    total = 0
    for start in range(0, len(product_ids), BATCH):
        documents, drop_ids = build_documents(product_ids[start : start + BATCH], today=today)
        _store(documents, drop_ids)
        total += len(documents)
    return total


def search_index_catch_up(*, limit: int = CATCH_UP_LIMIT) -> int:
    """The safety net under the signals: reindex published products with no document or saved after their
    document was written, and drop documents of products no longer published (a raw queryset update, a receiver
    that failed after commit). At most `limit` of each per run; returns the number of products looked at."""
    stale = Product.objects.filter(status=ProductStatus.PUBLISHED).filter(
        Q(search_document__isnull=True) | Q(updated_at__gt=F("search_document__indexed_at"))
    )
    gone = ProductSearchDocument.objects.exclude(product__status=ProductStatus.PUBLISHED)
    ids = [
        *stale.order_by("pk").values_list("pk", flat=True)[:limit],
        *gone.order_by("pk").values_list("product_id", flat=True)[:limit],
    ]
    if ids:
        search_index_products(product_ids=ids)
    return len(ids)


def search_documents_refresh_derived(*, today=None) -> dict:
    """Refresh what the index derived from a date: products whose linked certificates started or lapsed between
    the day their document was indexed and `today` (the local date by default) are reindexed, so `cert:` filters
    and facets follow validity; then every document gets its supplier's current signals (verification, standing,
    response rate...), whatever a missed signal left behind. Returns counts of both."""
    today = today or timezone.localdate()
    through = Product.certifications.through
    indexed_on = TruncDate("product__search_document__indexed_at")
    then = certificate_valid_q("certification__", on=F("indexed_on"))
    now = certificate_valid_q("certification__", on=today)
    changed = (
        through.objects.filter(product__search_document__isnull=False)
        .annotate(indexed_on=indexed_on)
        # In force on one of the two days and not on the other: it started or lapsed since.
        .filter((then & ~now) | (~then & now))
        .values_list("product_id", flat=True)
        .distinct()
    )
    product_ids = list(changed)
    reindexed = search_index_products(product_ids=product_ids, today=today) if product_ids else 0
    stale = search_documents_stale_suppliers()
    synced = search_documents_sync_suppliers(supplier_ids=stale) if stale else 0
    return {"reindexed": reindexed, "suppliers": len(stale), "supplier_documents": synced}


def search_documents_stale_suppliers() -> list[int]:
    """Suppliers whose documents disagree with their current signals (two reads: the documents' distinct copies
    and the suppliers' values), so the nightly sync rewrites only those rows, not the whole table."""
    names = list(SUPPLIER_FIELDS)
    copies: dict[int, list[dict]] = {}
    for supplier_id, *values in ProductSearchDocument.objects.order_by().values_list("supplier_id", *names).distinct():
        copies.setdefault(supplier_id, []).append(dict(zip(names, values, strict=True)))
    current = supplier_signals_by_id(copies)
    return sorted(pk for pk, seen in copies.items() if pk not in current or any(c != current[pk] for c in seen))


def _index_chunk(chunk, paths=None) -> tuple[int, Counter]:
    """Index one batch of product ids in its own transaction; its vocabulary counts go back to the caller."""
    with transaction.atomic():
        documents, drop_ids = build_documents(chunk, paths=paths)
        _store(documents, drop_ids, count_terms=False)
    return len(documents), term_counts(documents)


def _index_chunk_in_worker(chunk) -> tuple[int, Counter]:
    try:
        return _index_chunk(chunk)
    finally:
        connections.close_all()  # the worker process is reused for the next chunk; do not leak connections


def search_index_rebuild(*, batch_size: int = 2000, clear: bool = True, progress=None, workers: int = 1) -> int:
    """Index every published product again, in batches of their own transactions, then recount the vocabulary.

    `workers` > 1 indexes batches in that many processes (PostgreSQL only: SQLite has one writer; and not inside
    a transaction, whose uncommitted rows other connections cannot see). Text processing and to_tsvector are
    CPU-bound, so this scales with cores."""
    backend = get_backend()
    started = time.monotonic()
    if clear:
        with transaction.atomic():
            SearchQuantity.objects.all().delete()
            ProductSearchDocument.objects.all().delete()
            backend.clear()
    paths = category_paths()
    ids = list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .order_by(*backend.rebuild_order)
        .values_list("pk", flat=True)
    )
    chunks = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    parallel = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    counts: Counter = Counter()
    done = 0
    if clear:
        backend.bulk_load_start()
    try:
        with ExitStack() as stack:
            if parallel:
                connections.close_all()  # forked workers must open their own connections, not share this one
                pool = stack.enter_context(
                    ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
                )
                results = pool.map(_index_chunk_in_worker, chunks)
            else:
                results = (_index_chunk(chunk, paths) for chunk in chunks)
            for indexed, chunk_counts in results:
                counts.update(chunk_counts)
                done += indexed
                if progress:
                    progress(done, len(ids), time.monotonic() - started)
    finally:
        if clear:
            backend.bulk_load_end()
    search_vocabulary_replace(counts=counts, paths=paths)
    backend.bulk_load_analyze([m._meta.db_table for m in (ProductSearchDocument, SearchQuantity, SearchTerm)])
    return done


@transaction.atomic
def search_vocabulary_replace(*, counts, paths=None) -> int:
    """Replace the vocabulary with these (word, language) document counts plus every category name's words."""
    paths = paths if paths is not None else category_paths()
    merged: dict[str, tuple[str, int]] = {}
    for (term, language), n in counts.items():
        if term not in merged or merged[term][1] < n:
            merged[term] = (language, n)
    for path in paths.values():
        category = path[0]
        for language, name in [("en", category.name), *(category.names or {}).items()]:
            for word in words(name):
                if 3 <= len(word) <= 64 and word.isalpha() and word not in merged:
                    merged[word] = (language, 1)
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, language=lang, frequency=n) for t, (lang, n) in merged.items()], batch_size=BATCH
    )
    return len(merged)


def search_log_record(
    *, query: str, language: str, tab: str, filters: dict, result_count: int, relaxed: bool = False
) -> SearchLog:
    """Log one search: the words and choices only, never who searched. Bookkeeping (core.db.blind_writes): it does
    not send the searcher's next pages to the primary database."""
    with blind_writes():
        return SearchLog.objects.create(
            query=query[:200],
            normalized=" ".join(words(fold(query)))[:200],
            language=language[:10],
            tab=tab,
            filters=filters,
            result_count=result_count,
            relaxed=relaxed,
        )


# --- the search log learns (search.learning): result clicks, synonym candidates, the operators' synonyms ---------


class SearchClickRejected(ValueError):
    """A click beacon that names no search, or a product that search could not have shown."""


def search_click_record(*, log_id: int, product_id: int | None = None, position: int | None = None) -> bool:
    """Count a click on a search's results and, for a product result, remember which product (once per search and
    product, so replaying a beacon adds no evidence). Only a published product on a products search is accepted;
    anything else raises SearchClickRejected and writes nothing. Bookkeeping, like the log (blind_writes).
    Returns whether a new product click was stored."""
    with blind_writes():
        tab = SearchLog.objects.filter(pk=log_id).values_list("tab", flat=True).first()
        if tab is None:
            raise SearchClickRejected("log: no such search")
        if product_id is not None:
            if tab != SearchTab.PRODUCTS:
                raise SearchClickRejected("product: this search was not a product search")
            if not Product.objects.filter(pk=product_id, status=ProductStatus.PUBLISHED).exists():
                raise SearchClickRejected("product: no such published product")
        with transaction.atomic():
            SearchLog.objects.filter(pk=log_id).update(clicks=F("clicks") + 1)
            if product_id is None:
                return False
            if SearchClick.objects.filter(log_id=log_id, product_id=product_id).exists():
                return False
            # ignore_conflicts: a replayed beacon racing this one must not fail the request.
            SearchClick.objects.bulk_create(
                [SearchClick(log_id=log_id, product_id=product_id, position=position)], ignore_conflicts=True
            )
            return True


def _synonyms_changed() -> None:
    # Other processes pick the change up within glossary.SYNONYMS_CHECK_SECONDS; never before the rows are visible.
    transaction.on_commit(glossary.operator_synonyms_changed)
    transaction.on_commit(public_cache_invalidate)  # cached results were found without (or with) the synonym


def synonym_candidates_mine(*, days: int | None = None, now=None) -> dict:
    """Propose synonym candidates from the last `days` of result clicks (search.learning.synonym_proposals).
    Idempotent: a pending candidate gets its evidence recomputed, an approved or rejected one is left alone, and a
    phrase the operators' dictionary already has is not proposed. Returns counts of what changed."""
    now = now or timezone.now()
    proposals = learning.synonym_proposals(days=days, now=now)
    existing = {(c.term, c.language): c for c in SynonymCandidate.objects.filter(term__in=[p.term for p in proposals])}
    known = set(SearchSynonym.objects.filter(key__in=[p.term for p in proposals]).values_list("key", "language"))
    summary = {"proposals": len(proposals), "created": 0, "updated": 0, "skipped": 0}
    with transaction.atomic():
        for proposal in proposals:
            candidate = existing.get((proposal.term, proposal.language))
            if (proposal.term, proposal.language) in known or (
                candidate and candidate.status != CandidateStatus.PENDING
            ):
                summary["skipped"] += 1
                continue
            values = {
                "canonical": proposal.canonical,
                "category_id": proposal.category_id,
                "searches": proposal.searches,
                "clicks": proposal.clicks,
                "products": proposal.products,
                "example_product_ids": list(proposal.example_product_ids),
                "mined_at": now,
            }
            if candidate is None:
                SynonymCandidate.objects.create(term=proposal.term, language=proposal.language, **values)
                summary["created"] += 1
            else:
                SynonymCandidate.objects.filter(pk=candidate.pk).update(**values)
                summary["updated"] += 1
    return summary


def search_synonym_save(*, synonym: SearchSynonym, user=None) -> SearchSynonym:
    """Create or change an operator synonym (its term, English phrase, category, active flag). Validated by
    SearchSynonym.clean(): a ValidationError saves nothing."""
    synonym.full_clean()
    with transaction.atomic():
        if synonym.pk is None and user is not None and getattr(user, "pk", None):
            synonym.created_by = user
        synonym.save()
        _synonyms_changed()
    return synonym


def search_synonyms_delete(*, synonym_ids) -> int:
    with transaction.atomic():
        deleted, _ = SearchSynonym.objects.filter(pk__in=list(synonym_ids)).delete()
        _synonyms_changed()
    return deleted


def synonym_candidate_approve(
    *, candidate_id: int, user, term: str | None = None, canonical: str | None = None, category=None
) -> SearchSynonym:
    """Approve a pending candidate, optionally with the operator's own wording: it becomes an active SearchSynonym.
    Raises ValidationError (nothing saved) for a decided candidate or an invalid synonym (empty, the term itself,
    a duplicate of an existing synonym)."""
    with transaction.atomic():
        candidate = SynonymCandidate.objects.select_for_update().get(pk=candidate_id)
        if candidate.status != CandidateStatus.PENDING:
            raise ValidationError(_("This candidate has already been approved or rejected."))
        synonym = SearchSynonym(
            term=candidate.term if term is None else term,
            language=candidate.language,
            canonical=candidate.canonical if canonical is None else canonical,
            category=candidate.category if category is None else category,
        )
        search_synonym_save(synonym=synonym, user=user)
        candidate.status = CandidateStatus.APPROVED
        candidate.synonym = synonym
        candidate.decided_at = timezone.now()
        candidate.decided_by = user
        candidate.save(update_fields=["status", "synonym", "decided_at", "decided_by"])
    return synonym


def synonym_candidate_reject(*, candidate_id: int, user) -> SynonymCandidate:
    """Reject a pending candidate: mining will not propose its phrase again. Raises ValidationError if decided."""
    with transaction.atomic():
        candidate = SynonymCandidate.objects.select_for_update().get(pk=candidate_id)
        if candidate.status != CandidateStatus.PENDING:
            raise ValidationError(_("This candidate has already been approved or rejected."))
        candidate.status = CandidateStatus.REJECTED
        candidate.decided_at = timezone.now()
        candidate.decided_by = user
        candidate.save(update_fields=["status", "decided_at", "decided_by"])
    return candidate


def search_synonyms_set_active(*, synonym_ids, active: bool) -> int:
    with transaction.atomic():
        n = SearchSynonym.objects.filter(pk__in=list(synonym_ids)).exclude(active=active).update(active=active)
        _synonyms_changed()
    return n
