"""Conversations: a buyer starts a product inquiry (POST /inquiries/), then asks and replies in their own threads
(/conversations/); supplier staff read and answer their supplier's (/supplier/conversations/)."""

import pytest

from conversations.models import Conversation, ConversationStatus, Message
from conversations.services import message_send
from marketplace import services
from tests.factories import BuyerFactory, ProductFactory

from .helpers import client_for, error_fields

pytestmark = pytest.mark.django_db

INQUIRIES = "/api/v1/inquiries/"
CONVERSATIONS = "/api/v1/conversations/"
INBOX = "/api/v1/supplier/conversations/"
MESSAGE_FIELDS = {
    "id",
    "body",
    "language",
    "translation",
    "from_supplier",
    "sender_name",
    "via_agent",
    "attachment",
    "read",
    "created_at",
}


def ask(client, product, body="Can you do 2,000 pcs with our logo?", quantity=2000):
    return client.post(INQUIRIES, {"product": product.pk, "body": body, "quantity": quantity}, format="json")


def test_buyer_asks_and_the_supplier_answers(buyer_api, seller_a_api, catalog):
    created = ask(buyer_api, catalog["drill"])
    assert created.status_code == 201, created.content
    thread = created.json()
    assert thread["status"] == "open"
    assert thread["kind"] == "inquiry" and "product" not in thread
    drill = catalog["drill"]
    assert thread["topic"] == {"type": "marketplace.product", "id": drill.pk, "name": drill.title}
    assert thread["supplier"]["slug"] == "alpha-tools"
    assert thread["quantity"] == 2000
    assert [m["body"] for m in thread["messages"]] == ["Can you do 2,000 pcs with our logo?"]
    first = thread["messages"][0]
    assert set(first) == MESSAGE_FIELDS
    assert first["attachment"] is None and first["read"] is False and first["from_supplier"] is False

    inbox = seller_a_api.get(INBOX).json()["results"]
    assert [item["id"] for item in inbox] == [thread["id"]]
    assert inbox[0]["buyer"]["country"] == "DE"
    assert inbox[0]["topic"] == thread["topic"]

    answer = seller_a_api.post(f"{INBOX}{thread['id']}/messages/", {"body": "Yes, 25 days."}, format="json")
    assert answer.status_code == 201
    assert answer.json()["from_supplier"] is True and set(answer.json()) == MESSAGE_FIELDS

    seen = buyer_api.get(f"{CONVERSATIONS}{thread['id']}/").json()
    assert seen["status"] == "answered"
    assert [(m["body"], m["from_supplier"]) for m in seen["messages"]] == [
        ("Can you do 2,000 pcs with our logo?", False),
        ("Yes, 25 days.", True),
    ]
    reply = buyer_api.post(f"{CONVERSATIONS}{thread['id']}/messages/", {"body": "Great, sample please."}, format="json")
    assert reply.status_code == 201
    assert Conversation.objects.get(pk=thread["id"]).status == ConversationStatus.OPEN
    assert seller_a_api.get(f"{INBOX}{thread['id']}/").json()["messages"][-1]["body"] == "Great, sample please."


def test_conversation_list_filters_by_status(buyer_api, seller_a_api, catalog):
    first = ask(buyer_api, catalog["drill"]).json()["id"]
    ask(buyer_api, catalog["saw"])
    seller_a_api.post(f"{INBOX}{first}/messages/", {"body": "Answered."}, format="json")
    answered = buyer_api.get(CONVERSATIONS, {"status": "answered"}).json()["results"]
    assert [item["id"] for item in answered] == [first]
    assert buyer_api.get(CONVERSATIONS, {"status": "lost"}).status_code == 400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity": -5}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": 10**12}, "quantity"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": 42}, "body"),
        ({"product": "drill"}, "product"),
        ({"product": None}, "product"),
    ],
)
def test_bad_inquiries_are_400_and_write_nothing(buyer_api, catalog, payload, field):
    base = {"product": catalog["drill"].pk, "body": "Hello", "quantity": 100}
    response = buyer_api.post(INQUIRIES, {**base, **payload}, format="json")
    assert response.status_code == 400
    assert field in {name for name, _code in error_fields(response)}
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_unpublished_product_and_own_company_are_refused(buyer_api, seller_a_api, catalog):
    response = ask(buyer_api, catalog["draft"])
    assert response.status_code == 400
    assert error_fields(response) == {("product", "does_not_exist")}
    # A seller may buy from others, but not inquire at their own company (the service's rule).
    response = ask(seller_a_api, catalog["drill"])
    assert response.status_code == 400
    assert error_fields(response) == {(None, "own_company")}
    assert ask(seller_a_api, catalog["kettle"]).status_code == 201
    assert Conversation.objects.count() == 1


