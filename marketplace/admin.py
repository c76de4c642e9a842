"""The catalog in both admin sites. Sellers' admins use the scoped bases from suppliers.admin_scoping."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suppliers.admin_scoping import ScopedModelAdmin, ScopedStackedInline, ScopedTabularInline, seller_site

from . import services
from .forms import PriceTierInlineFormSet, ProductAdminForm, ProductImageInlineFormSet
from .listings.admin import optimize_with_ai  # also registers the AI suggestion admins
from .models import PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation

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
    model = ProductTranslation
    fields = ["language", "title", "description", "keywords"]


class SellerImageInline(ImagePreviewMixin, ScopedTabularInline):
    pass


@admin.register(Product, site=seller_site)
class SellerProductAdmin(ProductActionsMixin, ScopedModelAdmin):
    form = ProductAdminForm
    list_display = ["title", "category", "status", "moq", "price_min", "lead_time_days", "quality_score"]
    list_filter = ["status", "category", "certifications"]
    list_select_related = ["category"]
    search_fields = ["title", "external_id", "keywords"]
    autocomplete_fields = ["certifications"]
    readonly_fields = PRODUCT_READONLY
    fieldsets = PRODUCT_FIELDSETS
    inlines = [SellerPriceTierInline, SellerAttributeInline, SellerTranslationInline, SellerImageInline]
    actions = ["publish_products", "unpublish_products", optimize_with_ai]
