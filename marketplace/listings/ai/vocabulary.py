"""Category vocabulary for the offline rules: product templates (names in every language, buyer keywords,
attribute names) and category names by slug, and matching a listing against them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from taxonomy import selectors as taxonomy

if TYPE_CHECKING:
    from .schema import ListingInput, Understood


# --- category vocabulary (taxonomy data: product names, buyer keywords, attribute names) -------------------------


@dataclass(frozen=True)
class Template:
    category_slug: str
    noun: dict  # language -> product name
    keywords: tuple[str, ...]
    attribute_names: tuple[tuple[str, str], ...]  # (name, unit)
    variants: tuple[str, ...]
    noun_tokens: frozenset = frozenset()  # precomputed: matching runs for every listing
    keyword_tokens: frozenset = frozenset()


def _stem(token: str) -> str:
    token = token.lower()
    for suffix in ("es", "s"):
        if len(token) > 4 and token.endswith(suffix) and not token.endswith("ss"):
            return token[: -len(suffix)]
    return token


def tokens(text: str) -> set[str]:
    return {_stem(t) for t in re.findall(r"[^\W_]+", (text or "").lower()) if len(t) > 1 or t.isdigit()}


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[Template], dict[str, dict]]:
    """Product templates and category names by slug, from the platform's trade vocabulary (taxonomy data).

    A template is a product noun that carries typical attribute names; its category is its first category hint
    (a slug that may or may not exist in this catalog: it only adds a small match bonus)."""
    templates = []
    for product in taxonomy.product_templates():
        noun_tokens = frozenset(tokens(product.en))
        keywords = tuple(product.keywords)
        templates.append(
            Template(
                category_slug=product.categories[0] if product.categories else "",
                noun=product.names(),
                keywords=keywords,
                attribute_names=tuple(product.attributes),
                variants=tuple(product.variants),
                noun_tokens=noun_tokens,
                keyword_tokens=frozenset(set().union(*(tokens(k) for k in keywords)) - noun_tokens),
            )
        )
    categories = {term.categories[0]: term.names() for term in taxonomy.category_terms() if term.categories}
    return templates, categories


def noun_confirmed(template: Template | None, listing: ListingInput, understood: Understood) -> bool:
    """The seller's words name the catalog product itself, so its name (e.g. "Vacuum Insulated Tumbler") claims
    nothing the seller did not say. Otherwise the template only lends buyer keywords and attribute names."""
    if template is None:
        return False
    text = f"{understood.title} {understood.description[:600]}"
    local = template.noun.get(listing.language, "")
    if local and listing.language != "en" and local.lower() in text.lower():
        return True
    return template.noun_tokens <= tokens(text)


def match_template(listing: ListingInput, understood: Understood) -> Template | None:
    """The catalog product this listing most likely is, or None when nothing matches well enough."""
    templates, _categories = vocabulary()
    text = f"{understood.title} {' '.join(understood.keywords)} {understood.description[:400]}"
    text_tokens, lowered = tokens(text), text.lower()
    best, best_score = None, 0.0
    for template in templates:
        noun_en = template.noun_tokens
        local = template.noun.get(listing.language, "")
        score = 2.0 * len(noun_en & text_tokens) / max(len(noun_en), 1)
        if local and listing.language != "en" and local.lower() in lowered:
            score += 2.0
        score += sum(1.0 for keyword in template.keywords if keyword.lower() in lowered)
        score += 0.5 * min(2, len(template.keyword_tokens & text_tokens))
        if template.category_slug == listing.category_slug:
            score += 0.75
        if score > best_score:
            best, best_score = template, score
    return best if best_score >= 1.5 else None
