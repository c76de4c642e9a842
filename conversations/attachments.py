"""What a message may carry: a document or a photo whose content is what its name says, up to a size.

The type is read from the file's first bytes, never from the name or the browser's Content-Type, and must agree with
the extension: a renamed executable ("quote.pdf") is refused, and so is a PDF named "photo.jpg".
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension -> (content type, how to recognise the content)
_PDF, _PNG, _JPEG, _GIF, _WEBP, _XLSX, _DOCX, _TEXT = "pdf", "png", "jpeg", "gif", "webp", "xlsx", "docx", "text"
KINDS = {
    ".pdf": (_PDF, "application/pdf"),
    ".png": (_PNG, "image/png"),
    ".jpg": (_JPEG, "image/jpeg"),
    ".jpeg": (_JPEG, "image/jpeg"),
    ".gif": (_GIF, "image/gif"),
    ".webp": (_WEBP, "image/webp"),
    ".xlsx": (_XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".docx": (_DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".csv": (_TEXT, "text/csv"),
    ".txt": (_TEXT, "text/plain"),
}
ACCEPTED = ", ".join(sorted({ext.lstrip(".").upper() for ext in KINDS} - {"JPEG"}))


@dataclass(frozen=True)
class CheckedAttachment:
    file: object
    display_name: str
    content_type: str
    size: int


def _office_kind(head_and_file) -> str | None:
    try:
        with zipfile.ZipFile(head_and_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("xl/") for n in names):
        return _XLSX
    if any(n.startswith("word/") for n in names):
        return _DOCX
    return None


def _sniff(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return _PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(io.BytesIO(uploaded.read()))
        uploaded.seek(0)
        return kind
    sample = uploaded.read(64 * 1024)
    uploaded.seek(0)
    if b"\x00" in sample:
        return None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 3:  # a multi-byte character cut by the sample's end is still text
            return None
    return _TEXT


def check(uploaded) -> CheckedAttachment:
    """The upload if its size, extension and content agree; else a ValidationError on "attachment"."""
    name = PurePath(uploaded.name or "").name[:200] or "attachment"
    extension = PurePath(name).suffix.lower()
    limit = settings.MESSAGE_ATTACHMENT_MAX_MB * 1024 * 1024
    size = uploaded.size or 0

    def refuse(message, code):
        raise ValidationError({"attachment": ValidationError(message, code=code)})

    if size == 0:
        refuse(_("%(name)s is empty.") % {"name": name}, "empty")
    if size > limit:
        refuse(
            _("%(name)s is larger than %(max)d MB.") % {"name": name, "max": settings.MESSAGE_ATTACHMENT_MAX_MB},
            "too_large",
        )
    if extension not in KINDS:
        refuse(
            _("%(name)s: attach a document or a photo (%(accepted)s).") % {"name": name, "accepted": ACCEPTED},
            "extension",
        )
    expected, content_type = KINDS[extension]
    if _sniff(uploaded) != expected:
        refuse(
            _("%(name)s is not a %(kind)s file: its content is something else.")
            % {"name": name, "kind": extension.lstrip(".").upper()},
            "content_mismatch",
        )
    return CheckedAttachment(file=uploaded, display_name=name, content_type=content_type, size=size)
