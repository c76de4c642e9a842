"""Writes on the catalog, product inquiries and favorites. Views, admin, API and tasks all come through here."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

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
    product_id: int | None = None,
) -> tuple[Product, bool]:
    """Create or update the supplier's product with this external id (or, given `product_id`, that product of the
    supplier's, whose external id becomes `external_id`) from an imported row, replacing its attributes ((name,
    value, unit)), price tiers ((min_quantity, unit_price[, lead_time_days])), translations ({language: {title,
    description, keywords}}) and certificates. Returns (product, created); ValidationError changes nothing."""
    if product_id is not None:
        product = Product.objects.filter(supplier=supplier, pk=product_id).first()
        if product is None:
            raise ValidationError({"id": _("No product of this supplier has this id.")}, code="unknown_product")
    else:
        product = Product.objects.filter(supplier=supplier, external_id=external_id).first()
    created = product is None
    product = product or Product(supplier=supplier)
    product.external_id = external_id
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
    PriceTier.objects.bulk_create(
        [
            PriceTier(product=product, min_quantity=q, unit_price=p, lead_time_days=rest[0] if rest else None)
            for q, p, *rest in tiers
        ]
    )
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


# --- Bulk edit (the seller list's "Edit prices, MOQ and lead time") ----------------------------------------------

BULK_PERCENT_LIMITS = (Decimal("-90"), Decimal("500"))
CENT = Decimal("0.01")


@dataclass
class BulkChanges:
    """What a bulk edit sets; None leaves that field as it is."""

    moq: int | None = None
    lead_time_days: int | None = None
    samples_available: bool | None = None
    price_percent: Decimal | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in vars(self).values())


@dataclass
class BulkPlanRow:
    product: Product
    changes: dict  # field -> (old, new), only the fields that change
    tiers: list  # (tier, old price, new price)
    errors: list


def _new_price(price: Decimal, percent: Decimal) -> Decimal:
    return (price * (1 + percent / 100)).quantize(CENT, rounding=ROUND_HALF_UP)


def product_bulk_plan(*, products, changes: BulkChanges) -> tuple[list[BulkPlanRow], list[str]]:
    """What a bulk edit would do to each product (old -> new) and everything that stops it, without writing.
    `products` is a list of products with their price tiers prefetched."""
    errors = []
    if changes.is_empty():
        errors.append(_("Choose at least one thing to change."))
    if changes.moq is not None and changes.moq < 1:
        errors.append(_("The minimum order quantity must be at least 1."))
    if changes.lead_time_days is not None and not 1 <= changes.lead_time_days <= 365:
        errors.append(_("The lead time must be between 1 and 365 days."))
    low, high = BULK_PERCENT_LIMITS
    if changes.price_percent is not None and not low <= changes.price_percent <= high:
        errors.append(_("The price change must be between %(low)s and %(high)s percent.") % {"low": low, "high": high})
    if errors:
        return [], errors
    rows = []
    for product in products:
        row = BulkPlanRow(product=product, changes={}, tiers=[], errors=[])
        for name in ("moq", "lead_time_days", "samples_available"):
            value = getattr(changes, name)
            if value is not None and value != getattr(product, name):
                row.changes[name] = (getattr(product, name), value)
        tiers = list(product.price_tiers.all())
        if changes.price_percent is not None:
            for tier in tiers:
                new = _new_price(tier.unit_price, changes.price_percent)
                if new <= 0:
                    row.errors.append(
                        _("the price from %(quantity)s would be %(price)s; prices must stay above zero")
                        % {"quantity": tier.min_quantity, "price": new}
                    )
                row.tiers.append((tier, tier.unit_price, new))
        moq = changes.moq if changes.moq is not None else product.moq
        below = [tier.min_quantity for tier in tiers if tier.min_quantity < moq]
        if below and changes.moq is not None:
            row.errors.append(
                _("a price tier starts at %(quantity)s, below the new MOQ %(moq)s: change the tiers first")
                % {"quantity": min(below), "moq": moq}
            )
        rows.append(row)
    for row in rows:
        errors += [f"“{row.product.title}”: {error}" for error in row.errors]
    return rows, errors


@transaction.atomic
def product_bulk_update(*, products, changes: BulkChanges) -> int:
    """Apply `changes` to every product (all of them, or none: ValidationError lists every refusal). Prices change
    by a percentage on every tier, rounded to cents; the derived price range and quality are refreshed. Returns
    how many products changed."""
    ids = [product.pk for product in products]
    locked = list(Product.objects.select_for_update().filter(pk__in=ids).order_by("pk").prefetch_related("price_tiers"))
    rows, errors = product_bulk_plan(products=locked, changes=changes)
    if errors:
        raise ValidationError(errors, code="bulk_refused")
    changed = 0
    for row in rows:
        if not row.changes and not any(old != new for _tier, old, new in row.tiers):
            continue
        product = row.product
        for name, (_old, new) in row.changes.items():
            setattr(product, name, new)
        product.full_clean(exclude=["slug"])
        product.save(update_fields=[*row.changes, "updated_at"])
        updated = [tier for tier, old, new in row.tiers if old != new]
        for tier, _old, new in row.tiers:
            tier.unit_price = new
        PriceTier.objects.bulk_update(updated, ["unit_price"])
        product_refresh_derived(product=product)
        changed += 1
    return changed


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
