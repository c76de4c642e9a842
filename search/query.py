"""Query understanding: turn what a buyer typed into text terms, filters and boosts, before any backend runs.

    parse_query("Akku-Bohrschrauber 18V unter 50 $ Hersteller CE", ui_language="en")

gives language "de"; the text group "akku bohrschrauber" (also searched as the glossary's "cordless drill" in
English text); a boost for 18 V; filters price ≤ 50, supplier kind factory, certification CE. Each understood
piece becomes a chip the buyer can remove (its key goes into the `ignore` URL parameter).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.languages import latin_languages
from suppliers.models import CertificationType

from . import glossary, morphology
from .text import (
    CJK_LANGUAGES,
    bigrams,
    cjk_index_tokens,
    cjk_query_words,
    clean,
    fold,
    glue_units,
    normalize_units,
    script_of,
    words,
)

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12


@dataclass(frozen=True)
class Alternative:
    """Words that must all match, in the text of one language (stemmed with that language's rules)."""

    language: str
    tokens: tuple[str, ...]


@dataclass
class TermGroup:
    text: str
    alternatives: list[Alternative]
    understood: bool = False  # a glossary term (product, material, feature, trade term), not a word as typed


# The open end of a bounded spec ("over 1500 W" is 1500 W to OPEN): finite, so every database compares it alike.
OPEN = 1e18


@dataclass(frozen=True)
class Quantity:
    unit: str  # canonical: V, W, Ah, Wh, C, mm, ml, kg, Nm, bar, rpm, K, A, lm
    low: float
    high: float
    label: str
    bounded: bool = False  # the buyer named a bound ("at least 2 l"): met exactly, no tolerance around it

    @property
    def key(self):
        return f"qty:{self.unit}:{self.low:g}:{self.high:g}"


@dataclass
class Chip:
    key: str  # what goes into ?ignore= to drop it
    label: str
    kind: str  # filter | boost


@dataclass
class ParsedQuery:
    raw: str
    text: str
    language: str
    groups: list[TermGroup] = field(default_factory=list)
    category_slugs: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    price_max: float | None = None
    price_min: float | None = None
    moq_max: int | None = None
    quantities: list[Quantity] = field(default_factory=list)
    quantity_words: list[str] = field(default_factory=list)  # the quantities as the index writes them: "550w"
    chips: list[Chip] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self):
        return not self.groups

    def words(self) -> list[str]:
        return [g.text for g in self.groups]


# --- vocabularies -----------------------------------------------------------------------------------------------

STOPWORDS = {
    "en": {
        "the",
        "a",
        "an",
        "for",
        "with",
        "and",
        "of",
        "in",
        "to",
        "at",
        "on",
        "find",
        "need",
        "buy",
        "looking",
        "supplier",
        "suppliers",
        "wholesale",
        "cheap",
        "best",
        "quality",
        "high",
        "good",
        "working",
        "made",
        "from",
        "china",
        "chinese",
        "price",
        "prices",
        "by",
        "or",
        "not",
    },
    "es": {
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "para",
        "con",
        "y",
        "en",
        "un",
        "una",
        "por",
        "proveedor",
        "proveedores",
        "mayorista",
        "comprar",
        "busco",
        "precio",
    },
    "fr": {
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "pour",
        "avec",
        "et",
        "en",
        "un",
        "une",
        "a",
        "au",
        "aux",
        "fournisseur",
        "fournisseurs",
        "grossiste",
        "prix",
        "d",
        "l",
    },
    "de": {
        "der",
        "die",
        "das",
        "fur",
        "mit",
        "und",
        "ein",
        "eine",
        "von",
        "zu",
        "im",
        "in",
        "lieferant",
        "lieferanten",
        "grosshandel",
        "kaufen",
        "preis",
        "aus",
    },
    "pt": {
        "de",
        "da",
        "do",
        "das",
        "dos",
        "para",
        "com",
        "e",
        "em",
        "um",
        "uma",
        "fornecedor",
        "fornecedores",
        "atacado",
        "comprar",
        "preco",
    },
    "ru": {"для", "с", "и", "в", "на", "из", "по", "поставщик", "поставщики", "оптом", "купить", "цена"},
    "ar": {"في", "من", "مع", "على", "و", "ل", "مورد", "موردين", "بالجملة", "شراء", "سعر"},
    "zh-hans": {"找", "的", "我", "要", "求购", "供应商", "批发", "采购", "价格", "和"},
    "ja": {"の", "を", "探す", "卸売", "仕入れ", "と", "で"},
}
# "تعمل بالطاقة الشمسية" (runs on solar power): the verb is how Arabic says "-powered", never the product.
STOPWORDS["ar"] |= {"تعمل", "يعمل"}
# Query words are folded (accents off, Arabic ة and أ folded) before they meet these lists: fold the lists too.
STOPWORDS = {language: {*stop, *(fold(w) for w in stop)} for language, stop in STOPWORDS.items()}

