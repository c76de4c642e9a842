"""Catalog (categories, products and what hangs off them) and buyer ↔ supplier inquiries."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import DecimalField, F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.languages import base_language, language_codes
from suppliers.models import Certification, Supplier
from suppliers.validators import validate_image_upload
from taxonomy.models import Category

from .media import IMAGE_RENDITIONS, rendition

LANGUAGE_CODES = language_codes()


HTTPS_ONLY_MESSAGE = _("Enter a full link that starts with https:// (for example a YouTube or Vimeo page).")
# Decoding a huge picture to make its thumbnails takes memory and time in the seller's request: refuse it up front.
MAX_IMAGE_PIXELS = 40_000_000


def validate_https_url(value):
    """Links buyers follow from our pages: https only (no http://, javascript:, data: or other schemes)."""
    URLValidator(schemes=["https"], message=HTTPS_ONLY_MESSAGE, code="https_only")(value)


def validate_image_pixels(file):
    """At most MAX_IMAGE_PIXELS pixels: a 5 MB PNG can hold hundreds of megapixels, and thumbnails are made from it
    in the seller's request. Runs after validate_image_upload, which says when a file is not a picture at all."""
    from PIL import Image

    position = file.tell() if hasattr(file, "tell") else None
    try:
        with Image.open(file) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("The picture has too many pixels; the limit is %(megapixels)s megapixels."),
            code="image_too_large",
            params={"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        ) from exc
    except Exception:  # noqa: BLE001 - not a picture: validate_image_upload reports it
        return
    finally:
        if position is not None:
            file.seek(position)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The picture is %(width)s × %(height)s pixels; the limit is %(megapixels)s megapixels."),
            code="image_too_large",
            params={"width": width, "height": height, "megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        )


class Unit(models.TextChoices):
    PIECES = "pieces", _("pieces")
    SETS = "sets", _("sets")
    PAIRS = "pairs", _("pairs")
    METERS = "meters", _("meters")
    SQUARE_METERS = "square_meters", _("square meters")
    KILOGRAMS = "kilograms", _("kilograms")
    TONS = "tons", _("tons")
    CARTONS = "cartons", _("cartons")
    ROLLS = "rolls", _("rolls")
    UNITS = "units", _("units")
    CONTAINERS = "containers", _("containers")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# Sort keys for published-product lists (the API's keyset pagination). They are never null, so a cursor can
# always point at a value, and Product.Meta indexes these exact expressions: change both together, here.
UNPRICED_SORTS_LAST = Decimal(1_000_000_000)
PRICE_FIELD = DecimalField(max_digits=12, decimal_places=4)
PRODUCT_SORT_KEYS = {
    "relevance": Coalesce(F("quality_score"), Value(0)),
    "newest": Coalesce(F("published_at"), F("created_at")),
    "price": Coalesce(F("price_min"), F("price_max"), Value(UNPRICED_SORTS_LAST, output_field=PRICE_FIELD)),
    "-price": Coalesce(F("price_max"), F("price_min"), Value(Decimal(0), output_field=PRICE_FIELD)),
}


class Product(models.Model):
    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="products", verbose_name=_("supplier")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, help_text=_("Your own SKU or catalog id; used by imports.")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True, editable=False, verbose_name=_("URL slug"))
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True, help_text=_("Comma-separated search terms."))
    language = models.CharField(_("language of this text"), max_length=10, choices=settings.LANGUAGES, default="en")
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1, validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.PIECES)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), help_text=_("Days to ship an order of the MOQ."), validators=[MinValueValidator(1)]
    )
    custom_logo = models.BooleanField(_("custom logo"), default=False)
    custom_packaging = models.BooleanField(_("custom packaging"), default=False)
    custom_color = models.BooleanField(_("custom color"), default=False)
    oem = models.BooleanField(_("OEM"), default=False)
    odm = models.BooleanField(_("ODM"), default=False)
    samples_available = models.BooleanField(_("samples available"), default=False)
    sample_price = models.DecimalField(
        _("sample price"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="products", verbose_name=_("certifications")
    )
    video_url = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("An https:// link to a video of the product (YouTube, Vimeo or your own site); shown as a link."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published"))
    # Derived by services from the price tiers, so listing pages can sort and filter without a join.
    price_min = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, editable=False, verbose_name=_("lowest price")
    )
    price_max = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, editable=False, verbose_name=_("highest price")
    )
    quality_score = models.PositiveSmallIntegerField(_("listing quality"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(moq__gte=1), name="product_moq_at_least_one"),
            models.CheckConstraint(condition=Q(lead_time_days__gte=1), name="product_lead_time_positive"),
            models.CheckConstraint(condition=Q(status__in=ProductStatus.values), name="product_status_valid"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="product_currency_iso4217"),
            models.CheckConstraint(
                condition=Q(quality_score__isnull=True) | Q(quality_score__lte=100), name="product_quality_0_100"
            ),
            models.CheckConstraint(
                condition=Q(sample_price__isnull=True) | Q(sample_price__gte=0), name="product_sample_price_nonneg"
            ),
            models.UniqueConstraint(
                fields=["supplier", "external_id"], condition=~Q(external_id=""), name="product_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category", "-created_at"]),
            models.Index(fields=["supplier", "status"]),
            # Without these PostgreSQL sorts every published product per API page (480 ms -> 25 ms at 100k).
            models.Index(
                PRODUCT_SORT_KEYS["relevance"].desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="product_published_relevance",
            ),
            models.Index(
                PRODUCT_SORT_KEYS["newest"].desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="product_published_newest",
            ),
            models.Index(
                PRODUCT_SORT_KEYS["price"], F("id"), condition=Q(status="published"), name="product_published_price"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:200] or "product"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("marketplace:product_detail", args=[self.pk, self.slug])

    @property
    def is_published(self):
        return self.status == ProductStatus.PUBLISHED

    def customization_labels(self):
        flags = [
            (self.custom_logo, _("Logo")),
            (self.custom_packaging, _("Packaging")),
            (self.custom_color, _("Color")),
            (self.oem, _("OEM")),
            (self.odm, _("ODM")),
        ]
        return [label for enabled, label in flags if enabled]

    def translation_for(self, language=None):
        """The translation in `language` if one was prefetched or exists, else None (use the original)."""
        language = base_language(language or get_language())
        if language == self.language:
            return None
        for translation in self.translations.all():
            if translation.language == language:
                return translation
        return None

    def localized_title(self, language=None):
        translation = self.translation_for(language)
        return translation.title if translation and translation.title else self.title

    def localized_description(self, language=None):
        translation = self.translation_for(language)
        return translation.description if translation and translation.description else self.description


