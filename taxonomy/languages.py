"""Which served language a short text is written in: script first, then frequent words. No model, no database.

Shared by the apps that need it without a catalog at hand (sourcing's request parser, conversations); the search
engine keeps its own, which also weighs its catalog glossary and the buyer's UI language.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "languages.json"

SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh-hans", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
DISTINCT_LETTERS = (("ñ¿¡", "es"), ("ßäöü", "de"), ("ãõ", "pt"), ("èêëœàùûî", "fr"))
LATIN = ("en", "es", "fr", "de", "pt")


@cache
def frequent_words() -> dict[str, frozenset[str]]:
    """language -> its frequent short words (taxonomy/data/languages.json), for the Latin-script languages."""
    with DATA.open(encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("_comment", None)
    return {language: frozenset(words) for language, words in data.items()}


def detect_language(text: str) -> str:
    """Script first; for Latin text, which language's frequent words it uses. Unknown -> "en"."""
    for language, pattern in SCRIPTS:
        if pattern.search(text):
            return language
    lowered = text.lower()
    scores = dict.fromkeys(LATIN, 0.0)
    for letters, language in DISTINCT_LETTERS:
        if any(c in lowered for c in letters):
            scores[language] += 1.5
    vocabulary = frequent_words()
    for word in re.findall(r"[a-zà-ÿ]+", lowered):
        owners = [lang for lang in scores if word in vocabulary[lang]]
        for lang in owners:
            scores[lang] += 1 / len(owners)
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else "en"