KIND_WORDS = {
    "factory": {
        "factory",
        "factories",
        "manufacturer",
        "manufacturers",
        "maker",
        "oem factory",
        "fabrica",
        "fabricante",
        "fabricantes",
        "usine",
        "fabricant",
        "fabricants",
        "hersteller",
        "fabrik",
        "werk",
        "завод",
        "фабрика",
        "производитель",
        "производители",
        "مصنع",
        "مصانع",
        "الشركة المصنعة",
        "工厂",
        "厂家",
        "生产厂家",
        "源头工厂",
        "厂",
        "工場",
        "メーカー",
        "製造元",
        "fabricacao",
    },
    "trading_company": {
        "trading company",
        "trader",
        "traders",
        "exporter",
        "empresa comercial",
        "exportador",
        "societe de negoce",
        "handelsunternehmen",
        "handelsfirma",
        "торговая компания",
        "شركة تجارية",
        "贸易公司",
        "外贸公司",
        "商社",
    },
}

# Codes whose folded form is an ordinary word somewhere ("ce" is French for "this"): only when typed in capitals.
CASE_SENSITIVE_CERTS = {"CE", "GS", "UL", "REACH"}
CERT_PATTERNS = {
    "ISO9001": r"iso\s?9001",
    "ISO13485": r"iso\s?13485",
    "ISO14001": r"iso\s?14001",
    "OEKOTEX": r"oeko[\s-]?tex",
    "EN71": r"en\s?71",
    "UN383": r"un\s?38\.3|un383",
    "IP65": r"ip\s?65",
    "IP67": r"ip\s?67",
    "ROHS": r"rohs",
    "FCC": r"fcc",
    "FDA": r"fda",
    "LFGB": r"lfgb",
    "BSCI": r"(?:amfori\s)?bsci",
    "GOTS": r"gots",
    "CPSIA": r"cpsia",
    "HALAL": r"halal|حلال",
    "KOSHER": r"kosher",
}

