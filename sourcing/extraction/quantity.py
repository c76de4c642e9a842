"""The order quantity: the number attached to a counting unit or to the product noun, not a price, a size, a
spec, a temperature or a lead time (those are read first and their spans skipped)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..schema import MAX_QUANTITY
from .measures import Reading, fmt
from .numbers import AMOUNT, CHINESE_NUMBER, amount_value, chinese_number
from .vocab import alternation, fragment, load

Span = tuple[int, int]
COUNTING = {None, "set", "pair", "box", "container", "dozen", "pallet"}
CONTAINER = re.compile(
    r"(?P<n>\d+|one|a|an|uno|una|un|une|um|uma|ein|einen|einem|一|两|二|三)?\s*(?:x|×|\*|个)?\s*"
    r"(?:20|40|45)\s*(?:ft|'|′|feet|foot|pies|pieds|Fuß|尺|英尺)?\s*(?:HQ|HC|GP|DC|high[- ]cube)?\s*"
    r"(?:containers?|contenedor(?:es)?|conteneurs?|Container|contêiner(?:es)?|контейнер\w*|حاوية|货柜|柜|集装箱|コンテナ)",
    re.IGNORECASE,
)
WORD_COUNT = {"one": 1, "a": 1, "an": 1, "uno": 1, "una": 1, "un": 1, "une": 1, "um": 1, "uma": 1, "ein": 1}
WORD_COUNT |= {"einen": 1, "einem": 1, "一": 1, "两": 2, "二": 2, "三": 3}
# "toothbrushes x 50,000": a multiplication sign after a word counts the word (after a number it is a size: 600x600).
TIMES_AFTER_WORD = re.compile(r"[^\W\d_]\s*[x×]\s*$")
NOT_QUANTITY_BEFORE = re.compile(
    r"(?:size|model|type|grade|no\.?|number|version|class|level|talla|tamaño|modelo|taille|modèle|Größe|Modell"
    r"|tamanho|型号|尺寸|#|(?<![A-Za-z])(?-i:SS|AISI|ASTM|EN|DIN|UN|GB|M|R|PN|DN)|year|año|année|Jahr|ano|год)\s*[:.]?\s*$",
    re.IGNORECASE,
)


YEAR_BEFORE = re.compile(r"(?:in|since|by|from|en|desde|depuis|seit|im|em|até|с|в)\s*$", re.IGNORECASE)
POWER = re.compile(r"(?<![\d.])(\d+)\s?(?:\^|\*\*)\s?(\d+)|(?<![\w.])(\d+(?:\.\d+)?)[eE](\d+)(?![\w.])")


@dataclass
class Candidate:
    score: float
    start: int
    end: int
    value: float
    unit: str | None
    raw: str


@lru_cache(maxsize=1)
def _unit_regexes() -> list[tuple[str | None, bool, re.Pattern]]:
    units = load("units")
    # "200 bags of cement": the bag is the unit. Romance "de" also introduces a material ("botellas de vidrio"),
    # so container-like units take only unambiguous "of" words.
    of_words = alternation(units["container_of_words"])
    out = []
    for entry in units["units"]:
        of_part = rf"\s*(?:{of_words})" if entry.get("of_only") else ""
        out.append(
            (
                entry["unit"],
                bool(entry.get("of_only")),
                re.compile(rf"\s?(?:{alternation(entry['patterns'])}){of_part}", re.I),
            )
        )
    return out


@lru_cache(maxsize=1)
def _of_words() -> re.Pattern:
    return re.compile(rf"\s*(?:{alternation(load('units')['of_words'])})(?=\s|\w)", re.I)


@lru_cache(maxsize=1)
def _spec_after() -> re.Pattern:
    units = load("units")["spec_units"]
    glued = [u for u in units if len(u.replace("\\", "")) == 1]
    spaced = [u for u in units if u not in glued]
    return re.compile(
        rf"(?:{'|'.join(fragment(u) for u in glued)})|\s?(?:{alternation(spaced)})|\s?[x×*/%°-]\s?\d", re.I
    )


def _unit_after(text: str, end: int) -> tuple[str | None, int] | None:
    """(unit, end of the unit words) when a counting or measuring unit follows the number."""
    best = None
    for unit, _, regex in _unit_regexes():
        match = regex.match(text, end)
        if match and (best is None or match.end() > best[1]):
            best = (unit, match.end())
    if best:
        of = _of_words().match(text, best[1])
        return best[0], of.end() if of else best[1]
    return None


def _candidates(text: str, taken: list[Span]) -> list[Candidate]:
    out = []
    numbers = [(m.start(), m.end(), amount_value(m), m.group()) for m in AMOUNT.finditer(text)]
    numbers += [(m.start(), m.end(), chinese_number(m.group()), m.group()) for m in CHINESE_NUMBER.finditer(text)]
    powers = [(m.start(), m.end(), _power(m), m.group()) for m in POWER.finditer(text)]
    numbers = powers + [n for n in numbers if not any(p[0] <= n[0] < p[1] for p in powers)]
    for start, end, value, raw in numbers:
        if value is None or any(start < e and s < end for s, e in taken):
            continue
        candidate = _score(text, start, end, value, raw)
        if candidate:
            out.append(candidate)
    return out


def _power(match: re.Match) -> float:
    """10^15, 1e9: written to test the system, or a typo; read so it can be refused as implausible."""
    if match.group(1):
        return float(int(match.group(1)) ** min(int(match.group(2)), 30))
    return float(match.group(3)) * 10 ** min(int(match.group(4)), 30)


def _score(text: str, start: int, end: int, value: float, raw: str) -> Candidate | None:
    unit = _unit_after(text, end)
    cue = _QUANTITY_CUE().search(text[max(0, start - 20) : start]) or TIMES_AFTER_WORD.search(
        text[max(0, start - 6) : start]
    )
    if unit:
        score = 3.0 if unit[0] in COUNTING else 2.5
        return Candidate(score + bool(cue), start, unit[1], value, unit[0], raw)
    if raw[0] in "零〇一二两兩三四五六七八九十百千万萬亿億":
        return None  # a Chinese numeral without a unit is a word ("统一", "一次"), not an amount
    if _spec_after().match(text, end) or NOT_QUANTITY_BEFORE.search(text[max(0, start - 8) : start]):
        return None
    if value != int(value) or (1900 <= value <= 2100 and YEAR_BEFORE.search(text[max(0, start - 8) : start])):
        return None  # decimals and years ("since 2015") are not counts
    if cue:
        return Candidate(3.0, start, end, value, None, raw)
    if re.match(r"\s?[^\W\d_]", text[end : end + 2]):
        return Candidate(1.0, start, end, value, None, raw)  # "2,000 bamboo cutting boards"
    return None


@lru_cache(maxsize=1)
def _QUANTITY_CUE() -> re.Pattern:  # noqa: N802 - a cached constant
    return re.compile(rf"(?:{alternation(load('units')['quantity_cues'])})\s*[:：]?\s*(?:of\s+)?$", re.I)


def quantity(text: str, taken: list[Span]) -> Reading:
    """(quantity, unit) with the span used; absurd values go to unread."""
    reading = Reading()
    container = _container(text, taken)
    if container:
        candidate = container
    else:
        candidates = _candidates(text, taken)
        if not candidates:
            return reading
        candidate = max(candidates, key=lambda c: (c.score, -c.start))
    reading.spans.append((candidate.start, candidate.end))
    value = candidate.value
    unit_text = f" {candidate.unit}" if candidate.unit else ""
    if value != int(value):
        reading.unread.append(f"Quantity {fmt(value)}{unit_text} is not a whole number; not used.")
    elif not 1 <= value <= MAX_QUANTITY:
        reading.unread.append(f"Quantity {fmt(value)} is not plausible; not used.")
    else:
        reading.value = (int(value), candidate.unit)
    return reading


def _container(text: str, taken: list[Span]) -> Candidate | None:
    for match in CONTAINER.finditer(text):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        raw = (match.group("n") or "").lower()
        count = int(raw) if raw.isdigit() else WORD_COUNT.get(raw, 1)
        end = match.end()
        of = _of_words().match(text, end)
        return Candidate(4.0, match.start(), of.end() if of else end, count, "container", match.group())
    return None
