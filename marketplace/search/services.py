"""Writes on the search index and the search log. Product services call search_index_products after every
change, so the index is never more than one write behind the catalog."""

import logging
import time

from django.db import transaction
from django.db.models import F

from ..models import Product, ProductStatus
from .backends import get_backend
from .documents import build_documents, category_paths, term_counts
from .models import ProductSearchDocument, SearchLog, SearchQuantity, SearchTerm
from .text import fold, words

logger = logging.getLogger(__name__)
BATCH = 1000
DOCUMENT_FIELDS = [f.name for f in ProductSearchDocument._meta.concrete_fields
                   if f.name not in ("product", "indexed_at")]


def _store(documents, drop_ids, *, paths=None, count_terms=True):
    backend = get_backend()
    if drop_ids:
        ProductSearchDocument.objects.filter(product_id__in=drop_ids).delete()
        backend.delete(drop_ids)
    if not documents:
        return
    ids = [d.product_id for d in documents]
    existing = set(ProductSearchDocument.objects.filter(product_id__in=ids).values_list("product_id", flat=True))
    rows = [ProductSearchDocument(product_id=d.product_id, **d.fields) for d in documents]
    ProductSearchDocument.objects.bulk_create([r for r in rows if r.product_id not in existing], batch_size=BATCH)
    ProductSearchDocument.objects.bulk_update([r for r in rows if r.product_id in existing], DOCUMENT_FIELDS,
                                              batch_size=BATCH)
    SearchQuantity.objects.filter(document_id__in=ids).delete()
    SearchQuantity.objects.bulk_create(
        [SearchQuantity(document_id=d.product_id, unit=u, low=lo, high=hi) for d in documents
         for u, lo, hi in d.quantities], batch_size=BATCH,
    )
    backend.write(documents)
    if count_terms:
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term, language=language) for term, language in
             dict(pair for d in documents for pair in d.terms()).items()],
            ignore_conflicts=True, batch_size=BATCH,
        )


@transaction.atomic
def search_index_products(*, product_ids) -> int:
    """Bring these products' search documents up to date: (re)index the published, drop the rest."""
    product_ids = list(dict.fromkeys(int(pk) for pk in product_ids))
    documents, drop_ids = build_documents(product_ids)
    _store(documents, drop_ids)
    return len(documents)


def search_index_rebuild(*, batch_size: int = 2000, clear: bool = True, progress=None) -> int:
    """Index every published product again, in batches of their own transactions, then recount the vocabulary."""
    backend = get_backend()
    started = time.monotonic()
    if clear:
        with transaction.atomic():
            SearchQuantity.objects.all().delete()
            ProductSearchDocument.objects.all().delete()
            backend.clear()
    paths = category_paths()
    ids = list(Product.objects.filter(status=ProductStatus.PUBLISHED).order_by("pk").values_list("pk", flat=True))
    from collections import Counter

    counts, done = Counter(), 0
    if clear:
        backend.bulk_load_start()
    try:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            with transaction.atomic():
                documents, drop_ids = build_documents(chunk, paths=paths)
                _store(documents, drop_ids, paths=paths, count_terms=False)
            counts.update(term_counts(documents))
            done += len(documents)
            if progress:
                progress(done, len(ids), time.monotonic() - started)
    finally:
        if clear:
            backend.bulk_load_end()
    search_vocabulary_replace(counts=counts, paths=paths)
    return done


@transaction.atomic
def search_vocabulary_replace(*, counts, paths=None) -> int:
    """Replace the vocabulary with these (word, language) document counts plus every category name's words."""
    paths = paths if paths is not None else category_paths()
    merged = {}
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


def search_log_record(*, query: str, language: str, tab: str, filters: dict, result_count: int,
                      relaxed: bool = False) -> SearchLog:
    """Log one search: the words and choices only, never who searched."""
    return SearchLog.objects.create(
        query=query[:200], normalized=" ".join(words(fold(query)))[:200], language=language[:10], tab=tab,
        filters=filters, result_count=result_count, relaxed=relaxed,
    )


def search_log_click(*, log_id: int) -> bool:
    return SearchLog.objects.filter(pk=log_id).update(clicks=F("clicks") + 1) == 1
