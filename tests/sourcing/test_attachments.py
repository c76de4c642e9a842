"""Spec sheets and photos: the buyer downloads their own; a supplier downloads those of an RFQ sent to it, through
its own invitation; nobody else gets them (404), whatever id they try."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sourcing import services
from sourcing.models import RFQRecipient

pytestmark = pytest.mark.django_db


def _sheet(name="bom.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Item", "Qty"], ["bamboo cutting board", "2000"]])
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def shared(buyer, other_buyer, supplier_a, supplier_b, seller_a, seller_b):
    request = services.sourcing_request_create(buyer=buyer, text="Bamboo boards to Rotterdam", files=[_sheet()])
    attachment = request.attachments.get()
    rfq = services.rfq_create(
        buyer=buyer,
        title="Bamboo boards",
        lines=[{"product_name": "Bamboo board", "quantity": 2000}],
        quote_deadline=timezone.localdate() + timedelta(days=5),
        currency="EUR",
        sourcing_request=request,
    )
    services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk])  # not to supplier B
    other = services.sourcing_request_create(buyer=other_buyer, text="Office chairs to Madrid", files=[_sheet("x.csv")])
    return {
        "request": request,
        "attachment": attachment,
        "recipient_a": RFQRecipient.objects.get(rfq=rfq, supplier=supplier_a),
        "other_attachment": other.attachments.get(),
    }


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_buyer_downloads_their_own_file_and_nobody_else_does(client, buyer, other_buyer, shared):
    url = reverse("sourcing:request_attachment", args=[shared["request"].pk, shared["attachment"].pk])
    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200 and b"bamboo cutting board" in _body(response)
    assert 'attachment; filename="bom.csv"' in response["Content-Disposition"]
    # Another buyer's file through this buyer's request id, and this buyer's file as the other buyer: 404.
    crossed = reverse("sourcing:request_attachment", args=[shared["request"].pk, shared["other_attachment"].pk])
    assert client.get(crossed).status_code == 404
    client.force_login(other_buyer)
    assert client.get(url).status_code == 404


def test_the_invited_supplier_downloads_the_rfq_files_and_others_do_not(client, seller_a, seller_b, shared):
    recipient = shared["recipient_a"]
    url = reverse("seller:sourcing_rfqrecipient_attachment", args=[recipient.pk, shared["attachment"].pk])
    client.force_login(seller_a)
    assert b"bamboo cutting board" in _body(client.get(url))
    page = client.get(reverse("seller:sourcing_rfqrecipient_change", args=[recipient.pk])).content.decode()
    assert url in page
    # A file that is not on this RFQ, even through A's own invitation: 404.
    other = reverse("seller:sourcing_rfqrecipient_attachment", args=[recipient.pk, shared["other_attachment"].pk])
    assert client.get(other).status_code == 404
    # Supplier B was not invited: A's invitation id gets it nothing.
    client.force_login(seller_b)
    assert client.get(url).status_code == 404


# --- the same through the API (mobile clients), JWT as the apps use it ------------------------------------------


def _api(user):
    from tests.sourcing.test_api import client_for

    return client_for(user)


def test_api_downloads_follow_the_same_rules(buyer, other_buyer, seller_a, seller_b, shared):
    request_id, attachment_id = shared["request"].pk, shared["attachment"].pk
    mine = f"/api/v1/sourcing/requests/{request_id}/attachments/{attachment_id}/"
    response = _api(buyer).get(mine)
    assert response.status_code == 200 and b"bamboo cutting board" in _body(response)
    assert _api(other_buyer).get(mine).status_code == 404
    received = f"/api/v1/sourcing/received-rfqs/{shared['recipient_a'].pk}/attachments/{attachment_id}/"
    assert b"bamboo cutting board" in _body(_api(seller_a).get(received))
    assert _api(seller_b).get(received).status_code == 404
    crossed = f"/api/v1/sourcing/received-rfqs/{shared['recipient_a'].pk}/attachments/{shared['other_attachment'].pk}/"
    assert _api(seller_a).get(crossed).status_code == 404
