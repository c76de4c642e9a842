"""Spec sheet upload: real small PDF, XLSX, CSV and image files built in the test, and refusals."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from sourcing.extraction import extract_offline
from sourcing.spec_sheets import MAX_BYTES, spec_sheet_requirements_text, spec_sheet_text


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text object, offsets computed so pypdf reads it without repairs."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_pdf_text():
    sheet = spec_sheet_text(upload("spec.pdf", minimal_pdf("Bamboo cutting board 2000 pcs FSC")))
    assert sheet.kind == "pdf" and "Bamboo cutting board 2000 pcs FSC" in sheet.text
    assert spec_sheet_requirements_text(sheet) == sheet.text


def test_xlsx_rows_and_requirements_text():
    data = xlsx_bytes([["Item", "Qty", "Target price"], ["bamboo cutting board", 2000, "3.8 EUR"], [None, None, None]])
    sheet = spec_sheet_text(upload("rfq.xlsx", data))
    assert sheet.kind == "xlsx"
    assert sheet.rows == [{"Item": "bamboo cutting board", "Qty": "2000", "Target price": "3.8 EUR"}]
    text = spec_sheet_requirements_text(sheet)
    assert text == "Item: bamboo cutting board; Qty: 2000; Target price: 3.8 EUR"
    result = extract_offline(text)
    assert (result.quantity, result.target_unit_price, result.currency) == (2000, 3.8, "EUR")


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [("Item;Qty\nyoga mat;500\n".encode("utf-8-sig"), ";"), ("Item,Qty\ncafé mug,300\n".encode("latin-1"), ",")],
)
def test_csv_sniffed_and_decoded(data, delimiter):
    sheet = spec_sheet_text(upload("rfq.csv", data))
    assert sheet.kind == "csv" and len(sheet.rows) == 1 and "Item" in sheet.rows[0]


def test_image_is_checked_not_read():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    sheet = spec_sheet_text(upload("drawing.png", buffer.getvalue()))
    assert sheet.kind == "image" and sheet.text == "" and sheet.notes


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("spec.pdf", b"hello, not a pdf", "not a PDF"),
        ("rfq.xlsx", b"PK\x03\x04 broken", "not an Excel workbook"),
        ("rfq.xlsx", b"plain text", "not an Excel workbook"),
        ("photo.png", b"GIF89a....", "not an image"),
        ("virus.exe", b"MZ", "must be one of"),
        ("empty.csv", b"", "empty"),
        ("rfq.csv", b"\x00\x01\x02binary", "not text"),
    ],
)
def test_refused(name, data, message):
    with pytest.raises(ValidationError, match=message):
        spec_sheet_text(upload(name, data))


def test_too_big():
    with pytest.raises(ValidationError, match="at most 10 MB"):
        spec_sheet_text(upload("big.csv", b"a" * (MAX_BYTES + 1)))


def test_text_is_capped():
    data = ("Item,Note\n" + "".join(f"item {i},{'x' * 150}\n" for i in range(190))).encode()
    sheet = spec_sheet_text(upload("long.csv", data))
    assert len(sheet.text) <= 20_000 and any("first 20,000" in note for note in sheet.notes)
