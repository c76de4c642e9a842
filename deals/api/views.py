"""Deals over the API. Thin: parse with a serializer, read through scoped querysets and deals.selectors, write
through deals.services (the rules the pages follow), answer with a serializer.

Who acts: an account with a supplier membership acts as that supplier (its contracts and orders); any other account
acts as a buyer (its own). TenantScopedViewMixin applies the scope last, so another tenant's row is a 404, never a
403. A refused action (wrong side, wrong state) comes from the services: 403 or 400 with field messages. Every state
change takes an optional `Idempotency-Key` header: the same key again acts once and answers the same.
"""

import re

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.pagination import KeysetOrdering
from suppliers.api.scoping import IsSupplierStaff, TenantScopedViewMixin
from suppliers.tenancy import request_supplier

from .. import selectors
from ..models import (
    Contract,
    ContractStatus,
    Dispute,
    OrderDocument,
    PaymentMilestone,
    Shipment,
    ShipmentEvent,
    Side,
)
from ..services import contracts, disputes, orders
from ..views import document_response
from .filters import ContractFilter, OrderFilter
from .serializers import (
    CancelSerializer,
    ContractAcceptSerializer,
    ContractDetailSerializer,
    ContractProposeSerializer,
    ContractSerializer,
    DisputeAnswerSerializer,
    DisputeOpenSerializer,
    DisputeSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    MilestoneSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    ReviewCreateSerializer,
    ShipmentAddSerializer,
    ShipmentEventAddSerializer,
    ShipmentSerializer,
)

TAG = "deals"
SUPPLIER_TAG = "supplier deals"
NO_BODY = {
    "application/json": {
        "type": "object",
        "additionalProperties": False,
        "description": "No fields: send `{}` or no body.",
    }
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID) per intended action, at most 64 characters: a retry with the same key "
    "acts once and answers the same.",
)
BINARY = {(200, "application/octet-stream"): OpenApiTypes.BINARY}
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")


def idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not _KEY.match(key):
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Send at most 64 visible ASCII characters, e.g. a UUID.")]}
        )
    return key


def _newest():
    return {"newest": KeysetOrdering("created_at", descending=True, label="newest first")}


def _both(serializer):
    return {"application/json": serializer, "multipart/form-data": serializer}


class ActingSideMixin(TenantScopedViewMixin):
    """A supplier's staff act as the supplier, everybody else as a buyer; the scope follows the side."""

    tenant = "buyer"
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "id"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.tenant = "supplier" if request_supplier(request) is not None else "buyer"

    @property
    def side(self) -> str:
        return Side.SUPPLIER if self.tenant == "supplier" else Side.BUYER

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "side": self.side}


