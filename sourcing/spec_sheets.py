"""Text from a buyer's uploaded spec sheet (PDF, XLSX, CSV, or an image), checked before it is read.

The extension must match the content (a ".pdf" that does not start with %PDF- is refused), files are capped in
size, text and rows are capped, and images are stored but not read offline. `spec_sheet_requirements_text`
renders table rows as text the requirement parser can read after the request itself.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_ROWS = 200
MAX_PDF_PAGES = 20
KINDS = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".webp": "image",
    ".gif": "image",
}
IMAGE_FORMATS = {".png": {"PNG"}, ".jpg": {"JPEG"}, ".jpeg": {"JPEG"}, ".webp": {"WEBP"}, ".gif": {"GIF"}}


@dataclass
class SpecSheet:
    kind: str
    text: str = ""
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def spec_sheet_text(uploaded_file) -> SpecSheet:
    """Validate and read an uploaded file (anything with .name and .read()). Raises ValidationError."""
    name = getattr(uploaded_file, "name", "") or ""
    suffix = PurePath(name).suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted(KINDS))
        raise ValidationError(f"Spec sheets must be one of {allowed}; '{name}' is not.", code="extension")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_too_big(size), code="size")
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_too_big(len(data)), code="size")
    if not data:
        raise ValidationError("The spec sheet is empty.", code="empty")
    reader = {"pdf": _pdf, "xlsx": _xlsx, "csv": _csv, "image": _image}[kind]
    return reader(data, suffix)


def _too_big(size: int) -> str:
    return f"Spec sheets can be at most {MAX_BYTES // (1024 * 1024)} MB; this one is {size / 1024 / 1024:.1f} MB."


def _capped(text: str, notes: list[str]) -> str:
    if len(text) > MAX_TEXT_CHARS:
        notes.append(f"Only the first {MAX_TEXT_CHARS:,} characters were kept.")
        return text[:MAX_TEXT_CHARS]
    return text


def _pdf(data: bytes, suffix: str) -> SpecSheet:
    if not data.startswith(b"%PDF-"):
        raise ValidationError("This file is named .pdf but is not a PDF.", code="content")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    notes: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError("The PDF is password-protected; upload an unprotected copy.", code="encrypted")
        pages = reader.pages[:MAX_PDF_PAGES]
        if len(reader.pages) > MAX_PDF_PAGES:
            notes.append(f"Only the first {MAX_PDF_PAGES} pages were read.")
        text = "\n".join((page.extract_text() or "") for page in pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(f"The PDF could not be read: {error}", code="content") from error
    if not text.strip():
        notes.append("The PDF has no text layer (a scan?); it was not read.")
    return SpecSheet(kind="pdf", text=_capped(text.strip(), notes), notes=notes)


def _xlsx(data: bytes, suffix: str) -> SpecSheet:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError("This file is named .xlsx but is not an Excel workbook.", code="content")
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ValidationError("This file is named .xlsx but is not an Excel workbook.", code="content")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(f"The workbook could not be read: {error}", code="content") from error
    try:
        sheet = workbook.worksheets[0]
        values = [list(row) for row in sheet.iter_rows(max_row=MAX_ROWS + 1, values_only=True)]
    finally:
        workbook.close()
    notes = ["Only the first sheet was read."] if len(workbook.sheetnames) > 1 else []
    return _table("xlsx", values, notes)


def _csv(data: bytes, suffix: str) -> SpecSheet:
    if b"\x00" in data[:4096]:
        raise ValidationError("This file is named .csv but is not text.", code="content")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # never fails: old Excel exports are often latin-1
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if i > MAX_ROWS:
            break
        rows.append(row)
    return _table("csv", rows, [])


def _table(kind: str, values: list[list], notes: list[str]) -> SpecSheet:
    values = [row for row in values if any(cell not in (None, "") for cell in row)]
    if len(values) > MAX_ROWS:
        notes.append(f"Only the first {MAX_ROWS} rows were read.")
        values = values[: MAX_ROWS + 1]
    if not values:
        return SpecSheet(kind=kind, notes=notes + ["The table is empty."])
    header = [_cell(cell) or f"column {i + 1}" for i, cell in enumerate(values[0])]
    rows = []
    for row in values[1:]:
        record = {header[i]: _cell(cell) for i, cell in enumerate(row[: len(header)]) if _cell(cell)}
        if record:
            rows.append(record)
    text = "\n".join("; ".join(f"{k}: {v}" for k, v in row.items()) for row in rows)
    return SpecSheet(kind=kind, text=_capped(text, notes), rows=rows, notes=notes)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _image(data: bytes, suffix: str) -> SpecSheet:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = image.format
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(f"This file is named {suffix} but is not an image.", code="content") from error
    if found not in IMAGE_FORMATS[suffix]:
        raise ValidationError(f"This file is named {suffix} but is a {found} image.", code="content")
    return SpecSheet(kind="image", notes=["Images are kept with the request but not read without an AI model."])


def spec_sheet_requirements_text(sheet: SpecSheet) -> str:
    """Rows as lines the requirement parser reads ("Item: bamboo cutting board; Qty: 2000; Target price: 3.8
    EUR"); the PDF text as it is. Append it to the request text."""
    if sheet.rows:
        return "\n".join("; ".join(f"{key}: {value}" for key, value in row.items()) for row in sheet.rows)[
            :MAX_TEXT_CHARS
        ]
    return sheet.text
