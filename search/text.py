"""Text processing shared by indexing and querying, so both sides of a match see the same tokens.

fold()      case, width and diacritics folded ("Bürstenlos" -> "burstenlos", "ＦＤＡ" -> "fda"), Arabic letter
            variants unified; kana keep their voicing marks (が is not か).
tokens()    words and numbers with their units glued ("18 V" -> "18v", "-30 °C" -> "-30c"), CJK runs cut with
            jieba (Chinese) or the glossary plus character bigrams (Japanese), see cjk_index_tokens().
stem()      snowball stems per language for the SQLite backend; PostgreSQL stems with its own text-search
            configurations (see pg_config()).
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from core.languages import CJK

# Language code -> PostgreSQL text-search configuration. Chinese and Japanese are segmented in Python
# and indexed with 'simple' (no stemming makes sense for them).
PG_CONFIGS = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "pt": "portuguese",
    "ru": "russian",
    "ar": "arabic",
    "zh-hans": "simple",
    "ja": "simple",
}
SNOWBALL = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "pt": "portuguese",
    "ru": "russian",
    "ar": "arabic",
}
CJK_LANGUAGES = CJK  # core.languages: the served languages written without spaces between words

_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# A number (signed, decimal) and a unit written after it, with or without a space.
UNIT_WORDS = (
    "kwh|wh|mah|ah|kw|kv|mw|w|v|a|°c|℃|°f|c|mm²|mm|cm|km|m³/h|m³|m²|m|ml|l|kg|g|t|rpm|n·m|nm|hp|bar|psi|"
    "inch|in|lm|k|pcs|pc|sets|set|units|unit|pieces|piece|pairs|tons|ton|meters|μm|um"
)
_NUMBER_UNIT = re.compile(rf"(?<![\w.])([-−–]?\d+(?:[.,]\d+)?)\s?({UNIT_WORDS})(?![^\W\d_])", re.IGNORECASE)
_WORD = re.compile(r"(?:(?<!\S)-)?\d+(?:[.,]\d+)?[^\W_]*|[^\W\d_][^\W_]*", re.UNICODE)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x31F0 <= code <= 0x31FF
    )


def _has_kana(text: str) -> bool:
    return any(0x3040 <= ord(c) <= 0x30FF for c in text)


def clean(text: str, limit: int = 10_000) -> str:
    """Drop control characters and binary junk; collapse whitespace; cut to `limit` characters."""
    if not isinstance(text, str):
        text = str(text or "")
    text = _CONTROL.sub(" ", text[: limit * 2])
    return " ".join(text.split())[:limit]


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    if word.isascii():
        return word
    out = []
    for char in word:
        if _is_cjk(char) or ord(char) >= 0x3000:
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    folded = "".join(out).translate(_ARABIC_FOLD)
    return folded.replace("œ", "oe").replace("æ", "ae").replace("ø", "o").replace("ł", "l")


def fold(text: str) -> str:
    """Case, width and diacritics folded; the form every index and query token is built from."""
    text = unicodedata.normalize("NFKC", clean(text)).casefold()
    text = text.replace("℃", "°c").replace("−", "-").replace("–", "-")
    # Kana voicing marks are combining characters in NFKD; fold per word and keep CJK untouched.
    return " ".join(_fold_word(word) for word in text.split(" "))


def unit_token(unit: str) -> str:
    """A unit as it appears glued to its number in tokens: '°C' -> 'c', 'N·m' -> 'nm', 'm³/h' -> 'm3h'."""
    unit = unit.lower().replace("℃", "c")
    for old, new in (("°", ""), ("·", ""), ("²", "2"), ("³", "3"), ("/", ""), ("μ", "u")):
        unit = unit.replace(old, new)
    return unit


# Unit words in other scripts and languages -> the Latin unit token the index uses (folded forms). A number's
# unit is written in the buyer's script ("100 Вт", "48 فولت", "20000毫安", "1 Zoll"); the listing says "100W".
# Longest first in the pattern. The Cyrillic letters в, а and г count only glued to their number ("200А", "12в"):
# spaced, they are words ("2 в 1").
UNIT_ALIASES = {
    # watts, kilowatts, watt-hours
    "kwh": ("квтч", "квт·ч", "квт ч", "كيلوواط ساعة", "千瓦时", "キロワット時"),
    "wh": ("втч", "вт·ч", "вт ч", "واط ساعة", "瓦时", "ワット時"),
    "kw": (
        "kilowatts",
        "kilowatt",
        "kilovatios",
        "kilovatio",
        "quilowatts",
        "квт",
        "киловатт",
        "كيلوواط",
        "كيلو واط",
        "كيلووات",
        "千瓦",
        "キロワット",
    ),
    "w": ("watts", "watt", "vatios", "vatio", "ватт", "ватта", "ватт", "вт", "واط", "وات", "瓦特", "瓦", "ワット"),
    # volts, amperes, ampere-hours
    "v": ("volts", "volt", "voltios", "voltio", "вольт", "вольта", "فولت", "伏特", "伏", "ボルト"),
    "mah": ("мач", "ма·ч", "мa·ч", "ма ч", "ميلي أمبير", "مللي أمبير", "毫安时", "毫安", "ミリアンペア"),
    "ah": ("ач", "а·ч", "أمبير ساعة", "安时", "アンペア時"),
    "a": ("amperes", "ampere", "amperios", "amperio", "ампер", "ампера", "أمبير", "امبير", "安培", "アンペア"),
    # lengths
    "mm": ("мм", "مم", "ملم", "ملليمتر", "毫米", "ミリ"),
    "cm": ("см", "سم", "سنتيمتر", "厘米", "公分", "センチ"),
    "m": ("метров", "метра", "метр", "м", "متر", "米", "メートル"),
    "inch": (
        "zoll",
        "pouces",
        "pouce",
        "pulgadas",
        "pulgada",
        "polegadas",
        "polegada",
        "дюймов",
        "дюйма",
        "дюйм",
        "إنش",
        "انش",
        "بوصة",
        "英寸",
        "寸",  # what Chinese buyers write for pipe and pump sizes ("4寸")
        "インチ",
    ),
    # volumes, masses
    "ml": ("мл", "مل", "ملل", "毫升", "ミリリットル"),
    "l": (
        "litros",
        "litro",
        "litres",
        "litre",
        "liters",
        "liter",
        "литров",
        "литра",
        "литр",
        "л",
        "لتر",
        "升",
        "リットル",
    ),
    "kg": ("кг", "كجم", "كغ", "كيلوغرام", "كيلو", "公斤", "千克", "キログラム"),
    "g": ("гр", "غرام", "جرام", "克", "グラム"),
    "bar": ("бар", "بار"),
    # horsepower, as pumps, motors and compressors are sold ("1.5匹", "2 cv", "5,5 PS", "3 л.с.")
    "hp": ("马力", "馬力", "匹", "л.с", "лс", "حصان", "cv", "ps"),
    "t": ("tonnes", "tonne", "toneladas", "tonelada", "тонн", "тонны", "тонна", "т", "طن", "اطنان", "吨", "噸", "トン"),
}
_GLUED_ONLY = {"в": "v", "а": "a", "г": "g"}
# Matched against folded text, so folded too: "بوصة" is written "بوصه" there, "أمبير" "امبير".
_ALIAS_TO_UNIT = {fold(alias): unit for unit, aliases in UNIT_ALIASES.items() for alias in aliases}
_CJK_CLASS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ALIAS_ALT = "|".join(re.escape(a) for a in sorted(_ALIAS_TO_UNIT, key=len, reverse=True))
# A number then a unit word; a CJK unit needs no boundary after it ("20000毫安充电宝"), other scripts do.
_NUMBER_ALIAS = re.compile(
    rf"(?<![\w.])(-?\d+(?:[.,]\d+)?)(?:\s?({_ALIAS_ALT})|({'|'.join(_GLUED_ONLY)}))"
    rf"(?:(?<=[{_CJK_CLASS}])|(?![^\W\d_]))"
)
_CJK_BOUNDARY = re.compile(rf"(?<=[{_CJK_CLASS}])(?=[^\s{_CJK_CLASS}])|(?<=[^\s{_CJK_CLASS}])(?=[{_CJK_CLASS}])")
_INCH_MARK = re.compile(r"(?<![\w./])(\d+(?:\.\d+)?)\s?(?:\"|”|″|'')")
_INCH_FRACTION = re.compile(r"(?<![\w./-])(?:(\d{1,2})[-\s])?(\d{1,2})/([1-9]\d?)\s?(?:inch(?![^\W\d_])|\"|”|″|'')")


def _inches(match) -> str:
    whole, numerator, denominator = match.groups()
    return f"{int(whole or 0) + int(numerator) / int(denominator):g}inch"


_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?=\s?[^\W\d_])")
# Arabic-Indic and Extended (Persian) digits -> ASCII, so "٤٨ فولت" is 48 V like "48 فولت".
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


@lru_cache(maxsize=100_000)
def normalize_units(text: str) -> str:
    """Numbers and their units across scripts and languages written as the index writes them (folded text in):
    '100 вт' -> '100w', '200а' (Cyrillic) -> '200a', '48 فولت' -> '48v', '20000毫安' -> '20000mah', '1.7升' -> '1.7l',
    '1 zoll' -> '1inch'. CJK runs are also set apart from Latin text and digits ('光伏板450w' -> '光伏板 450w'),
    so a number written against a CJK word is still a number."""
    text = text.translate(_DIGITS)
    cjk = any(_is_cjk(c) for c in text)
    if cjk:
        text = _CJK_BOUNDARY.sub(" ", text)

    # A decimal comma before a unit is a decimal point ("1,7 л", "2,5 kW"); three digits after it are thousands.
    text = _DECIMAL_COMMA.sub(r"\1.\2", text)

    def latin(match):
        alias = match.group(2)
        unit = _ALIAS_TO_UNIT[alias] if alias else _GLUED_ONLY[match.group(3)]
        return f"{match.group(1)}{unit}"

    text = _NUMBER_ALIAS.sub(latin, text)
    # Inches: 3" and fractions of an inch ("3/4 inch" -> "0.75inch"; a bare "3/4" stays two numbers).
    text = _INCH_FRACTION.sub(_inches, text)
    text = _INCH_MARK.sub(r"\1inch", text)
    return _CJK_BOUNDARY.sub(" ", text) if cjk else text


def glue_units(text: str) -> str:
    """'18 V' -> '18v', '-30 °C' -> '-30°c', '2,5 kW' -> '2.5kw', '100 Вт' -> '100w' (folded text in and out)."""

    def join(match):
        number = match.group(1).replace(",", ".").replace("−", "-").replace("–", "-")
        return f"{number}{unit_token(match.group(2))}"

    return _NUMBER_UNIT.sub(join, normalize_units(text))


_CJK_RUN = re.compile("([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def cjk_runs(text: str):
    """Yield (is_cjk, chunk) pieces of text, in order."""
    for i, chunk in enumerate(_CJK_RUN.split(text)):
        if chunk:
            yield i % 2 == 1, chunk


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


_jieba = None


def _jieba_instance():
    """jieba, loaded lazily (its dictionary takes ~1 s) and taught the glossary's Chinese terms."""
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        from .glossary import chinese_terms

        for term in chinese_terms():
            jieba.add_word(term, freq=50_000)
        _jieba = jieba
    return _jieba