# --- contracts --------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="My contracts",
        tags=[TAG],
        description="A buyer's own contracts; for supplier staff, their supplier's.",
    ),
    retrieve=extend_schema(
        summary="A contract: every version with its terms, who accepted which, and the audit trail", tags=[TAG]
    ),
    accept=extend_schema(
        summary="Accept and sign the latest version",
        tags=[TAG],
        description="Sign with your typed full name. When both sides have accepted the latest version, the contract "
        "is signed and its order created (see `order`).",
        parameters=[IDEMPOTENCY_KEY],
        request=ContractAcceptSerializer,
        responses={200: ContractDetailSerializer},
    ),
    propose=extend_schema(
        summary="Propose changes to the latest version",
        tags=[TAG],
        description="Free-clause texts by key and the structured fields (per-line quantity and unit price, delivery "
        "date, Incoterm place, milestones). The result is a new version, accepted by you; the other side accepts it "
        "or proposes again.",
        parameters=[IDEMPOTENCY_KEY],
        request=ContractProposeSerializer,
        responses={201: ContractDetailSerializer},
    ),
    redraft=extend_schema(
        summary="Draft a failed contract again",
        tags=[TAG],
        request=NO_BODY,
        responses={200: ContractDetailSerializer},
    ),
    pdf=extend_schema(
        summary="The signed contract as a PDF",
        tags=[TAG],
        description="The signed version only (404 before both sides sign); the bytes are application/pdf.",
        responses=BINARY,
    ),
)
class ContractViewSet(ActingSideMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    buyer_path = Contract.BUYER_PATH
    filterset_class = ContractFilter
    keyset_orderings = _newest()
    default_ordering = "newest"

    def safely_get_queryset(self):
        if self.action == "list":
            return selectors.contract_queryset()
        return selectors.contract_detail_queryset()

    def get_serializer_class(self):
        return ContractSerializer if self.action == "list" else ContractDetailSerializer

    def _detail(self, contract, code=status.HTTP_200_OK):
        contract = selectors.contract_detail_queryset().get(pk=contract.pk)
        return Response(ContractDetailSerializer(contract, context=self.get_serializer_context()).data, status=code)

    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        contract = self.get_object()
        serializer = ContractAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = serializer.validated_data["version"]
        version = next((v for v in contract.versions.all() if v.number == number), None)
        if version is None:
            raise exceptions.ValidationError({"version": [_("This contract has no version %(n)d.") % {"n": number}]})
        contract = contracts.contract_accept(
            contract=contract,
            version=version,
            actor=request.user,
            side=self.side,
            signatory=serializer.validated_data["signatory"],
            idempotency_key=idempotency_key(request),
        )
        return self._detail(contract)

    @action(detail=True, methods=["post"], filterset_class=None)
    def propose(self, request, pk=None):
        contract = self.get_object()
        serializer = ContractProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contracts.contract_propose(
            contract=contract,
            actor=request.user,
            side=self.side,
            changes=serializer.service_changes(),
            note=serializer.validated_data["note"],
            idempotency_key=idempotency_key(request),
        )
        return self._detail(contract, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filterset_class=None)
    def redraft(self, request, pk=None):
        contract = contracts.contract_redraft(contract=self.get_object(), actor=request.user)
        return self._detail(contract)

    @action(detail=True, methods=["get"], filterset_class=None)
    def pdf(self, request, pk=None):
        from ..pdf import contract_pdf

        contract = self.get_object()
        version = next((v for v in contract.versions.all() if v.pk == contract.signed_version_id), None)
        if contract.status != ContractStatus.SIGNED or version is None:
            raise Http404
        response = HttpResponse(contract_pdf(version), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{contract.number}-v{version.number}.pdf"'
        return response


# --- orders -----------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="My orders",
        tags=[TAG],
        description="A buyer's own orders; for supplier staff, their supplier's. Filter by `status`.",
    ),
    retrieve=extend_schema(
        summary="An order: milestones, shipments, documents, dispute, review, audit trail",
        tags=[TAG],
        description="`payment_instructions` tell the buyer how to pay while the order awaits payment.",
    ),
    cancel=extend_schema(
        summary="Cancel before payment (buyer)",
        tags=[TAG],
        parameters=[IDEMPOTENCY_KEY],
        request=CancelSerializer,
        responses={200: OrderDetailSerializer},
    ),
    confirm_delivery=extend_schema(
        summary="Confirm the goods arrived (buyer)",
        tags=[TAG],
        description="Starts the protection window: disputes are accepted until it closes.",
        parameters=[IDEMPOTENCY_KEY],
        request=NO_BODY,
        responses={200: OrderDetailSerializer},
    ),
    dispute=extend_schema(
        summary="Open a dispute (buyer)",
        tags=[TAG],
        description="While money is held in escrow and before the protection window closes. JSON, or "
        "multipart/form-data to attach evidence (repeat `files`).",
        parameters=[IDEMPOTENCY_KEY],
        request=_both(DisputeOpenSerializer),
        responses={201: OrderDetailSerializer},
    ),
    review=extend_schema(
        summary="Rate a delivered order (buyer, once)",
        tags=[TAG],
        request=ReviewCreateSerializer,
        responses={201: OrderDetailSerializer},
    ),
    documents=extend_schema(
        summary="Add a document to the order",
        tags=[TAG],
        description="multipart/form-data with `kind`, `file` and `note`. Checked by content: a PDF or a photo.",
        request=_both(DocumentUploadSerializer),
        responses={201: DocumentSerializer},
    ),
    document=extend_schema(summary="Download a document of the order", tags=[TAG], responses=BINARY),
    start_production=extend_schema(
        summary="Start production (supplier staff)",
        tags=[SUPPLIER_TAG],
        parameters=[IDEMPOTENCY_KEY],
        request=NO_BODY,
        responses={200: OrderDetailSerializer},
    ),
    shipments=extend_schema(
        summary="Add a shipment (supplier staff)",
        tags=[SUPPLIER_TAG],
        request=ShipmentAddSerializer,
        responses={201: ShipmentSerializer},
    ),
)
class OrderViewSet(ActingSideMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    buyer_path = "buyer"
    filterset_class = OrderFilter
    keyset_orderings = _newest()
    default_ordering = "newest"

    def safely_get_queryset(self):
        if self.action == "list":
            return selectors.order_queryset()
        return selectors.order_detail_queryset()

    def get_serializer_class(self):
        return OrderSerializer if self.action == "list" else OrderDetailSerializer

    def _detail(self, order, code=status.HTTP_200_OK):
        order = selectors.order_detail_queryset().get(pk=order.pk)
        return Response(OrderDetailSerializer(order, context=self.get_serializer_context()).data, status=code)

    def _parse(self, serializer_class, request):
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        order = self.get_object()
        data = self._parse(CancelSerializer, request)
        orders.order_cancel(
            order=order, actor=request.user, reason=data["reason"], idempotency_key=idempotency_key(request)
        )
        return self._detail(order)

    @action(detail=True, methods=["post"], url_path="confirm-delivery", filterset_class=None)
    def confirm_delivery(self, request, pk=None):
        order = self.get_object()
        orders.order_confirm_delivery(order=order, actor=request.user, idempotency_key=idempotency_key(request))
        return self._detail(order)

    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser], filterset_class=None)
    def dispute(self, request, pk=None):
        order = self.get_object()
        data = self._parse(DisputeOpenSerializer, request)
        disputes.dispute_open(
            order=order,
            buyer=request.user,
            reason=data["reason"],
            description=data["description"],
            requested_refund=data["requested_refund"],
            files=data["files"],
            idempotency_key=idempotency_key(request),
        )
        return self._detail(order, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request, pk=None):
        order = self.get_object()
        data = self._parse(ReviewCreateSerializer, request)
        disputes.review_create(
            order=order,
            buyer=request.user,
            supplier_rating=data["supplier_rating"],
            product_rating=data["product_rating"],
            comment=data["comment"],
        )
        return self._detail(order, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser], filterset_class=None)
    def documents(self, request, pk=None):
        order = self.get_object()
        data = self._parse(DocumentUploadSerializer, request)
        document = orders.document_upload(
            order=order, actor=request.user, side=self.side, kind=data["kind"], file=data["file"], note=data["note"]
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_path="documents/<id:document_pk>", filterset_class=None)
    def document(self, request, pk=None, document_pk=None):
        order = self.get_object()  # scoped: another tenant's order is a 404 before any file is looked at
        document = OrderDocument.objects.filter(order=order, pk=document_pk).first()
        if document is None:
            raise Http404
        return document_response(document)

    @action(detail=True, methods=["post"], url_path="start-production", filterset_class=None)
    def start_production(self, request, pk=None):
        order = self.get_object()
        orders.order_start_production(order=order, actor=request.user, idempotency_key=idempotency_key(request))
        return self._detail(order)

    @action(detail=True, methods=["post"], filterset_class=None)
    def shipments(self, request, pk=None):
        order = self.get_object()
        data = self._parse(ShipmentAddSerializer, request)
        shipment = orders.shipment_add(order=order, actor=request.user, **data)
        shipment = Shipment.objects.prefetch_related("events").get(pk=shipment.pk)
        return Response(ShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED)


