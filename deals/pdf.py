"""The signed contract as a printable PDF (WeasyPrint): parties, every clause with its sources as numbered
references, the signatures, and the SHA-256 of the terms. Only a signed version is printed, and nothing is fetched
from the network: the template carries its own styles, and the URL fetcher refuses every remote URL."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .contract_terms import money, percent
from .models import ContractVersion


def _no_network(url: str, *args, **kwargs):
    # A contract must print the same everywhere: no CDN fonts, no remote images, no file reads beyond the template.
    raise ValueError(f"The contract PDF fetches nothing; refused {url[:100]!r}.")


def _context(version: ContractVersion) -> dict:
    terms = version.parsed
    contract = version.contract
    notes: list[dict] = []
    numbered: dict[tuple, int] = {}

    def note(source) -> int:
        # One footnote per distinct source, however many clauses cite it.
        key = (source.kind, source.ref, source.excerpt)
        if key not in numbered:
            notes.append({"n": len(notes) + 1, "source": source})
            numbered[key] = len(notes)
        return numbered[key]

    clauses = [
        {"n": n, "clause": clause, "refs": [note(s) for s in clause.sources], "template": clause.is_template_default}
        for n, clause in enumerate(terms.clauses, start=1)
    ]
    return {
        "contract": contract,
        "version": version,
        "terms": terms,
        "clauses": clauses,
        "notes": notes,
        "lines": [
            {"line": line, "price": money(line.unit_price, terms.currency), "total": money(line.total, terms.currency)}
            for line in terms.lines
        ],
        "milestones": [{"m": m, "percent": percent(m.percent)} for m in terms.milestones],
        "total": money(terms.total, terms.currency),
    }


def contract_pdf(version: ContractVersion) -> bytes:
    """The PDF of a signed contract version. Refuses a version that is not the contract's signed one."""
    from weasyprint import HTML

    contract = version.contract
    if contract.signed_version_id != version.pk:
        raise ValidationError(_("Only the signed version of a contract is printed."))
    html = render_to_string("deals/contract_pdf.html", _context(version))
    return HTML(string=html, url_fetcher=_no_network, base_url=None).write_pdf()
