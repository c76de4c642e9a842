"""Search reads that are not a results page."""

from django.db.models import Q

from taxonomy.models import Category

from .models import SearchTerm
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
