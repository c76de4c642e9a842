"""seed_responsiveness_demo: demo suppliers publish response commitments, one clearly kept and one clearly broken,
consistent with their conversations; a re-run adds nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conversations.models import Conversation, Message
from suppliers.models import Supplier
from tests.factories import BuyerFactory, MembershipFactory, ProductFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_kept_and_broken_commitments_and_idempotent():
    buyer = BuyerFactory()
    for n in range(3):
        supplier = SupplierFactory(slug=f"demo-{n:05d}")
        MembershipFactory(supplier=supplier)
        product = ProductFactory(supplier=supplier)
        created = timezone.now() - timedelta(days=3)
        Conversation.objects.create(
            buyer=buyer,
            supplier=supplier,
            subject=product.title,
            created_at=created,
            first_response_at=created + timedelta(minutes=20),
            last_message_at=created + timedelta(minutes=20),
        )
    out = io.StringIO()
    call_command("seed_responsiveness_demo", stdout=out)
    kept, broken, measured = Supplier.objects.filter(slug__startswith="demo-").order_by("slug")
    assert kept.commitment_kept is True and kept.commitment_sample_size >= 20
    assert broken.commitment_kept is False and broken.commitment_kept_rate <= 50
    assert measured.response_commitment_minutes == 240 and measured.commitment_kept is None  # 1 conversation
    assert "— kept: " in out.getvalue() and "— not kept lately: " in out.getvalue()
    # Every answered conversation has the seller's answer at its first-response time.
    answered = Conversation.objects.filter(supplier=kept, messages__isnull=False).exclude(first_response_at=None)
    assert answered.exists()
    for conversation in answered:
        assert Message.objects.filter(
            conversation=conversation, from_supplier=True, created_at=conversation.first_response_at
        ).exists()
    before = (Conversation.objects.count(), Message.objects.count())
    call_command("seed_responsiveness_demo", stdout=io.StringIO())
    assert (Conversation.objects.count(), Message.objects.count()) == before
