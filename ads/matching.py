"""Which ad keywords a buyer's query triggers, understood the way search understands it.

A keyword and a query go through the same query understanding (search.query.parse_query: language, CJK words,
units, the multilingual trade glossary), so "Akku-Bohrschrauber" typed by a German buyer can trigger the English
broad keyword "cordless drill". Each understood word group becomes a set of *concepts*: its stemmed wordings in
every language the glossary knows for it. Specs ("18V", "400 W") become concepts of their own.

- exact:  the query is the keyword (same concepts, same order, nothing more);
- phrase: the keyword's groups appear in the query, in order, next to each other;
- broad:  every keyword group appears somewhere in the query, in any language.
"""

from dataclasses import dataclass
from functools import cached_property

from search.query import ParsedQuery, parse_query
from search.text import stem

from .models import MatchType


@dataclass(frozen=True)
class Understood:
    groups: tuple[frozenset[str], ...]  # per word group (and spec), its concepts
    normalized: str  # the first wording of each group, in order: what exact and negative keywords compare

    @property
    def concepts(self) -> frozenset[str]:
        return frozenset().union(*self.groups) if self.groups else frozenset()

    @cached_property
    def spans(self) -> dict[str, list[tuple[int, int]]]:
        """As a query: where each concept it contains sits (see _spans)."""
        return _spans(self)

    @cached_property
    def whole_spans(self) -> dict[str, list[tuple[int, int]]]:
        return _spans(self, pieces=False)

    def as_json(self) -> list[list[str]]:
        return [sorted(group) for group in self.groups]

    @classmethod
    def from_json(cls, groups: list[list[str]], normalized: str) -> "Understood":
        return cls(tuple(frozenset(group) for group in groups), normalized)


def _concept(tokens: tuple[str, ...], language: str) -> str:
    return " ".join(stem(token, language) for token in tokens)


def understand_parsed(parsed: ParsedQuery) -> Understood:
    groups, first = [], []
    for group in parsed.groups:
        concepts = [_concept(alt.tokens, alt.language) for alt in group.alternatives if alt.tokens]
        if concepts:
            groups.append(frozenset(concepts))
            first.append(concepts[0])
    for quantity in parsed.quantities:
        groups.append(frozenset({quantity.key}))
        first.append(quantity.key)
    return Understood(tuple(groups), " ".join(first)[:200])


def understand(text: str, *, language: str | None = None) -> Understood:
    return understand_parsed(parse_query(text, ui_language=language or "en", language=language, translate=False))


def _spans(query: Understood, *, pieces: bool = True) -> dict[str, list[tuple[int, int]]]:
    """Where each concept sits in the query, as (first group, after last group): a group's own concepts, runs of
    two or three consecutive groups read as one phrase ("solar" + "panels" is "solar panel"), and the single words
    of a multi-word concept (a query's "cordless drill" contains "drill"). Query and keyword may be cut into groups
    differently by the glossary; spans make them comparable."""
    spans: dict[str, list[tuple[int, int]]] = {}

    def add(concept: str, span: tuple[int, int]) -> None:
        spans.setdefault(concept, []).append(span)

    groups = query.groups
    for i, concepts in enumerate(groups):
        for concept in concepts:
            add(concept, (i, i + 1))
            if pieces and " " in concept:
                for word in concept.split():
                    add(word, (i, i + 1))
        joined = set(concepts)
        for size in (2, 3):
            if i + size > len(groups):
                break
            joined = {f"{a} {b}" for a in joined for b in groups[i + size - 1]} if len(joined) < 200 else set()
            for concept in joined:
                add(concept, (i, i + size))
    return spans


def _placements(keyword: Understood, spans) -> list[list[tuple[int, int]]]:
    return [[span for concept in group for span in spans.get(concept, ())] for group in keyword.groups]


def _in_order(placements: list[list[tuple[int, int]]], *, whole: int | None) -> bool:
    """Can each keyword group take one of its spans so that they follow each other without gaps (sharing a span is
    allowed: two keyword words inside one query phrase)? `whole`: the spans must cover the query from 0 to it."""
    frontier = {span for span in placements[0] if whole is None or span[0] == 0}
    for options in placements[1:]:
        frontier = {
            (start, max(end, option[1]))
            for start, end in frontier
            for option in options
            if option[0] == end or (option[0] >= start and option[1] <= end)
        }
        if not frontier:
            return False
    return any(whole is None or end == whole for _start, end in frontier)


def matches(keyword: Understood, match_type: str, query: Understood) -> bool:
    if not keyword.groups or not query.groups:
        return False
    if match_type == MatchType.EXACT and keyword.normalized == query.normalized:
        return True
    # Exact match never counts a word inside a longer concept: "drill" is not exactly "drill bit".
    placements = _placements(keyword, query.whole_spans if match_type == MatchType.EXACT else query.spans)
    if not all(placements):
        return False
    if match_type == MatchType.EXACT:
        return _in_order(placements, whole=len(query.groups))
    if match_type == MatchType.PHRASE:
        return _in_order(placements, whole=None)
    return True
