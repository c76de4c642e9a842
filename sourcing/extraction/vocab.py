"""The parser's vocabularies, loaded once from data/*.json, and how their patterns become regexes.

Patterns in the data files are regex fragments. Latin, Cyrillic and Arabic patterns match between letter
boundaries (so "ce" inside "price" is not CE); CJK and kana patterns match anywhere, since those scripts do not
separate words. A pattern written in capitals only (USD, CE, MT) matches case-sensitively: in lower case it is
usually an ordinary word.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Letters that form words in the scripts separated by spaces; a boundary is "not one of these".
WORD_LETTERS = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0621-\u064a\u066e-\u06d3"
LB = rf"(?<![{WORD_LETTERS}])"
RB = rf"(?![{WORD_LETTERS}])"
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


@cache
def load(name: str) -> dict:
    with (DATA / f"{name}.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("_comment", None)
    return data


def is_cjk(pattern: str) -> bool:
    return bool(CJK_RE.search(pattern))


def _is_code(pattern: str) -> bool:
    # "USD", "CE", "MT", "L": capitals only, 1-5 of them -> exact case.
    return bool(re.fullmatch(r"[A-Z0-9\\$&+.\- ]{1,8}", pattern)) and any(c.isalpha() for c in pattern)


def fragment(pattern: str, *, case_sensitive: bool = False) -> str:
    """One pattern as a regex fragment with its boundaries and case rule."""
    body = pattern if is_cjk(pattern) else f"{LB}{pattern}{RB}"
    if case_sensitive or _is_code(pattern):
        return f"(?-i:{body})"
    return body


def alternation(patterns, *, case_sensitive: bool = False) -> str:
    """Patterns as one alternation, longest first so "ship to" wins over "to". The letter boundaries are put
    around the whole group once, not around each pattern: compiling thousands of Unicode classes is slow."""
    ordered = sorted(set(patterns), key=len, reverse=True)
    spaced = [p for p in ordered if not is_cjk(p)]
    glued = [p for p in ordered if is_cjk(p)]
    parts = []
    if spaced:
        bodies = "|".join(f"(?-i:{p})" if case_sensitive or _is_code(p) else p for p in spaced)
        parts.append(f"{LB}(?:{bodies}){RB}")
    parts.extend(glued)
    return "|".join(parts)


@cache
def compiled(name: str, key: str) -> re.Pattern:
    """A list from terms.json as one case-insensitive regex."""
    return re.compile(alternation(load(name)[key]), re.IGNORECASE)