UNITS = {
    # token unit -> (canonical unit, factor)
    "v": ("V", 1),
    "kv": ("V", 1000),
    "w": ("W", 1),
    "kw": ("W", 1000),
    "mw": ("W", 1e6),
    "hp": ("W", 745.7),
    "ah": ("Ah", 1),
    "mah": ("Ah", 0.001),
    "wh": ("Wh", 1),
    "kwh": ("Wh", 1000),
    "c": ("C", 1),
    "°c": ("C", 1),
    "mm": ("mm", 1),
    "cm": ("mm", 10),
    "m": ("mm", 1000),
    "km": ("mm", 1e6),
    "inch": ("mm", 25.4),
    "ml": ("ml", 1),
    "l": ("ml", 1000),
    "g": ("kg", 0.001),
    "kg": ("kg", 1),
    "t": ("kg", 1000),
    "ton": ("kg", 1000),
    "nm": ("Nm", 1),
    "n·m": ("Nm", 1),
    "bar": ("bar", 1),
    "psi": ("bar", 0.0689476),
    "rpm": ("rpm", 1),
    "k": ("K", 1),
    "a": ("A", 1),
    "lm": ("lm", 1),
    "mm²": ("mm2", 1),
    "mm2": ("mm2", 1),
}
UNIT_LABELS = {"C": "°C", "W": "W", "V": "V", "Ah": "Ah", "Wh": "Wh", "mm": "mm", "ml": "ml", "kg": "kg"}
COUNT_UNITS = r"pcs|pc|pieces|piece|units|unit|sets|set|pairs|stuck|piezas|pieces|pecas|unidades|шт|件|个|台|個"
_NUM = r"-?\d+(?:\.\d+)?"
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_QUANTITY_RANGE = re.compile(
    rf"(?<![\w./])({_NUM})\s*({_UNIT_ALT})?\s*(?:-|~|to|bis|a|à|до|至|～)\s*({_NUM})\s*({_UNIT_ALT})(?![^\W\d_])"
)
# Not the denominator of a fraction ("1/2" of "1/2 in" is not 2 inches).
_QUANTITY = re.compile(rf"(?<![\w./])({_NUM})\s?({_UNIT_ALT})(?![^\W\d_])")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[,.\s]\d{3})+)(?![\d])(?=\s*(?:" + COUNT_UNITS + r"|usd|\$|€|eur))")
_MONEY = r"(?:us\s?\$|\$|usd|€|eur|euro?s?|dollars?|dolares|dolares|долл\.?|دولار|美元|ドル)"
_PRICE_UNDER = re.compile(
    r"(?:under|below|less than|cheaper than|max(?:imum)?|up to|<|≤|menos de|hasta|por debajo de|moins de|"
    r"jusqu'a|max\.|unter|bis|weniger als|ate|abaixo de|до|меньше|дешевле|أقل من|不超过|低于|以下|最多)\s*"
    rf"{_MONEY}?\s*(\d+(?:\.\d+)?)\s*{_MONEY}?(?:\s*以下)?"
)
_PRICE_OVER = re.compile(
    r"(?:over|above|more than|from|>|≥|mas de|desde|plus de|a partir de|uber|ab|acima de|от|больше|أكثر من|"
    r"高于|以上)\s*"
    rf"{_MONEY}\s*(\d+(?:\.\d+)?)|(?:over|above|more than|>|≥)\s*(\d+(?:\.\d+)?)\s*{_MONEY}"
)
_PRICE_RANGE = re.compile(
    rf"{_MONEY}?\s*(\d+(?:\.\d+)?)\s*{_MONEY}?\s*(?:-|~|to|a|bis|à|до)\s*{_MONEY}\s*"
    rf"(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:-|~|to)\s*(\d+(?:\.\d+)?)\s*{_MONEY}"
)
_MOQ = re.compile(
    r"(?:moq|min(?:imum)? order|mindestmenge|pedido minimo|起订量?)\s*[:≤<]?\s*(\d+)"
    rf"|(\d+)\s*(?:{COUNT_UNITS})(?![^\W\d_])"
)


def warm_up() -> None:
    """Load what a process's first query would otherwise wait for (~1.7 s: the glossary, jieba's dictionary taught
    the glossary's Chinese terms, the vocabularies per language). The web entry points call it at start-up
    (config/wsgi.py, config/asgi.py), so no buyer's first search pays for it; commands, workers and tests keep
    loading lazily."""
    for language, sample in (("zh-hans", "不锈钢保温杯 500ml"), ("ja", "電動ドリル 18V"), ("de", "Akku-Bohrschrauber")):
        parse_query(sample, ui_language=language, translate=False)
    cjk_index_tokens("单晶光伏板")  # jieba's own dictionary loads on its first cut
    glossary.correct_word("bohrmaschiene", "de")  # the spelling index (glossary._typo_index)


def detect_language(text: str, default: str = "en") -> str:
    """Script first (Han, kana, Cyrillic, Arabic); for Latin text, which language's catalog words and stop words
    it uses, with letters only some languages have as a tie-breaker. Unknown -> `default` (the buyer's UI)."""
    script = script_of(text)
    if script == "kana":
        return "ja"
    if script == "han":
        return "zh-hans"
    if script == "cyrillic":
        return "ru"
    if script == "arabic":
        return "ar"
    lowered = clean(text).casefold()
    scores = dict.fromkeys(("en", "es", "fr", "de", "pt"), 0.0)
    for letters, language in (("ñ¿¡", "es"), ("ßäöü", "de"), ("ãõ", "pt"), ("èêëœàùû", "fr")):
        if any(c in lowered for c in letters):
            scores[language] += 1.5
    if "ç" in lowered:
        scores["fr"] += 0.5
        scores["pt"] += 0.5
    vocabulary = glossary.vocabulary_by_language()
    tokens = words(text)
    for token in tokens:
        owners = [lang for lang in scores if token in vocabulary.get(lang, ()) or token in STOPWORDS[lang]]
        for lang in owners:
            scores[lang] += 1 / len(owners)
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        return default if default in scores else "en"
    if scores.get(default, 0) == scores[best]:
        return default
    return best


