"""The mobile API shows the agent marks the pages show: a message the buyer's assistant wrote, an RFQ it drafted —
to the buyer and to the supplier that received it, and to no other supplier."""

import pytest

from agents import services
from sourcing.models import RFQRecipient
from tests.api.helpers import client_for
from tests.factories import ProductFactory

from .test_pages import caller, drafted

pytestmark = pytest.mark.django_db


def test_an_agent_written_message_is_marked_for_the_buyer_and_the_supplier(buyer, supplier_a, seller_a, seller_b):
    product = ProductFactory(supplier=supplier_a)
    inquiry = services.agent_message_send(caller=caller(buyer), body="Lead time for 2,000 pcs?", product_id=product.pk)
    mine = client_for(buyer).get(f"/api/v1/conversations/{inquiry.pk}/").json()
    assert mine["messages"][0]["via_agent"] == "Desk Assistant"
    theirs = client_for(seller_a).get(f"/api/v1/supplier/conversations/{inquiry.pk}/").json()
    assert theirs["messages"][0]["via_agent"] == "Desk Assistant"
    assert client_for(seller_b).get(f"/api/v1/supplier/conversations/{inquiry.pk}/").status_code == 404


def test_an_agent_drafted_rfq_is_marked_for_the_buyer_and_the_supplier_it_reached(
    buyer, supplier_a, supplier_b, seller_a, seller_b, committed
):
    confirmation = drafted(buyer, [supplier_a])
    with committed():
        services.rfq_confirmation_send(confirmation=confirmation, buyer=buyer)
    listed = client_for(buyer).get("/api/v1/sourcing/rfqs/").json()["results"]
    assert listed[0]["drafted_by_agent"] == "Desk Assistant"
    invitation = RFQRecipient.objects.get(supplier=supplier_a)
    received = client_for(seller_a).get(f"/api/v1/sourcing/received-rfqs/{invitation.pk}/").json()
    assert received["rfq"]["drafted_by_agent"] == "Desk Assistant"
    assert client_for(seller_b).get(f"/api/v1/sourcing/received-rfqs/{invitation.pk}/").status_code == 404
