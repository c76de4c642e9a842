"""Contract terms from a quote, and the words of the commercial clauses from the terms' numbers.

Pure functions (they read the quote they are given and write nothing): the unit price at the ordered quantity,
payment milestones read from the quote's payment terms, the delivery date, the commercial clauses (parties,
specification, price, Incoterm, payment, delivery) worded from the structured fields so the words and the numbers
never disagree, a canonical hash of a version's terms, and a word-by-word diff between two versions.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sourcing.requirements import unit_words

from .schema import WORDED_FROM_TERMS, Clause, ContractTerms, Line, MilestoneTerm, Party, Source

CENT = Decimal("0.01")
# Incoterms under which the goods are delivered at the buyer's end: the delivery date includes the transit.
DELIVERED_AT_DESTINATION = ("DAP", "DPU", "DDP")
# What the platform writes when the quote's payment terms cannot be read: a deposit when production starts, the
# balance against the bill of lading copy, both held in escrow until then.
DEFAULT_SPLIT = ((Decimal(30), "production_start"), (Decimal(70), "bill_of_lading"))
EVIDENCE_ORDER = ("production_start", "inspection_report", "bill_of_lading", "delivery")

MILESTONE_LABELS = {
    "production_start": gettext_lazy("Deposit, released when production starts"),
    "inspection_report": gettext_lazy("Before shipment, released on the inspection report"),
    "bill_of_lading": gettext_lazy("Balance, released against the bill of lading copy"),
    "delivery": gettext_lazy("Released on delivery"),
}
INCOTERM_MEANING = {
    "EXW": gettext_lazy(
        "the supplier makes the goods available at its premises; the buyer carries all costs and risks from there"
    ),
    "FCA": gettext_lazy("the supplier hands the goods, cleared for export, to the buyer's carrier at the named place"),
    "FAS": gettext_lazy("the supplier places the goods alongside the vessel at the named port of shipment"),
    "FOB": gettext_lazy(
        "the supplier loads the goods, cleared for export, on board the vessel at the named port of shipment"
    ),
    "CFR": gettext_lazy(
        "the supplier pays sea freight to the named port of destination; risk passes once the goods are on board"
    ),
    "CIF": gettext_lazy(
        "the supplier pays sea freight and insurance to the named port of destination; risk passes once the goods are "
        "on board"
    ),
    "CPT": gettext_lazy(
        "the supplier pays carriage to the named place; risk passes when the goods are handed to the first carrier"
    ),
    "CIP": gettext_lazy(
        "the supplier pays carriage and insurance to the named place; risk passes when the goods are handed to the "
        "first carrier"
    ),
    "DAP": gettext_lazy("the supplier delivers the goods, ready for unloading, at the named place of destination"),
    "DPU": gettext_lazy("the supplier delivers and unloads the goods at the named place of destination"),
    "DDP": gettext_lazy("the supplier delivers the goods at the named place of destination, import duties paid"),
}


# --- numbers ----------------------------------------------------------------------------------------------------


def money(amount: Decimal, currency: str) -> str:
    """1234.5 → "1,234.50 USD"; a price in fractions of a cent keeps its four decimals (0.0045 USD): never rounded
    in words when the number is not."""
    amount = Decimal(amount)
    step = CENT if amount == amount.quantize(CENT) else Decimal("0.0001")
    return f"{amount.quantize(step):,} {currency}"


def percent(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}%"


def milestone_amounts(total: Decimal, percents: list[Decimal]) -> list[Decimal]:
    """Split a total by percentages to the cent; the last part takes the rounding (as the order does)."""
    parts = [(total * p / 100).quantize(CENT, rounding=ROUND_DOWN) for p in percents[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def tier_price(tiers: Iterable[tuple[int, Decimal]], quantity: int) -> Decimal:
    """The unit price of the highest tier the quantity reaches; below every tier, the first (smallest) one."""
    ordered = sorted(tiers)
    if not ordered:
        raise ValueError("a quote line without price tiers")
    reached = [price for minimum, price in ordered if minimum <= quantity]
    return reached[-1] if reached else ordered[0][1]


def delivery_date(*, today: date, lead_time_days: int, incoterm: str, transit_days: int | None) -> tuple[date, str]:
    """The date the goods are due and why. Under D-terms the supplier delivers at the destination, so the transit
    (from the freight reference table) is added to the lead time; under the others delivery is at origin."""
    if incoterm in DELIVERED_AT_DESTINATION and transit_days:
        return today + timedelta(days=lead_time_days + transit_days), _(
            "%(lead)d days' lead time from the quote plus about %(transit)d days in transit (Silkway's freight "
            "reference), because under %(term)s the goods are delivered at the destination"
        ) % {"lead": lead_time_days, "transit": transit_days, "term": incoterm}
    return today + timedelta(days=lead_time_days), _("%(lead)d days' lead time from the quote") % {
        "lead": lead_time_days
    }


# --- payment terms ----------------------------------------------------------------------------------------------

_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|percent|pct)")
_RATIO = re.compile(r"(?<![\d/])(\d{1,3})\s*/\s*(\d{1,3})(?:\s*/\s*(\d{1,3}))?(?![\d/])")
_SEGMENTS = re.compile(r"[,;+\n]|\band\b|\bthen\b|\bplus\b|\s-\s")
_BALANCE = re.compile(r"\b(?:balance|rest|remaining|remainder)\b")
# Keywords per evidence, most specific first: "before shipment" must win over "shipment", and a named document
# ("upon receipt of B/L") over the generic words of delivery ("receipt").
_EVIDENCE_WORDS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "inspection_report",
        re.compile(
            r"before\s+(?:shipment|shipping|loading|dispatch|delivery)|prior\s+to\s+(?:shipment|loading)"
            r"|pre-?shipment|inspection|\bqc\b|after\s+(?:production|goods\s+(?:are\s+)?ready)|when\s+ready"
        ),
    ),
    (
        "bill_of_lading",
        re.compile(
            r"\bb\s*/\s*l\b|\bbl\b|bill\s+of\s+lading|shipping\s+doc|documents|copy\s+of|\bl\s*/\s*c\b|letter\s+of"
            r"\s+credit|\bd\s*/\s*[pa]\b|\bcad\b|after\s+shipment|upon\s+shipment|on\s+shipment|against\s+(?:doc|copy)"
            r"|\bawb\b|air\s*way\s*bill|telex\s+release|shipped"
        ),
    ),
    (
        "delivery",
        re.compile(
            r"deliver|arrival|arrive|receipt|received|\bnet\s*\d+|\bo/a\b|open\s+account|after\s+(?:goods\s+)?"
            r"(?:arrive|receiv)|days\s+after\s+invoice|\bcod\b"
        ),
    ),
    (
        "production_start",
        re.compile(
            r"deposit|advance|prepay|pre-pay|upfront|up-front|down\s*payment|with\s+(?:the\s+)?(?:order|po)|on\s+order"
            r"|before\s+production|start\s+of\s+production|production\s+start|order\s+confirmation|\bcia\b|\bcwo\b"
        ),
    ),
)


def _evidence_of(text: str) -> str | None:
    return next((evidence for evidence, pattern in _EVIDENCE_WORDS if pattern.search(text)), None)


def _milestones(parts: list[tuple[Decimal, str]]) -> list[MilestoneTerm] | None:
    if not parts or len(parts) > 6 or any(p <= 0 for p, _e in parts) or sum(p for p, _e in parts) != 100:
        return None
    ordered = sorted(parts, key=lambda part: EVIDENCE_ORDER.index(part[1]))
    return [MilestoneTerm(label=str(MILESTONE_LABELS[e]), percent=p, evidence=e) for p, e in ordered]  # type: ignore[arg-type]


def _one_share_each(segment: str) -> list[str]:
    """ "60% before production 40% on delivery" has no separator: cut it so each piece holds one share and its words
    (words after each share, or before them when the segment starts with words: "deposit 30% balance 70%")."""
    shares = list(_PERCENT.finditer(segment))
    if len(shares) < 2:
        return [segment]
    if _evidence_of(segment[: shares[0].start()]) is None:
        cuts = [0] + [m.start() for m in shares[1:]] + [len(segment)]
    else:
        cuts = [0] + [m.end() for m in shares[:-1]] + [len(segment)]
    return [segment[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False) if segment[a:b].strip()]


def parse_payment_terms(text: str) -> list[MilestoneTerm] | None:
    """Milestones from payment terms as suppliers write them, or None when the words cannot be read for sure.

    "30% deposit, 70% against B/L copy", "T/T 30/70", "50% advance, 50% before shipment", "100% L/C at sight",
    "Net 30", "deposit 30%, balance before shipment": each share is released on the evidence its words name.
    """
    lowered = " ".join((text or "").lower().split())
    if not lowered:
        return None
    ratio = _RATIO.search(lowered)
    if ratio and not _PERCENT.search(lowered):
        # "T/T 30/70": deposit, then balance against the B/L copy (the trade's convention); 30/60/10 ends on delivery.
        numbers = [Decimal(n) for n in ratio.groups() if n]
        evidences = ["production_start", "bill_of_lading", "delivery"] if len(numbers) == 3 else EVIDENCE_ORDER[::2]
        return _milestones(list(zip(numbers, evidences, strict=False)))
    segments = [piece for s in _SEGMENTS.split(lowered) if s and s.strip() for piece in _one_share_each(s.strip())]
    parts: list[tuple[Decimal, str]] = []
    balance_evidence: str | None = None
    for index, segment in enumerate(segments):
        found = _PERCENT.search(segment)
        evidence = _evidence_of(segment)
        if found:
            share = Decimal(found.group(1).replace(",", "."))
            if evidence is None:
                # "30% T/T, 70% T/T": the first share is the deposit, a later one the balance against the B/L.
                evidence = "production_start" if index == 0 and len(segments) > 1 else "bill_of_lading"
                if share == 100:
                    return None  # "100% T/T" says how, not when
            parts.append((share, evidence))
        elif _BALANCE.search(segment) and evidence:
            balance_evidence = evidence
    if balance_evidence is not None:
        parts.append((Decimal(100) - sum((p for p, _e in parts), Decimal(0)), balance_evidence))
    if parts:
        return _milestones(parts)
    # No shares at all: a single instrument or open account pays the whole price on one evidence.
    evidence = _evidence_of(lowered)
    if evidence is None:
        return None
    if evidence == "production_start" and not re.search(r"full|100|advance|prepay|\bcia\b|\bcwo\b", lowered):
        return None  # "deposit" alone does not say how much
    return _milestones([(Decimal(100), evidence)])


def payment_milestones(*, quote_id: int, payment_terms: str) -> tuple[list[MilestoneTerm], Source]:
    """The quote's milestones with the quote as their source, or the platform default marked as a template."""
    parsed = parse_payment_terms(payment_terms)
    if parsed is not None:
        return parsed, Source(
            kind="quote",
            ref=f"quote:{quote_id}:payment_terms",
            label=str(_("Payment terms in the supplier's quote")),
            excerpt=payment_terms[:1000],
        )
    default = _milestones(list(DEFAULT_SPLIT))
    assert default is not None
    return default, Source(
        kind="template",
        ref="template:payment",
        label=str(_("Silkway default: 30% when production starts, 70% against the bill of lading copy")),
        excerpt=(
            _("The quote's payment terms (“%(terms)s”) could not be read as milestones.") % {"terms": payment_terms}
        )[:1000],
    )