# Bounds on a spec, in the buyer's words (folded: no accents, Arabic alef and ta marbuta folded), before the number
# ("at least 2 l", "от 2000 вт", "اكثر من 5kw", "至少 2l") or after it ("2000w or more", "1500w以上"). A number with a
# unit is needed: "under 50" alone stays a price.
_AT_LEAST_BEFORE = (
    r"over|above|more than|at least|min\.?|minimum|from|not less than|>=?|≥|mas de|al menos|minimo|desde|"
    r"plus de|au moins|superieur a|a partir de|uber|mindestens|mehr als|ab|mais de|acima de|pelo menos|no minimo|"
    r"от|более|больше|не менее|свыше|минимум|اكثر من|على الاقل|لا يقل عن|فوق|"
    r"至少|大于|超过|不低于|不少于|最低|少なくとも"
)
_AT_MOST_BEFORE = (
    r"under|below|less than|up to|at most|max\.?|maximum|not more than|<=?|≤|menos de|hasta|como maximo|maximo|"
    r"moins de|jusqu'a|au plus|unter|bis|hochstens|maximal|weniger als|ate|abaixo de|no maximo|"
    r"до|менее|меньше|не более|не больше|максимум|اقل من|حتى|لا يزيد عن|不超过|小于|低于|最多|最大"
)
_AT_LEAST_AFTER = r"or more|and above|and up|\+|o mas|ou plus|ou mais|und mehr|и более|и выше|فاكثر|以上|及以上|或以上"
_AT_MOST_AFTER = r"or less|and below|o menos|ou moins|ou menos|oder weniger|и менее|и ниже|فاقل|以下|以内|未満"
_BOUND_NUMBER = rf"(-?\d+(?:\.\d+)?)\s?({'|'.join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))})"
_BOUNDED = re.compile(
    rf"(?<![\w])(?:(?P<least>{_AT_LEAST_BEFORE})|(?P<most>{_AT_MOST_BEFORE}))\s*{_BOUND_NUMBER}(?![^\W\d_])"
    rf"|(?<![\w./]){_BOUND_NUMBER}\s*(?:(?P<least_after>{_AT_LEAST_AFTER})|(?P<most_after>{_AT_MOST_AFTER}))"
    r"(?![^\W\d_])"
)
# A bare fraction in a query is a size in inches ("brass ball valve 3/4", "1-1/4 pipe"): buyers drop the inch mark
# for pipe, valve, fitting and thread sizes. Halves to sixteenths only, never a date or a ratio like "16/9".
_BARE_FRACTION = re.compile(r"(?<![\w./-])(?:(\d{1,2})[-\s])?([1-9]|1[0-5])/(2|4|8|16)(?![\w/.])")


def take_bounded_quantities(text: str) -> tuple[list[Quantity], str]:
    """Specs with a bound ("over 1500 w" -> 1500 W and up, "до 500 вт" -> up to 500 W) out of folded,
    unit-normalised query text, and the text without them."""
    quantities = []
    for match in _BOUNDED.finditer(text):
        number, unit = (match.group(3), match.group(4)) if match.group(3) else (match.group(5), match.group(6))
        canonical, factor = UNITS[unit]
        value = _number(number) * factor
        symbol = UNIT_LABELS.get(canonical, canonical)
        at_least = bool(match.group("least") or match.group("least_after"))
        if at_least:
            quantities.append(Quantity(canonical, value, OPEN, f"≥ {value:g} {symbol}".replace("-", "−"), True))
        else:
            quantities.append(Quantity(canonical, -OPEN, value, f"≤ {value:g} {symbol}".replace("-", "−"), True))
    return quantities, _BOUNDED.sub(" ", text)


def _bare_fractions_as_inches(text: str) -> str:
    def inches(match):
        whole, numerator, denominator = match.groups()
        if int(numerator) >= int(denominator):
            return match.group(0)
        return f"{int(whole or 0) + int(numerator) / int(denominator):g}inch"

    return _BARE_FRACTION.sub(inches, text)


def _strip(text: str, span) -> str:
    return text[: span[0]] + " " + text[span[1] :]


def _number(value: str) -> float:
    return float(value.replace(",", "."))


