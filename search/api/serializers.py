"""/api/v1/search/: the query parameters (validated: a bad value is a 400 naming it, unlike the page, which drops
it and says so) and the response — results, facets, the understood query and how zero results were recovered."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import LanguageField
from marketplace.api.serializers import CategoryRefSerializer, ProductCardSerializer
from suppliers.api.serializers import SupplierSummarySerializer
from suppliers.models import CertificationType, SupplierKind
from taxonomy.models import Category

from .. import engine


class _Choices(serializers.MultipleChoiceField):
    """A repeatable choice parameter (`?kind=factory&kind=both`), in the order given, at most 20."""

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if len(values) > 20:
            raise serializers.ValidationError(_("At most 20 values."), code="max_length")
        return [value for value in dict.fromkeys(data) if value in values]


class SearchParamsSerializer(serializers.Serializer):
    """What both tabs take. A parameter given with no value (`?sort=`) is a 400, as on the product list: the
    schema types every parameter, and an empty string is not a choice. Free text (`q`) may be empty."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        trim_whitespace=False,
        help_text="What the buyer typed, in any language; understood as on /search/.",
    )
    lang = LanguageField(
        required=False, help_text="The query's language when it cannot be told from the text (zh = zh-hans)."
    )
    category = serializers.SlugField(required=False, max_length=100, help_text="Category slug, with sub-categories.")
    kind = _Choices(choices=SupplierKind.choices, required=False)
    country = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2}$", max_length=2),
        required=False,
        max_length=20,
        help_text="Supplier countries, ISO 3166-1 alpha-2.",
    )
    cert = _Choices(
        choices=CertificationType.choices,
        required=False,
        help_text="Certificates valid today (products: linked to the product).",
    )
    verified = serializers.BooleanField(required=False, default=False)
    ta = serializers.BooleanField(
        required=False, default=False, help_text="Only suppliers with Silkway Order Protection."
    )
    live = serializers.BooleanField(
        required=False, default=False, help_text="Only products shown in a live session now (products only)."
    )
    ignore = serializers.ListField(
        child=serializers.CharField(min_length=1, max_length=40),
        required=False,
        max_length=20,
        help_text="Understood-query chips to drop, by key (e.g. kind:factory).",
    )
    page = serializers.IntegerField(min_value=1, max_value=engine.MAX_PAGE, default=1)
    per_page = serializers.ChoiceField(choices=engine.PER_PAGE_CHOICES, default=engine.DEFAULT_PER_PAGE)

    def validate(self, attrs):
        data = self.initial_data
        blank = {}
        for name in self.fields:
            if name == "q" or name not in data:
                continue
            values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
            if any(str(value).strip() == "" for value in values):
                blank[name] = [serializers.ErrorDetail(_("Give a value, or leave the parameter out."), code="blank")]
        if blank:
            raise serializers.ValidationError(blank)
        return attrs

    def validate_category(self, value):
        if not Category.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("No category has this slug."), code="does_not_exist")
        return value

    def validate_country(self, value):
        return [code.upper() for code in value]

    def engine_params(self) -> dict:
        """The validated choices as the engine's facet parameters (the page's names)."""
        data = self.validated_data
        params = {name: data[name] for name in ("category", "kind", "country", "cert", "custom") if data.get(name)}
        params.update({name: str(data[name]) for name in ("moq", "lead", "price", "capacity") if data.get(name)})
        params.update({name: "1" for name in ("verified", "ta", "live") if data.get(name)})
        return params


class ProductSearchParamsSerializer(SearchParamsSerializer):
    moq = serializers.ChoiceField(choices=engine.MOQ_BUCKETS, required=False, help_text="MOQ at most this.")
    lead = serializers.ChoiceField(choices=engine.LEAD_BUCKETS, required=False, help_text="Lead time at most this.")
    price = serializers.ChoiceField(choices=list(engine.PRICE_BUCKETS), required=False, help_text="Price band.")
    custom = _Choices(choices=list(engine.CUSTOM_FLAGS), required=False, help_text="Customizations offered.")
    sort = serializers.ChoiceField(choices=list(engine.ORDER_SQL), default="relevance")


class SupplierSearchParamsSerializer(SearchParamsSerializer):
    capacity = serializers.ChoiceField(
        choices=engine.CAPACITY_BUCKETS, required=False, help_text="Monthly production capacity at least this."
    )


class ChipSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Pass it in `ignore` to drop what it did.")
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["filter", "boost"])


class UnderstoodQuerySerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The query as searched (cleaned, at most 200 characters).")
    language = serializers.CharField()
    truncated = serializers.BooleanField()
    words = serializers.ListField(child=serializers.CharField())
    chips = ChipSerializer(many=True, help_text="What was understood as filters or boosts.")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ProductFacetsSerializer(serializers.Serializer):
    categories = FacetValueSerializer(many=True)
    kind = FacetValueSerializer(many=True)
    country = FacetValueSerializer(many=True)
    cert = FacetValueSerializer(many=True)
    moq = FacetValueSerializer(many=True, help_text="Cumulative: products with an MOQ at most `value`.")
    lead = FacetValueSerializer(many=True, help_text="Cumulative: lead time at most `value` days.")
    price = FacetValueSerializer(many=True)
    custom = FacetValueSerializer(many=True)
    verified = serializers.IntegerField()
    ta = serializers.IntegerField()
    live = serializers.IntegerField(help_text="Products shown in a live session now.")


class SupplierFacetsSerializer(serializers.Serializer):
    kind = FacetValueSerializer(many=True)
    verified = serializers.IntegerField()
    ta = serializers.IntegerField()


class RecoverySerializer(serializers.Serializer):
    relaxed = serializers.ChoiceField(
        choices=["", "spelling", "words", "filter"],
        help_text="How a search that found nothing was widened ('' = it was not).",
    )
    relaxed_filter = serializers.CharField(help_text="The filter dropped when `relaxed` is 'filter'.")
    partial_from = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="Products search: results from this index on match only some of the words (fewer listings "
        "matched every word than fill a first page); null when every result matches every word.",
    )
    did_you_mean = serializers.CharField(help_text="A corrected query to offer ('' = none).")
    suggested_categories = CategoryRefSerializer(many=True)


class PageInfoSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    per_page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    total = serializers.IntegerField()


class _SearchResponseSerializer(serializers.Serializer):
    query = UnderstoodQuerySerializer()
    page = PageInfoSerializer()
    ignored = serializers.ListField(child=serializers.CharField())
    search_log = serializers.IntegerField(allow_null=True, help_text="For the click beacon (POST /search/click/).")


class SponsoredProductSerializer(ProductCardSerializer):
    sponsored = serializers.BooleanField(help_text="Always true: a paid placement, to be labelled as such.")
    headline = serializers.CharField(help_text="The advertiser's approved headline in the buyer's language, or ''.")
    click_url = serializers.URLField(help_text="Open this (not the product URL) when the buyer taps the result.")

    class Meta(ProductCardSerializer.Meta):
        fields = [*ProductCardSerializer.Meta.fields, "sponsored", "headline", "click_url"]
        read_only_fields = fields


class ProductSearchResponseSerializer(_SearchResponseSerializer):
    sort = serializers.CharField()
    results = ProductCardSerializer(many=True)
    sponsored = SponsoredProductSerializer(
        many=True, help_text="At most 3 sponsored results on the first page of a relevance-sorted search."
    )
    facets = ProductFacetsSerializer()
    recovery = RecoverySerializer()


class SupplierSearchResultSerializer(SupplierSummarySerializer):
    matching_products = serializers.IntegerField(read_only=True, help_text="Its published products that match.")

    class Meta(SupplierSummarySerializer.Meta):
        fields = [*SupplierSummarySerializer.Meta.fields, "matching_products"]
        read_only_fields = fields


class SupplierSearchResponseSerializer(_SearchResponseSerializer):
    results = SupplierSearchResultSerializer(many=True)
    facets = SupplierFacetsSerializer()


# --- engine results -> response data ---------------------------------------------------------------------------


def _values(rows):
    return [{"value": str(value), "label": str(label), "count": count} for value, label, count in rows]


def query_data(parsed) -> dict:
    return {
        "text": parsed.text,
        "language": parsed.language,
        "truncated": parsed.truncated,
        "words": parsed.words(),
        "chips": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in parsed.chips],
    }


def page_data(page) -> dict:
    return {"number": page.number, "per_page": page.per_page, "num_pages": page.num_pages, "total": page.total}


def product_facets_data(facets) -> dict:
    if not facets:
        facets = {
            "categories": [],
            "kinds": [],
            "countries": [],
            "certs": [],
            "moq": [],
            "lead": [],
            "price": [],
            "custom": [],
            "verified": 0,
            "ta": 0,
            "live": 0,
        }
    return {
        "categories": _values((row["category"].slug, row["name"], row["count"]) for row in facets["categories"]),
        "kind": _values(facets["kinds"]),
        "country": _values((code, code, n) for code, n in facets["countries"]),
        "cert": _values(facets["certs"]),
        "moq": _values((limit, limit, n) for limit, n in facets["moq"]),
        "lead": _values((limit, limit, n) for limit, n in facets["lead"]),
        "price": _values((key, key, n) for key, n in facets["price"]),
        "custom": _values((key, key, n) for key, n in facets["custom"]),
        "verified": facets["verified"],
        "ta": facets["ta"],
        "live": facets.get("live", 0),
    }


def supplier_facets_data(facets) -> dict:
    return {"kind": _values(facets["kinds"]), "verified": facets["verified"], "ta": facets["ta"]}
