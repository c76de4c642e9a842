"""The catalog in both admin sites. Sellers' admins use the scoped bases from suppliers.admin_scoping."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from suppliers.admin_scoping import ScopedModelAdmin, ScopedStackedInline, ScopedTabularInline, seller_site

from . import services
from .forms import PriceTierInlineFormSet, ProductAdminForm, ProductImageInlineFormSet, TranslationInlineFormSet
from .listings.admin import optimize_with_ai  # also registers the AI suggestion admins
from .models import PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation
from .seller_admin import SellerCatalogViewsMixin

PRODUCT_FIELDSETS = [
    (None, {"fields": ["title", "category", "language", "description", "keywords", "external_id", "status"]}),
    (_("Ordering"), {"fields": ["moq", "unit", "currency", "lead_time_days", "samples_available", "sample_price"]}),
    (_("Customization"), {"fields": ["custom_logo", "custom_packaging", "custom_color", "oem", "odm"]}),
    (_("Compliance"), {"fields": ["certifications"]}),
    (
        _("Media"),
        {"fields": ["video_url"], "description": _("Upload, order and remove pictures under Product images.")},
    ),
    (_("Derived"), {"fields": ["price_min", "price_max", "quality_score", "published_at"]}),
]
PRODUCT_READONLY = ["price_min", "price_max", "quality_score", "published_at"]

# The seller's form fits a screen: what a listing needs is open, the rest is collapsed (<details> in Django 5.2).
SELLER_PRODUCT_FIELDSETS = [
    (None, {"fields": ["title", "category", "description", ("moq", "unit"), ("currency", "lead_time_days"), "status"]}),
    (
        _("More details"),
        {
            "fields": ["language", "keywords", "external_id", ("samples_available", "sample_price"), "video_url"],
            "classes": ["collapse"],
        },
    ),
    (
        _("Customization"),
        {"fields": [("custom_logo", "custom_packaging", "custom_color"), ("oem", "odm")], "classes": ["collapse"]},
    ),
    (_("Compliance"), {"fields": ["certifications"], "classes": ["collapse"]}),
    (
        _("Derived"),
        {"fields": [("price_min", "price_max"), ("quality_score", "published_at")], "classes": ["collapse"]},
    ),
]


class ProductActionsMixin:
    """Publishing goes through the service, which refuses products a buyer could not order."""

    @admin.action(description=_("Publish selected products"))
    def publish_products(self, request, queryset):
        published, refusals = services.product_publish_many(products=queryset)
        for refusal in refusals:
            self.message_user(request, refusal, messages.ERROR)
        if published:
            self.message_user(
                request,
                ngettext("%(count)d product published.", "%(count)d products published.", published)
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Unpublish selected products (back to draft)"))
    def unpublish_products(self, request, queryset):
        for product in queryset:
            services.product_unpublish(product=product)
        self.message_user(
            request,
            ngettext("%(count)d product unpublished.", "%(count)d products unpublished.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        problems = services.product_edit_finish(product=form.instance)
        if problems:
            # Published from the form without meeting the bar: kept as a draft; say why.
            self.message_user(
                request,
                _("Saved as draft; to publish: %(problems)s.") % {"problems": "; ".join(problems)},
                messages.WARNING,
            )


# --- Operators (/admin/) ---------------------------------------------------------------------------------------


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    formset = PriceTierInlineFormSet
    extra = 0


class AttributeInline(admin.TabularInline):
    model = ProductAttribute
    extra = 0


class TranslationInline(admin.StackedInline):
    model = ProductTranslation
    extra = 0


class ImagePreviewMixin:
    """Product images in a product's admin: a preview (the generated thumbnail), the file, alt text and position;
    the delete box removes one. New images go after the existing ones unless the seller gives a position."""

    model = ProductImage
    formset = ProductImageInlineFormSet
    fields = ["preview", "image", "alt_text", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description=_("Preview"))
    def preview(self, image):
        if not image.pk or not image.image:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" width="120" class="image-preview"></a>',
            image.image.url,
            image.thumbnail.url,
            image.alt_text,
        )


class ImageInline(ImagePreviewMixin, admin.TabularInline):
    extra = 0


@admin.register(Product)
class ProductAdmin(ProductActionsMixin, admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ["title", "supplier", "category", "status", "moq", "price_min", "quality_score", "created_at"]
    list_filter = ["status", "category__sector", "category"]
    list_select_related = ["supplier", "category"]
    search_fields = ["title", "external_id", "supplier__name"]
    autocomplete_fields = ["supplier", "certifications"]
    readonly_fields = PRODUCT_READONLY
    fieldsets = [(None, {"fields": ["supplier"]}), *PRODUCT_FIELDSETS]
    inlines = [PriceTierInline, AttributeInline, TranslationInline, ImageInline]
    actions = ["publish_products", "unpublish_products"]


# --- Sellers (/seller/) ----------------------------------------------------------------------------------------


class SellerPriceTierInline(ScopedTabularInline):
    model = PriceTier
    formset = PriceTierInlineFormSet


class SellerAttributeInline(ScopedTabularInline):
    model = ProductAttribute


class SellerTranslationInline(ScopedStackedInline):
    """Collapsed: the group's heading says how many languages are complete and which are missing, and each
    translation is a row of its own that opens on demand (open when it has an error or is new)."""

    model = ProductTranslation
    formset = TranslationInlineFormSet
    fields = ["language", "title", "description", "keywords"]
    template = "admin/marketplace/product/translation_inline.html"
    classes = ["collapse"]


class SellerImageInline(ImagePreviewMixin, ScopedTabularInline):
    """Previews of the saved images, a preview of a chosen file before saving (seller_product.js), and move
    up/down buttons that rewrite the position fields (the saved order is what the positions say)."""


class QualityFilter(admin.SimpleListFilter):
    title = _("listing quality")
    parameter_name = "quality"
    BANDS = {"low": (0, 49), "fair": (50, 79), "good": (80, 100)}

    def lookups(self, request, model_admin):
        return [
            ("low", _("Below 50")),
            ("fair", _("50 to 79")),
            ("good", _("80 and above")),
            ("none", _("Not scored yet")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(quality_score__isnull=True)
        if self.value() in self.BANDS:
            return queryset.filter(quality_score__range=self.BANDS[self.value()])
        return queryset


@admin.register(Product, site=seller_site)
class SellerProductAdmin(SellerCatalogViewsMixin, ProductActionsMixin, ScopedModelAdmin):
    form = ProductAdminForm
    list_display = [
        "thumbnail",
        "title",
        "category",
        "status",
        "moq_display",
        "price_display",
        "lead_display",
        "quality",
    ]
    list_display_links = ["thumbnail", "title"]
    # Categories: only those the seller's own products use (the scoped queryset), not the whole tree.
    list_filter = ["status", QualityFilter, ("category", admin.RelatedOnlyFieldListFilter), "certifications"]
    list_select_related = ["category"]
    list_per_page = 50
    search_fields = ["title", "external_id", "keywords"]
    autocomplete_fields = ["certifications"]
    readonly_fields = PRODUCT_READONLY
    fieldsets = SELLER_PRODUCT_FIELDSETS
    inlines = [SellerPriceTierInline, SellerAttributeInline, SellerTranslationInline, SellerImageInline]
    actions = ["publish_products", "unpublish_products", "bulk_edit_products", optimize_with_ai]
    change_form_template = "admin/marketplace/product/seller_change_form.html"
    change_list_template = "admin/marketplace/product/seller_change_list.html"

    class Media:
        css = {"all": ["marketplace/admin/seller.css"]}
        js = ["marketplace/admin/seller_product.js"]

    def get_queryset(self, request):
        # The list's thumbnails: every product's images in one query, first by position.
        images = Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        return super().get_queryset(request).prefetch_related(images)

    @admin.display(description=_("Picture"))
    def thumbnail(self, product):
        first = next(iter(product.images.all()), None)
        if first is None or not first.image:
            return format_html('<span class="seller-thumb seller-thumb-empty" title="{}"></span>', _("No picture yet"))
        return format_html(
            '<img src="{}" alt="" class="seller-thumb" width="56" height="56" loading="lazy">', first.thumbnail.url
        )

    @admin.display(description=pgettext_lazy("column", "MOQ"), ordering="moq")
    def moq_display(self, product):
        return f"{product.moq} {product.get_unit_display()}"

    @admin.display(description=pgettext_lazy("column", "Price from"), ordering="price_min")
    def price_display(self, product):
        if product.price_min is None:
            return "—"
        return f"{product.price_min:.2f} {product.currency}"

    @admin.display(description=pgettext_lazy("column", "Lead time"), ordering="lead_time_days")
    def lead_display(self, product):
        return ngettext("%(days)d day", "%(days)d days", product.lead_time_days) % {"days": product.lead_time_days}

    @admin.display(description=pgettext_lazy("column", "Quality"), ordering="quality_score")
    def quality(self, product):
        if product.quality_score is None:
            return "—"
        band = "good" if product.quality_score >= 80 else "fair" if product.quality_score >= 50 else "low"
        return format_html('<span class="seller-quality seller-quality-{}">{}</span>', band, product.quality_score)

    def get_fieldsets(self, request, obj=None):
        # A new product has no derived figures yet.
        return SELLER_PRODUCT_FIELDSETS if obj else SELLER_PRODUCT_FIELDSETS[:-1]
