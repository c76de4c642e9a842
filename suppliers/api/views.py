"""Public supplier directory: list with filters, storefront detail (with ETag), current certifications."""

from decimal import Decimal

from django.db.models import DecimalField, F, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.conditional import ConditionalRetrieveMixin
from core.api.pagination import KeysetOrdering
from core.api.schema import not_modified_response

from .. import selectors
from ..models import Supplier
from .filters import SupplierFilter
from .serializers import CertificationSerializer, SupplierDetailSerializer, SupplierSummarySerializer

RATING_FIELD = DecimalField(max_digits=3, decimal_places=2)
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


@extend_schema_view(
    list=extend_schema(summary="List suppliers", tags=["suppliers"]),
    retrieve=extend_schema(
        summary="A supplier's storefront",
        tags=["suppliers"],
        parameters=[IF_NONE_MATCH, ETAG_HEADER],
        responses={200: SupplierDetailSerializer, 304: not_modified_response()},
    ),
    certifications=extend_schema(
        summary="A supplier's current certifications",
        tags=["suppliers"],
        responses=CertificationSerializer(many=True),
    ),
)
class SupplierViewSet(
    ConditionalRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The supplier directory is public: anybody may browse it, signed in or not."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_converter = "slug"
    filterset_class = SupplierFilter
    keyset_orderings = {
        "name": KeysetOrdering("name", label="name A–Z"),
        "response_time": KeysetOrdering(
            Coalesce(F("median_response_minutes"), Value(2**31 - 1)), label="fastest median first response"
        ),
        "rating": KeysetOrdering(
            Coalesce(F("rating_average"), Value(Decimal("0"), output_field=RATING_FIELD)),
            descending=True,
            label="best rated",
        ),
    }
    default_ordering = "name"

    def get_queryset(self):
        return selectors.supplier_list()

    def get_object(self):
        if self.action != "retrieve":
            return super().get_object()
        # The storefront selector loads current certifications and capacities in two extra queries.
        try:
            supplier = selectors.supplier_get(slug=self.kwargs["slug"])
        except Supplier.DoesNotExist:
            raise NotFound() from None
        self.check_object_permissions(self.request, supplier)
        return supplier

    def get_serializer_class(self):
        return SupplierDetailSerializer if self.action == "retrieve" else SupplierSummarySerializer

    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def certifications(self, request, slug=None):
        supplier = self.get_object()
        certifications = selectors.certification_valid_list().filter(supplier=supplier)
        return Response(CertificationSerializer(certifications, many=True).data)
