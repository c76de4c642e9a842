"""Text preparation (normalisation, a scan cap), with no database or model; language detection is taxonomy's."""

from __future__ import annotations

import unicodedata

from taxonomy.languages import detect_language  # noqa: F401 - the parser's detector lives in taxonomy

# The parser scans at most this many characters: requirements sit at the start of a request, and a cap keeps a
# pasted 100 KB document from costing more than a few milliseconds. Cutting is reported in `unread`.
MAX_SCAN_CHARS = 20_000

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