@lru_cache(maxsize=100_000)
def cjk_index_tokens(run: str) -> tuple[str, ...]:
    """Index tokens for one CJK run: jieba's search-mode words for Chinese, and character bigrams always,
    so that any query substring of two or more characters can match whatever the segmenter decided."""
    words = []
    if not _has_kana(run) and len(run) > 1:
        words = [w for w in _jieba_instance().cut_for_search(run) if len(w) > 1]
    return tuple(dict.fromkeys([*words, *bigrams(run), *([run] if len(run) == 1 else [])]))


@lru_cache(maxsize=50_000)
def cjk_query_words(run: str) -> tuple[str, ...]:
    """Words of a CJK query run: jieba for Chinese, glossary longest-match for Japanese."""
    if not _has_kana(run):
        return tuple(w for w in _jieba_instance().cut(run) if w.strip())
    from .glossary import japanese_terms

    terms, out, i, pending = japanese_terms(), [], 0, ""
    longest = max((len(t) for t in terms), default=1)
    while i < len(run):
        for size in range(min(longest, len(run) - i), 1, -1):
            if run[i : i + size] in terms:
                if pending:
                    out.append(pending)
                    pending = ""
                out.append(run[i : i + size])
                i += size
                break
        else:
            pending += run[i]
            i += 1
    if pending:
        out.append(pending)
    return tuple(out)


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    out = []
    for is_cjk, chunk in cjk_runs(glue_units(fold(text))):
        if not is_cjk:
            out += [w.rstrip(".,").replace(",", ".") for w in _WORD.findall(chunk)]
    return tuple(w for w in out if w)


