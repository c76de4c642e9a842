"""The product phrase: the request with quantities, prices, trade terms, places and filler words taken out.

What the other readers used is blanked; the rest is cut into clauses (punctuation, "with", "that"...), and
the clause right after the quantity ("2,000 | bamboo cutting boards") wins, else the first clause with words
left after filler ("Need", "Buscamos", "求购") is stripped from its ends.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .vocab import alternation, is_cjk, load

Span = tuple[int, int]
MAX_LENGTH = 300
BREAKS = re.compile(
    r"[\x00,;:!?()\[\]{}|\n，。；：！？、]|\.(?!\d)|(?<!\w)-(?=\s)|(?<![\w-])(?:with|that|which|who|con|que|avec|qui|mit"
    r"|die|com|и|с|مع|التي|需在|要求|并且|但|和|带|有)(?![\w-])|(?<=\W)(?:with|con|avec|mit|com)(?=\W)",
)
NOISE = re.compile(
    r"^(?:lead ?time|target(?: price)?|price|budget|ship(?:ping)?|delivery|deliver|destination|certified|certification"
    r"|compliant|preferred|required|needed|urgent|please|thanks|thank you|quality|each|per|only|also|plus|and|or"
    r"|precio(?: objetivo)?|entrega|destino|certificación|certificado|plazo|prix(?: cible)?|livraison|délai|certifiés?"
    r"|Zielpreis|Preis|Lieferung|Lieferzeit|zertifiziert|preço(?: alvo)?|prazo|certificado|交期|目标价|认证|价格|发往"
    r"|preferably|prefer(?:ably|ido|é|iert)?|priority|wanted|[\W\d_]*)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _edges() -> tuple[re.Pattern, re.Pattern]:
    terms = load("terms")
    extra = [
        "rated",
        "suitable",
        "run",
        "runs",
        "working",
        "work",
        "operating",
        "at",
        "compliant",
        "certified",
        "certifiés?",
        "certificad[oa]s?",
        "zertifiziert",
        "approved",
        "preferred",
    ]
    every = terms["fillers"] + terms["trailing_words"] + extra
    words = alternation(every)
    latin = alternation([w for w in every if not is_cjk(w)])
    cjk = alternation([w for w in every if is_cjk(w)])
    # A filler is a whole word: "e" (Portuguese "and") must not eat the "e" of "e-scooter".
    lead = re.compile(rf"^(?:\s*(?:(?:{latin})(?=\s|$)|{cjk}))+", re.IGNORECASE)
    tail = re.compile(rf"(?:(?<=\s)|^)(?:(?:{words})\s*)+$", re.IGNORECASE)
    return lead, tail


def _clean(chunk: str) -> str:
    lead, tail = _edges()
    chunk = re.sub(r"\s+", " ", chunk).strip(" .-'\"“”")
    for _ in range(3):
        chunk = tail.sub("", lead.sub("", chunk)).strip(" .-'\"“”")
    return "" if NOISE.match(chunk) else chunk


def product_phrase(text: str, spans: list[Span], quantity_span: Span | None) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = "\x00"
    blanked = "".join(chars)
    # Parentheses hold specs of the product ("yoga mats (TPE, 6mm)"): keep them, without their commas.
    blanked = re.sub(r"\(([^()\x00]{0,60})\)", lambda m: " " + m.group(1).replace(",", " ") + " ", blanked)
    chunks = []
    position = 0
    for piece in BREAKS.split(blanked):
        start = blanked.find(piece, position)
        position = start + len(piece)
        cleaned = _clean(piece)
        if cleaned:
            chunks.append((start, start + len(piece), cleaned))
    if not chunks:
        return ""
    if quantity_span:
        for start, _, cleaned in chunks:
            if (
                quantity_span[1] <= start <= quantity_span[1] + 2
                or blanked[quantity_span[1] : start].strip(" \x00") == ""
            ):
                return cleaned[:MAX_LENGTH]
    return chunks[0][2][:MAX_LENGTH]
