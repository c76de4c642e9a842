"""Writes on the catalog, product inquiries and favorites. Views, admin, API and tasks all come through here."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.models import Conversation, ConversationKind
from conversations.services import conversation_start
from suppliers.models import Supplier
from suppliers.selectors import supplier_may_publish
from taxonomy.models import Category

from . import signals
from .models import (
    Favorite,
    PriceTier,
    Product,
    ProductAttribute,
    ProductStatus,
    ProductTranslation,
    TranslationSource,
)
from .quality import listing_quality
from .signals import products_changed_send

METRICS_LOOKBACK = timedelta(days=90)


def product_refresh_derived(*, product: Product) -> Product:
    """Recompute what is derived from a product's rows: price range and listing quality."""
    counts = Product.objects.filter(pk=product.pk).aggregate(
        price_min=Min("price_tiers__unit_price"),
        price_max=Max("price_tiers__unit_price"),
    )
    report = listing_quality(
        title=product.title,
        description=product.description,
        keywords=product.keywords,
        attribute_count=product.attributes.count(),
        tier_count=product.price_tiers.count(),
        image_count=product.images.count(),
        translation_count=product.translations.count(),
        certification_count=product.certifications.count(),
    )
    product.price_min, product.price_max = counts["price_min"], counts["price_max"]
    product.quality_score = report.score
    Product.objects.filter(pk=product.pk).update(
        price_min=product.price_min, price_max=product.price_max, quality_score=product.quality_score
    )
    # Every admin, API and import save ends here: whoever keeps derived data (the search index) hears of it.
    products_changed_send(product_ids=[product.pk])
    return product


@transaction.atomic
def product_import_upsert(
    *,
    supplier: Supplier,
    external_id: str,
    category: Category,
    fields: dict,
    attributes=(),
    tiers=(),
    translations=None,
    certifications=(),
) -> tuple[Product, bool]:
    """Create or update the supplier's product with this external id from an imported row, replacing its
    attributes ((name, value, unit)), price tiers ((min_quantity, unit_price)), translations ({language: {title,
    description, keywords}}) and certificates. Returns (product, created); ValidationError changes nothing."""
    product = Product.objects.filter(supplier=supplier, external_id=external_id).first()
    created = product is None
    product = product or Product(supplier=supplier, external_id=external_id)
    product.category = category
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean(exclude=["slug"])
    product.save()
    product.attributes.all().delete()
    ProductAttribute.objects.bulk_create(
        [
            ProductAttribute(product=product, name=n, value=v, unit=u, position=i)
            for i, (n, v, u) in enumerate(attributes)
        ]
    )
    product.price_tiers.all().delete()
    PriceTier.objects.bulk_create([PriceTier(product=product, min_quantity=q, unit_price=p) for q, p in tiers])
    translations = translations or {}
    product.translations.exclude(language__in=list(translations)).delete()
    for code, data in translations.items():
        ProductTranslation.objects.update_or_create(
            product=product,
            language=code,
            defaults={
                "title": data["title"],
                "description": data.get("description", ""),
                "keywords": data.get("keywords", ""),
                "source": TranslationSource.IMPORT,
            },
        )
    product.certifications.set(certifications)
    product_refresh_derived(product=product)  # price range, quality, and products_changed
    return product, created


def product_publish_problems(*, product: Product) -> list[str]:
    """What stops a product from going live; empty when it can be published."""
    problems = []
    if not supplier_may_publish(product.supplier):
        # A new seller's company documents come first (suppliers.onboarding); until approved nothing goes live.
        problems.append(_("Silkway is reviewing your company documents; you can publish once they are approved"))
    if not product.price_tiers.exists():
        problems.append(_("add at least one price tier"))
    elif product.price_tiers.filter(min_quantity__lt=product.moq).exists():
        problems.append(_("no price tier may start below the MOQ"))
    today = timezone.localdate()
    expired = [str(c) for c in product.certifications.all() if not c.is_valid_on(today)]
    if expired:
        problems.append(_("remove expired certificates: %(certs)s") % {"certs": ", ".join(expired)})
    return problems


@transaction.atomic
def product_publish(*, product: Product) -> Product:
    problems = product_publish_problems(product=product)
    if problems:
        raise ValidationError(
            _("“%(title)s” cannot be published: %(problems)s.")
            % {"title": product.title, "problems": "; ".join(problems)}
        )
    product.status = ProductStatus.PUBLISHED
    product.published_at = product.published_at or timezone.now()
    product.save(update_fields=["status", "published_at", "updated_at"])
    products_changed_send(product_ids=[product.pk])
    return product


@transaction.atomic
def product_unpublish(*, product: Product) -> Product:
    product.status = ProductStatus.DRAFT
    product.save(update_fields=["status", "updated_at"])
    products_changed_send(product_ids=[product.pk])
    return product


def product_publish_many(*, products) -> tuple[int, list[str]]:
    """Publish each product that meets the bar; returns how many went live and why the others did not."""
    published, refusals = 0, []
    for product in products:
        try:
            product_publish(product=product)
            published += 1
        except ValidationError as error:
            refusals.append(" ".join(error.messages))
    return published, refusals


@transaction.atomic
def product_edit_finish(*, product: Product) -> list[str]:
    """After a form saved a product and its rows (tiers, attributes, translations, images): recompute what is
    derived, and keep a product that was marked published without meeting the bar as a draft. Returns what
    stops it from going live (empty when nothing does)."""
    product_refresh_derived(product=product)
    problems = product_publish_problems(product=product) if product.is_published else []
    if problems:
        product_unpublish(product=product)
    return problems


@transaction.atomic
def inquiry_create(
    *,
    buyer,
    product: Product | None = None,
    supplier: Supplier | None = None,
    body: str,
    quantity: int | None = None,
    via_agent: str = "",
    attachment=None,
) -> Conversation:
    """A buyer asks a supplier about a published product, or writes to the supplier from its storefront (`supplier`
    without `product`): a conversation of kind "inquiry" about the product. `via_agent`: the buyer's AI assistant
    that wrote it."""
    if product is not None and not product.is_published:
        raise ValidationError(_("This product is not available."))
    if product is not None:
        supplier = product.supplier
    if supplier is None:
        raise ValidationError(_("Choose a product or a supplier to write to."))
    conversation = conversation_start(
        buyer=buyer,
        supplier=supplier,
        body=body,
        kind=ConversationKind.INQUIRY,
        # A storefront inquiry has no product title: its subject is the message's first line.
        subject=product.title if product is not None else "",
        topic=product,
        quantity=quantity,
        via_agent=via_agent,
        attachment=attachment,
    )
    signals.buyer_contacted_suppliers.send(
        sender=Conversation,
        buyer=buyer,
        supplier_ids=[conversation.supplier_id],
        product_ids=[product.pk] if product is not None else [],
        kind="inquiry",
        reference=conversation.pk,
        at=conversation.created_at,
    )
    return conversation


def favorite_add(*, user, product: Product | None = None, supplier: Supplier | None = None) -> tuple[Favorite, bool]:
    """Save a product or a supplier once; a concurrent double-tap hits the unique constraint and gets the same row."""
    target = {"product": product} if product is not None else {"supplier": supplier}
    try:
        with transaction.atomic():
            return Favorite.objects.get_or_create(user=user, **target)
    except IntegrityError:
        return Favorite.objects.get(user=user, **target), False


def favorite_remove(*, favorite: Favorite) -> None:
    favorite.delete()
