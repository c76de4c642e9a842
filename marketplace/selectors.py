"""Reads shared by pages, the API and tasks. Every list comes with the joins its page needs."""

from typing import TypedDict

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import get_language

from core.languages import base_language
from suppliers.models import Supplier
from suppliers.selectors import certification_valid_list

from .models import Favorite, PriceTier, Product, ProductStatus, ProductTranslation


def _translations_in(language: str) -> Prefetch:
    return Prefetch("translations", queryset=ProductTranslation.objects.filter(language=base_language(language)))


def product_list_published(*, language: str | None = None) -> QuerySet:
    """Published products with what a result card shows: supplier, category, one translation, images."""
    return (
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .select_related("supplier", "category")
        .prefetch_related(_translations_in(language or get_language()), "images")
    )


def product_get_published(*, pk: int, language: str | None = None) -> Product:
    return (
        product_list_published(language=language)
        .prefetch_related(
            Prefetch("price_tiers", queryset=PriceTier.objects.order_by("min_quantity")),
            "attributes",
            Prefetch(
                "certifications",
                queryset=certification_valid_list(),
                to_attr="valid_certifications",
            ),
        )
        .get(pk=pk)
    )


class ProductRoute(TypedDict):
    slug: str
    moq: int


def product_route_published(*, pk: int) -> ProductRoute | None:
    """What a product page needs before its cached content: the slug of its URL and the MOQ its inquiry form starts
    at; None when the product is not published."""
    return Product.objects.filter(pk=pk, status=ProductStatus.PUBLISHED).values("slug", "moq").first()


def product_list_featured(*, limit: int = 8) -> QuerySet:
    return (
        product_list_published().filter(quality_score__isnull=False).order_by("-quality_score", "-published_at")[:limit]
    )


def supplier_list_featured(*, limit: int = 6) -> QuerySet:
    return Supplier.objects.verified().order_by(F("median_response_minutes").asc(nulls_last=True), "name")[:limit]


def product_list_for_supplier(*, supplier: Supplier, language: str | None = None) -> QuerySet:
    return product_list_published(language=language).filter(supplier=supplier).order_by("-quality_score", "-id")


def product_list_by_ids(*, ids: list[int], language: str | None = None) -> list[Product]:
    """Published products in the order of `ids` (recently viewed); ids no longer published drop out."""
    by_id = {p.pk: p for p in product_list_published(language=language).filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def product_list_more_from_supplier(*, product: Product, limit: int = 6) -> QuerySet:
    return product_list_for_supplier(supplier=product.supplier).exclude(pk=product.pk)[:limit]


def product_list_similar(*, product: Product, limit: int = 6) -> QuerySet:
    """Other suppliers' products of the same category, best listings first: what a buyer compares it with."""
    return (
        product_list_published()
        .filter(category_id=product.category_id)
        .exclude(supplier_id=product.supplier_id)
        .order_by(F("quality_score").desc(nulls_last=True), "-id")[:limit]
    )


def favorite_list_products(*, user) -> list[Product]:
    """A buyer's saved products that are still published, last saved first."""
    ids = Favorite.objects.filter(user=user, product__isnull=False).values_list("product_id", flat=True)
    return product_list_by_ids(ids=list(ids))


def favorite_list_suppliers(*, user) -> list[Supplier]:
    """A buyer's saved suppliers, last saved first."""
    saved = Favorite.objects.filter(user=user, supplier__isnull=False).select_related("supplier")
    return [f.supplier for f in saved if f.supplier is not None]


def favorite_get(*, user, product_id: int | None = None, supplier_id: int | None = None) -> Favorite | None:
    if not user.is_authenticated:
        return None
    target = {"product_id": product_id} if product_id is not None else {"supplier_id": supplier_id}
    return Favorite.objects.filter(user=user, **target).first()


def product_reply_facts(product: Product) -> dict:
    """What a seller's reply draft about `product` may state (conversations.ai.ReplyFacts keyword arguments): the
    listing's own terms, never a guess. Registered for product topics in MarketplaceConfig.ready()."""
    tiers = sorted(product.price_tiers.all(), key=lambda tier: tier.min_quantity)
    return {
        "product_title": product.title,
        "moq": product.moq,
        "unit": product.unit,
        "price_tiers": [(tier.min_quantity, tier.unit_price, product.currency) for tier in tiers],
        "lead_time_days": product.lead_time_days,
        "samples": product.samples_available,
        "oem": product.oem,
        "odm": product.odm,
        "customization": product.custom_logo or product.custom_packaging or product.custom_color,
        "certifications": [str(certificate.get_type_display()) for certificate in product.certifications.all()],
    }