def test_closed_conversations_take_no_replies(buyer_api, catalog):
    pk = ask(buyer_api, catalog["drill"]).json()["id"]
    Conversation.objects.filter(pk=pk).update(status=ConversationStatus.CLOSED)
    response = buyer_api.post(f"{CONVERSATIONS}{pk}/messages/", {"body": "Hello?"}, format="json")
    assert response.status_code == 400
    assert Message.objects.filter(conversation_id=pk).count() == 1


def test_buyers_only_ever_see_their_own_conversations(buyer_api, other_buyer_api, catalog):
    mine = ask(buyer_api, catalog["drill"]).json()["id"]
    theirs = ask(other_buyer_api, catalog["kettle"]).json()["id"]
    assert [item["id"] for item in buyer_api.get(CONVERSATIONS).json()["results"]] == [mine]
    assert [item["id"] for item in other_buyer_api.get(CONVERSATIONS).json()["results"]] == [theirs]

    assert other_buyer_api.get(f"{CONVERSATIONS}{mine}/").status_code == 404
    crafted = other_buyer_api.post(f"{CONVERSATIONS}{mine}/messages/", {"body": "Injected"}, format="json")
    assert crafted.status_code == 404
    assert error_fields(crafted) == {(None, "not_found")}
    for action in ("read", "translate"):
        response = other_buyer_api.post(f"{CONVERSATIONS}{mine}/{action}/")
        assert response.status_code == 404 and error_fields(response) == {(None, "not_found")}
    assert not Message.objects.filter(body="Injected").exists()
    conversation = Conversation.objects.get(pk=mine)
    assert conversation.status == ConversationStatus.OPEN and conversation.supplier_read_at is None


def test_supplier_staff_only_see_their_suppliers_conversations(buyer_api, seller_a_api, seller_b_api, catalog):
    to_a = ask(buyer_api, catalog["drill"]).json()["id"]
    to_b = ask(buyer_api, catalog["kettle"]).json()["id"]
    assert [item["id"] for item in seller_a_api.get(INBOX).json()["results"]] == [to_a]
    assert [item["id"] for item in seller_b_api.get(INBOX).json()["results"]] == [to_b]

    assert seller_b_api.get(f"{INBOX}{to_a}/").status_code == 404
    crafted = seller_b_api.post(f"{INBOX}{to_a}/messages/", {"body": "Cheaper here!"}, format="json")
    assert crafted.status_code == 404
    assert seller_b_api.post(f"{INBOX}{to_a}/read/").status_code == 404
    assert not Message.objects.filter(body="Cheaper here!").exists()
    conversation = Conversation.objects.get(pk=to_a)
    assert conversation.status == ConversationStatus.OPEN and conversation.supplier_read_at is None
    # The buyer-side endpoint does not open other buyers' threads to sellers either.
    assert seller_b_api.get(f"{CONVERSATIONS}{to_a}/").status_code == 404


def test_the_supplier_inbox_is_for_supplier_staff(buyer_api, api, catalog):
    response = buyer_api.get(INBOX)
    assert response.status_code == 403
    assert error_fields(response) == {(None, "permission_denied")}
    assert api.get(INBOX).status_code == 401
    assert api.get(CONVERSATIONS).status_code == 401
    assert api.post(INQUIRIES, {}, format="json").status_code == 401


@pytest.mark.parametrize("rows", [5, 50])
def test_conversation_lists_query_count_is_bounded(
    seller_a, supplier_a, categories, rows, django_assert_max_num_queries
):
    product = ProductFactory(supplier=supplier_a, category=categories["tools"])
    buyer = BuyerFactory()
    for i in range(rows):
        services.inquiry_create(buyer=BuyerFactory() if i % 2 else buyer, product=product, body=f"Q{i}")
    seller = client_for(seller_a)
    # Membership lookup, conversations with buyer profile, their topics (the products, one query for all).
    with django_assert_max_num_queries(3):
        response = seller.get(INBOX, {"page_size": 50})
    assert len(response.json()["results"]) == rows
    mine = client_for(buyer)
    with django_assert_max_num_queries(2):  # conversations with supplier and unread count, their topics
        response = mine.get(CONVERSATIONS, {"page_size": 50})
    assert len(response.json()["results"]) == (rows + 1) // 2


def test_thread_query_count_is_bounded(buyer, seller_a, supplier_a, categories, django_assert_max_num_queries):
    product = ProductFactory(supplier=supplier_a, category=categories["tools"])
    conversation = services.inquiry_create(buyer=buyer, product=product, body="First")
    for i in range(30):
        message_send(
            conversation=conversation, sender=seller_a if i % 2 else buyer, body=f"M{i}", from_supplier=bool(i % 2)
        )
    # The conversation with its supplier, its topic, its messages with senders, their translations.
    with django_assert_max_num_queries(4):
        response = client_for(buyer).get(f"{CONVERSATIONS}{conversation.pk}/")
    assert len(response.json()["messages"]) == 31
    with django_assert_max_num_queries(5):  # the same, after the membership lookup
        response = client_for(seller_a).get(f"{INBOX}{conversation.pk}/")
    assert len(response.json()["messages"]) == 31