# --- the terms from a quote -------------------------------------------------------------------------------------


@dataclass
class QuoteBasis:
    """Everything a contract takes from the quote, with where each part came from. Built by code, never by a model."""

    quote_id: int
    title: str
    buyer: Party
    supplier: Party
    currency: str
    incoterm: str
    incoterm_place: str
    lines: list[Line]
    milestones: list[MilestoneTerm]
    delivery_date: date
    delivery_basis: str
    protection_days: int
    sources: dict[str, list[Source]] = field(default_factory=dict)  # commercial clause key → its sources


def _buyer_party(user) -> Party:
    profile = getattr(user, "buyer_profile", None)
    name = (profile.company_name if profile else "") or user.get_full_name() or user.email
    return Party(name=name[:200], country=(profile.country if profile else "")[:2], contact=user.email[:200])


def quote_basis(quote, *, today: date, transit_days: int | None, protection_days: int) -> QuoteBasis:
    """The structured contract of an accepted quote: lines at the tier for their quantity, milestones from its
    payment terms, the delivery date from its lead time (and the transit under D-terms)."""
    rfq = quote.rfq
    quote_source = Source(
        kind="quote",
        ref=f"quote:{quote.pk}",
        label=str(_("Quote by %(supplier)s") % {"supplier": quote.supplier.name})[:300],
    )
    rfq_source = Source(kind="rfq", ref=f"rfq:{rfq.pk}", label=str(_("RFQ: %(title)s") % {"title": rfq.title})[:300])
    lines: list[Line] = []
    for position, quote_line in enumerate(quote.lines.all(), start=1):
        rfq_line = quote_line.rfq_line
        tiers = [(tier.min_quantity, tier.unit_price) for tier in quote_line.tiers.all()]
        price = tier_price(tiers, rfq_line.quantity)
        minimum = max((m for m, p in tiers if m <= rfq_line.quantity), default=min(m for m, _p in tiers))
        spec = [f"{s['name']}: {s['value']}" for s in rfq_line.specs or [] if s.get("name") and s.get("value")]
        if quote_line.offered_product and quote_line.offered_product != rfq_line.product_name:
            spec.insert(0, _("Offered: %(product)s") % {"product": quote_line.offered_product})
        lines.append(
            Line(
                position=position,
                product=rfq_line.product_name[:200],
                specification=[s[:300] for s in spec][:40],
                quantity=rfq_line.quantity,
                unit=rfq_line.unit[:20],
                unit_price=price,
                source=Source(
                    kind="quote_line",
                    ref=f"quote_line:{quote_line.pk}",
                    label=str(_("Quote line %(n)d: %(product)s") % {"n": position, "product": rfq_line.product_name})[
                        :300
                    ],
                    excerpt=_("Price tier from %(q)s: %(price)s per unit")
                    % {"q": f"{minimum:,}", "price": money(price, quote.currency)},
                ),
            )
        )
    milestones, payment_source = payment_milestones(quote_id=quote.pk, payment_terms=quote.payment_terms)
    due, basis = delivery_date(
        today=today, lead_time_days=quote.lead_time_days, incoterm=quote.incoterm, transit_days=transit_days
    )
    incoterm_source = quote_source.model_copy(
        update={
            "ref": f"quote:{quote.pk}:incoterm",
            "excerpt": f"{quote.incoterm} {quote.incoterm_place}".strip(),
        }
    )
    delivery_sources = [
        quote_source.model_copy(
            update={
                "ref": f"quote:{quote.pk}:lead_time",
                "excerpt": _("Lead time: %(days)d days") % {"days": quote.lead_time_days},
            }
        )
    ]
    if quote.incoterm in DELIVERED_AT_DESTINATION and transit_days:
        delivery_sources.append(
            Source(
                kind="template",
                ref="template:transit",
                label=str(_("Silkway freight reference: transit time")),
                excerpt=_("About %(days)d days in transit") % {"days": transit_days},
            )
        )
    line_sources = [line.source for line in lines][:9]
    return QuoteBasis(
        quote_id=quote.pk,
        title=rfq.title,
        buyer=_buyer_party(rfq.buyer),
        supplier=Party(name=quote.supplier.name[:200], country=(quote.supplier.country or "")[:2]),
        currency=quote.currency,
        incoterm=quote.incoterm,
        incoterm_place=quote.incoterm_place[:100],
        lines=lines,
        milestones=milestones,
        delivery_date=due,
        delivery_basis=basis,
        protection_days=protection_days,
        sources={
            "parties": [quote_source, rfq_source],
            "specification": [*line_sources, rfq_source],
            "price": [*line_sources, quote_source],
            "incoterm": [incoterm_source],
            "payment": [payment_source],
            "delivery": delivery_sources,
        },
    )