def words(text: str) -> list[str]:
    """Folded non-CJK words and glued number+unit tokens of `text` (CJK runs left out)."""
    return list(_words(text))


@lru_cache(maxsize=100_000)
def index_tokens(text: str) -> tuple[str, ...]:
    """Every token a document's text contributes to the index, in order."""
    if "\n" in text:
        # Listings share most lines (spec lines, section labels), so the per-line cache does most of the work.
        return tuple(token for line in text.split("\n") for token in index_tokens(line))
    out = []
    for is_cjk, chunk in cjk_runs(glue_units(fold(text))):
        if is_cjk:
            out += cjk_index_tokens(chunk)
        else:
            out += [w.rstrip(".,").replace(",", ".") for w in _WORD.findall(chunk)]
    return tuple(w for w in out if w)


@lru_cache(maxsize=100_000)
def index_text(text: str) -> str:
    """The text handed to PostgreSQL's to_tsvector: folded, units glued, CJK pre-segmented."""
    if "\n" in text:
        return "\n".join(index_text(line) for line in text.split("\n"))
    return " ".join(index_tokens(text))


@lru_cache(maxsize=8)
def _stemmer(language: str):
    name = SNOWBALL.get(language)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=300_000)
def stem(word: str, language: str) -> str:
    stemmer = _stemmer(language)
    if stemmer is None or len(word) < 3 or not word.isalpha():
        return word
    return stemmer.stemWord(word)


@lru_cache(maxsize=100_000)
def stemmed_text(text: str, language: str) -> str:
    """Index text for SQLite FTS5: tokens stemmed in their language (CJK tokens pass through)."""
    if "\n" in text:
        return " ".join(stemmed_text(line, language) for line in text.split("\n"))
    return " ".join(stem(token, language) for token in index_tokens(text))


def pg_config(language: str) -> str:
    return PG_CONFIGS.get(language, "simple")


def script_of(text: str) -> str:
    """The dominant script: 'han', 'kana', 'cyrillic', 'arabic' or 'latin'."""
    counts = {"han": 0, "kana": 0, "cyrillic": 0, "arabic": 0, "latin": 0}
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF:
            counts["kana"] += 1
        elif _is_cjk(char):
            counts["han"] += 1
        elif 0x0400 <= code <= 0x04FF:
            counts["cyrillic"] += 1
        elif 0x0600 <= code <= 0x06FF:
            counts["arabic"] += 1
        elif char.isalpha():
            counts["latin"] += 1
    if counts["kana"]:
        return "kana"
    return max(counts, key=counts.get) if any(counts.values()) else "latin"
