"""factory_boy factories shared by every test folder."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import BuyerProfile, User
from marketplace.models import PriceTier, Product, ProductAttribute, ProductStatus, ProductTranslation
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
    profile = factory.RelatedFactory(
        "tests.factories.BuyerProfileFactory", factory_related_name="user"
    )


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
            PriceTier.objects.create(product=obj, min_quantity=min_quantity, unit_price=Decimal(price))


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
