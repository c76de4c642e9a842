"""Country codes and their names in the buyer languages, from the extraction gazetteer's data (one list)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from core.languages import base_language

COUNTRIES_FILE = Path(__file__).resolve().parent / "extraction" / "data" / "countries.json"
# CLDR lists some territories that are not ISO 3166-1 countries (Ascension, Tristan da Cunha, ...).
NOT_ISO = {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}


@cache
def _countries() -> dict[str, dict[str, list[str]]]:
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    return {code: names for code, names in data.items() if len(code) == 2 and code not in NOT_ISO}


def country_name(code: str | None, language: str = "en") -> str | None:
    """The country's name in `language` (English when missing); None for a code that is not a country."""
    names = _countries().get((code or "").upper())
    if not names:
        return None
    language = "zh-hans" if base_language(language) == "zh-hans" else base_language(language)
    return (names.get(language) or names.get("en") or [code])[0]


def country_codes() -> list[str]:
    return sorted(_countries())


def country_choices(language: str = "en") -> list[tuple[str, str]]:
    return sorted(((code, country_name(code, language) or code) for code in _countries()), key=lambda c: c[1])
