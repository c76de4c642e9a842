"""The upgrade from inquiries to conversations (marketplace 0016/0017): every thread and message survives with its
id, its product and its timestamps, on SQLite and PostgreSQL; new threads get fresh ids; the step goes back too."""

import datetime

import pytest
from django.utils import timezone

from conversations import services
from conversations.models import Conversation, ConversationKind, Message
from marketplace.models import Product
from tests.migrations import just_before, latest_nodes, migrate_to

STEP = ("marketplace", "0016_inquiries_to_conversations")


@pytest.mark.django_db(transaction=True)
def test_inquiries_become_conversations_with_their_ids_and_back():
    latest = latest_nodes()
    try:
        old = migrate_to(just_before(STEP))
        User = old.get_model("accounts", "User")
        Supplier = old.get_model("suppliers", "Supplier")
        Membership = old.get_model("suppliers", "SupplierMembership")
        Category = old.get_model("taxonomy", "Category")
        OldProduct = old.get_model("marketplace", "Product")
        Inquiry = old.get_model("marketplace", "Inquiry")
        InquiryMessage = old.get_model("marketplace", "InquiryMessage")
        buyer = User.objects.create(email="old-buyer@example.com")
        seller = User.objects.create(email="old-seller@example.com")
        supplier = Supplier.objects.create(name="Old Factory", slug="old-factory", kind="factory", country="CN")
        Membership.objects.create(user=seller, supplier=supplier)
        category = Category.objects.create(slug="old-tools", name="Old Tools", sector="industrial")
        product = OldProduct.objects.create(
            supplier=supplier, category=category, title="Legacy Drill", slug="legacy", lead_time_days=10
        )
        asked = timezone.now() - datetime.timedelta(days=3)
        answered = asked + datetime.timedelta(minutes=42)
        about_product = Inquiry.objects.create(
            pk=7001,
            buyer=buyer,
            supplier=supplier,
            product=product,
            subject="Legacy Drill",
            quantity=500,
            status="answered",
            created_at=asked,
            first_response_at=answered,
            last_message_at=answered,
        )
        from_storefront = Inquiry.objects.create(
            pk=7002, buyer=buyer, supplier=supplier, subject="Catalogue?", created_at=asked, last_message_at=asked
        )
        question = InquiryMessage.objects.create(
            pk=9001, inquiry=about_product, sender=buyer, body="Price for 500?", via_agent="Shopper", created_at=asked
        )
        InquiryMessage.objects.create(
            pk=9002, inquiry=about_product, sender=seller, from_supplier=True, body="USD 4.10", created_at=answered
        )
        InquiryMessage.objects.create(
            pk=9003, inquiry=from_storefront, sender=buyer, body="Catalogue?", created_at=asked
        )

        migrate_to(latest)

        thread = Conversation.objects.get(pk=7001)
        assert (thread.buyer_id, thread.supplier_id, thread.kind) == (buyer.pk, supplier.pk, ConversationKind.INQUIRY)
        assert isinstance(thread.topic, Product) and thread.topic.pk == product.pk
        assert (thread.subject, thread.quantity, thread.status) == ("Legacy Drill", 500, "answered")
        assert (thread.created_at, thread.first_response_at, thread.last_message_at) == (asked, answered, answered)
        assert Conversation.objects.get(pk=7002).topic is None
        moved = list(
            Message.objects.filter(conversation=thread).values_list("pk", "from_supplier", "body", "via_agent")
        )
        assert moved == [(9001, False, "Price for 500?", "Shopper"), (9002, True, "USD 4.10", "")]
        # Nobody is e-mailed about history: old messages count as notified.
        assert not Message.objects.filter(notified_at__isnull=True).exists()
        # The id sequences moved past the copied rows (PostgreSQL): a new thread and message get fresh ids.
        new = services.conversation_start(buyer=thread.buyer, supplier=thread.supplier, body="Still there?")
        assert new.pk > 7002 and new.messages.get().pk > 9003

        back = migrate_to(just_before(STEP))
        Inquiry = back.get_model("marketplace", "Inquiry")
        InquiryMessage = back.get_model("marketplace", "InquiryMessage")
        restored = Inquiry.objects.get(pk=7001)
        assert restored.product_id == product.pk and restored.first_response_at == answered
        assert InquiryMessage.objects.get(pk=question.pk).body == "Price for 500?"
        assert Inquiry.objects.count() == 3  # the new thread went back as an inquiry too
    finally:
        migrate_to(latest)
