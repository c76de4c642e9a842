"""The review page's diff: the text now and the suggested text side by side, each in its own word order, with the
words that differ marked (removed on the left, added on the right). A reordered title reads as two clean lines
instead of one line of interleaved deletions and insertions; line breaks are kept; every word is escaped."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD_RE = re.compile(r"(\S+)(\s*)")


def _words(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Leading whitespace, then (word, whitespace after it) pairs."""
    lead = text[: len(text) - len(text.lstrip())]
    return lead, [(m.group(1), m.group(2)) for m in WORD_RE.finditer(text.lstrip())]


def _key(word: str) -> str:
    # "Silicone," and "silicone" are the same word for the reader; punctuation moves with reordering.
    return word.strip(",.;:!?()[]–-").lower() or word


def _render(lead: str, words: list[tuple[str, str]], marked: list[bool], tag: str) -> SafeString:
    parts, i = [escape(lead)], 0
    while i < len(words):
        if not marked[i]:
            parts.append(escape(words[i][0] + words[i][1]))
            i += 1
            continue
        j = i
        while j + 1 < len(words) and marked[j + 1] and "\n" not in words[j][1]:
            j += 1  # one mark over a run of changed words, but never across a line break
        inner = "".join(w + s for w, s in words[i:j]) + words[j][0]
        parts.append(f"<{tag}>{escape(inner)}</{tag}>{escape(words[j][1])}")
        i = j + 1
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def side_by_side(before: str, after: str) -> tuple[SafeString, SafeString]:
    """(before with removed words in <del>, after with added words in <ins>)."""
    lead_a, old = _words(before or "")
    lead_b, new = _words(after or "")
    matcher = difflib.SequenceMatcher(a=[_key(w) for w, _s in old], b=[_key(w) for w, _s in new], autojunk=False)
    removed, added = [True] * len(old), [True] * len(new)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            removed[block.a + k] = False
            added[block.b + k] = False
    return _render(lead_a, old, removed, "del"), _render(lead_b, new, added, "ins")
