"""Private uploads: certificates, ranking evidence, official designations, order documents (contracts, shipping
papers, dispute evidence) and sourcing attachments.

They live in their own storage (settings.PRIVATE_MEDIA_ROOT, never inside MEDIA_ROOT), under generated names, and
have no URL: `.url` raises, so a template or an admin widget that would print one fails loudly instead of leaking.
They reach a reader only through a view that first checks who may read them and then answers with
`private_file_response` (streamed by Django in the embedded default, handed to nginx with X-Accel-Redirect or to
Apache/lighttpd with X-Sendfile in production). Product images stay public in the default storage (MEDIA_ROOT).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import uuid
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")


class PrivateFileURLError(ValueError):
    """A private file has no public URL; link to the view that checks who may read it."""


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT, read on each use (tests point it at a tmp dir),
    with no URL at all."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)

    @property  # not cached: follows settings overrides
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)  # type: ignore[attr-defined]

    @property
    def location(self):
        location = os.path.abspath(self.base_location)
        media_root = os.path.abspath(settings.MEDIA_ROOT)
        if os.path.commonpath([location, media_root]) in (location, media_root):
            raise ImproperlyConfigured(
                "PRIVATE_MEDIA_ROOT and MEDIA_ROOT must not contain one another: everything under MEDIA_ROOT "
                "may be served publicly."
            )
        return location

    def url(self, name):
        raise PrivateFileURLError(f"{name} is a private file: it has no URL; link to its download view.")


def private_storage() -> PrivateStorage:
    """The `storage=` of every private FileField (a callable, so migrations reference it by name)."""
    return PrivateStorage()


@deconstructible
class RandomName:
    """upload_to for private files: `<prefix>/<year>/<uuid><original extension>`; nothing a user typed reaches the
    file system. The original name, where it matters for the download, is kept in a model field."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename or "").suffix.lower()
        if not _SAFE_SUFFIX.match(suffix):
            suffix = ""
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.prefix == self.prefix


def download_name(stem: str, stored_name: str) -> str:
    """A download filename built from a record (e.g. "ISO9001-123.pdf") with the stored file's extension."""
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-.") or "document"
    return f"{stem[:120]}{PurePath(stored_name).suffix.lower()}"


def private_file_response(file_field, *, filename: str, as_attachment: bool = True, content_type: str | None = None):
    """The file behind `file_field` for a reader the caller has already checked.

    settings.PRIVATE_MEDIA_ACCEL_REDIRECT (nginx's internal location, e.g. "/protected/") answers an empty response
    with X-Accel-Redirect; settings.PRIVATE_MEDIA_SENDFILE answers with X-Sendfile (the absolute path); otherwise
    Django streams the file. Always an attachment unless asked, never sniffed, never cached by shared caches.
    """
    if not file_field:
        raise Http404("No file.")
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    accel = getattr(settings, "PRIVATE_MEDIA_ACCEL_REDIRECT", "")
    response: HttpResponse | FileResponse
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{quote(file_field.name)}"
    elif getattr(settings, "PRIVATE_MEDIA_SENDFILE", False):
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = file_field.storage.path(file_field.name)
    else:
        try:
            handle = file_field.storage.open(file_field.name, "rb")
        except FileNotFoundError:
            logger.warning("private file %s is missing on disk", file_field.name)
            raise Http404("No file.") from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_files_move(model, field_name: str, *, source=None) -> dict[str, int]:
    """Move the files of `model.field_name` from the storage they were uploaded to (the default storage, under
    MEDIA_ROOT) to the field's storage under generated names, updating each row. Idempotent: a row whose file is
    already in the field's storage is skipped. A file missing on disk is logged and its row left as it is.

    Used by the data migrations (with historical models) and by tests. Each row is updated on its own, and the old
    file is deleted only after its row points to the new one, so a crash loses nothing."""
    source = source or default_storage
    field = model._meta.get_field(field_name)
    target = field.storage
    counts = {"moved": 0, "skipped": 0, "missing": 0}
    rows = model._default_manager.exclude(**{field_name: ""}).exclude(**{f"{field_name}__isnull": True})
    for row in rows.order_by("pk").iterator():
        name = getattr(row, field_name).name
        if target.exists(name):
            counts["skipped"] += 1
            continue
        if not source.exists(name):
            logger.warning(
                "private files: %s.%s pk=%s: %s is missing on disk; row left as it is",
                model._meta.label,
                field_name,
                row.pk,
                name,
            )
            counts["missing"] += 1
            continue
        with source.open(name, "rb") as handle:
            new_name = target.save(field.generate_filename(row, PurePath(name).name), File(handle))
        model._default_manager.filter(pk=row.pk, **{field_name: name}).update(**{field_name: new_name})
        try:
            source.delete(name)
        except OSError:
            logger.warning("private files: could not delete the public copy %s", name)
        counts["moved"] += 1
    if any(counts.values()):
        logger.info("private files: %s.%s %s", model._meta.label, field_name, counts)
    return counts