class ProductAttribute(models.Model):
    SUPPLIER_PATH = "product__supplier"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("product"))
    name = models.CharField(_("name"), max_length=80)
    value = models.CharField(_("value"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("product attribute")
        verbose_name_plural = _("product attributes")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="attribute_name_unique_per_product")]

    def __str__(self):
        return f"{self.name}: {self.display_value}"

    @property
    def display_value(self):
        return f"{self.value} {self.unit}".strip()


class PriceTier(models.Model):
    """Unit price from `min_quantity` upwards, in the product's currency."""

    SUPPLIER_PATH = "product__supplier"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="price_tiers", verbose_name=_("product")
    )
    min_quantity = models.PositiveIntegerField(_("from quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["product", "min_quantity"], name="price_tier_quantity_unique"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="price_tier_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="price_tier_price_positive"),
        ]

    def __str__(self):
        return f"≥{self.min_quantity}: {self.unit_price}"


class TranslationSource(models.TextChoices):
    SELLER = "seller", _("Written by the seller")
    AI = "ai", _("AI suggestion applied by the seller")
    IMPORT = "import", _("Imported")


class ProductTranslation(models.Model):
    SUPPLIER_PATH = "product__supplier"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="translations", verbose_name=_("product")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    source = models.CharField(
        max_length=10, choices=TranslationSource.choices, default=TranslationSource.SELLER, verbose_name=_("source")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("product translation")
        verbose_name_plural = _("product translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["product", "language"], name="translation_unique_language"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="translation_language_valid"),
        ]

    def __str__(self):
        return f"{self.language}: {self.title}"


class ProductImage(models.Model):
    SUPPLIER_PATH = "product__supplier"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product"))
    image = models.ImageField(
        _("image"),
        upload_to="products/%Y/%m/",
        validators=[validate_image_upload, validate_image_pixels],
        help_text=_("JPEG, PNG or WebP. The first image (lowest position) is the one buyers see on cards."),
    )
    alt_text = models.CharField(
        _("alt text"), max_length=200, blank=True, help_text=_("What the picture shows, for buyers who cannot see it.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Images are shown from the lowest position up.")
    )

    # Renditions (marketplace/media.py): generated when the image is saved; pages only build their URLs.
    thumbnail = rendition(IMAGE_RENDITIONS["thumbnail"])
    medium = rendition(IMAGE_RENDITIONS["medium"])
    large = rendition(IMAGE_RENDITIONS["large"])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self):
        return self.alt_text or self.image.name

    def srcset(self):
        """The renditions as an <img srcset> value (URLs only: no storage call)."""
        return ", ".join(f"{getattr(self, name).url} {width}w" for name, width in IMAGE_RENDITIONS.items())

    def card_srcset(self):
        """Cards are at most ~320 CSS pixels wide: the thumbnail, and the medium rendition for dense screens."""
        return f"{self.thumbnail.url} {IMAGE_RENDITIONS['thumbnail']}w, {self.medium.url} {IMAGE_RENDITIONS['medium']}w"

    def renditions(self):
        """Every rendition's cache file, e.g. to generate them for images created without a save signal."""
        return [getattr(self, name) for name in IMAGE_RENDITIONS]


# AI listing optimization lives in marketplace.listings; imported so Django registers its models in this app.
# Import them from marketplace.listings.models.
from .listings import models as _listings_models  # noqa: E402,F401,I001


class Favorite(models.Model):
    """A buyer's saved product or saved supplier: exactly one of the two, at most once each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites", verbose_name=_("user")
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("supplier")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, supplier__isnull=True)
                | Q(product__isnull=True, supplier__isnull=False),
                name="favorite_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "product"], condition=Q(product__isnull=False), name="favorite_product_once"
            ),
            models.UniqueConstraint(
                fields=["user", "supplier"], condition=Q(supplier__isnull=False), name="favorite_supplier_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.product or self.supplier}"


class ProductViewDay(models.Model):
    """How many times a product page was opened on one day (UTC), counted by marketplace.stats. One row per product
    and day, so a seller's figures read a few thousand small rows at most, never a log of every visit."""

    SUPPLIER_PATH = "product__supplier"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("product views on a day")
        verbose_name_plural = _("product views by day")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="product_view_day_once")]

    def __str__(self):
        return f"{self.product_id} · {self.day.isoformat()}: {self.views}"
