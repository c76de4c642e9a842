"""What an uploaded order document must be: a PDF or a photo, judged by its bytes, not by its name.

A "bill of lading" that is a renamed executable, a spreadsheet or an empty file is refused with a message; the file
is stored under a generated name so nothing a user typed reaches the file system.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# extension -> (content type, what the bytes must be)
ACCEPTED = {
    ".pdf": ("application/pdf", "PDF"),
    ".png": ("image/png", "PNG"),
    ".jpg": ("image/jpeg", "JPEG"),
    ".jpeg": ("image/jpeg", "JPEG"),
    ".webp": ("image/webp", "WEBP"),
}


@dataclass(frozen=True)
class CheckedDocument:
    name: str
    content_type: str
    size: int
    sha256: str
    storage_name: str
    content: ContentFile


def document_check(uploaded) -> CheckedDocument:
    name = PurePath(getattr(uploaded, "name", "") or "document").name[:255]
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError({"file": _("Upload a PDF or a photo (PNG, JPEG, WebP).")})
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"file": _("Documents can be at most 10 MB.")})
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("Documents can be at most 10 MB.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, expected = ACCEPTED[suffix]
    if not _is(data, expected):
        raise ValidationError(
            {
                "file": _("“%(name)s” is not a real %(kind)s file; upload the document itself.")
                % {"name": name, "kind": expected}
            }
        )
    return CheckedDocument(
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=f"{uuid.uuid4().hex}{suffix}",
        content=ContentFile(data),
    )


def _is(data: bytes, expected: str) -> bool:
    if expected == "PDF":
        # A PDF starts with its header (within the first KB, as readers allow) and ends with an EOF marker.
        return b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format == expected
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
