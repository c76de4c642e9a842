"""Buyer ↔ supplier inquiries: a product inquiry starts a conversation; a buyer sees only their own threads
(/messages/); sellers answer in the seller admin's conversation inbox."""

import pytest
from django.urls import reverse

from conversations.models import Conversation, Message
from marketplace.models import ProductStatus
from marketplace.services import inquiry_create
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(supplier_a):
    return ProductFactory(supplier=supplier_a, title="Alpha Cordless Drill 18V")


def test_buyer_sends_inquiry_from_product_page(client, buyer, product):
    client.force_login(buyer)
    response = client.post(product.get_absolute_url(), {"quantity": 500, "body": "Price for 500 pcs FOB Ningbo?"})
    inquiry = Conversation.objects.get()
    assert response.status_code == 302 and response.url == inquiry.get_absolute_url()
    assert inquiry.supplier == product.supplier and inquiry.quantity == 500
    assert inquiry.kind == "inquiry" and inquiry.topic == product
    assert inquiry.messages.get().body == "Price for 500 pcs FOB Ningbo?"


def test_anonymous_inquiry_redirects_to_login(client, product):
    response = client.post(product.get_absolute_url(), {"body": "hello"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("data", [{"body": ""}, {"body": "x", "quantity": 0}, {"body": "x", "quantity": "many"}])
def test_bad_inquiry_input_is_a_form_error(client, buyer, product, data):
    client.force_login(buyer)
    response = client.post(product.get_absolute_url(), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Conversation.objects.exists()


def test_cannot_inquire_about_a_draft(buyer, product):
    product.status = ProductStatus.DRAFT
    product.save()
    with pytest.raises(Exception, match="not available"):
        inquiry_create(buyer=buyer, product=product, body="hi")


def test_buyer_never_sees_another_buyers_inquiry(client, buyer, other_buyer, product):
    mine = inquiry_create(buyer=buyer, product=product, body="Mine: need 500 pcs")
    theirs = inquiry_create(buyer=other_buyer, product=product, body="Theirs: secret target price")
    client.force_login(buyer)
    listing = client.get(reverse("conversations:list")).content.decode()
    assert mine.get_absolute_url() in listing and theirs.get_absolute_url() not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    response = client.post(theirs.get_absolute_url(), {"body": "injected"})
    assert response.status_code == 404
    assert not Message.objects.filter(body="injected").exists()


def test_inquiry_list_query_count_is_bounded(client, buyer, product, django_assert_max_num_queries):
    for n in range(15):
        inquiry_create(buyer=buyer, product=product, body=f"question {n}")
    client.force_login(buyer)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("conversations:list")).status_code == 200


def test_seller_answers_own_inquiry(seller_a_client, buyer, product, supplier_a):
    inquiry = inquiry_create(buyer=buyer, product=product, body="Do you do OEM?")
    url = reverse("seller:conversations_conversation_change", args=[inquiry.pk])
    assert "Do you do OEM?" in seller_a_client.get(url).content.decode()
    response = seller_a_client.post(url, {"body": "Yes, OEM with your logo from 500 pcs."})
    assert response.status_code == 302 and response.url == url, response.content.decode()[:3000]
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.first_response_at is not None
    assert inquiry.messages.filter(from_supplier=True).get().body == "Yes, OEM with your logo from 500 pcs."


def test_seller_cannot_read_or_answer_other_suppliers_inquiry(client, seller_b, buyer, product):
    inquiry = inquiry_create(buyer=buyer, product=product, body="For Alpha only")
    client.force_login(seller_b)
    url = reverse("seller:conversations_conversation_change", args=[inquiry.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "sneaky"}).status_code == 404
    changelist = client.get(reverse("seller:conversations_conversation_changelist"))
    assert changelist.status_code == 200 and "For Alpha only" not in changelist.content.decode()
    assert not Message.objects.filter(body="sneaky").exists()


def test_reply_to_a_closed_inquiry_is_a_form_error(seller_a_client, buyer, product):
    inquiry = inquiry_create(buyer=buyer, product=product, body="Still available?")
    Conversation.objects.filter(pk=inquiry.pk).update(status="closed")
    url = reverse("seller:conversations_conversation_change", args=[inquiry.pk])
    response = seller_a_client.post(url, {"body": "Yes"})
    assert response.status_code == 400
    assert "This conversation is closed." in response.content.decode()
    assert inquiry.messages.count() == 1
