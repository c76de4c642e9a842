"""The product list's text search, as an extension point: marketplace cannot import search (search sits above it),
so the search app registers its engine here in SearchConfig.ready(). Without it (search not installed) the list
falls back to a plain substring match over titles, keywords and translations."""

from django.db.models import Exists, OuterRef, Q

MAX_SUBSTRING_WORDS = 8
_providers = []


def register_text_search(fn) -> None:
    """`fn(queryset, text, *, language)` narrows a Product queryset to what `text` finds. The last one registered
    wins (one engine at a time); registering the same function twice is harmless."""
    if fn in _providers:
        _providers.remove(fn)
    _providers.append(fn)


def text_search(queryset, text: str, *, language: str | None = None):
    if _providers:
        return _providers[-1](queryset, text, language=language)
    return substring_search(queryset, text)


def substring_search(queryset, text: str):
    """Every word in the title, the keywords or a translation's title or keywords (case-insensitive)."""
    from .models import ProductTranslation

    for word in text.split()[:MAX_SUBSTRING_WORDS]:
        in_translation = ProductTranslation.objects.filter(product=OuterRef("pk")).filter(
            Q(title__icontains=word) | Q(keywords__icontains=word)
        )
        queryset = queryset.filter(Q(title__icontains=word) | Q(keywords__icontains=word) | Exists(in_translation))
    return queryset