def take_quantities(text: str, limit: int = 4) -> tuple[list[Quantity], list[str], str]:
    """The numbers with a recognised unit in folded, unit-normalised text (normalize_units): as quantities in
    canonical units, as the glued words the index has for them ("550w", "1.7l"), and the text without them."""
    quantities, glued = [], []
    for pattern in (_QUANTITY_RANGE, _QUANTITY):
        while len(quantities) < limit:
            match = pattern.search(text)
            if not match:
                break
            groups = match.groups()
            if pattern is _QUANTITY_RANGE:
                low, unit_a, high, unit = groups
                unit_a = unit_a or unit
            else:
                low, unit = groups
                high, unit_a = low, unit
            canonical, factor = UNITS[unit]
            if UNITS.get(unit_a, (canonical,))[0] != canonical:
                break
            a, b = sorted((_number(low) * factor, _number(high) * factor))
            symbol = UNIT_LABELS.get(canonical, canonical)
            label = f"{a:g} {symbol}" if a == b else f"{a:g}–{b:g} {symbol}"
            quantities.append(Quantity(canonical, a, b, label.replace("-", "−")))
            glued += [w for w in words(match.group(0)) if any(c.isalpha() for c in w)]
            text = _strip(text, match.span())
    return quantities, glued, text


def parse_query(
    raw,
    *,
    ui_language: str = "en",
    language: str | None = None,
    ignore=(),
    indexed_words=None,
    translate: bool = True,
) -> ParsedQuery:
    """Everything the backends need to know about a query; never raises on any input. `indexed_words`: a
    function giving which of some words the catalog's index has (those are never spell-corrected). `translate`:
    with a model configured, the words the glossary does not know are also searched in the model's English
    (search/query_translation.py); batch callers pass False."""
    ignore = set(ignore)
    cleaned = clean(raw or "", limit=10_000)
    truncated = len(cleaned) > MAX_QUERY_CHARS
    cleaned = cleaned[:MAX_QUERY_CHARS]
    lang = language or detect_language(cleaned, default=ui_language)
    parsed = ParsedQuery(raw=cleaned, text=cleaned, language=lang, truncated=truncated)
    text = normalize_units(fold(cleaned))
    text = _THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"[,.\s]", "", m.group(2)), text)
    text = _bare_fractions_as_inches(text)
    # Bounded specs before prices: "under 500 w" is a power, not a price.
    parsed.quantities, text = take_bounded_quantities(text)

    # Certifications, with the case-sensitive codes read from what was typed.
    for code in CASE_SENSITIVE_CERTS:
        if re.search(rf"(?<![\w-]){code}(?![\w-])", cleaned):
            parsed.certifications.append(code)
            text = re.sub(rf"(?<![\w-]){code.lower()}(?![\w-])", " ", text, count=1)
    for code, pattern in CERT_PATTERNS.items():
        match = re.search(rf"(?<![\w]){pattern}(?![\w])", text)
        if match:
            parsed.certifications.append(code)
            text = _strip(text, match.span())
    # Prices before quantities, so "$5" is not read as a count.
    match = _PRICE_RANGE.search(text)
    if match:
        low, high = [g for g in match.groups() if g is not None][:2]
        parsed.price_min, parsed.price_max = sorted((_number(low), _number(high)))
        text = _strip(text, match.span())
    else:
        match = _PRICE_UNDER.search(text)
        if match:
            parsed.price_max = _number(match.group(1))
            text = _strip(text, match.span())
        match = _PRICE_OVER.search(text)
        if match:
            parsed.price_min = _number(match.group(1) or match.group(2))
            text = _strip(text, match.span())
    match = _MOQ.search(text)
    if match:
        parsed.moq_max = int(match.group(1) or match.group(2))
        text = _strip(text, match.span())
    quantities, parsed.quantity_words, text = take_quantities(text, limit=4 - len(parsed.quantities))
    parsed.quantities += quantities
    # Supplier kind words (longest first, so "trading company" wins over "company").
    folded_kinds = sorted(((fold(w), kind) for kind, ws in KIND_WORDS.items() for w in ws), key=lambda x: -len(x[0]))
    for word, kind in folded_kinds:
        pattern = re.escape(word) if not word.isascii() or " " in word else rf"\b{re.escape(word)}\b"
        if any(ord(c) > 0x3000 for c in word):
            pattern = re.escape(word)
        match = re.search(pattern, text)
        if match:
            if kind not in parsed.kinds:
                parsed.kinds.append(kind)
            text = _strip(text, match.span())
    _text_groups(parsed, text, indexed_words)
    if translate:
        from .query_translation import add_model_translations  # it builds on this module's types

        add_model_translations(parsed)
    _chips(parsed, ignore)
    return parsed


