"""Numbers as buyers write them: 2,000 / 2.000 / 2 000 / 1,20 / 12k / 5 mil / 2万 / 一万 / 两千五百."""

from __future__ import annotations

import re

# Digits, with thousands groups ("2,000", "2.000", "2 000", "2'000") or a decimal part ("1,20", "5.20"), or both
# ("1.200,50"). Not glued to a preceding letter or digit: IP67, EN71, x600 are codes and sizes, not amounts; nor
# the tail of a number ("200" in "1,200"). A comma after a word is a list separator ("拉各斯,45天内交货").
NUMBER = r"(?<![A-Za-z0-9])(?<![0-9][.,])(?:\d{1,3}(?:[,.' ]\d{3})+(?![0-9])|\d+)(?:[.,]\d+)?"
MULTIPLIERS = {
    "k": 1_000,
    "mil": 1_000,
    "mille": 1_000,
    "tsd": 1_000,
    "tausend": 1_000,
    "тыс": 1_000,
    "тысяч": 1_000,
    "тысячи": 1_000,
    "ألف": 1_000,
    "千": 1_000,
    "万": 10_000,
    "萬": 10_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "millones": 1_000_000,
    "millón": 1_000_000,
    "millionen": 1_000_000,
    "milhões": 1_000_000,
    "milhão": 1_000_000,
    "млн": 1_000_000,
    "mio": 1_000_000,
    "亿": 100_000_000,
    "億": 100_000_000,
}
_LATIN_MULT = (
    r"k|mil|mille|tsd\.?|tausend|тыс\.?|тысяч[иа]?|ألف|millions?|millones|millón|millionen|milhões|milhão|млн|mio\.?"
)
# "12k", "5 mil", "2 Tsd.", "1.5万"; k must be glued ("12k"), the words may follow a space. A multiplier ends the
# word (any script's letters count): "40 Kühlvitrinen" is forty, not 40,000.
AMOUNT = re.compile(
    rf"(?P<num>{NUMBER})(?:(?P<k>[kK])(?!\w)|\s?(?P<word>(?i:{_LATIN_MULT}))(?!\w)|\s?(?P<cjk>[千万萬亿億]))?"
)
CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CHINESE_NUMBER = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+")


def parse_number(raw: str) -> float | None:
    """ "2,000" -> 2000, "1,20" -> 1.2, "1.200,50" -> 1200.5, "2 000" -> 2000. One separator followed by exactly
    three digits is a thousands separator ("1,200", "2.000"): that is what buyers mean in every convention."""
    raw = raw.replace(" ", "").replace("'", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif "," in raw or "." in raw:
        sep = "," if "," in raw else "."
        head, _, tail = raw.rpartition(sep)
        if raw.count(sep) > 1 or (len(tail) == 3 and not head.startswith("0")):
            raw = raw.replace(sep, "")
        else:
            raw = raw.replace(sep, ".")
    try:
        return float(raw)
    except ValueError:
        return None


def amount_value(match: re.Match) -> float | None:
    """The value of an AMOUNT match, multiplier applied."""
    value = parse_number(match.group("num"))
    if value is None:
        return None
    if match.group("k"):
        return value * 1_000
    word = match.group("word")
    if word:
        key = word.lower().rstrip(".")
        return value * MULTIPLIERS.get(key, 1)
    if match.group("cjk"):
        return value * MULTIPLIERS[match.group("cjk")]
    return value


def chinese_number(raw: str) -> int | None:
    """一万 -> 10000, 两千五百 -> 2500, 十二 -> 12, 三百 -> 300; None when it is not a well-formed number."""
    total, section, digit = 0, 0, None
    for char in raw:
        if char in CHINESE_DIGITS:
            if digit is not None:
                return None  # two digits in a row ("一二") is not a number
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            section += (1 if digit is None else digit) * CHINESE_UNITS[char]
            digit = None
        elif char in CHINESE_BIG:
            section += digit or 0
            total += (section or 1) * CHINESE_BIG[char]
            section, digit = 0, None
    result = total + section + (digit or 0)
    return result or None
