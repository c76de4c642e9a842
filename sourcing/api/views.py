"""The sourcing assistant over the API. Thin: parse with a serializer, read through scoped querysets and
sourcing.selectors, write through sourcing.services (the rules the pages follow), answer with a serializer.

Buyer-owned (TenantScopedViewMixin, tenant="buyer", each model's BUYER_PATH): requests, their requirements and
plans, RFQs and the quotes on them. Supplier-owned (tenant="supplier"): the RFQs sent to the staff's supplier
(its RFQRecipient rows) and its own quotes. Anybody else's row is a 404, never a 403. Services raise Django's
ValidationError; core.api.exceptions turns it into the API's error shape.
"""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.pagination import KeysetOrdering
from suppliers.api.scoping import IsSupplierStaff, TenantScopedViewMixin

from .. import selectors, services
from ..models import (
    RFQ,
    Quote,
    QuoteLine,
    QuoteStatus,
    RFQAttachment,
    RFQRecipient,
    SourcingPlan,
    SourcingRequest,
)
from ..views import attachment_response
from .filters import ReceivedRFQFilter, RFQFilter, SourcingRequestFilter
from .serializers import (
    PlanSerializer,
    PlanSummarySerializer,
    QuoteDeclineSerializer,
    QuoteSerializer,
    QuoteSubmitSerializer,
    ReceivedRFQInvitationSerializer,
    RequirementsSerializer,
    RequirementsVersionSerializer,
    RFQCreateSerializer,
    RFQDeclineSerializer,
    RFQDetailSerializer,
    RFQSendSerializer,
    RFQSerializer,
    SourcingRequestCreateJSONSerializer,
    SourcingRequestCreateSerializer,
    SourcingRequestDetailSerializer,
    SourcingRequestSerializer,
    SupplierQuoteSerializer,
)

TAG = "sourcing"
SUPPLIER_TAG = "supplier rfqs"
# POST actions that take no fields (the schema still types the body: an empty object).
NO_BODY = {
    "application/json": {
        "type": "object",
        "additionalProperties": False,
        "description": "No fields: send `{}` or no body.",
    }
}


def _newest(field, label="newest first"):
    return {"newest": KeysetOrdering(field, descending=True, label=label)}


def _quote_details(queryset):
    """A quote's lines with their tiers and its answers, in two more queries whatever the number of quotes."""
    return queryset.prefetch_related(
        Prefetch("lines", queryset=QuoteLine.objects.prefetch_related("tiers")),
        "answers",
    )


