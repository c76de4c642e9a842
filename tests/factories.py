"""factory_boy factories shared by every test folder."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import BuyerProfile, User
from core.models import AdminAuditEntry, AuditSite
from marketplace.models import (
    Favorite,
    PriceTier,
    Product,
    ProductAttribute,
    ProductImage,
    ProductStatus,
    ProductTranslation,
)
from rankings.models import OfficialDesignation, RankingPenalty, SupplierFigures
from suppliers.models import Certification, Supplier, SupplierKind, SupplierMembership
from taxonomy.models import Category


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BuyerFactory(UserFactory):
    profile = factory.RelatedFactory("tests.factories.BuyerProfileFactory", factory_related_name="user")


class BuyerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerProfile

    user = factory.SubFactory(UserFactory)
    company_name = factory.Sequence(lambda n: f"Buyer Co {n}")
    country = "DE"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Ningbo Supplier {n} Co., Ltd.")
    slug = factory.Sequence(lambda n: f"supplier-{n}")
    kind = SupplierKind.FACTORY
    region = "Ningbo, Zhejiang"
    founded_year = 2008


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierMembership

    user = factory.SubFactory(UserFactory)
    supplier = factory.SubFactory(SupplierFactory)
    role = "owner"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    supplier = factory.SubFactory(SupplierFactory)
    type = "CE"
    number = factory.Sequence(lambda n: f"CE-{n:06d}")
    issuer = "TÜV SÜD"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    names = factory.LazyAttribute(lambda o: {"zh-hans": f"类别 {o.name}"})
    sector = "industrial"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    supplier = factory.SubFactory(SupplierFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"18V Brushless Cordless Drill Model {n}")
    description = "Brushless motor, 2 batteries, 60 N·m torque."
    moq = 100
    lead_time_days = 25
    status = ProductStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tiers(obj, create, extracted, **kwargs):
        if not create:
            return
        for min_quantity, price in extracted if extracted is not None else [(100, "12.50"), (500, "11.00")]:
            PriceTierFactory(product=obj, min_quantity=min_quantity, unit_price=Decimal(price))


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductAttribute

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Attribute {n}")
    value = "18"
    unit = "V"


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductTranslation

    product = factory.SubFactory(ProductFactory)
    language = "de"
    title = "Akku-Bohrschrauber 18V bürstenlos"


class PriceTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceTier

    product = factory.SubFactory(ProductFactory, tiers=[])
    min_quantity = 100
    unit_price = Decimal("12.50")


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    # A path, not a file: pages and the API only build URLs from it.
    image = factory.Sequence(lambda n: f"products/image-{n}.jpg")


class FavoriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favorite

    user = factory.SubFactory(BuyerFactory)


class SupplierFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierFigures

    supplier = factory.SubFactory(SupplierFactory)
    fiscal_year = 2024


class OfficialDesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialDesignation

    supplier = factory.SubFactory(SupplierFactory)
    level = "little_giant"
    certificate_number = factory.Sequence(lambda n: f"XJR-2024-{n:04d}")
    issuer = "MIIT"
    issued_on = datetime.date(2024, 7, 1)
    valid_until = datetime.date(2099, 6, 30)


class RankingPenaltyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingPenalty

    supplier = factory.SubFactory(SupplierFactory)
    reason = "Fake reviews under investigation"
    starts_at = factory.LazyFunction(timezone.now)


class AdminAuditEntryFactory(factory.django.DjangoModelFactory):
    """An activity log entry as core.audit writes it for a seller-site change (pass supplier_id and the object)."""

    class Meta:
        model = AdminAuditEntry

    user_email = factory.Sequence(lambda n: f"seller{n}@example.com")
    site = AuditSite.SELLER
    action = AdminAuditEntry.CHANGED
    object_repr = factory.Sequence(lambda n: f"Product {n}")
    changes = factory.LazyFunction(lambda: {"fields": {"title": {"before": "Old title", "after": "New title"}}})
    request_id = factory.Sequence(lambda n: f"req{n:08d}")
