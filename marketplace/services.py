"""Writes on the catalog and inquiries. Views, admin, API and tasks all come through here."""

from datetime import timedelta
from statistics import median

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import site_url, user_email_send
from suppliers.models import RESPONSE_WINDOW, Supplier
from taxonomy.models import Category

from . import signals
from .models import (
    Favorite,
    Inquiry,
    InquiryMessage,
    InquiryStatus,
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


MESSAGE_MAX_CHARS = 5000


def _check_message_length(body: str) -> None:
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            {
                "body": _("Keep a message under %(max)s characters (it has %(n)s).")
                % {"max": "5,000", "n": f"{len(body):,}"}
            }
        )


@transaction.atomic
def inquiry_create(
    *,
    buyer,
    product: Product | None = None,
    supplier: Supplier | None = None,
    body: str,
    quantity: int | None = None,
    via_agent: str = "",
) -> Inquiry:
    """A buyer asks a supplier about a published product, or writes to the supplier from its storefront (`supplier`
    without `product`). `via_agent`: the buyer's AI assistant that wrote it."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message to the supplier.")})
    _check_message_length(body)
    if product is not None and not product.is_published:
        raise ValidationError(_("This product is not available."))
    if product is not None:
        supplier_id = product.supplier_id
    elif supplier is not None:
        supplier_id = supplier.pk
    else:
        raise ValidationError(_("Choose a product or a supplier to write to."))
    if quantity is not None and quantity < 1:
        raise ValidationError({"quantity": _("Quantity must be at least 1.")})
    if hasattr(buyer, "supplier_membership") and buyer.supplier_membership.supplier_id == supplier_id:
        raise ValidationError(_("You cannot send an inquiry to your own company."), code="own_company")
    now = timezone.now()
    # A storefront inquiry has no product title: its subject is the message's first line.
    subject = product.title if product is not None else body.splitlines()[0]
    inquiry = Inquiry.objects.create(
        buyer=buyer,
        supplier_id=supplier_id,
        product=product,
        subject=subject[:200],
        quantity=quantity,
        created_at=now,
        last_message_at=now,
    )
    InquiryMessage.objects.create(inquiry=inquiry, sender=buyer, body=body, via_agent=via_agent[:255], created_at=now)
    signals.buyer_contacted_suppliers.send(
        sender=Inquiry,
        buyer=buyer,
        supplier_ids=[supplier_id],
        product_ids=[product.pk] if product is not None else [],
        kind="inquiry",
        reference=inquiry.pk,
        at=now,
    )
    return inquiry


@transaction.atomic
def inquiry_reply(*, inquiry: Inquiry, sender, body: str, from_supplier: bool, via_agent: str = "") -> InquiryMessage:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    _check_message_length(body)
    # Lock first: a close that commits between a check and the lock would otherwise be answered anyway.
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.status == InquiryStatus.CLOSED:
        raise ValidationError(_("This conversation is closed."))
    now = timezone.now()
    message = InquiryMessage.objects.create(
        inquiry=inquiry,
        sender=sender,
        body=body,
        from_supplier=from_supplier,
        via_agent=via_agent[:255],
        created_at=now,
    )
    inquiry.last_message_at = now
    if from_supplier:
        inquiry.status = InquiryStatus.ANSWERED
        inquiry.first_response_at = inquiry.first_response_at or now
    else:
        inquiry.status = InquiryStatus.OPEN
    inquiry.save(update_fields=["last_message_at", "status", "first_response_at"])
    if from_supplier:
        # The buyer hears of the answer by e-mail, once it is committed (marketplace.tasks).
        from .tasks import inquiry_reply_notify_task

        transaction.on_commit(lambda: inquiry_reply_notify_task.delay(message.pk))
    return message


def inquiry_reply_notify(*, message_id: int) -> int:
    """E-mails the buyer that the supplier answered: a link to the inquiry, in the buyer's language; not the answer
    itself (the conversation stays on the platform). Nothing for a message that is gone or the buyer's own."""
    message = (
        InquiryMessage.objects.select_related("inquiry__buyer", "inquiry__supplier")
        .filter(pk=message_id, from_supplier=True)
        .first()
    )
    if message is None or not message.inquiry.buyer.is_active:
        return 0
    inquiry = message.inquiry
    return user_email_send(
        user=inquiry.buyer,
        template="marketplace/email/inquiry_reply",
        context={"inquiry": inquiry, "inquiry_url": site_url(inquiry.get_absolute_url())},
    )


def supplier_metrics_recompute(*, supplier_id: int) -> Supplier | None:
    """Response rate and median first-response time from the last 90 days of inquiries.

    Inquiries younger than the response window are left out: they cannot have failed yet.
    Delivery, dispute and rating figures come from completed orders: rankings.services.supplier_order_metrics_recompute.
    """
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        return None
    now = timezone.now()
    inquiries = list(
        Inquiry.objects.filter(
            supplier_id=supplier_id, created_at__gte=now - METRICS_LOOKBACK, created_at__lte=now - RESPONSE_WINDOW
        ).values_list("created_at", "first_response_at")
    )
    response_minutes = [
        (answered - created).total_seconds() / 60 for created, answered in inquiries if answered is not None
    ]
    on_time = [m for m in response_minutes if m <= RESPONSE_WINDOW.total_seconds() / 60]
    repeat = (
        Inquiry.objects.filter(supplier_id=supplier_id).values("buyer").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    buyers = Inquiry.objects.filter(supplier_id=supplier_id).values("buyer").distinct().count()
    supplier.response_rate = round(100 * len(on_time) / len(inquiries), 2) if inquiries else None
    supplier.median_response_minutes = round(median(response_minutes)) if response_minutes else None
    supplier.repeat_buyer_rate = round(100 * repeat / buyers, 2) if buyers else None
    supplier.metrics_updated_at = now
    supplier.save(update_fields=["response_rate", "median_response_minutes", "repeat_buyer_rate", "metrics_updated_at"])
    return supplier


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
