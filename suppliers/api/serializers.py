"""Supplier representations for the API: a summary for cards and lists, and the full storefront."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import display
from ..models import Certification, ProductionCapacity, Supplier


class SupplierSummarySerializer(serializers.ModelSerializer):
    is_verified = serializers.BooleanField(read_only=True)
    # An IANA name, e.g. "Asia/Shanghai" (not an enum: the schema would list every zone).
    response_timezone = serializers.CharField(read_only=True)
    response_summary = serializers.SerializerMethodField(help_text="Reply speed and rate in words, with the sample.")
    commitment_state = serializers.SerializerMethodField(
        help_text='"kept", "broken", "unknown" (too few conversations to tell) or "" (no commitment).'
    )
    commitment_summary = serializers.SerializerMethodField(
        help_text="The response commitment and how well it is kept, in words; empty without one."
    )

    class Meta:
        model = Supplier
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "country",
            "region",
            "verification_level",
            "is_verified",
            "trade_assurance",
            "response_rate",
            "median_response_minutes",
            "response_sample_size",
            "response_summary",
            "response_commitment_minutes",
            "response_hours_start",
            "response_hours_end",
            "response_timezone",
            "commitment_kept_rate",
            "commitment_sample_size",
            "commitment_kept",
            "commitment_state",
            "commitment_summary",
            "rating_average",
        ]
        read_only_fields = fields

    def get_response_summary(self, supplier) -> str:
        return display.response_summary(supplier)

    def get_commitment_state(self, supplier) -> str:
        return display.commitment_state(supplier)

    def get_commitment_summary(self, supplier) -> str:
        return display.commitment_summary(supplier)


class CertificationSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = ["id", "type", "type_display", "number", "issuer", "scope", "valid_from", "valid_until", "verified"]
        read_only_fields = fields

    def get_verified(self, certification) -> bool:
        return certification.verified_at is not None


class CapacitySerializer(serializers.ModelSerializer):
    category = serializers.SerializerMethodField()

    class Meta:
        model = ProductionCapacity
        fields = ["product_line", "category", "quantity", "unit", "period", "production_lines"]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "required": ["slug", "name"],
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        }
    )
    def get_category(self, capacity):
        return {"slug": capacity.category.slug, "name": capacity.category.localized_name(get_language())}


class PatentsSerializer(serializers.Serializer):
    invention = serializers.IntegerField(source="invention_patents")
    utility = serializers.IntegerField(source="utility_patents")
    design = serializers.IntegerField(source="design_patents")


class SupplierDetailSerializer(SupplierSummarySerializer):
    """The storefront: who they are, what they make, how they perform, and their current certificates."""

    years_in_business = serializers.IntegerField(read_only=True, allow_null=True)
    export_markets = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    patents = PatentsSerializer(source="*", read_only=True)
    certifications = CertificationSerializer(source="valid_certifications", many=True, read_only=True)
    capacities = CapacitySerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta(SupplierSummarySerializer.Meta):
        fields = [
            *SupplierSummarySerializer.Meta.fields,
            "about",
            "city",
            "founded_year",
            "years_in_business",
            "staff_count",
            "rd_staff_count",
            "factory_area_m2",
            "export_markets",
            "years_exporting",
            "languages",
            "offers_oem",
            "offers_odm",
            "offers_custom_packaging",
            "offers_samples",
            "patents",
            "rd_spend_share",
            "main_business_revenue_share",
            "verified_at",
            "on_time_delivery_rate",
            "dispute_rate",
            "repeat_buyer_rate",
            "rating_count",
            "metrics_updated_at",
            "certifications",
            "capacities",
            "web_url",
        ]
        read_only_fields = fields

    def get_web_url(self, supplier) -> str:
        request = self.context.get("request")
        url = supplier.get_absolute_url()
        return request.build_absolute_uri(url) if request else url
