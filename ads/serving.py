"""The request path: from a buyer's product search to at most MAX_SPONSORED sponsored results. Registered in
search's sponsored slot (search.sponsored) by AdsConfig.ready(); runs after the organic results are final."""

import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from core.languages import base_language
from marketplace.selectors import product_list_published
from search.sponsored import MAX_SPONSORED

from .auction import run_auction
from .impressions import impressions_record
from .matching import understand_parsed
from .selectors import candidates_for_query, promoted_headlines

CLICK_SALT = "ads.click"


def search_term_of(parsed) -> str:
    """What the buyer typed, tidied: the search-term report's row and the text a harvested keyword gets."""
    return " ".join(parsed.raw.split()).lower()[:200]


def click_url(*, keyword_id, campaign_id, product_id, price, term, language) -> str:
    """A signed, single-use, expiring link: the click is billed at the price the auction set, once."""
    payload = {
        "k": keyword_id,
        "c": campaign_id,
        "p": product_id,
        "$": str(price),
        "t": term[:120],
        "l": language,
        "n": secrets.token_hex(12),
    }
    return reverse("ads:click", args=[signing.dumps(payload, salt=CLICK_SALT, compress=True)])


def sponsored_results(*, result, request=None) -> list[dict]:
    parsed = result.query
    if not settings.ADS_ENABLED or not parsed.groups or result.page.number != 1 or result.sort != "relevance":
        return []
    now = timezone.now()
    query = understand_parsed(parsed)
    winners = run_auction(candidates_for_query(parsed=parsed, query=query, now=now), slots=MAX_SPONSORED)
    if not winners:
        return []
    language = base_language(get_language())
    product_ids = [w.candidate.product_id for w in winners]
    # Sponsored products are often on the organic page too: reuse those already loaded (a cached search's hits are
    # not loaded until read: search.engine.CachedHits; reading them here would load all 24 for these few).
    organic = result.hits if getattr(result.hits, "loaded", True) else ()
    products = {hit.pk: hit for hit in organic if getattr(hit, "pk", None) in product_ids}
    missing = [pk for pk in product_ids if pk not in products]
    if missing:
        products.update(product_list_published(language=language).in_bulk(missing))
    term = search_term_of(parsed)
    today = timezone.localdate(now).isoformat()
    items, shown = [], []
    for winner in winners:
        candidate = winner.candidate
        product = products.get(candidate.product_id)
        if product is None:
            continue
        lines = promoted_headlines(campaign_id=candidate.campaign_id, product_id=candidate.product_id)
        items.append(
            {
                "product_id": product.pk,
                "product": product,
                "headline": lines.get(language) or lines.get("en") or "",
                "position": winner.position,
                "click_url": click_url(
                    keyword_id=candidate.keyword_id,
                    campaign_id=candidate.campaign_id,
                    product_id=product.pk,
                    price=winner.price,
                    term=term,
                    language=parsed.language,
                ),
            }
        )
        shown.append((candidate.campaign_id, candidate.keyword_id, today, term, parsed.language))
    impressions_record(shown)
    return items