# --- commercial clauses, worded from the numbers ----------------------------------------------------------------


def _quantity(line: Line) -> str:
    return f"{line.quantity:,} {unit_words(line.unit)}"


def clause_title(key: str) -> str:
    return str(
        {
            "parties": _("Parties"),
            "specification": _("Goods and specification"),
            "price": _("Price"),
            "incoterm": _("Delivery terms (Incoterms® 2020)"),
            "payment": _("Payment through Silkway escrow"),
            "delivery": _("Delivery date"),
            "packaging": _("Packaging and marking"),
            "inspection": _("Inspection"),
            "warranty": _("Warranty"),
            "remedies": _("Late delivery and quality remedies"),
            "disputes": _("Dispute resolution"),
            "governing_law": _("Governing law"),
        }.get(key, key.replace("_", " ").capitalize())
    )


def commercial_text(key: str, terms) -> str:
    """The words of a commercial clause, from `terms` (a ContractTerms or a QuoteBasis): one source of truth."""
    if key == "parties":

        def party(p: Party) -> str:
            return f"{p.name} ({p.country})" if p.country else p.name

        return _(
            "This contract is made between %(buyer)s (the buyer) and %(supplier)s (the supplier), through the "
            "Silkway marketplace."
        ) % {"buyer": party(terms.buyer), "supplier": party(terms.supplier)}
    if key == "specification":
        rows = []
        for line in terms.lines:
            row = _("%(n)d. %(product)s: %(quantity)s") % {
                "n": line.position,
                "product": line.product,
                "quantity": _quantity(line),
            }
            if line.specification:
                row += " — " + "; ".join(line.specification)
            rows.append(row)
        return _("The supplier delivers these goods, as specified:") + "\n" + "\n".join(rows)
    if key == "price":
        rows = [
            _("%(n)d. %(product)s: %(quantity)s at %(price)s per unit = %(total)s")
            % {
                "n": line.position,
                "product": line.product,
                "quantity": _quantity(line),
                "price": money(line.unit_price, terms.currency),
                "total": money(line.total, terms.currency),
            }
            for line in terms.lines
        ]
        total = sum((line.total for line in terms.lines), Decimal(0))
        return (
            "\n".join(rows)
            + "\n"
            + _("Total price: %(total)s, %(term)s %(place)s.")
            % {
                "total": money(total, terms.currency),
                "term": terms.incoterm,
                "place": terms.incoterm_place,
            }
        )
    if key == "incoterm":
        meaning = INCOTERM_MEANING.get(terms.incoterm, "")
        named = f"{terms.incoterm} {terms.incoterm_place}".strip()
        text = _("Goods are delivered %(named)s (Incoterms® 2020)") % {"named": named}
        return f"{text}: {meaning}." if meaning else f"{text}."
    if key == "payment":
        total = sum((line.total for line in terms.lines), Decimal(0))
        amounts = milestone_amounts(total, [m.percent for m in terms.milestones])
        rows = [
            _("%(n)d. %(label)s: %(percent)s, %(amount)s")
            % {"n": n, "label": m.label, "percent": percent(m.percent), "amount": money(amount, terms.currency)}
            for n, (m, amount) in enumerate(zip(terms.milestones, amounts, strict=True), start=1)
        ]
        return (
            _(
                "The buyer pays the total price of %(total)s into Silkway escrow. The supplier is paid from escrow in "
                "these parts, each released only on its evidence:"
            )
            % {"total": money(total, terms.currency)}
            + "\n"
            + "\n".join(rows)
        )
    if key == "delivery":
        return _(
            "The goods are delivered by %(date)s under the delivery terms above. The buyer may raise a claim up to "
            "%(days)d days after delivery."
        ) % {"date": terms.delivery_date.isoformat(), "days": terms.protection_days}
    raise KeyError(key)


