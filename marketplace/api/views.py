"""Catalog, favorites and starting inquiries over the API. Thin: parse with a serializer, read through selectors,
write through marketplace.services (the same rules the pages follow), answer with a serializer.

Public: categories, products, a supplier's products. Buyer-owned (TenantScopedViewMixin, tenant="buyer"):
favorites. Conversations themselves (the buyer's threads, a supplier's inbox) are conversations.api.
"""

from django.db.models import Prefetch
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conversations import selectors as conversation_selectors
from conversations.api.serializers import ConversationThreadSerializer
from core.api.conditional import ConditionalRetrieveMixin
from core.api.pagination import KeysetOrdering
from core.api.schema import not_modified_response
from core.db import use_replica
from core.public_cache import public_cached
from suppliers.api.scoping import TenantScopedViewMixin
from suppliers.models import Supplier
from taxonomy import selectors as taxonomy_selectors

from .. import selectors, services
from ..models import (
    PRODUCT_SORT_KEYS,
    Favorite,
    Product,
    ProductStatus,
    ProductTranslation,
    base_language,
)
from .filters import ProductFilter
from .serializers import (
    CategoryNodeSerializer,
    FavoriteProductCreateSerializer,
    FavoriteProductSerializer,
    FavoriteSupplierCreateSerializer,
    FavoriteSupplierSerializer,
    InquiryCreateSerializer,
    ProductCardSerializer,
    ProductDetailSerializer,
)

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="An ETag from an earlier response; answered with 304 if nothing changed.",
)
ETAG_HEADER = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=True, description="The representation's tag."
)
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Language for category names and product text, e.g. `de` or `zh-hans`; English by default.",
)


# The sort keys live beside the model, whose indexes serve them. Unpriced products sort last either way.
PRODUCT_ORDERINGS = {
    "relevance": KeysetOrdering(PRODUCT_SORT_KEYS["relevance"], descending=True, label="best listings first"),
    "newest": KeysetOrdering(PRODUCT_SORT_KEYS["newest"], descending=True, label="newest first"),
    "price": KeysetOrdering(PRODUCT_SORT_KEYS["price"], label="lowest price first"),
    "-price": KeysetOrdering(PRODUCT_SORT_KEYS["-price"], descending=True, label="highest price first"),
    "moq": KeysetOrdering("moq", label="smallest MOQ first"),
    "lead_time": KeysetOrdering("lead_time_days", label="fastest shipping first"),
}


def _product_cards():
    return selectors.product_list_published(language=get_language())


# --- categories ---------------------------------------------------------------------------------------------


class CategoryTreeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="The category tree",
        tags=["catalog"],
        parameters=[ACCEPT_LANGUAGE],
        responses=CategoryNodeSerializer(many=True),
    )
    def get(self, request):
        return Response(CategoryNodeSerializer(taxonomy_selectors.category_tree(), many=True).data)