def _text_groups(parsed: ParsedQuery, text: str, indexed_words=None) -> None:
    lang = parsed.language
    stop = STOPWORDS.get(lang, set()) | STOPWORDS["en"]
    pieces = []  # (is_cjk, word)
    for is_cjk, chunk in glossary.cjk_runs(glue_units(text)):
        if is_cjk:
            pieces += [(True, w) for w in cjk_query_words(chunk.strip()) if w.strip()]
        else:
            pieces += [(False, w) for w in words(chunk)]
    pieces = [(c, w) for c, w in pieces if w not in stop]
    pieces, read_as, english = _known_forms(pieces, lang, indexed_words)
    # Misspelt words read as the vocabulary word they are one or two edits from (glossary.correct_word), before the
    # glossary lookup, so "cordles impakt driver" finds the phrase "cordless impact driver"; the word as typed
    # stays an alternative of its group (a catalog's own word the vocabulary lacks still matches itself).
    # A word the catalog itself uses (a brand, a model, a word the vocabulary lacks) is not a misspelling.
    corrections = {n: glossary.correct_word(word, lang) for n, (is_cjk, word) in enumerate(pieces) if not is_cjk}
    corrections = {n: word for n, word in corrections.items() if word}
    if corrections and indexed_words is not None:
        indexed = indexed_words([pieces[n][1] for n in corrections])
        corrections = {n: word for n, word in corrections.items() if pieces[n][1] not in indexed}
    typed = {}
    for n, corrected in corrections.items():
        typed[n] = pieces[n][1]
        pieces[n] = (False, corrected)
    groups, categories, i = [], [], 0
    longest = glossary.longest_key_words()
    while i < len(pieces) and len(groups) < MAX_GROUPS:
        matched = None
        for size in range(min(longest, len(pieces) - i), 0, -1):
            span = range(i, i + size)
            phrase = " ".join(pieces[n][1] for n in span)
            entries = glossary.lookup(phrase)
            if not entries and any(n in read_as for n in span):
                entries = glossary.lookup(" ".join(read_as.get(n, pieces[n][1]) for n in span))
            if entries:
                matched = (size, phrase, entries)
                break
        if matched:
            size, phrase, entries = matched
            tokens = tuple(w for _, w in pieces[i : i + size])
            group = TermGroup(phrase, [_alternative(lang, tokens, pieces[i][0])], understood=True)
            if any(n in typed for n in range(i, i + size)):
                as_typed = tuple(typed.get(n, pieces[n][1]) for n in range(i, i + size))
                group.alternatives.append(Alternative(lang, as_typed))
            for entry in entries:
                canonical = tuple(words(entry.canonical))
                for alt in (Alternative("en", canonical), Alternative(entry.language, tokens)):
                    if alt.tokens and alt not in group.alternatives:
                        group.alternatives.append(alt)
                categories += [s for s in entry.categories if s not in categories]
            groups.append(group)
            i += size
            continue
        is_cjk, word = pieces[i]
        as_typed = typed.get(i)
        i += 1
        if is_cjk:
            if len(word) < 2 and len(pieces) > 1:
                continue  # a lone character is a particle far more often than a product
            group = TermGroup(word, [_alternative(lang, (word,), True)])
            categories += [s for s in sorted(glossary.cjk_category_hints(word)) if s not in categories]
        else:
            group = TermGroup(word, [Alternative(lang, (word,))])
            if as_typed:
                group.alternatives.append(Alternative(lang, (as_typed,)))
            reading = read_as.get(i - 1, word)
            if reading != word:
                group.alternatives.append(Alternative(lang, (reading,)))
            if reading in english and Alternative("en", (english[reading],)) not in group.alternatives:
                group.alternatives.append(Alternative("en", (english[reading],)))
            if script_of(word) == "latin":
                # Detection of a one- or two-word query is a guess, and listings mix languages: a Latin word is
                # also tried with the other Latin-script languages' stemming (duplicates collapse in backends).
                group.alternatives += [Alternative(other, (word,)) for other in latin_languages() if other != lang]
        groups.append(group)
    parsed.groups = groups
    parsed.category_slugs = categories[:6]


