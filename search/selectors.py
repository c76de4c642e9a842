"""Search reads that are not a results page."""

from django.db.models import Count, Q

from taxonomy.models import Category

from .models import SearchLog, SearchTab, SearchTerm
from .query import parse_query
from .text import fold, words

AUTOCOMPLETE_LIMIT = 8


def search_autocomplete(*, prefix: str, language: str = "en", limit: int = AUTOCOMPLETE_LIMIT) -> dict:
    """Completions for the last word typed (indexed vocabulary, most used first) and matching categories in
    any language. Two small indexed queries; nothing for under two characters."""
    text = fold(prefix or "")[:100].strip()
    if len(text) < 2:
        return {"query": text, "terms": [], "categories": []}
    tokens = words(text)
    head, last = (" ".join(tokens[:-1]), tokens[-1]) if tokens else ("", text)
    terms = []
    if last and len(last) >= 2:
        terms = [
            f"{head} {term}".strip()
            for term in SearchTerm.objects.filter(term__startswith=last)
            .order_by("-frequency", "term")
            .values_list("term", flat=True)[:limit]
        ]
    categories = []
    for category in Category.objects.filter(Q(name__icontains=text) | Q(names__icontains=text))[:200]:
        names = [category.name, *(category.names or {}).values()]
        if any(text in fold(name) for name in names):
            categories.append(
                {"slug": category.slug, "name": category.localized_name(language), "url": category.get_absolute_url()}
            )
        if len(categories) >= 5:
            break
    return {"query": text, "terms": terms, "categories": categories}


def search_log_terms_for_categories(*, category_slugs, since, limit: int = 500) -> list[tuple[str, str, int]]:
    """(query, language, searches) of product searches since `since` whose words name one of the categories (by the
    trade glossary), most searched first: what buyers type for those products. One query over the log."""
    wanted = set(category_slugs)
    rows = (
        SearchLog.objects.filter(created_at__gte=since, tab=SearchTab.PRODUCTS, result_count__gt=0)
        .values("normalized", "language")
        .annotate(searches=Count("pk"))
        .order_by("-searches", "normalized")[:limit]
    )
    out = []
    for row in rows:
        parsed = parse_query(row["normalized"], ui_language=row["language"], language=row["language"], translate=False)
        if wanted.intersection(parsed.category_slugs):
            out.append((row["normalized"], row["language"], row["searches"]))
    return out
