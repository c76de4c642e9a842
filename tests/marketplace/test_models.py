"""Database constraints hold even when a write skips forms (imports, scripts, bugs)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from marketplace.models import PriceTier, ProductImage
from marketplace.services import product_publish, product_refresh_derived
from suppliers.models import Certification, Supplier
from tests.factories import CategoryFactory, CertificationFactory, PriceTierFactory, ProductFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def violates(**create):
    model, values = create.pop("model"), create
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


def test_price_tier_constraints():
    product = ProductFactory(tiers=[])
    violates(model=PriceTier, product=product, min_quantity=0, unit_price=Decimal("1"))
    violates(model=PriceTier, product=product, min_quantity=10, unit_price=Decimal("0"))
    PriceTierFactory(product=product, min_quantity=10, unit_price=Decimal("1"))
    violates(model=PriceTier, product=product, min_quantity=10, unit_price=Decimal("0.9"))


def test_product_constraints():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(moq=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(currency="usd")
    product = ProductFactory(external_id="SKU-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(supplier=product.supplier, external_id="SKU-1")
    ProductFactory(supplier=product.supplier, external_id="")  # blank ids never clash
    ProductFactory(supplier=product.supplier, external_id="")


def test_supplier_constraints():
    violates(model=Supplier, name="X", slug="x", kind="wholesaler")
    violates(model=Supplier, name="X", slug="x", kind="factory", country="cn")
    violates(model=Supplier, name="X", slug="x", kind="factory", staff_count=10, rd_staff_count=11)
    violates(model=Supplier, name="X", slug="x", kind="factory", rd_spend_share=Decimal("120"))
    violates(model=Supplier, name="X", slug="x", kind="factory", rating_average=Decimal("6"))


def test_supplier_clean_rejects_future_founding():
    supplier = SupplierFactory.build(founded_year=datetime.date.today().year + 2)
    with pytest.raises(ValidationError) as error:
        supplier.full_clean()
    assert "founded_year" in error.value.message_dict


def test_certification_constraints_and_expiry():
    supplier = SupplierFactory()
    violates(
        model=Certification,
        supplier=supplier,
        type="XX",
        number="1",
        issuer="a",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
    )
    violates(
        model=Certification,
        supplier=supplier,
        type="CE",
        number="1",
        issuer="a",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2023, 1, 1),
    )
    expired = Certification(
        supplier=supplier,
        type="CE",
        number="2",
        issuer="a",
        valid_from=datetime.date(2019, 1, 1),
        valid_until=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError, match="expired on 2020-01-01"):
        expired.full_clean()


def test_category_cannot_be_its_own_ancestor():
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


def _png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def test_image_upload_must_be_a_real_image(settings):
    product = ProductFactory()
    fake = ProductImage(product=product, image=SimpleUploadedFile("photo.jpg", b"not an image", "image/jpeg"))
    with pytest.raises(ValidationError) as error:
        fake.full_clean()
    assert "image" in error.value.message_dict
    real = ProductImage(product=product, image=SimpleUploadedFile("photo.png", _png_bytes(), "image/png"))
    real.full_clean()
    settings.SILKWAY_MAX_UPLOAD_BYTES = 10
    too_big = ProductImage(product=product, image=SimpleUploadedFile("photo.png", _png_bytes(), "image/png"))
    with pytest.raises(ValidationError, match="limit"):
        too_big.full_clean()


def test_publish_requires_price_tiers_and_valid_certificates():
    product = ProductFactory(status="draft", tiers=[])
    with pytest.raises(ValidationError, match="price tier"):
        product_publish(product=product)
    PriceTierFactory(product=product, min_quantity=product.moq, unit_price=Decimal("3"))
    expired = CertificationFactory(
        supplier=product.supplier, valid_from=datetime.date(2019, 1, 1), valid_until=datetime.date(2020, 1, 1)
    )
    product.certifications.add(expired)
    with pytest.raises(ValidationError, match="expired"):
        product_publish(product=product)
    product.certifications.remove(expired)
    assert product_publish(product=product).status == "published"


def test_refresh_derived_sets_price_range_and_quality():
    product = ProductFactory(tiers=[(100, "9.50"), (1000, "7.25")])
    product_refresh_derived(product=product)
    product.refresh_from_db()
    assert (product.price_min, product.price_max) == (Decimal("7.25"), Decimal("9.50"))
    assert 0 < product.quality_score < 100
