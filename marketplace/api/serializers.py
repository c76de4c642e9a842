"""Catalog, favorites and inquiry-start representations for the API.

Text comes back in the request's language (Accept-Language) wherever the seller or the catalog has it:
category names, and product title/description from the product's translation, falling back to the original.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import StrictCharField, StrictIntegerField
from core.api.filters import MAX_INT
from suppliers.api.serializers import CertificationSerializer, SupplierSummarySerializer
from suppliers.models import Supplier
from taxonomy.models import Category

from ..models import (
    Favorite,
    PriceTier,
    Product,
    ProductAttribute,
    ProductImage,
    ProductStatus,
    ProductTranslation,
)

CUSTOMIZATIONS = {
    "logo": "custom_logo",
    "packaging": "custom_packaging",
    "color": "custom_color",
    "oem": "oem",
    "odm": "odm",
}


def _absolute(serializer, url):
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


# --- categories ---------------------------------------------------------------------------------------------


class CategoryRefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "slug", "name"]
        read_only_fields = fields

    def get_name(self, category) -> str:
        return category.localized_name(get_language())


class CategoryNodeSerializer(CategoryRefSerializer):
    """A category with its sub-categories, to any depth."""

    class Meta(CategoryRefSerializer.Meta):
        fields = ["id", "slug", "name", "sector", "children"]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        # Declared here because a class cannot name itself in its own body.
        fields["children"] = CategoryNodeSerializer(source="child_list", many=True, read_only=True)
        return fields


# --- products -----------------------------------------------------------------------------------------------


class PriceTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceTier
        fields = ["min_quantity", "unit_price", "lead_time_days"]
        read_only_fields = fields


class AttributeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductAttribute
        fields = ["name", "value", "unit"]
        read_only_fields = fields


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["url", "alt_text"]
        read_only_fields = fields

    def get_url(self, image) -> str:
        return _absolute(self, image.image.url)


class TranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductTranslation
        fields = ["language", "title", "description", "keywords", "source"]
        read_only_fields = fields


class ProductCardSerializer(serializers.ModelSerializer):
    """What a result list shows for one product."""

    title = serializers.SerializerMethodField()
    category = CategoryRefSerializer(read_only=True)
    supplier = SupplierSummarySerializer(read_only=True)
    customization = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "category",
            "supplier",
            "moq",
            "unit",
            "currency",
            "price_min",
            "price_max",
            "lead_time_days",
            "customization",
            "samples_available",
            "quality_score",
            "image",
            "published_at",
            "web_url",
        ]
        read_only_fields = fields

    def get_title(self, product) -> str:
        return product.localized_title(get_language())

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(CUSTOMIZATIONS))))
    def get_customization(self, product):
        return [key for key, field in CUSTOMIZATIONS.items() if getattr(product, field)]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image(self, product):
        images = list(product.images.all())
        return _absolute(self, images[0].image.url) if images else None

    def get_web_url(self, product) -> str:
        return _absolute(self, product.get_absolute_url())


class ProductDetailSerializer(ProductCardSerializer):
    description = serializers.SerializerMethodField()
    content_language = serializers.SerializerMethodField(
        help_text="The language title and description are in: the requested one if translated, else the original."
    )
    translation = serializers.SerializerMethodField(help_text="The translation into the requested language, if any.")
    price_tiers = PriceTierSerializer(many=True, read_only=True)
    attributes = AttributeSerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)
    certifications = CertificationSerializer(source="valid_certifications", many=True, read_only=True)

    class Meta(ProductCardSerializer.Meta):
        fields = [
            *ProductCardSerializer.Meta.fields,
            "description",
            "keywords",
            "language",
            "content_language",
            "translation",
            "custom_logo",
            "custom_packaging",
            "custom_color",
            "oem",
            "odm",
            "sample_price",
            "price_tiers",
            "attributes",
            "images",
            "certifications",
        ]
        read_only_fields = fields

    def get_description(self, product) -> str:
        return product.localized_description(get_language())

    def get_content_language(self, product) -> str:
        translation = product.translation_for(get_language())
        return translation.language if translation and translation.title else product.language

    @extend_schema_field(TranslationSerializer(allow_null=True))
    def get_translation(self, product):
        translation = product.translation_for(get_language())
        return TranslationSerializer(translation).data if translation else None


# --- favorites ----------------------------------------------------------------------------------------------


class FavoriteProductSerializer(serializers.ModelSerializer):
    product = ProductCardSerializer(read_only=True)

    class Meta:
        model = Favorite
        fields = ["product", "created_at"]
        read_only_fields = fields


class FavoriteProductCreateSerializer(serializers.Serializer):
    product = StrictIntegerField(min_value=1, max_value=MAX_INT, help_text="Id of a published product.")

    def validate_product(self, pk):
        product = Product.objects.filter(pk=pk, status=ProductStatus.PUBLISHED).first()
        if product is None:
            raise serializers.ValidationError(_("No published product has this id."), code="does_not_exist")
        return product


class FavoriteSupplierSerializer(serializers.ModelSerializer):
    supplier = SupplierSummarySerializer(read_only=True)

    class Meta:
        model = Favorite
        fields = ["supplier", "created_at"]
        read_only_fields = fields


class FavoriteSupplierCreateSerializer(serializers.Serializer):
    supplier = StrictCharField(max_length=200, help_text="Slug of the supplier.")

    def validate_supplier(self, slug):
        supplier = Supplier.objects.filter(slug=slug).first()
        if supplier is None:
            raise serializers.ValidationError(_("No supplier has this slug."), code="does_not_exist")
        return supplier


# --- inquiries ----------------------------------------------------------------------------------------------


class InquiryCreateSerializer(serializers.Serializer):
    product = StrictIntegerField(min_value=1, max_value=MAX_INT, help_text="Id of a published product.")
    quantity = StrictIntegerField(
        min_value=1, max_value=MAX_INT, required=False, allow_null=True, help_text="How many you want to order."
    )
    body = StrictCharField(max_length=5000, help_text="Your message to the supplier.")

    def validate_product(self, pk):
        product = Product.objects.filter(pk=pk, status=ProductStatus.PUBLISHED).first()
        if product is None:
            raise serializers.ValidationError(_("No published product has this id."), code="does_not_exist")
        return product