def _known_forms(pieces: list[tuple[bool, str]], lang: str, indexed_words=None):
    """Readings of words the glossary cannot look up as typed (search.morphology), a word the catalog's own index has
    excepted (its listings use it as written):

    - a German compound the vocabulary lacks becomes its parts ("edelstahlpumpe" -> "edelstahl pumpe");
    - an Arabic word with its article or prepositions attached gets the form the glossary knows ("بالطاقه" ->
      "طاقه"), tried wherever the word as typed finds no glossary phrase: `read_as` (piece index -> reading);
    - a word with no entry of its own gets the English noun of the glossary terms it heads ("pumpe", "مضخه" ->
      pump): `english` (word -> English noun).
    """
    read_as, splits = {}, {}
    for n, (is_cjk, word) in enumerate(pieces):
        if is_cjk:
            continue
        if script_of(word) == "arabic":
            stripped = morphology.strip_clitics(word)
            if stripped:
                read_as[n] = stripped
        elif lang == "de":
            parts = morphology.split_compound(word, lang)
            if parts:
                splits[n] = parts
    if splits and indexed_words is not None:
        indexed = indexed_words([pieces[n][1] for n in splits])
        splits = {n: parts for n, parts in splits.items() if pieces[n][1] not in indexed}
    english = {}
    if splits:
        out = []
        for n, piece in enumerate(pieces):
            if n not in splits:
                out.append(piece)
                continue
            out += [(False, part) for part in splits[n]]
        pieces = out  # German: no Arabic readings to re-index
    for n, (is_cjk, word) in enumerate(pieces):
        head = None if is_cjk else morphology.english_head(read_as.get(n, word), lang)
        if head:
            english[read_as.get(n, word)] = head
    return pieces, read_as, english


def _alternative(lang: str, tokens: tuple[str, ...], is_cjk: bool) -> Alternative:
    if not is_cjk:
        return Alternative(lang, tokens)
    cjk_lang = lang if lang in CJK_LANGUAGES else "zh-hans"
    return Alternative(cjk_lang, tokens)


def cjk_bigram_alternative(alternative: Alternative) -> Alternative | None:
    """For a CJK word, the same word as character bigrams (always in the index, whatever jieba decided)."""
    if alternative.language not in CJK_LANGUAGES:
        return None
    grams = tuple(g for token in alternative.tokens for g in bigrams(token))
    return Alternative(alternative.language, grams) if grams and grams != alternative.tokens else None


def _chips(parsed: ParsedQuery, ignore: set) -> None:
    chips = []
    labels = dict(CertificationType.choices)
    kept = []
    for code in parsed.certifications:
        key = f"cert:{code}"
        if key not in ignore:
            kept.append(code)
            chips.append(Chip(key, _("%(cert)s certified") % {"cert": labels.get(code, code)}, "filter"))
    parsed.certifications = kept
    kept = []
    for kind in parsed.kinds:
        key = f"kind:{kind}"
        if key not in ignore:
            kept.append(kind)
            label = _("Manufacturers") if kind == "factory" else _("Trading companies")
            chips.append(Chip(key, label, "filter"))
    parsed.kinds = kept
    if parsed.price_max is not None:
        if "price_max" in ignore:
            parsed.price_max = None
        else:
            chips.append(Chip("price_max", _("Price ≤ %(p)s") % {"p": f"{parsed.price_max:g}"}, "filter"))
    if parsed.price_min is not None:
        if "price_min" in ignore:
            parsed.price_min = None
        else:
            chips.append(Chip("price_min", _("Price ≥ %(p)s") % {"p": f"{parsed.price_min:g}"}, "filter"))
    if parsed.moq_max is not None:
        if "moq" in ignore:
            parsed.moq_max = None
        else:
            chips.append(Chip("moq", _("MOQ ≤ %(n)s") % {"n": parsed.moq_max}, "filter"))
    kept = []
    for quantity in parsed.quantities:
        if quantity.key not in ignore:
            kept.append(quantity)
            chips.append(Chip(quantity.key, quantity.label, "boost"))
    parsed.quantities = kept
    parsed.chips = chips
