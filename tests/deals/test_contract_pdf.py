"""The signed contract as a PDF: printed from the signed version only, with its number, clauses, sources,
signatures and hash, and without any network access."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from deals.pdf import _no_network, contract_pdf
from deals.services import contracts as services

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(data)).pages)


def test_the_signed_version_prints_with_number_signatures_sources_and_hash(contract, buyer, seller_a):
    version = contract.versions.get()
    services.contract_accept(contract=contract, version=version, actor=buyer, side="buyer", signatory="Anna Schmidt")
    services.contract_accept(contract=contract, version=version, actor=seller_a, side="supplier", signatory="Li Wei")
    version.refresh_from_db()
    data = contract_pdf(version)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert contract.number in text
    assert "Anna Schmidt" in text and "Li Wei" in text
    assert version.content_hash[:16] in text.replace(" ", "")
    assert "11,825.00 USD" in text
    assert "template default" in text
    assert "Payment terms in the supplier's quote" in text


def test_an_unsigned_version_is_refused(contract):
    with pytest.raises(ValidationError, match="signed version"):
        contract_pdf(contract.versions.get())


def test_nothing_is_fetched_from_the_network():
    with pytest.raises(ValueError, match="fetches nothing"):
        _no_network("https://cdn.example.com/font.woff2")
