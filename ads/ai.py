"""Ad headlines from the AI layer: a short line per buyer language built from the listing's facts. Offline, a
template over the same facts (title in that language when the listing has it, the leading spec, MOQ, who makes
it); with a model, the model writes it under the same schema. Always a suggestion the seller approves."""

from dataclasses import dataclass

from django.utils.html import strip_tags
from pydantic import BaseModel, Field

from ai.calls import structured_output
from ai.exceptions import AIError

PROMPT_VERSION = "ads-headline-1"
MAX_HEADLINE = 90

# "MOQ" and "factory direct" in each buyer language, for the offline template.
_WORDS = {
    "en": ("MOQ", "Factory direct"),
    "zh-hans": ("起订量", "工厂直供"),
    "es": ("Pedido mín.", "Directo de fábrica"),
    "fr": ("Qté min.", "Direct usine"),
    "de": ("MOQ", "Direkt vom Hersteller"),
    "pt": ("Pedido mín.", "Direto da fábrica"),
    "ru": ("Мин. заказ", "Напрямую с завода"),
    "ar": ("الحد الأدنى", "مباشرة من المصنع"),
    "ja": ("最小注文", "工場直送"),
}


class Headline(BaseModel):
    text: str = Field(min_length=3, max_length=MAX_HEADLINE)


@dataclass(frozen=True)
class HeadlineSuggestion:
    text: str
    reason: str
    provider: str
    facts: dict


def _facts(product, language: str) -> dict:
    translated = {t.language: t.title for t in product.translations.all()}
    attribute = product.attributes.exclude(unit="").order_by("position").first()
    return {
        "title": translated.get(language) or product.title,
        "title_language": language if language in translated else product.language,
        "spec": f"{attribute.value} {attribute.unit}".strip() if attribute else "",
        "moq": f"{product.moq} {product.get_unit_display()}",
        "factory": product.supplier.kind in ("factory", "both"),
    }


def _offline(facts: dict, language: str) -> Headline:
    moq_word, factory_word = _WORDS.get(language, _WORDS["en"])
    parts = [facts["title"]]
    if facts["spec"] and facts["spec"].lower() not in facts["title"].lower():
        parts.append(facts["spec"])
    tail = f"{moq_word} {facts['moq']}"
    if facts["factory"]:
        tail = f"{factory_word} · {tail}"
    text = " · ".join(parts)
    if len(text) + len(tail) + 3 <= MAX_HEADLINE:
        text = f"{text} · {tail}"
    return Headline(text=text[:MAX_HEADLINE].rstrip(" ·"))


def headline_suggest(*, product, language: str) -> HeadlineSuggestion | None:
    facts = _facts(product, language)
    try:
        result = structured_output(
            task="ads_headline",
            prompt_version=PROMPT_VERSION,
            schema=Headline,
            system=(
                "You write one search-ad headline for a B2B product listing, in the language given, at most "
                f"{MAX_HEADLINE} characters, plain text, using only the facts given. No claims not in the facts."
            ),
            user=f"Language: {language}\nFacts: {facts}",
            offline=lambda: _offline(facts, language),
            supplier_id=product.supplier_id,
            subject=f"product:{product.pk}",
            retries=0,
        )
        value, provider = result.value, result.provenance.provider
    except AIError:
        value, provider = _offline(facts, language), "offline"
    text = " ".join(strip_tags(value.text).split())[:MAX_HEADLINE]
    if not text:
        return None
    source = (
        "the listing's own title" if facts["title_language"] == language else "the listing's title (not yet translated)"
    )
    return HeadlineSuggestion(
        text=text,
        reason=f"Built from {source}, its leading spec and MOQ, for buyers searching in {language}.",
        provider=provider,
        facts=facts,
    )