# --- milestones, shipments, disputes ----------------------------------------------------------------------------


@extend_schema_view(
    release=extend_schema(
        summary="Release a milestone to the supplier (buyer)",
        tags=[TAG],
        description="Only once its evidence is in. The same `Idempotency-Key` twice releases once.",
        parameters=[IDEMPOTENCY_KEY],
        request=NO_BODY,
        responses={200: MilestoneSerializer},
    ),
)
class MilestoneViewSet(ActingSideMixin, viewsets.GenericViewSet):
    buyer_path = PaymentMilestone.BUYER_PATH
    serializer_class = MilestoneSerializer

    def safely_get_queryset(self):
        return PaymentMilestone.objects.select_related("order")

    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        milestone = self.get_object()
        orders.milestone_release(milestone=milestone, actor=request.user, idempotency_key=idempotency_key(request))
        order = selectors.order_detail_queryset().get(pk=milestone.order_id)
        views = {view.milestone.pk: view for view in selectors.order_milestones(order)}
        return Response(MilestoneSerializer(views[milestone.pk].milestone, context={"milestone_views": views}).data)


@extend_schema_view(
    events=extend_schema(
        summary="Record a shipment stage (supplier staff)",
        tags=[SUPPLIER_TAG],
        description="Booked, departed, arrived, customs cleared, delivered: in order, once each. Departure ships the "
        "order; delivery starts the buyer's confirmation period.",
        request=ShipmentEventAddSerializer,
        responses={201: ShipmentSerializer},
    ),
)
class ShipmentViewSet(TenantScopedViewMixin, viewsets.GenericViewSet):
    tenant = "supplier"
    permission_classes = [IsSupplierStaff]
    serializer_class = ShipmentSerializer
    lookup_value_converter = "id"

    def safely_get_queryset(self):
        return Shipment.objects.select_related("order").prefetch_related(
            Prefetch("events", queryset=ShipmentEvent.objects.order_by("occurred_at"))
        )

    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        shipment = self.get_object()
        serializer = ShipmentEventAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        document = None
        if data["document"] is not None:
            document = OrderDocument.objects.filter(pk=data["document"], order_id=shipment.order_id).first()
            if document is None:
                raise exceptions.ValidationError({"document": [_("This order has no document with this id.")]})
        orders.shipment_event_record(
            shipment=shipment,
            actor=request.user,
            stage=data["stage"],
            occurred_at=data["occurred_at"],
            location=data["location"],
            note=data["note"],
            document=document,
        )
        return Response(
            ShipmentSerializer(self.safely_get_queryset().get(pk=shipment.pk)).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    answer=extend_schema(
        summary="Answer a dispute on one of my supplier's orders (supplier staff)",
        tags=[SUPPLIER_TAG],
        description="JSON, or multipart/form-data to attach evidence (repeat `files`).",
        request=_both(DisputeAnswerSerializer),
        responses={200: DisputeSerializer},
    ),
)
class DisputeViewSet(TenantScopedViewMixin, viewsets.GenericViewSet):
    tenant = "supplier"
    permission_classes = [IsSupplierStaff]
    serializer_class = DisputeSerializer
    lookup_value_converter = "id"

    def safely_get_queryset(self):
        return Dispute.objects.select_related("order")

    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def answer(self, request, pk=None):
        dispute = self.get_object()
        serializer = DisputeAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute = disputes.dispute_answer(
            dispute=dispute,
            actor=request.user,
            answer=serializer.validated_data["answer"],
            files=serializer.validated_data["files"],
        )
        return Response(DisputeSerializer(dispute).data)
