"""seed_demo builds a realistic marketplace deterministically and never duplicates on re-run."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from conversations.models import Conversation, Message
from marketplace.models import Product, ProductTranslation
from suppliers.models import Supplier, SupplierMembership
from taxonomy.models import Category

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "categories": Category.objects.count(),
        "suppliers": Supplier.objects.count(),
        "products": Product.objects.count(),
        "translations": ProductTranslation.objects.count(),
        "users": User.objects.count(),
        "inquiries": Conversation.objects.count(),
        "messages": Message.objects.count(),
    }


def test_seed_demo_is_realistic_deterministic_and_idempotent(settings, tmp_path):
    call_command("seed_demo", "--suppliers", "40", "--products", "120", "--seed", "7", stdout=io.StringIO())
    first = snapshot()
    assert first["categories"] == 40
    assert Category.objects.filter(parent=None, sector="consumer").count() == 4
    assert first["suppliers"] == 40 and first["products"] == 120
    assert set(Supplier.objects.values_list("kind", flat=True)) >= {"factory", "trading_company"}
    assert SupplierMembership.objects.count() == 40
    drill = Product.objects.filter(category__slug="power-tools").first()
    assert drill.price_tiers.count() == 3 and drill.attributes.count() >= 3
    assert drill.translations.filter(language="de").exists()
    inquiry = Conversation.objects.filter(kind="inquiry").first()
    assert inquiry is not None and isinstance(inquiry.topic, Product) and inquiry.messages.exists()
    assert Supplier.objects.filter(response_rate__isnull=False).exists()
    titles = list(Product.objects.order_by("external_id").values_list("external_id", "title", "supplier__slug"))

    call_command("seed_demo", "--suppliers", "40", "--products", "120", "--seed", "7", stdout=io.StringIO())
    assert snapshot() == first

    call_command("seed_demo", "--suppliers", "40", "--products", "150", "--seed", "7", stdout=io.StringIO())
    assert Product.objects.count() == 150
    again = list(
        Product.objects.filter(external_id__in=[t[0] for t in titles])
        .order_by("external_id")
        .values_list("external_id", "title", "supplier__slug")
    )
    assert again == titles