def commercial_clauses(terms, sources: dict[str, list[Source]]) -> list[Clause]:
    return [
        Clause(key=key, title=clause_title(key), text=commercial_text(key, terms), sources=sources[key][:10])
        for key in WORDED_FROM_TERMS
    ]


def terms_assemble(basis: QuoteBasis, free_clauses: list[Clause]) -> ContractTerms:
    """The full terms: commercial clauses worded from the quote's numbers, then the free clauses."""
    return ContractTerms(
        buyer=basis.buyer,
        supplier=basis.supplier,
        currency=basis.currency,
        incoterm=basis.incoterm,
        incoterm_place=basis.incoterm_place,
        lines=basis.lines,
        milestones=basis.milestones,
        delivery_date=basis.delivery_date,
        protection_days=basis.protection_days,
        clauses=[*commercial_clauses(basis, basis.sources), *free_clauses],
    )


def terms_reword(terms: ContractTerms, *, edit_source: Source | None = None) -> ContractTerms:
    """The commercial clauses worded again from the (edited) numbers; a clause whose words changed cites the edit."""
    clauses = []
    for clause in terms.clauses:
        if clause.key in WORDED_FROM_TERMS:
            text = commercial_text(clause.key, terms)
            if text != clause.text:
                sources = with_source(clause.sources, edit_source) if edit_source else clause.sources
                clause = clause.model_copy(update={"text": text, "sources": sources})
        clauses.append(clause)
    return ContractTerms.model_validate({**terms.model_dump(), "clauses": [c.model_dump() for c in clauses]})