# --- products -----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Search and filter products", tags=["catalog"], parameters=[ACCEPT_LANGUAGE]),
    retrieve=extend_schema(
        summary="A product",
        tags=["catalog"],
        parameters=[ACCEPT_LANGUAGE, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: ProductDetailSerializer, 304: not_modified_response()},
    ),
)
class ProductViewSet(
    ConditionalRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [AllowAny]
    lookup_value_converter = "id"
    filterset_class = ProductFilter
    keyset_orderings = PRODUCT_ORDERINGS
    default_ordering = "relevance"

    def get_queryset(self):
        return _product_cards()

    def list(self, request, *args, **kwargs):
        def cards():
            with use_replica():  # a read: may go to the replica (config/db_router.py)
                return super(ProductViewSet, self).list(request, *args, **kwargs).data

        # A card has no per-user field, so one URL lists the same page for everyone: cached per version
        # (core/public_cache.py). A refused filter raises before anything is cached.
        return Response(public_cached(("api-products", request.build_absolute_uri(), get_language()), cards))

    def get_serializer_class(self):
        return ProductDetailSerializer if self.action == "retrieve" else ProductCardSerializer

    def get_object(self):
        # Price tiers, attributes and current certificates come with the detail selector.
        try:
            product = selectors.product_get_published(pk=self.kwargs["pk"], language=get_language())
        except Product.DoesNotExist:
            raise NotFound() from None
        self.check_object_permissions(self.request, product)
        return product


@extend_schema(summary="A supplier's published products", tags=["suppliers"], parameters=[ACCEPT_LANGUAGE])
class SupplierProductListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProductCardSerializer
    filterset_class = ProductFilter
    keyset_orderings = PRODUCT_ORDERINGS
    default_ordering = "relevance"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Product.objects.none()
        supplier_id = Supplier.objects.filter(slug=self.kwargs["slug"]).values_list("pk", flat=True).first()
        if supplier_id is None:
            raise NotFound()
        return _product_cards().filter(supplier_id=supplier_id)


# --- favorites ----------------------------------------------------------------------------------------------


class _FavoriteViewSet(
    TenantScopedViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A buyer's saved products or suppliers: list, save (idempotent), forget."""

    tenant = "buyer"
    buyer_path = "user"
    permission_classes = [IsAuthenticated]
    keyset_orderings = {"newest": KeysetOrdering("created_at", descending=True, label="most recently saved")}
    default_ordering = "newest"
    create_serializer_class = None
    saves = ""  # "product" or "supplier": what services.favorite_add is given

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        favorite, created = services.favorite_add(
            user=request.user, **{self.saves: serializer.validated_data[self.saves]}
        )
        favorite = self.get_queryset().get(pk=favorite.pk)  # with what the list shows
        return Response(
            self.get_serializer(favorite).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def perform_destroy(self, instance):
        services.favorite_remove(favorite=instance)


@extend_schema_view(
    list=extend_schema(summary="My saved products", tags=["favorites"], parameters=[ACCEPT_LANGUAGE]),
    create=extend_schema(
        summary="Save a product",
        tags=["favorites"],
        request=FavoriteProductCreateSerializer,
        responses={201: FavoriteProductSerializer, 200: FavoriteProductSerializer},
        description="Idempotent: saving an already saved product answers 200 with the existing favorite.",
    ),
    destroy=extend_schema(summary="Forget a saved product", tags=["favorites"], responses={204: None}),
)
class FavoriteProductViewSet(_FavoriteViewSet):
    serializer_class = FavoriteProductSerializer
    create_serializer_class = FavoriteProductCreateSerializer
    saves = "product"
    lookup_field = "product_id"
    lookup_url_kwarg = "product_id"
    lookup_value_converter = "id"

    def safely_get_queryset(self):
        # A product that was unpublished since stays saved, but is not shown until it is back.
        return (
            Favorite.objects.filter(product__status=ProductStatus.PUBLISHED)
            .select_related("product__supplier", "product__category")
            .prefetch_related(
                Prefetch(
                    "product__translations",
                    queryset=ProductTranslation.objects.filter(language=base_language(get_language())),
                ),
                "product__images",
            )
        )


@extend_schema_view(
    list=extend_schema(summary="My saved suppliers", tags=["favorites"]),
    create=extend_schema(
        summary="Save a supplier",
        tags=["favorites"],
        request=FavoriteSupplierCreateSerializer,
        responses={201: FavoriteSupplierSerializer, 200: FavoriteSupplierSerializer},
        description="Idempotent: saving an already saved supplier answers 200 with the existing favorite.",
    ),
    destroy=extend_schema(summary="Forget a saved supplier", tags=["favorites"], responses={204: None}),
)
class FavoriteSupplierViewSet(_FavoriteViewSet):
    serializer_class = FavoriteSupplierSerializer
    create_serializer_class = FavoriteSupplierCreateSerializer
    saves = "supplier"
    lookup_field = "supplier__slug"
    lookup_url_kwarg = "slug"
    lookup_value_converter = "slug"

    def safely_get_queryset(self):
        return Favorite.objects.filter(supplier__isnull=False).select_related("supplier")


# --- inquiries ----------------------------------------------------------------------------------------------


@extend_schema(
    summary="Ask a supplier about a product",
    description="Starts a conversation about a published product; read and answer it under /conversations/.",
    tags=["conversations"],
    request=InquiryCreateSerializer,
    responses={201: ConversationThreadSerializer},
)
class InquiryCreateView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = InquiryCreateSerializer

    def post(self, request):
        serializer = InquiryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = services.inquiry_create(buyer=request.user, **serializer.validated_data)
        conversation = conversation_selectors.conversation_get_for_buyer(
            buyer=request.user, pk=conversation.pk, language=base_language(get_language())
        )
        return Response(
            ConversationThreadSerializer(conversation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
