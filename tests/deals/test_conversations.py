"""Threads about an RFQ and an order: the buyer writes to a supplier the RFQ went to, or to the order's supplier,
and the conversation continues under Messages (kind rfq, order, after-sales); nobody else can write there."""

import pytest
from django.urls import reverse

from conversations.models import Conversation, ConversationKind
from tests.deals.builders import accepted_quote, order_at

pytestmark = pytest.mark.django_db


def test_the_buyer_asks_an_rfq_supplier_and_the_thread_continues(client, buyer, other_buyer, sent_rfq, supplier_a):
    url = reverse("sourcing:rfq_message", args=[sent_rfq.pk])
    client.force_login(buyer)
    assert "Ask a supplier" in client.get(sent_rfq.get_absolute_url()).content.decode()
    first = client.post(url, {"supplier": supplier_a.pk, "body": "Could you do 1.6 cm thickness?"})
    thread = Conversation.objects.get()
    assert first.status_code == 302 and first.url == thread.get_absolute_url()
    assert (thread.kind, thread.topic, thread.supplier) == (ConversationKind.RFQ, sent_rfq, supplier_a)
    client.post(url, {"supplier": supplier_a.pk, "body": "And FSC paper sleeves?"})
    assert Conversation.objects.count() == 1 and thread.messages.count() == 2

    client.force_login(other_buyer)
    assert client.post(url, {"supplier": supplier_a.pk, "body": "Me too"}).status_code == 404
    assert thread.messages.count() == 2


def test_only_suppliers_the_rfq_went_to_can_be_asked(client, buyer, sent_rfq, supplier_b):
    client.force_login(buyer)
    response = client.post(
        reverse("sourcing:rfq_message", args=[sent_rfq.pk]), {"supplier": supplier_b.pk, "body": "Hello?"}, follow=True
    )
    assert "This RFQ was not sent to that supplier." in response.content.decode()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(("stage", "kind"), [("funded", "order"), ("delivered", "after_sales")])
def test_the_buyer_writes_about_an_order(client, buyer, other_buyer, supplier_a, seller_a, operator, stage, kind):
    order = order_at(stage, quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    url = reverse("deals:order_message", args=[order.pk])
    client.force_login(other_buyer)
    assert client.post(url, {"body": "Where is my order?"}).status_code == 404
    client.force_login(buyer)
    assert "Message" in client.get(order.get_absolute_url()).content.decode()
    assert client.post(url, {"body": ""}).status_code == 200  # the order page again, with the form's error
    assert not Conversation.objects.exists()
    client.post(url, {"body": "When does the container leave Ningbo?"})
    thread = Conversation.objects.get()
    assert (thread.kind, thread.topic, thread.supplier, thread.buyer) == (kind, order, supplier_a, buyer)
