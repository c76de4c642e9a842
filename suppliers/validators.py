"""Upload validators: a file must be what it claims to be, and not too big."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
DOCUMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}


def validate_upload_size(file):
    limit = settings.SILKWAY_MAX_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )


def validate_image_upload(file):
    """Accept JPEG, PNG and WebP images only, checked by decoding the header, not by the file name."""
    from PIL import Image, UnidentifiedImageError

    validate_upload_size(file)
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("Upload a valid image: the file is not a picture."), code="invalid_image") from exc
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Images must be JPEG, PNG or WebP, not %(format)s."), code="image_format", params={"format": image_format}
        )


def validate_document_upload(file):
    """Certificates: PDF or a scan (JPEG/PNG), identified by their magic bytes."""
    validate_upload_size(file)
    extension = Path(file.name).suffix.lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("Upload a PDF, JPEG or PNG document."), code="document_type")
    position = file.tell() if hasattr(file, "tell") else None
    file.seek(0)
    head = file.read(8)
    if position is not None:
        file.seek(position)
    magic_ok = head.startswith(b"%PDF") or head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")
    if not magic_ok:
        raise ValidationError(_("The document's content does not match a PDF, JPEG or PNG file."), code="document_type")
