"""AI listing optimization, split by job: schema (input and result), prompt, sanitize, vocabulary, extraction,
assembly (the offline rules) and guards.

`optimize_listing(listing)` returns a validated `ListingOptimization` from the configured provider. Whatever the
provider, `finalize()` then applies the same guards: text is sanitized to plain text, instructions injected in
the seller's text are neither followed nor repeated, specifications that do not trace back to the seller's
words are dropped, implausible values are flagged, and lengths are clamped. The result is a suggestion; the
seller applies it (marketplace.listings.services).
"""

from __future__ import annotations

from ai.calls import AIResult, structured_output

from .assembly import optimize_offline
from .guards import finalize, understand
from .prompt import PROMPT_VERSION, SYSTEM_PROMPT, TASK, build_user_message
from .schema import ListingInput, ListingOptimization

__all__ = ["ListingInput", "ListingOptimization", "optimize_listing"]


def optimize_listing(
    listing: ListingInput, *, supplier_id: int | None = None, subject: str = "", retries: int | None = None
) -> AIResult[ListingOptimization]:
    """A validated ListingOptimization from the configured provider, already passed through `finalize`.

    `retries`: transient failures retried inside the call (ai.calls; AI_MAX_RETRIES when None)."""
    understood = understand(listing)
    result = structured_output(
        task=TASK,
        prompt_version=PROMPT_VERSION,
        schema=ListingOptimization,
        system=SYSTEM_PROMPT,
        user=build_user_message(listing, understood),
        offline=lambda: optimize_offline(listing),
        supplier_id=supplier_id,
        subject=subject,
        retries=retries,
    )
    return AIResult(value=finalize(result.value, listing, understood), provenance=result.provenance)
