"""Requirements named by words: certifications, supplier kind, customization, samples, payment terms, Incoterm.

Each reader takes the normalised text and returns its value with the spans it used (so the product phrase can
leave them out).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .vocab import alternation, compiled, load

Span = tuple[int, int]

# Incoterms 2020, their spelled-out names, and old rules that are reported rather than mapped silently.
INCOTERM = re.compile(
    r"(?<![A-Za-z])(?:(?P<code>EXW|FCA|FAS|FOB|CFR|CIF|CPT|CIP|DAP|DPU|DDP|(?i:fob|cif|exw|ddp|cfr))"
    r"|(?P<cfr>C&F|CNF|C\+F)|(?P<old>DDU|DAT|DES|DEQ|DAF))(?![A-Za-z])"
    r"|(?P<name>(?i:ex[- ]works|free on board|free carrier|cost,? insurance (?:and|&) freight|cost (?:and|&) freight"
    r"|delivered duty paid|delivered at place))"
)
INCOTERM_NAMES = {
    "ex works": "EXW",
    "ex-works": "EXW",
    "free on board": "FOB",
    "free carrier": "FCA",
    "cost insurance and freight": "CIF",
    "cost, insurance and freight": "CIF",
    "cost insurance & freight": "CIF",
    "cost and freight": "CFR",
    "cost & freight": "CFR",
    "delivered duty paid": "DDP",
    "delivered at place": "DAP",
}
OLD_INCOTERMS = {"DDU": "DAP", "DAT": "DPU", "DES": "DAP", "DEQ": "DPU", "DAF": "DAP"}
# "FCC not needed", "sin CE", "不需要FCC": named, but not wanted.
NOT_NEEDED = re.compile(
    r"\s*(?:is\s+)?(?:not\s+(?:needed|required|necessary)|no\s+(?:necesari[oa]|requerid[oa])|pas nécessaire"
    r"|nicht\s+(?:nötig|erforderlich)|não\s+necessári[oa]|не\s+нужн\w*|غير مطلوب|不需要|不用)",
    re.IGNORECASE,
)
NO_BEFORE = re.compile(r"(?:\bno|\bwithout|\bsin|\bsans|\bohne|\bsem|\bбез|不要|不需要|无需)\s*$", re.IGNORECASE)
ISO = re.compile(r"(?<![A-Za-z0-9])ISO[- ]?(?P<n>\d{4,5})(?:[-:]\d{4})?(?![0-9])")
IP = re.compile(r"(?<![A-Za-z0-9])IP ?(?P<n>[0-9X][0-9])(?![0-9])")


@lru_cache(maxsize=1)
def _certification_patterns() -> list[tuple[str, re.Pattern]]:
    data = load("certifications")
    exact = set(data["case_sensitive"])
    return [
        (code, re.compile(alternation(patterns, case_sensitive=code in exact), re.IGNORECASE))
        for code, patterns in data["codes"].items()
    ]


def certifications(text: str) -> tuple[list[str], list[Span]]:
    """Codes in order of mention. IP ratings are returned but their spans are not: IP67 also describes the
    product and stays in the product phrase."""
    found: list[tuple[int, str]] = []
    spans: list[Span] = []
    for code, pattern in _certification_patterns():
        for match in pattern.finditer(text):
            spans.append(match.span())
            if NOT_NEEDED.match(text, match.end()) or NO_BEFORE.search(
                text[max(0, match.start() - 12) : match.start()]
            ):
                continue
            found.append((match.start(), code))
    for match in ISO.finditer(text):
        found.append((match.start(), f"ISO{match.group('n')}"))
        spans.append(match.span())
    for match in IP.finditer(text):
        found.append((match.start(), f"IP{match.group('n')}"))
    codes = list(dict.fromkeys(code for _, code in sorted(found)))
    return codes, spans


def _negated(text: str, start: int) -> bool:
    """A negation word in the few characters before `start` ("no trading companies", "不要贸易公司")."""
    return bool(_negation_before().search(text[max(0, start - 14) : start]))


@lru_cache(maxsize=1)
def _negation_before() -> re.Pattern:
    return re.compile(rf"(?:{alternation(load('terms')['negations'])})\W*\w*\W*$", re.IGNORECASE)


def supplier_kind(text: str) -> tuple[str | None, list[Span]]:
    """factory / trading_company; a negated kind counts for the other ("no traders" -> factory); both -> None."""
    votes: set[str] = set()
    spans: list[Span] = []
    for kind, key in (("factory", "supplier_factory"), ("trading_company", "supplier_trading")):
        for match in compiled("terms", key).finditer(text):
            negated = _negated(text, match.start())
            votes.add(("trading_company" if kind == "factory" else "factory") if negated else kind)
            spans.append(match.span())
    return (votes.pop() if len(votes) == 1 else None), spans


@lru_cache(maxsize=1)
def _customization_patterns() -> list[tuple[str, re.Pattern, bool]]:
    """(kind, pattern, needs a customisation cue nearby). '@' in the data marks words like "packaging" or
    "colour" that are only a customisation when "custom", "our", "定制"... is said with them."""
    out = []
    for kind, patterns in load("terms")["customization"].items():
        plain = [p for p in patterns if not p.startswith("@")]
        cued = [p[1:] for p in patterns if p.startswith("@")]
        if plain:
            out.append((kind, re.compile(alternation(plain), re.IGNORECASE), False))
        if cued:
            out.append((kind, re.compile(alternation(cued), re.IGNORECASE), True))
    return out


def _has_cue(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 30) : min(len(text), end + 20)]
    return bool(compiled("terms", "custom_cues").search(window))


def customization(text: str) -> tuple[list[str], list[Span]]:
    found: list[tuple[int, str]] = []
    spans: list[Span] = []
    for kind, pattern, needs_cue in _customization_patterns():
        for match in pattern.finditer(text):
            if _negated(text, match.start()) or (needs_cue and not _has_cue(text, match.start(), match.end())):
                continue
            found.append((match.start(), kind))
            spans.append(match.span())
    for match in compiled("terms", "custom_cues").finditer(text):
        if any(s <= match.end() + 12 and match.start() - 2 <= e for s, e in spans):
            spans.append(match.span())  # "custom", "our", "定制" go with what they qualify
    return list(dict.fromkeys(kind for _, kind in sorted(found))), spans


def samples(text: str) -> tuple[bool | None, list[Span]]:
    match = compiled("terms", "samples").search(text)
    if not match:
        return None, []
    return (not _negated(text, match.start())), [match.span()]


PAYMENT_SPLIT = re.compile(r"(?<!\d)(\d{1,2}) ?%? ?/ ?(\d{1,2}) ?%?(?!\d)")
DEPOSIT = re.compile(
    r"(\d{1,2}) ?% ?(?:deposit|advance|down ?payment|dep[oó]sito|anticipo|adelanto|acompte|Anzahlung|sinal|entrada"
    r"|предоплат\w*|دفعة مقدمة|定金|订金|预付款)",
    re.IGNORECASE,
)
PAYMENT_RULES: tuple[tuple[str, str], ...] = (
    (
        r"(?:L/C|LC|letter of credit|carta de cr[ée]dito|lettre de cr[ée]dit|Akkreditiv|аккредитив|خطاب اعتماد|信用证)"
        r"(?:\s*(?:at|a la|à|bei|à vista|a vista)?\s*(?P<sight>sight|vista|vue|Sicht|即期))?"
        r"(?:\s*(?P<days>\d{2,3})\s*(?:days|días|jours|Tage|dias|天))?",
        "L/C",
    ),
    (
        r"(?<![A-Za-z])(?:T/T|TT|T\.T\.|wire transfer|bank transfer|telegraphic transfer|transferencia(?: bancaria)?"
        r"|virement(?: bancaire)?|Überweisung|transferência(?: bancária)?|банковский перевод"
        r"|تحويل بنكي|电汇|银行转账|銀行振込)"
        r"(?![A-Za-z])",
        "T/T",
    ),
    (r"(?<![A-Za-z])D/P(?![A-Za-z])", "D/P"),
    (r"(?<![A-Za-z])D/A(?![A-Za-z])", "D/A"),
    (r"(?i:pay ?pal)", "PayPal"),
    (r"(?i:western union)", "Western Union"),
    (r"(?i:trade assurance|信保|信用保障)", "Trade Assurance"),
    (r"(?i:escrow)", "Escrow"),
    (r"(?i:(?:net|neto|netto|net à)\s*(?P<net>\d{2,3})(?:\s*(?:days|días|jours|Tage|dias))?)", "net"),
    (
        r"(?i:Vorkasse|prepayment|100 ?% (?:advance|in advance|upfront|T/T)|pago anticipado|paiement d'avance"
        r"|pagamento antecipado|предоплата 100|全款)",
        "prepayment",
    ),
)


def payment_terms(text: str) -> tuple[str | None, list[Span]]:
    """A short normalised form: "T/T 30/70", "L/C at sight", "L/C 90 days", "net 30", "PayPal", ..."""
    best: tuple[int, str, Span] | None = None
    for pattern, name in PAYMENT_RULES:
        match = re.search(pattern, text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), _payment_name(name, match, text), match.span())
    if best is None:
        deposit = DEPOSIT.search(text)
        if deposit:
            first = int(deposit.group(1))
            return f"{first}% deposit, {100 - first}% balance", [deposit.span()]
        return None, []
    return best[1], [best[2]]


def _payment_name(name: str, match: re.Match, text: str) -> str:
    if name == "L/C":
        if match.group("sight"):
            return "L/C at sight"
        return f"L/C {match.group('days')} days" if match.group("days") else "L/C"
    if name == "net":
        return f"net {match.group('net')}"
    if name == "T/T":
        split = PAYMENT_SPLIT.search(text, match.end(), match.end() + 40) or PAYMENT_SPLIT.search(
            text, max(0, match.start() - 30), match.start()
        )
        deposit = DEPOSIT.search(text, max(0, match.start() - 40), match.end() + 40)
        if split and int(split.group(1)) + int(split.group(2)) == 100:
            return f"T/T {split.group(1)}/{split.group(2)}"
        if deposit:
            first = int(deposit.group(1))
            return f"T/T {first}/{100 - first}"
    return name


def incoterm_match(text: str) -> tuple[str | None, re.Match | None, str | None]:
    """(Incoterms 2020 code, the match, an unread note for an old rule)."""
    for match in INCOTERM.finditer(text):
        if match.group("code"):
            return match.group("code").upper(), match, None
        if match.group("cfr"):
            return "CFR", match, None
        if match.group("name"):
            return INCOTERM_NAMES.get(re.sub(r"\s+", " ", match.group("name").lower())), match, None
        old = match.group("old")
        note = f"{old} is not an Incoterms 2020 rule (the nearest is {OLD_INCOTERMS[old]}); not used."
        return None, match, note
    return None, None, None


def normalize_certification(value: str) -> str | None:
    """A certification as any provider wrote it ("Oeko-Tex", "ISO 9001", "UN 38.3") -> our code, or None when
    the vocabulary does not know it."""
    codes, _ = certifications(value.strip())
    if len(codes) == 1:
        return codes[0]
    compact = re.sub(r"[^A-Z0-9]", "", value.upper())
    known = {code for code, _ in _certification_patterns()}
    return compact if compact in known else None