# --- requests, requirements, plans --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My sourcing requests", tags=[TAG]),
    retrieve=extend_schema(
        summary="A sourcing request, with its latest requirements and plan",
        tags=[TAG],
        responses=SourcingRequestDetailSerializer,
    ),
    create=extend_schema(
        summary="Describe what you need",
        tags=[TAG],
        description=(
            "The requirements are read from the text (and any spec sheets) as version 1, for you to review before "
            "a plan is computed. JSON, or multipart/form-data to attach files (repeat `attachments`)."
        ),
        request={
            "application/json": SourcingRequestCreateJSONSerializer,
            "multipart/form-data": SourcingRequestCreateSerializer,
        },
        responses={201: SourcingRequestDetailSerializer},
    ),
    requirements=extend_schema(
        summary="Correct or complete the requirements",
        tags=[TAG],
        description=(
            "Adds a requirements version (none when nothing changed). PUT replaces every editable field (left-out "
            "ones are cleared, `language` is kept); PATCH changes only the fields given. `unread` stays as read."
        ),
        request=RequirementsSerializer,
        responses={200: RequirementsVersionSerializer},
    ),
    attachment=extend_schema(
        summary="Download a file attached to my request",
        tags=[TAG],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    ),
    plan=extend_schema(
        summary="Compute a plan for the latest requirements",
        tags=[TAG],
        description="Idempotent: while the requirements are unchanged, asking again answers the same plan.",
        request=NO_BODY,
        responses={202: PlanSummarySerializer},
    ),
)
class SourcingRequestViewSet(
    TenantScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A buyer's own requests. Anybody else's is a 404."""

    tenant = "buyer"
    buyer_path = SourcingRequest.BUYER_PATH
    permission_classes = [IsAuthenticated]
    # Multipart for the files of a new request; the actions below take JSON only.
    parser_classes = [JSONParser, MultiPartParser]
    lookup_value_converter = "id"
    filterset_class = SourcingRequestFilter
    keyset_orderings = _newest("created_at")
    default_ordering = "newest"

    def safely_get_queryset(self):
        queryset = SourcingRequest.objects.all()
        if self.action in ("retrieve", "create"):
            queryset = queryset.prefetch_related("attachments")
        return queryset

    def get_serializer_class(self):
        return SourcingRequestSerializer if self.action == "list" else SourcingRequestDetailSerializer

    def _detail(self, sourcing_request):
        sourcing_request.latest_requirements = selectors.requirements_latest(request=sourcing_request)
        sourcing_request.latest_plan = selectors.plan_latest(request=sourcing_request)
        return SourcingRequestDetailSerializer(sourcing_request, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def create(self, request, *args, **kwargs):
        serializer = SourcingRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = services.sourcing_request_create(
            buyer=request.user, text=data["text"], language=data.get("language"), files=data["attachments"]
        )
        return Response(self._detail(self.get_queryset().get(pk=created.pk)), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["put", "patch"], parser_classes=[JSONParser], filterset_class=None)
    def requirements(self, request, pk=None):
        sourcing_request = self.get_object()
        partial = request.method == "PATCH"
        serializer = RequirementsSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        latest = selectors.requirements_latest(request=sourcing_request)
        current = dict(latest.data) if latest else {}
        if partial:
            data = {**current, **serializer.validated_data}
        else:
            data = {"language": current.get("language", sourcing_request.language), **serializer.validated_data}
        data["unread"] = current.get("unread", [])
        version = services.requirements_edit(request=sourcing_request, data=data, user=request.user)
        return Response(RequirementsVersionSerializer(version).data)

    @action(detail=True, methods=["get"], url_path="attachments/<id:attachment_pk>", filterset_class=None)
    def attachment(self, request, pk=None, attachment_pk=None):
        sourcing_request = self.get_object()
        return attachment_response(
            selectors.attachment_for_buyer(buyer=request.user, request_pk=sourcing_request.pk, pk=attachment_pk)
        )

    @action(detail=True, methods=["post"], parser_classes=[JSONParser], filterset_class=None)
    def plan(self, request, pk=None):
        plan = services.sourcing_plan_request(request=self.get_object())
        plan = SourcingPlan.objects.select_related("requirements").get(pk=plan.pk)
        return Response(PlanSummarySerializer(plan).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    retrieve=extend_schema(
        summary="A plan: progress while it runs, the comparison once done", tags=[TAG], responses=PlanSerializer
    ),
    rfq=extend_schema(
        summary="Draft an RFQ from a done plan",
        tags=[TAG],
        description="A draft filled from the plan's requirements; nothing reaches a supplier until it is sent.",
        request=NO_BODY,
        responses={201: RFQDetailSerializer},
    ),
)
class SourcingPlanViewSet(TenantScopedViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    tenant = "buyer"
    buyer_path = SourcingPlan.BUYER_PATH
    permission_classes = [IsAuthenticated]
    serializer_class = PlanSerializer
    lookup_value_converter = "id"

    def safely_get_queryset(self):
        return SourcingPlan.objects.select_related("request", "requirements")

    @action(detail=True, methods=["post"])
    def rfq(self, request, pk=None):
        rfq = services.rfq_draft_from_plan(plan=self.get_object(), buyer=request.user)
        return Response(_rfq_detail(rfq.pk, self.get_serializer_context()), status=status.HTTP_201_CREATED)


# --- RFQs and quotes (buyer) --------------------------------------------------------------------------------


def _rfq_detail_queryset():
    return RFQ.objects.prefetch_related(
        "lines",
        Prefetch("attachments", queryset=RFQAttachment.objects.select_related("source")),
        # In the order they were chosen (for a broadcast: by fit, best first).
        Prefetch("recipients", queryset=RFQRecipient.objects.select_related("supplier").order_by("pk")),
        Prefetch(
            "quotes",
            queryset=_quote_details(Quote.objects.exclude(status=QuoteStatus.WITHDRAWN).select_related("supplier")),
        ),
    )


def _rfq_detail(pk, context):
    """Only called with an RFQ the caller has just been allowed to create or change."""
    return RFQDetailSerializer(_rfq_detail_queryset().get(pk=pk), context=context).data


@extend_schema_view(
    list=extend_schema(summary="My RFQs", tags=[TAG]),
    retrieve=extend_schema(
        summary="An RFQ with its recipients and the quotes received", tags=[TAG], responses=RFQDetailSerializer
    ),
    create=extend_schema(
        summary="Draft an RFQ",
        tags=[TAG],
        description="A draft: spec-first lines and terms. Nothing reaches a supplier until it is sent.",
        request=RFQCreateSerializer,
        responses={201: RFQDetailSerializer},
    ),
    send=extend_schema(
        summary="Send a draft RFQ",
        tags=[TAG],
        description="To the suppliers named, or with `broadcast` to the plan's best matches (at most 10).",
        request=RFQSendSerializer,
        responses={200: RFQDetailSerializer},
    ),
    cancel=extend_schema(summary="Cancel an RFQ", tags=[TAG], request=NO_BODY, responses={200: RFQDetailSerializer}),
)
class RFQViewSet(
    TenantScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    tenant = "buyer"
    buyer_path = RFQ.BUYER_PATH
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "id"
    filterset_class = RFQFilter
    keyset_orderings = _newest("created_at")
    default_ordering = "newest"

    def safely_get_queryset(self):
        if self.action == "list":
            return RFQ.objects.prefetch_related("lines").annotate(
                recipient_count=Count("recipients", distinct=True),
                quote_count=Count("quotes", filter=~Q(quotes__status=QuoteStatus.WITHDRAWN), distinct=True),
            )
        if self.action == "retrieve":
            return _rfq_detail_queryset()
        return RFQ.objects.all()

    def get_serializer_class(self):
        return RFQSerializer if self.action == "list" else RFQDetailSerializer

    def create(self, request, *args, **kwargs):
        serializer = RFQCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        rfq = services.rfq_create(buyer=request.user, **serializer.service_arguments())
        return Response(_rfq_detail(rfq.pk, self.get_serializer_context()), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filterset_class=None)
    def send(self, request, pk=None):
        rfq = self.get_object()
        serializer = RFQSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rfq_send(
            rfq=rfq,
            buyer=request.user,
            supplier_ids=serializer.validated_data["suppliers"],
            broadcast=serializer.validated_data["broadcast"],
        )
        return Response(_rfq_detail(rfq.pk, self.get_serializer_context()))

    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        rfq = services.rfq_cancel(rfq=self.get_object(), buyer=request.user)
        return Response(_rfq_detail(rfq.pk, self.get_serializer_context()))


@extend_schema_view(
    retrieve=extend_schema(summary="A quote on one of my RFQs", tags=[TAG]),
    shortlist=extend_schema(summary="Shortlist a quote", tags=[TAG], request=NO_BODY, responses={200: QuoteSerializer}),
    decline=extend_schema(
        summary="Decline a quote", tags=[TAG], request=QuoteDeclineSerializer, responses={200: QuoteSerializer}
    ),
    accept=extend_schema(
        summary="Accept a quote",
        tags=[TAG],
        description="Closes the RFQ. Only one quote per RFQ can be accepted: a second acceptance is a 400.",
        request=NO_BODY,
        responses={200: QuoteSerializer},
    ),
)
class QuoteViewSet(TenantScopedViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quotes on the buyer's own RFQs (withdrawn ones are gone); anybody else's is a 404."""

    tenant = "buyer"
    buyer_path = Quote.BUYER_PATH
    permission_classes = [IsAuthenticated]
    serializer_class = QuoteSerializer
    lookup_value_converter = "id"

    def safely_get_queryset(self):
        return _quote_details(Quote.objects.exclude(status=QuoteStatus.WITHDRAWN).select_related("supplier"))

    def _answer(self, quote):
        return Response(QuoteSerializer(self.get_queryset().get(pk=quote.pk)).data)

    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        return self._answer(services.quote_shortlist(quote=self.get_object(), buyer=request.user))

    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        quote = self.get_object()
        serializer = QuoteDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.quote_decline(quote=quote, buyer=request.user, note=serializer.validated_data["note"])
        )

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(services.quote_accept(quote=self.get_object(), buyer=request.user))


