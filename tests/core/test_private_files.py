"""Private files (certificates, ranking evidence, designations, order documents, sourcing attachments): their own
storage under random names, no URL, downloads only through views that check the reader, and the move of files
uploaded before under MEDIA_ROOT."""

import logging
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import PrivateFileURLError, PrivateStorage, RandomName, private_file_response, private_files_move
from rankings.models import OfficialDesignation, SupplierFigures
from suppliers.models import Certification
from tests.factories import (
    CertificationFactory,
    OfficialDesignationFactory,
    SupplierFiguresFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RANDOM_NAME = re.compile(r"^[a-z-]+(/[a-z-]+)?/\d{4}/[0-9a-f]{32}\.pdf$")

# (model, field, factory, admin url prefix)
PRIVATE_ADMIN_FIELDS = [
    (Certification, "document", CertificationFactory, "suppliers_certification"),
    (SupplierFigures, "evidence", SupplierFiguresFactory, "rankings_supplierfigures"),
    (OfficialDesignation, "document", OfficialDesignationFactory, "rankings_officialdesignation"),
]
IDS = ["certificate", "ranking-evidence", "designation"]


def pdf(name="Audited statements 2024.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def public_media_finds(name: str) -> bool:
    """What /media/ answers for a path: the static serve view over MEDIA_ROOT (mounted under DEBUG; in production a
    front server or S3 serves the same directory)."""
    from django.conf import settings
    from django.http import Http404
    from django.test import RequestFactory
    from django.views.static import serve

    try:
        serve(RequestFactory().get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)
    except Http404:
        return False
    return True


def with_file(factory, supplier, field):
    return factory(supplier=supplier, **{field: pdf()})


# --- the storage ------------------------------------------------------------------------------------------------


def test_private_storage_has_no_url_and_lives_outside_media_root(settings, tmp_path):
    storage = PrivateStorage()
    assert Path(storage.location) == tmp_path / "private"
    with pytest.raises(PrivateFileURLError):
        storage.url("certificates/2025/x.pdf")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    with pytest.raises(ImproperlyConfigured):
        _ = PrivateStorage().location


def test_random_names_keep_only_a_safe_extension():
    name = RandomName("certificates")(None, "../../etc/ISO 9001 (final).PDF")
    assert RANDOM_NAME.match(name) and name.startswith("certificates/")
    assert RandomName("x")(None, "evil.p#p").endswith(tuple("0123456789abcdef"))
    assert RandomName("x") == RandomName("x") and RandomName("x") != RandomName("y")


@pytest.mark.parametrize(("model", "field", "factory", "_prefix"), PRIVATE_ADMIN_FIELDS, ids=IDS)
def test_uploads_go_to_private_storage_under_random_names(model, field, factory, _prefix, supplier_a, settings, client):
    obj = with_file(factory, supplier_a, field)
    file = getattr(obj, field)
    assert RANDOM_NAME.match(file.name), file.name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / file.name).read_bytes() == PDF
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    # /media/ never finds it: it serves MEDIA_ROOT, where the file is not.
    assert not public_media_finds(file.name)
    with pytest.raises(PrivateFileURLError):
        _ = file.url


def test_product_images_stay_public():
    from marketplace.models import ProductImage

    assert ProductImage._meta.get_field("image").storage is default_storage


# --- the response -----------------------------------------------------------------------------------------------


def test_response_streams_with_safe_headers(supplier_a):
    cert = with_file(CertificationFactory, supplier_a, "document")
    response = private_file_response(cert.document, filename="ISO 9001 – Alpha.pdf")
    assert response.streaming and body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''ISO%209001%20%E2%80%93%20Alpha.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert not response.has_header("X-Accel-Redirect")


def test_response_hands_the_file_to_nginx_with_x_accel_redirect(supplier_a, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/protected/"
    cert = with_file(CertificationFactory, supplier_a, "document")
    response = private_file_response(cert.document, filename="cert.pdf")
    assert not response.streaming and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{cert.document.name}"
    assert response["Content-Disposition"] == 'attachment; filename="cert.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]


def test_response_with_x_sendfile(supplier_a, settings):
    settings.PRIVATE_MEDIA_SENDFILE = True
    cert = with_file(CertificationFactory, supplier_a, "document")
    response = private_file_response(cert.document, filename="cert.pdf")
    assert response["X-Sendfile"] == str(Path(settings.PRIVATE_MEDIA_ROOT) / cert.document.name)
    assert response.content == b""


def test_response_for_a_missing_file_is_404(supplier_a):
    from django.http import Http404

    cert = with_file(CertificationFactory, supplier_a, "document")
    cert.document.storage.delete(cert.document.name)
    with pytest.raises(Http404):
        private_file_response(cert.document, filename="cert.pdf")


# --- the admin download views -----------------------------------------------------------------------------------


@pytest.fixture
def seller_b_client(client, seller_b):
    client.force_login(seller_b)
    return client


@pytest.mark.parametrize(("model", "field", "factory", "prefix"), PRIVATE_ADMIN_FIELDS, ids=IDS)
def test_seller_downloads_own_file_and_never_another_suppliers(
    model, field, factory, prefix, client, supplier_a, seller_a, seller_b, operator, settings
):
    obj = with_file(factory, supplier_a, field)
    seller_url = reverse(f"seller:{prefix}_private_file", args=[obj.pk, field])
    admin_url = reverse(f"admin:{prefix}_private_file", args=[obj.pk, field])
    assert seller_url.startswith("/seller/") and admin_url.startswith("/admin/")

    # Anonymous: sent to the login page, nothing of the file.
    for url in (seller_url, admin_url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"] and PDF not in body(response)

    client.force_login(seller_a)
    response = client.get(seller_url)
    assert response.status_code == 200 and body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;") and ".pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]
    # A field that is not a private file of this model is not a route to anything.
    assert client.get(reverse(f"seller:{prefix}_private_file", args=[obj.pk, "supplier"])).status_code == 404
    # Sellers are not operators.
    assert client.get(admin_url).status_code == 302

    client.force_login(seller_b)
    response = client.get(seller_url)
    assert response.status_code == 404 and PDF not in body(response)

    client.force_login(operator)
    response = client.get(admin_url)
    assert response.status_code == 200 and body(response) == PDF

    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/protected/"
    response = client.get(admin_url)
    assert response.status_code == 200 and response["X-Accel-Redirect"] == f"/protected/{getattr(obj, field).name}"


@pytest.mark.parametrize(("model", "field", "factory", "prefix"), PRIVATE_ADMIN_FIELDS, ids=IDS)
def test_change_forms_link_to_the_checked_download(
    model, field, factory, prefix, client, supplier_a, seller_a, operator
):
    obj = with_file(factory, supplier_a, field)
    stored = getattr(obj, field).name
    for user, site in ((seller_a, "seller"), (operator, "admin")):
        client.force_login(user)
        page = client.get(reverse(f"{site}:{prefix}_change", args=[obj.pk])).content.decode()
        assert reverse(f"{site}:{prefix}_private_file", args=[obj.pk, field]) in page
        assert "/media/" not in page and stored not in page


def test_operator_supplier_page_links_certificates_to_the_download(client, supplier_a, operator):
    cert = with_file(CertificationFactory, supplier_a, "document")
    client.force_login(operator)
    page = client.get(reverse("admin:suppliers_supplier_change", args=[supplier_a.pk])).content.decode()
    assert reverse("admin:suppliers_certification_private_file", args=[cert.pk, "document"]) in page
    assert "/media/" not in page and cert.document.name not in page


@pytest.mark.parametrize(("model", "field", "factory", "prefix"), PRIVATE_ADMIN_FIELDS, ids=IDS)
def test_view_only_operator_sees_a_download_link(model, field, factory, prefix, client, supplier_a):
    obj = with_file(factory, supplier_a, field)
    viewer = UserFactory(email="viewer@example.com", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename=f"view_{model._meta.model_name}", content_type__app_label=model._meta.app_label)
    )
    client.force_login(viewer)
    response = client.get(reverse(f"admin:{prefix}_change", args=[obj.pk]))
    page = response.content.decode()
    url = reverse(f"admin:{prefix}_private_file", args=[obj.pk, field])
    assert response.status_code == 200 and url in page and "/media/" not in page
    assert body(client.get(url)) == PDF


def test_seller_upload_through_the_admin_lands_in_private_storage(seller_a_client, supplier_a, settings):
    response = seller_a_client.post(
        reverse("seller:suppliers_certification_add"),
        {
            "type": "CE",
            "number": "CE-UPLOAD-1",
            "issuer": "TÜV",
            "valid_from": "2024-01-01",
            "valid_until": "2099-01-01",
            "document": pdf("my certificate.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cert = Certification.objects.get(number="CE-UPLOAD-1")
    assert RANDOM_NAME.match(cert.document.name) and "my certificate" not in cert.document.name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / cert.document.name).exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else True


def test_storefront_shows_the_check_never_the_document(client, supplier_a):
    from django.utils import timezone

    cert = with_file(CertificationFactory, supplier_a, "document")
    Certification.objects.filter(pk=cert.pk).update(verified_at=timezone.now())
    page = client.get(supplier_a.get_absolute_url()).content.decode()
    assert cert.number in page and cert.document.name not in page and "/media/" not in page


# --- moving the files uploaded before ---------------------------------------------------------------------------


def _old_upload(name: str) -> str:
    return default_storage.save(name, ContentFile(PDF))


@pytest.mark.parametrize(("model", "field", "factory", "prefix"), PRIVATE_ADMIN_FIELDS, ids=IDS)
def test_move_private_files_from_media_root(
    model, field, factory, prefix, client, supplier_a, seller_a, settings, caplog
):
    old_name = _old_upload(f"old-{field}/2024/audited statements.pdf")
    old_path = Path(settings.MEDIA_ROOT) / old_name
    assert old_path.exists() and public_media_finds(old_name)
    moved = factory(supplier=supplier_a)
    model.objects.filter(pk=moved.pk).update(**{field: old_name})
    missing = factory(supplier=supplier_a, **({"fiscal_year": 2023} if model is SupplierFigures else {}))
    model.objects.filter(pk=missing.pk).update(**{field: f"old-{field}/2024/gone.pdf"})
    empty = factory(supplier=supplier_a, **({"fiscal_year": 2022} if model is SupplierFigures else {}))

    with caplog.at_level(logging.WARNING, logger="core.files"):
        counts = private_files_move(model, field)
    assert counts == {"moved": 1, "skipped": 0, "missing": 1}
    assert "gone.pdf is missing on disk" in caplog.text

    moved.refresh_from_db()
    new_name = getattr(moved, field).name
    assert RANDOM_NAME.match(new_name), new_name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / new_name).read_bytes() == PDF
    assert not old_path.exists()
    assert not public_media_finds(old_name)
    # The row whose file was missing is kept as it was; the empty one untouched.
    missing.refresh_from_db()
    empty.refresh_from_db()
    assert getattr(missing, field).name == f"old-{field}/2024/gone.pdf" and not getattr(empty, field)

    # Readable through the checked view.
    client.force_login(seller_a)
    response = client.get(reverse(f"seller:{prefix}_private_file", args=[moved.pk, field]))
    assert response.status_code == 200 and body(response) == PDF

    # Idempotent.
    assert private_files_move(model, field) == {"moved": 0, "skipped": 1, "missing": 1}
    moved.refresh_from_db()
    assert getattr(moved, field).name == new_name


# Private from their first migration: no public file ever existed to move.
BORN_PRIVATE = {
    ("conversations", "Message", "attachment"),
    ("suppliers", "SupplierApplication", "business_licence"),
    ("suppliers", "SupplierApplication", "other_document"),
}


def test_migrations_move_every_private_field():
    """Every private FileField has a data migration calling private_files_move."""
    from django.apps import apps

    from core.files import PrivateStorage

    private_fields = {
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.fields
        if getattr(field, "storage", None) is not None and isinstance(field.storage, PrivateStorage)
    }
    assert private_fields == {
        ("suppliers", "Certification", "document"),
        ("rankings", "SupplierFigures", "evidence"),
        ("rankings", "OfficialDesignation", "document"),
        ("sourcing", "SourcingAttachment", "file"),
        ("deals", "OrderDocument", "file"),
        *BORN_PRIVATE,
    }
    root = Path(__file__).resolve().parents[2]
    sources = "\n".join(
        path.read_text()
        for app in ("suppliers", "rankings", "sourcing", "deals")
        for path in (root / app / "migrations").glob("*.py")
    )
    for app, model_name, field_name in private_fields - BORN_PRIVATE:
        assert f'("{model_name}", "{field_name}")' in sources, (app, model_name, field_name)