def with_source(sources: list[Source], new: Source) -> list[Source]:
    """The clause's own sources (at most nine) and the newest edit: the versions keep the earlier edits."""
    kept = [s for s in sources if s.kind != "edit"][:9]
    return [*kept, new]


# --- hash and diff ----------------------------------------------------------------------------------------------


def terms_json(terms: ContractTerms) -> dict:
    return terms.model_dump(mode="json")


def terms_hash(terms: ContractTerms | dict) -> str:
    """SHA-256 of the terms as canonical JSON (sorted keys, no spaces, UTF-8): the same terms, the same hash."""
    data = terms_json(terms) if isinstance(terms, ContractTerms) else terms
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[dict]:
    """[{"op": "equal" | "insert" | "delete", "text"}] word by word (whitespace kept), for <ins>/<del>."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[dict] = []

    def add(op: str, text: str):
        if not text:
            return
        if segments and segments[-1]["op"] == op:
            segments[-1]["text"] += text
        else:
            segments.append({"op": op, "text": text})

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return segments


def diff_html(segments: list[dict]) -> SafeString:
    """The segments as HTML, every text escaped: what a template prints with |safe-free {{ }}."""
    tags = {"insert": "ins", "delete": "del"}
    parts = []
    for segment in segments:
        text = escape(segment["text"])
        tag = tags.get(segment["op"])
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def _field_rows(terms: ContractTerms) -> dict[str, tuple[str, str]]:
    rows = {
        "currency": (_("Currency"), terms.currency),
        "incoterm": (_("Incoterm"), f"{terms.incoterm} {terms.incoterm_place}".strip()),
        "delivery_date": (_("Delivery date"), terms.delivery_date.isoformat()),
        "protection_days": (_("Claims accepted for (days after delivery)"), str(terms.protection_days)),
        "milestones": (
            _("Payment milestones"),
            "; ".join(f"{m.label} {percent(m.percent)}" for m in terms.milestones),
        ),
    }
    for line in terms.lines:
        rows[f"line:{line.position}"] = (
            _("Line %(n)d") % {"n": line.position},
            _("%(product)s: %(quantity)s at %(price)s")
            % {"product": line.product, "quantity": _quantity(line), "price": money(line.unit_price, terms.currency)},
        )
    return rows


def terms_diff(old: ContractTerms, new: ContractTerms) -> list[dict]:
    """What changed between two versions, field by field and clause by clause:
    [{"kind": "field" | "clause", "key", "label", "old", "new", "segments", "html"}] for changed items only."""
    changes = []
    old_fields, new_fields = _field_rows(old), _field_rows(new)
    for key in dict.fromkeys([*old_fields, *new_fields]):
        label, before = old_fields.get(key, ("", ""))
        label_new, after = new_fields.get(key, ("", ""))
        if before != after:
            segments = word_diff(before, after)
            changes.append(
                {
                    "kind": "field",
                    "key": key,
                    "label": label or label_new,
                    "old": before,
                    "new": after,
                    "segments": segments,
                    "html": diff_html(segments),
                }
            )
    old_clauses = {c.key: c for c in old.clauses}
    new_clauses = {c.key: c for c in new.clauses}
    for key in dict.fromkeys([*old_clauses, *new_clauses]):
        before_clause, after_clause = old_clauses.get(key), new_clauses.get(key)
        before = before_clause.text if before_clause else ""
        after = after_clause.text if after_clause else ""
        if before != after:
            segments = word_diff(before, after)
            changes.append(
                {
                    "kind": "clause",
                    "key": key,
                    "label": (after_clause or before_clause).title,  # type: ignore[union-attr]
                    "old": before,
                    "new": after,
                    "segments": segments,
                    "html": diff_html(segments),
                }
            )
    return changes
