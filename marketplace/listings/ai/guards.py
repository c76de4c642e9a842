"""Guards on both sides of the optimizer, whichever provider wrote the result: the seller's text is read through
`understand` (plain text, injected instructions dropped, contact details and spam removed), and every result
passes `finalize` (sanitized again, specifications that do not trace back to the seller's words dropped,
implausible values flagged, lengths clamped)."""

from __future__ import annotations

import re

from core.languages import CJK
from marketplace.quality import TITLE_MAX

from .extraction import NUM, PLAUSIBLE, format_number, parse_number, plausible
from .sanitize import CONTACT_RE, SPAM_RE, calm, has_injection, plain_text, strip_injections
from .schema import (
    MAX_KEYWORDS,
    DescriptionSections,
    ListingInput,
    ListingOptimization,
    SuggestedAttribute,
    SuggestedTranslation,
    Understood,
    target_languages,
)
from .vocabulary import tokens

# --- reading the seller's text through the guards ------------------------------------------------------------


def _meaningful_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]{2,}", text) if len(set(w.lower())) > 1]


def understand(listing: ListingInput) -> Understood:
    flags: list[str] = []
    raw_title = plain_text(listing.title)
    raw_description = plain_text(listing.description)
    title, dropped_title = strip_injections(raw_title)
    description, dropped_description = strip_injections(raw_description)
    if dropped_title or dropped_description:
        flags.append(
            f"Removed {dropped_title + dropped_description} sentence(s) that gave instructions to an AI instead of "
            "describing the product; they were not followed and are not repeated."
        )
    if raw_description != (listing.description or "").strip() and re.search(r"<[a-zA-Z/!]", listing.description or ""):
        flags.append("The description contained HTML or scripts; it was converted to plain text.")
    if CONTACT_RE.search(description) or CONTACT_RE.search(title):
        flags.append("Removed contact details (e-mail, phone, messenger, links): buyers contact you through Silkway.")
    title, description = calm(title), calm(description)
    keywords = []
    for keyword in re.split(r"[,;\n|]+", plain_text(listing.keywords)):
        keyword = calm(strip_injections(keyword)[0]).strip(" .-").lower()
        if keyword and keyword not in keywords and len(keyword) <= 60:
            keywords.append(keyword)
    usable = _is_readable(description, listing.language)
    if not usable:
        what = "empty" if not description.strip() else "unreadable"
        flags.append(
            f"The description was {what}, so nothing was taken from it; the suggestion uses only the title, "
            "category and your structured fields. Add selling points in your own words."
        )
        description = ""
    return Understood(title=title, description=description, keywords=keywords, flags=flags, usable_description=usable)


def _is_readable(text: str, language: str) -> bool:
    if language in CJK:
        return len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", text)) >= 6
    words = _meaningful_words(text)
    if len(words) < 3:
        return False
    letters = sum(c.isalpha() for c in text)
    distinct = len({w.lower() for w in words})
    return distinct >= 3 and letters / max(len(text), 1) > 0.4 and distinct / len(words) > 0.3


# --- guards applied to every result, whichever provider wrote it --------------------------------------------------


def _safe(text: str, limit: int) -> tuple[str, bool]:
    cleaned, dropped = strip_injections(plain_text(text))
    return cleaned[:limit].strip(), bool(dropped)


def _traceable(attribute: SuggestedAttribute, source: str) -> bool:
    """Every number in a suggested value must appear in the seller's words; words must too, loosely."""
    numbers = re.findall(r"\d+(?:[.,]\d+)?", attribute.value)
    source_numbers = {format_number(parse_number(n)) for n in re.findall(r"\d+(?:[.,]\d+)?", source)}
    if numbers:
        return all(format_number(parse_number(n)) in source_numbers for n in numbers)
    value_tokens = tokens(attribute.value) - {"and", "with", "of"}
    return bool(value_tokens) and len(value_tokens & tokens(source)) / len(value_tokens) >= 0.5


def finalize(result: ListingOptimization, listing: ListingInput, understood: Understood) -> ListingOptimization:
    flags = list(result.flags)
    injected = False
    title, hit = _safe(result.title, TITLE_MAX)
    injected |= hit
    if not title:
        title = understood.title[:TITLE_MAX] or listing.title[:TITLE_MAX]
    overview, hit = _safe(result.description.overview, 3000)
    injected |= hit

    def clean_list(items, limit=200):
        nonlocal injected
        out = []
        for item in items:
            text, hit = _safe(item, limit)
            injected |= hit
            if text and text not in out:
                out.append(text)
        return out

    sections = DescriptionSections(
        overview=overview,
        selling_points=clean_list(result.description.selling_points),
        customization=clean_list(result.description.customization),
        packaging_and_shipping=clean_list(result.description.packaging_and_shipping),
    )
    source = " ".join(
        [
            understood.title,
            understood.description,
            listing.title,
            plain_text(listing.description),
            " ".join(f"{n} {v} {u}" for n, v, u in listing.attributes),
        ]
    )
    existing = {n.lower() for n, _v, _u in listing.attributes}
    attributes = []
    for attribute in result.attributes:
        name, _ = _safe(attribute.name, 80)
        value, hit = _safe(attribute.value, 200)
        injected |= hit
        if not name or not value:
            continue
        candidate = SuggestedAttribute(
            name=name,
            value=value,
            unit=plain_text(attribute.unit)[:20],
            replaces=attribute.replaces if attribute.replaces.lower() in existing else "",
            evidence=plain_text(attribute.evidence)[:300],
        )
        if not _traceable(candidate, source):
            flags.append(f"Left out “{name}: {value}” — it does not appear in your listing.")
            continue
        number = re.fullmatch(rf"({NUM})(?: to ({NUM}))?", value)
        if (
            number
            and candidate.unit in PLAUSIBLE
            and not all(plausible(parse_number(v), candidate.unit) for v in number.groups() if v)
        ):
            flags.append(f"“{name}: {value} {candidate.unit}” looks implausible and was left out.")
            continue
        if name.lower() in existing and not candidate.replaces:
            continue  # never a second row for a spec the seller already has
        attributes.append(candidate)
    keywords = []
    for keyword in clean_list(result.keywords, 60):
        keyword = keyword.lower().strip(" ,.")
        if keyword and keyword not in keywords and not SPAM_RE.search(keyword):
            keywords.append(keyword)
    wanted = set(target_languages(listing))
    translations, seen_languages = [], set()
    for translation in result.translations:
        if translation.language not in wanted or translation.language in seen_languages:
            continue
        seen_languages.add(translation.language)
        t_title, hit1 = _safe(translation.title, 200)
        t_description, hit2 = _safe(translation.description, 6000)
        injected |= hit1 or hit2
        if not t_title:
            continue
        translations.append(
            SuggestedTranslation(
                language=translation.language,
                title=t_title,
                description=t_description,
                keywords=clean_list(translation.keywords, 60)[:MAX_KEYWORDS],
            )
        )
    if injected:
        flags.append("Removed text from the suggestion that addressed an AI instead of describing the product.")
    clean_flags = []
    for flag in flags:
        text = plain_text(flag)[:300]
        if text and not has_injection(text) and text not in clean_flags:
            clean_flags.append(text)
    return ListingOptimization(
        title=title,
        description=sections,
        attributes=attributes,
        keywords=keywords[:25],
        translations=translations,
        flags=clean_flags[:30],
    )
