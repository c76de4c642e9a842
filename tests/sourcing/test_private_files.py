"""Sourcing attachments live in the private storage under random names; the operator admin shows a checked
download link instead of a /media/ URL."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sourcing import services
from tests.core.test_private_files import public_media_finds
from tests.factories import UserFactory
from tests.sourcing.test_attachments import _body, _sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(buyer):
    request = services.sourcing_request_create(buyer=buyer, text="Bamboo boards to Rotterdam", files=[_sheet()])
    return request.attachments.get()


def test_attachments_are_private_under_random_names(attachment, settings):
    assert attachment.file.name.startswith("sourcing/requests/") and attachment.file.name.endswith(".csv")
    assert "bom" not in attachment.file.name and attachment.original_name == "bom.csv"
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name).exists()
    assert not public_media_finds(attachment.file.name)


def test_buyer_download_headers(client, buyer, attachment, settings):
    url = reverse("sourcing:request_attachment", args=[attachment.request_id, attachment.pk])
    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200 and b"bamboo cutting board" in _body(response)
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/protected/"
    response = client.get(url)
    assert response["X-Accel-Redirect"] == f"/protected/{attachment.file.name}" and response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="bom.csv"'


def test_operator_downloads_through_the_request_page(client, operator, seller_a, attachment):
    page_url = reverse("admin:sourcing_sourcingrequest_change", args=[attachment.request_id])
    url = reverse("admin:sourcing_sourcingrequest_attachment", args=[attachment.request_id, attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(seller_a)
    assert client.get(url).status_code == 302  # sellers are not operators
    client.force_login(operator)
    page = client.get(page_url).content.decode()
    assert url in page and "/media/" not in page and attachment.file.name not in page
    response = client.get(url)
    assert response.status_code == 200 and b"bamboo cutting board" in _body(response)
    # Through another request's address: 404.
    other = services.sourcing_request_create(buyer=attachment.request.buyer, text="Chairs to Madrid", files=[])
    assert (
        client.get(reverse("admin:sourcing_sourcingrequest_attachment", args=[other.pk, attachment.pk])).status_code
        == 404
    )


def test_staff_without_view_permission_get_nothing(client, attachment):
    staff = UserFactory(email="staff@example.com", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_rfq"))
    client.force_login(staff)
    url = reverse("admin:sourcing_sourcingrequest_attachment", args=[attachment.request_id, attachment.pk])
    assert client.get(url).status_code in (403, 404)