# --- supplier staff -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="RFQs sent to my supplier", tags=[SUPPLIER_TAG]),
    retrieve=extend_schema(
        summary="An RFQ sent to my supplier",
        tags=[SUPPLIER_TAG],
        description="Opening it tells the buyer it was viewed.",
    ),
    attachment=extend_schema(
        summary="Download a file of an RFQ sent to my supplier",
        tags=[SUPPLIER_TAG],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    ),
    decline=extend_schema(
        summary="Decline to quote",
        tags=[SUPPLIER_TAG],
        request=RFQDeclineSerializer,
        responses={200: ReceivedRFQInvitationSerializer},
    ),
    quote=extend_schema(
        summary="Quote on an RFQ sent to my supplier",
        tags=[SUPPLIER_TAG],
        description="Submitting again revises the quote while the buyer has not decided (200).",
        request=QuoteSubmitSerializer,
        responses={
            201: SupplierQuoteSerializer,
            200: OpenApiResponse(SupplierQuoteSerializer, description="The quote, revised."),
        },
    ),
)
class ReceivedRFQViewSet(
    TenantScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The staff's supplier's own invitations: never another supplier's, never another supplier's quote."""

    tenant = "supplier"
    permission_classes = [IsSupplierStaff]
    serializer_class = ReceivedRFQInvitationSerializer
    lookup_value_converter = "id"
    filterset_class = ReceivedRFQFilter
    keyset_orderings = _newest("invited_at", label="most recently received first")
    default_ordering = "newest"

    def safely_get_queryset(self):
        # The reverse one-to-one "quote" is this recipient's own quote (joined: no extra query, no other quote).
        return RFQRecipient.objects.select_related("rfq", "quote").prefetch_related(
            "rfq__lines",
            Prefetch("rfq__attachments", queryset=RFQAttachment.objects.select_related("source")),
        )

    def retrieve(self, request, *args, **kwargs):
        recipient = self.get_object()
        services.rfq_recipient_mark_viewed(recipient=recipient)
        recipient.refresh_from_db(fields=["status", "viewed_at"])
        return Response(self.get_serializer(recipient).data)

    @action(detail=True, methods=["get"], url_path="attachments/<id:attachment_pk>", filterset_class=None)
    def attachment(self, request, pk=None, attachment_pk=None):
        recipient = self.get_object()
        return attachment_response(
            selectors.attachment_for_supplier(
                supplier=recipient.supplier, recipient_pk=recipient.pk, pk=int(attachment_pk)
            )
        )

    @action(detail=True, methods=["post"], filterset_class=None)
    def decline(self, request, pk=None):
        recipient = self.get_object()
        serializer = RFQDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rfq_decline(recipient=recipient, reason=serializer.validated_data["reason"])
        recipient = self.get_queryset().get(pk=recipient.pk)
        return Response(self.get_serializer(recipient).data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def quote(self, request, pk=None):
        recipient = self.get_object()
        serializer = QuoteSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revised = Quote.objects.filter(recipient=recipient).exists()
        quote = services.quote_submit(recipient=recipient, **serializer.service_arguments())
        quote = _quote_details(Quote.objects.select_related("rfq")).get(pk=quote.pk)
        return Response(
            SupplierQuoteSerializer(quote).data, status=status.HTTP_200_OK if revised else status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(summary="My supplier's quotes", tags=[SUPPLIER_TAG]),
    retrieve=extend_schema(summary="One of my supplier's quotes", tags=[SUPPLIER_TAG]),
)
class SupplierQuoteViewSet(
    TenantScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    tenant = "supplier"
    permission_classes = [IsSupplierStaff]
    serializer_class = SupplierQuoteSerializer
    lookup_value_converter = "id"
    keyset_orderings = _newest("submitted_at", label="most recently submitted first")
    default_ordering = "newest"

    def safely_get_queryset(self):
        return _quote_details(Quote.objects.select_related("rfq"))
