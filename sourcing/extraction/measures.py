"""Requirements written as numbers: target unit price, lead time, operating temperature.

Each reader returns its value(s), the spans it used (so the quantity reader and the product phrase skip them)
and notes for `unread`. Values out of the schema's range are reported, never clamped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..schema import MAX_LEAD_TIME_DAYS, MAX_TEMPERATURE_C, MIN_TEMPERATURE_C
from .numbers import NUMBER, parse_number
from .vocab import LB, RB, WORD_LETTERS, alternation, compiled, load

Span = tuple[int, int]
MAX_PRICE = 10_000_000


@dataclass
class Reading:
    value: object = None
    spans: list[Span] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def fmt(value: float) -> str:
    return f"{value:g}"


# -- prices -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _currency_regexes() -> tuple[re.Pattern, re.Pattern, list[tuple[str, re.Pattern]]]:
    currencies = load("currencies")
    every = [p for patterns in currencies.values() for p in patterns]
    cur = rf"(?P<cur>{alternation(every)}|¥)"
    before = re.compile(rf"{cur}\s?(?P<num>{NUMBER})", re.IGNORECASE)
    after = re.compile(rf"(?P<num>{NUMBER})\s?{cur}", re.IGNORECASE)
    each = [(code, re.compile(alternation(patterns), re.IGNORECASE)) for code, patterns in currencies.items()]
    return before, after, each


def currency_code(surface: str, language: str) -> str | None:
    if surface == "¥":
        return "JPY" if language == "ja" else "CNY"  # the yen sign is the yuan sign in Chinese text
    for code, pattern in _currency_regexes()[2]:
        if pattern.fullmatch(surface):
            return code
    return None


def _near(text: str, key: str, start: int, end: int, before: int = 30, after: int = 25) -> bool:
    return bool(compiled("terms", key).search(text[max(0, start - before) : start])) or bool(
        compiled("terms", key).search(text[end : end + after])
    )


def price(text: str, language: str, taken: list[Span]) -> Reading:
    """The target unit price and its currency: "$140 each", "5.20 USD per piece", "目标价每个4美元", "€3,50"."""
    before, after, _ = _currency_regexes()
    matches = [m for regex in (before, after) for m in regex.finditer(text) if not _overlaps(m.span(), taken)]
    reading = Reading()
    best: tuple[float, int, re.Match] | None = None
    for match in matches:
        start, end = match.span()
        if _near(text, "total_cues", start, end, 30, 20):
            reading.unread.append(f"A total amount ({match.group()}) is not a unit price; not used.")
            reading.spans.append(match.span())
            continue
        score = 2 * _near(text, "per_unit_cues", start, end, 12, 25) + _near(text, "price_cues", start, end, 40, 0)
        if best is None or (score, -start) > (best[0], -best[1]):
            best = (score, start, match)
    if best is None:
        return _unknown_currency(text, taken, reading)
    match = best[2]
    value = parse_number(match.group("num"))
    code = currency_code(match.group("cur"), language)
    reading.spans.append(match.span())
    if value is None or code is None:
        reading.unread.append(f"Could not read the price '{match.group()}'.")
    elif not 0 < value < MAX_PRICE:
        reading.unread.append(f"A unit price of {fmt(value)} {code} is not plausible; not used.")
    else:
        reading.value = (value, code)
    return reading


UNKNOWN_PRICE = re.compile(rf"(?P<num>{NUMBER})\s?(?P<word>[{WORD_LETTERS}]{{3,}})")


def _unknown_currency(text: str, taken: list[Span], reading: Reading) -> Reading:
    """A number with a price cue before it and an unknown word after it: "target price 30 bitcoins each"."""
    known = _known_words()
    for match in UNKNOWN_PRICE.finditer(text):
        word = match.group("word")
        if _overlaps(match.span(), taken) or known.fullmatch(word):
            continue
        start, end = match.span()
        cue_before = compiled("terms", "price_cues").search(text[max(0, start - 25) : start])
        per_unit_after = compiled("terms", "per_unit_cues").match(text[end : end + 20].lstrip())
        if cue_before or per_unit_after:
            reading.unread.append(f"Could not read the currency '{word}'.")
            reading.spans.append(match.span())
            break
    return reading


@lru_cache(maxsize=1)
def _known_words() -> re.Pattern:
    """Words after a number that are not a currency: units, specs, time units."""
    units = load("units")
    patterns = [p for entry in units["units"] for p in entry["patterns"]] + units["spec_units"]
    patterns += [p for group in load("terms")["time_units"].values() for p in group]
    patterns += ["pesos?", "percent", "por ?ciento", "pour ?cent", "Prozent", "por ?cento"]
    return re.compile(rf"(?:{alternation(patterns)})\w*", re.IGNORECASE)


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


# -- lead time ----------------------------------------------------------------------------------------------

RANGE_SEP = r"(?:-|~|/|to|a|à|bis|até|do|до|至|到|〜)"
DAYS_PER = {"day": 1, "week": 7, "month": 30}


@lru_cache(maxsize=1)
def _lead_regex() -> re.Pattern:
    units = load("terms")["time_units"]
    groups = "|".join(f"(?P<{name}>{alternation(patterns)})" for name, patterns in units.items())
    return re.compile(rf"(?P<a>{NUMBER})(?:\s*{RANGE_SEP}\s*(?P<b>{NUMBER}))?\s*(?:{groups})", re.IGNORECASE)


@lru_cache(maxsize=1)
def _within_before() -> re.Pattern:
    words = load("terms")["lead_time_within"] + [
        "lead ?time",
        "delivery time",
        "plazo de entrega",
        "délai",
        "Lieferzeit",
        "prazo de entrega",
        "срок",
        "交期",
        "交货期",
        "納期",
    ]
    return re.compile(rf"(?:{alternation(words)})\s*[:：]?\s*$", re.IGNORECASE)


def lead_time(text: str, taken: list[Span]) -> Reading:
    """The longest acceptable lead time in days: "within 30 days", "5 weeks" -> 35, "2-3 months" -> 90."""
    reading = Reading()
    for match in _lead_regex().finditer(text):
        start = match.start()
        if _overlaps(match.span(), taken) or _not_lead_time(text, start):
            continue
        count = parse_number(match.group("b") or match.group("a")) or 0
        unit = next(name for name in DAYS_PER if match.group(name))
        days = round(count * DAYS_PER[unit])
        cue = _within_before().search(text[max(0, start - 25) : start])
        reading.spans.append((start - len(cue.group()) if cue else start, match.end()))
        if not 1 <= days <= MAX_LEAD_TIME_DAYS:
            reading.unread.append(f"A lead time of {match.group()} is not plausible; not used.")
        elif reading.value is None:
            reading.value = days
    return reading


def _not_lead_time(text: str, start: int) -> bool:
    """Payment terms, warranties, shelf life and dates also count days ("net 30 days", "3月30日")."""
    clause = re.split(r"[,;.\n，。；]", text[max(0, start - 30) : start])[-1]
    if text[max(0, start - 1) : start] in ("月", "/", "-", "."):
        return True
    return bool(compiled("terms", "lead_time_exclusions").search(clause))


# -- operating temperature ----------------------------------------------------------------------------------

SIGN = r"(?P<{0}>[-+]|minus |menos |moins |минус |零下|マイナス|ناقص )?"
DEGREES = (
    r"\s?(?:°\s?(?P<{0}>[CF])?|℃|(?P<{0}f>℉)|degrees?(?: (?:Celsius|C|(?P<{0}f2>F|Fahrenheit)))?(?![A-Za-z])"
    r"|grados?(?: (?:C|centígrados|Celsius))?|degrés?(?: (?:C|Celsius))?|Grad(?: (?:C|Celsius))?"
    r"|graus?(?: (?:C|Celsius))?|градус\w*|درجة(?: مئوية)?|摄氏度|度)"
)


def _temp(name: str, with_unit: bool) -> str:
    unit = DEGREES.format(f"{name}u")
    return rf"{SIGN.format(name + 's')}\s?(?P<{name}>{NUMBER}){unit if with_unit else f'(?:{unit})?'}"


TEMP_RANGE = re.compile(
    rf"{_temp('a', False)}\s*(?:-|~|〜|to|a|à|bis|até|до|至|到|and|y|et|und|e)\s*{_temp('b', True)}", re.IGNORECASE
)
TEMP_SINGLE = re.compile(_temp("a", True), re.IGNORECASE)
MAX_CUES = re.compile(r"(?:up to|max\w*|below|under|withstand|hasta|jusqu'à|bis|até|до|耐|最高|以下)\W*$", re.I)


def _celsius(match: re.Match, name: str, fahrenheit: bool) -> float | None:
    value = parse_number(match.group(name))
    if value is None:
        return None
    sign = (match.group(f"{name}s") or "").strip().lower()
    if sign and sign != "+":
        value = -value
    if fahrenheit:
        value = round((value - 32) * 5 / 9, 1)
    return value


def _is_fahrenheit(match: re.Match, name: str) -> bool:
    groups = match.groupdict()
    return (groups.get(f"{name}u") or "").upper() == "F" or bool(groups.get(f"{name}uf") or groups.get(f"{name}uf2"))


def temperatures(text: str, language: str) -> Reading:
    """(min °C, max °C): "-20~60°C", "+2 to +8°C", "rated to minus 20°C" (a lone cold value is a minimum,
    a lone warm one a maximum), Fahrenheit converted. "度" alone counts as degrees in Chinese text only."""
    reading = Reading(value=(None, None))
    low: list[float] = []
    high: list[float] = []
    taken: list[Span] = []
    for match in TEMP_RANGE.finditer(text):
        if not _plausible_unit(match, language):
            continue
        fahrenheit = _is_fahrenheit(match, "b")
        a, b = _celsius(match, "a", fahrenheit), _celsius(match, "b", fahrenheit)
        if a is None or b is None:
            continue
        taken.append(match.span())
        low.append(min(a, b))
        high.append(max(a, b))
    for match in TEMP_SINGLE.finditer(text):
        if _overlaps(match.span(), taken) or not _plausible_unit(match, language):
            continue
        value = _celsius(match, "a", _is_fahrenheit(match, "a"))
        if value is None:
            continue
        taken.append(match.span())
        is_max = value >= 0 and not re.search(r"(?:min\w*|from|desde|ab|от|最低|以上)\W*$", text[: match.start()])
        is_max = is_max or (value >= 0 and bool(MAX_CUES.search(text[: match.start()])))
        (high if is_max else low).append(value)
    reading.spans = taken
    low = _in_range(low, reading)
    high = _in_range(high, reading)
    reading.value = (min(low) if low else None, max(high) if high else None)
    return reading


def _plausible_unit(match: re.Match, language: str) -> bool:
    return not (match.group().rstrip().endswith("度") and language != "zh-hans" and "零下" not in match.group())


def _in_range(values: list[float], reading: Reading) -> list[float]:
    kept = []
    for value in values:
        if value < MIN_TEMPERATURE_C:
            reading.unread.append(f"{fmt(value)} °C is below absolute zero; not used.")
        elif value > MAX_TEMPERATURE_C:
            reading.unread.append(f"{fmt(value)} °C is not a plausible operating temperature; not used.")
        else:
            kept.append(value)
    return kept


__all__ = ["LB", "RB", "Reading", "lead_time", "price", "temperatures"]
