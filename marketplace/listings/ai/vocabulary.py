"""Category vocabulary for the offline rules: product templates (names in every language, buyer keywords,
attribute names) and category names by slug, and matching a listing against them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import ListingInput, Understood


# --- category vocabulary (from the demo catalog: product names, buyer keywords, attribute names) -----------------


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
    """Product templates and category names by slug, from marketplace.demo_catalog (pure data)."""
    from marketplace import demo_catalog

    templates, categories = [], {}
    for top in demo_catalog.CATEGORIES:
        categories[top["slug"]] = top["names"]
        for leaf in top.get("children", []):
            categories[leaf["slug"]] = leaf["names"]
            for product in leaf.get("products", []):
                noun_tokens = frozenset(tokens(product["noun"].get("en", "")))
                keywords = tuple(product.get("keywords", ()))
                templates.append(Template(
                    category_slug=leaf["slug"],
                    noun=product["noun"],
                    keywords=keywords,
                    attribute_names=tuple((a["name"], a.get("unit", "")) for a in product.get("attributes", ())),
                    variants=tuple(product.get("variants", ())),
                    noun_tokens=noun_tokens,
                    keyword_tokens=frozenset(set().union(*(tokens(k) for k in keywords)) - noun_tokens),
                ))
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
