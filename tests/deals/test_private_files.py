"""Order documents (shipping papers, inspection reports, dispute evidence) live in the private storage and reach
the buyer of the order, the seller of the order and operators only, with the download headers of core.files."""

from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from deals.models import OrderDocument
from deals.services import orders
from tests.core.test_private_files import public_media_finds
from tests.deals.builders import PDF_BYTES, accepted_quote, order_at, pdf_file


@pytest.fixture
def document(buyer, supplier_a, seller_a, operator):
    order = order_at("funded", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    return orders.document_upload(
        order=order, actor=seller_a, side="supplier", kind="packing_list", file=pdf_file("packing list.pdf")
    )


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _urls(document):
    return {
        "buyer page": reverse("deals:order_document", args=[document.order_id, document.pk]),
        "api": f"/api/v1/deals/orders/{document.order_id}/documents/{document.pk}/",
        "seller": reverse("seller:deals_order_document", args=[document.order_id, document.pk]),
        "operator": reverse("admin:deals_orderdocument_download", args=[document.pk]),
    }


def test_order_documents_are_private_under_generated_names(document, settings):
    assert document.file.name.startswith("deals/orders/") and document.file.name.endswith(".pdf")
    assert "packing" not in document.file.name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name).read_bytes() == PDF_BYTES
    assert not public_media_finds(document.file.name)
    assert OrderDocument._meta.get_field("file").storage.__class__.__name__ == "PrivateStorage"


def test_each_reader_gets_the_file_with_safe_headers(client, document, buyer, seller_a, operator):
    urls = _urls(document)
    readers = {"buyer page": buyer, "seller": seller_a, "operator": operator}
    for where, user in readers.items():
        client.force_login(user)
        response = client.get(urls[where])
        assert response.status_code == 200 and _body(response) == PDF_BYTES, where
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="packing list.pdf"', where
        assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"], where
    api = APIClient()
    api.force_authenticate(buyer)
    response = api.get(urls["api"])
    assert response.status_code == 200 and _body(response) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"


def test_others_get_nothing(client, document, other_buyer, seller_b):
    urls = _urls(document)
    for where in ("buyer page", "seller", "operator"):
        response = client.get(urls[where])
        assert response.status_code == 302 and PDF_BYTES not in _body(response), where
    for user, where in ((other_buyer, "buyer page"), (seller_b, "seller"), (seller_b, "buyer page")):
        client.force_login(user)
        response = client.get(urls[where])
        assert response.status_code == 404 and PDF_BYTES not in _body(response), (user, where)


def test_x_accel_redirect_mode(client, document, buyer, seller_a, operator, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/protected/"
    urls = _urls(document)
    for where, user in {"buyer page": buyer, "seller": seller_a, "operator": operator}.items():
        client.force_login(user)
        response = client.get(urls[where])
        assert response.status_code == 200 and response.content == b"", where
        assert response["X-Accel-Redirect"] == f"/protected/{document.file.name}", where
        assert response["Content-Disposition"] == 'attachment; filename="packing list.pdf"'
