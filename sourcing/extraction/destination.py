"""Where the goods go (destination) versus where they are loaded (origin), from the Incoterm and the places named.

For E- and F-terms (EXW, FCA, FAS, FOB) the named place is the seller's: the origin, never the destination.
For C- and D-terms it is in the buyer's country: the destination. Otherwise the destination is a place after a
cue ("ship to", "destino", "Lieferung nach", "发往"), or failing that the first place named that is not the
origin, not after "from", and not in China (a Chinese place named without a cue is where the supplier is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .places import Place, find_places
from .terms import incoterm_match
from .vocab import alternation, load

Span = tuple[int, int]
ORIGIN_TERMS = {"EXW", "FCA", "FAS", "FOB"}
# Cues that may precede an origin too ("en China", "a ..."): they count for Chinese places only when strong.
WEAK_CUES = {
    "to",
    "for",
    "into",
    "a",
    "à",
    "au",
    "aux",
    "en",
    "em",
    "para",
    "nach",
    "in die",
    "в",
    "во",
    "до",
    "إلى",
    "الى",
    "لـ",
    "ل",
    "到",
    "vers",
    "para o",
    "para a",
    "market",
    "destination",
    "delivery",
}
ORIGIN_BEFORE = re.compile(r"(?:from|made in|desde|depuis|aus|из|من|从|产地|origin|origen|origine|origem)\W*$", re.I)
PLACE_GAP = re.compile(r"^[\s,、，/-]*(?:\([^)]{0,3}\))?[\s,、，]*$")


@dataclass
class Destination:
    incoterm: str | None = None
    incoterm_place: str | None = None
    country: str | None = None
    place: str | None = None
    spans: list[Span] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _cue_before() -> re.Pattern:
    return re.compile(rf"(?P<cue>{alternation(load('terms')['destination_cues'])})\s*[:：]?\s*(?:the\s+)?$", re.I)


def _groups(places: list[Place], text: str) -> list[list[Place]]:
    """Adjacent places form one mention: "Casablanca, Morocco", "加拿大温哥华", "Durban South Africa"."""
    groups: list[list[Place]] = []
    for place in places:
        if groups and PLACE_GAP.match(text[groups[-1][-1].end : place.start]):
            groups[-1].append(place)
        else:
            groups.append([place])
    return groups


def _resolve(group: list[Place]) -> tuple[str, str | None]:
    """(country, city as written): an explicit country wins over what the city implies."""
    countries = [p.country for p in group if not p.is_city]
    cities = [p for p in group if p.is_city]
    return (countries[0] if countries else cities[0].country), (cities[0].surface if cities else None)


def destination(text: str, language: str | None = None) -> Destination:
    result = Destination()
    code, match, note = incoterm_match(text)
    if note:
        result.unread.append(note)
    groups = _groups(find_places(text, language), text)
    named: list[Place] | None = None
    if match and code:
        result.incoterm = code
        result.spans.append(match.span())
        named = _named_place(groups, text, match.end())
        if named:
            cities = [p.surface for p in named if p.is_city]
            result.incoterm_place = cities[0] if cities else named[0].surface
            result.spans.append((match.end(), named[-1].end))
        else:
            bare = re.match(r"\s+([A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?)(?![\w])", text[match.end() :])
            if bare and bare.group(1).lower() not in {"port", "price", "terms", "incoterms", "basis", "or", "and"}:
                result.incoterm_place = bare.group(1)  # a place the gazetteer does not know, as written
                result.spans.append((match.end(), match.end() + bare.end()))
    if named and code and code not in ORIGIN_TERMS:
        result.country, result.place = _resolve(named)
        return result
    chosen = _cued(groups, text, named) or _fallback(groups, text, named)
    if chosen:
        result.country, result.place = _resolve(chosen)
        result.spans.append((chosen[0].start, chosen[-1].end))
    return result


def _named_place(groups: list[list[Place]], text: str, after: int) -> list[Place] | None:
    """The place named right after the Incoterm ("FOB Xiamen", "DDP to Phoenix", "DDP发往加拿大温哥华")."""
    for group in groups:
        gap = text[after : group[0].start]
        if group[0].start >= after and len(gap) <= 12 and not re.search(r"[.;!?。；]", gap):
            return group
    return None


def _cued(groups: list[list[Place]], text: str, origin: list[Place] | None) -> list[Place] | None:
    for group in groups:
        if group is origin:
            continue
        cue = _cue_before().search(text[max(0, group[0].start - 30) : group[0].start])
        after = text[group[-1].end : group[-1].end + 3]
        suffix_cue = after.startswith(("まで", "へ", "向け"))
        if not cue and not suffix_cue:
            continue
        weak = cue is not None and cue.group("cue").lower() in WEAK_CUES
        if any(p.country == "CN" for p in group) and (weak or suffix_cue):
            continue
        return group
    return None


def _fallback(groups: list[list[Place]], text: str, origin: list[Place] | None) -> list[Place] | None:
    for group in groups:
        if group is origin or any(p.country == "CN" for p in group):
            continue
        if ORIGIN_BEFORE.search(text[max(0, group[0].start - 12) : group[0].start]):
            continue
        return group
    return None
