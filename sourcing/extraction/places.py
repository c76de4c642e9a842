"""The gazetteer (countries in nine languages with aliases, major cities and ports) and place lookup in text.

Lookup is by tokens, not one giant regex: Latin, Cyrillic and Arabic text is split into words and 1-5 word
windows are looked up in a dict; runs of CJK/kana are scanned for substrings. Both are linear in the text.
Latin-script names must start with a capital letter in the text ("Turkey" the country, not "turkey" the meat),
and upper-case aliases (US, UK, UAE) must be upper case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import fold
from .vocab import load

TOKEN = re.compile(
    r"[A-Za-z\u00c0-\u024f\u0400-\u04ff\u0621-\u064a\u066e-\u06d3]+|[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+"
)
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
MAX_WORDS = 5
MAX_CJK = 10


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    surface: str
    country: str
    is_city: bool


@dataclass(frozen=True)
class Gazetteer:
    words: dict[str, tuple[str, bool, bool]]  # folded word key -> (country, is_city, exact-case alias)
    # Keys that are a country's name in one language and a city's in another ("Salvador": El Salvador in
    # French, a Brazilian city): key -> (the city's entry, languages whose country name it is).
    clashes: dict[str, tuple[tuple[str, bool, bool], frozenset[str]]]
    cjk: dict[str, tuple[str, bool]]
    longest_cjk: int


def _key(name: str) -> str:
    return " ".join(TOKEN.findall(fold(name)))


def _add(gaz_words: dict, gaz_cjk: dict, name: str, country: str, is_city: bool) -> None:
    if CJK_RUN.search(name) and not re.search(r"[A-Za-z]", name):
        gaz_cjk.setdefault(name, (country, is_city))
        return
    key = _key(name)
    if key:
        exact = name.isupper() and len(name.replace(".", "")) <= 4  # US, UK, UAE, NZ, HK
        # A country name wins over a city of the same spelling (Djibouti, Singapore, Kuwait).
        if key not in gaz_words or (gaz_words[key][1] and not is_city):
            gaz_words[key] = (country, is_city, exact)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    words: dict[str, tuple[str, bool, bool]] = {}
    cjk: dict[str, tuple[str, bool]] = {}
    country_languages: dict[str, set[str]] = {}
    for code, names in load("countries").items():
        for language, language_names in names.items():
            for name in language_names:
                _add(words, cjk, name, code, False)
                country_languages.setdefault(_key(name), set()).add(language)
    for code, aliases in load("country_aliases").items():
        for name in aliases:
            _add(words, cjk, name, code, False)
    city_words: dict[str, tuple[str, bool, bool]] = {}
    for code, cities in load("cities").items():
        for name in cities:
            _add(words, cjk, name, code, True)
            _add(city_words, {}, name, code, True)
    clashes = {
        key: (city_words[key], frozenset(country_languages[key]))
        for key in city_words
        if key in country_languages and not words[key][1] and words[key][0] != city_words[key][0]
    }
    return Gazetteer(words=words, clashes=clashes, cjk=cjk, longest_cjk=max(map(len, cjk), default=1))


def _latin_places(text: str, gaz: Gazetteer, language: str | None) -> list[Place]:
    folded_text = fold(text)  # one character per character: offsets match
    tokens = [
        (m.start(), m.end(), folded_text[m.start() : m.end()])
        for m in TOKEN.finditer(text)
        if not CJK_RUN.match(m.group())
    ]
    found, i = [], 0
    while i < len(tokens):
        for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            if any(window[j + 1][0] - window[j][1] > 3 for j in range(size - 1)):
                continue  # words of one name sit next to each other ("Côte d’Ivoire", "Phoenix, AZ" is two)
            key = " ".join(t[2] for t in window)
            entry = gaz.words.get(key)
            if entry is None and "\u0400" <= key[-1] <= "\u04ff":
                entry = gaz.words.get(_russian_nominative(key))
            clash = gaz.clashes.get(key)
            if clash and language not in clash[1]:
                entry = clash[0]  # a foreign country name that is also a city: the city
            if entry is None:
                continue
            start, end = window[0][0], window[-1][1]
            surface = text[start:end]
            if not _case_ok(surface, entry[2]):
                continue
            found.append(Place(start, end, surface, entry[0], entry[1]))
            i += size - 1
            break
        i += 1
    return found


def _russian_nominative(key: str) -> str:
    """Москву/Москве -> Москва, Германии -> Германия: enough case endings for "доставка в <city>"."""
    for ending, base in (("ии", "ия"), ("ию", "ия"), ("у", "а"), ("е", "а"), ("ы", "а"), ("ю", "я"), ("е", "")):
        if key.endswith(ending) and re.search("[а-я]$", key):
            candidate = key[: -len(ending)] + base
            if candidate in gazetteer().words:
                return candidate
    return key


def _case_ok(surface: str, exact: bool) -> bool:
    first = surface[0]
    if exact:
        return surface.replace(".", "").isupper()
    return not first.isalpha() or not first.isascii() or first.isupper() or not ("a" <= first.lower() <= "z")


def _cjk_places(text: str, gaz: Gazetteer) -> list[Place]:
    found, i = [], 0
    while i < len(text):
        if not CJK_RUN.match(text[i]):
            i += 1
            continue
        for size in range(min(gaz.longest_cjk, len(text) - i), 1, -1):
            entry = gaz.cjk.get(text[i : i + size])
            if entry:
                found.append(Place(i, i + size, text[i : i + size], entry[0], entry[1]))
                i += size - 1
                break
        i += 1
    return found


def find_places(text: str, language: str | None = None) -> list[Place]:
    """Every country, city or port named in `text`, in order, longest names first where they overlap."""
    gaz = gazetteer()
    return sorted(_latin_places(text, gaz, language) + _cjk_places(text, gaz), key=lambda p: p.start)
