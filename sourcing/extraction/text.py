"""Text preparation (normalisation, a scan cap) and language detection, with no database or model."""

from __future__ import annotations

import re
import unicodedata

from .vocab import load

# The parser scans at most this many characters: requirements sit at the start of a request, and a cap keeps a
# pasted 100 KB document from costing more than a few milliseconds. Cutting is reported in `unread`.
MAX_SCAN_CHARS = 20_000

SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh-hans", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
DISTINCT_LETTERS = (("ñ¿¡", "es"), ("ßäöü", "de"), ("ãõ", "pt"), ("èêëœàùûî", "fr"))
LANGUAGES = ("en", "es", "fr", "de", "pt", "zh-hans", "ja", "ru", "ar")


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), unified minus signs and spaces, no control chars."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u3000", " ")
    return "".join(c if c.isprintable() or c == "\n" else " " for c in text)


def fold_char(char: str) -> str:
    """Lower-case without accents, one character in, one out (so offsets in folded text match the original)."""
    if "A" <= char <= "\u024f":
        base = unicodedata.normalize("NFKD", char)[0]
        lowered = base.lower()
        return lowered if len(lowered) == 1 else base
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def detect_language(text: str) -> str:
    """Script first; for Latin text, which language's frequent words it uses. Unknown -> "en"."""
    for language, pattern in SCRIPTS:
        if pattern.search(text):
            if language == "zh-hans" and SCRIPTS[0][1].search(text):
                return "ja"
            return language
    lowered = text.lower()
    scores = dict.fromkeys(("en", "es", "fr", "de", "pt"), 0.0)
    for letters, language in DISTINCT_LETTERS:
        if any(c in lowered for c in letters):
            scores[language] += 1.5
    words = re.findall(r"[a-zà-ÿ]+", lowered)
    vocabulary = load("languages")
    for word in words:
        owners = [lang for lang in scores if word in vocabulary[lang]]
        for lang in owners:
            scores[lang] += 1 / len(owners)
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else "en"
