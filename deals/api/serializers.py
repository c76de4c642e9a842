"""Deals representations for the API: contracts with their versions and terms, orders with their milestones,
shipments, documents, audit trail, dispute, review and payment instructions; and the inputs of each action.

Input serializers check shapes and types only; the rules (who may act, in which state, amounts against escrow)
live in deals.services, whose ValidationErrors the API's exception handler turns into field messages.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import StrictCharField, StrictIntegerField
from core.api.filters import MAX_INT
from sourcing.api.serializers import NamedStatusField, SupplierRefSerializer

from .. import selectors
from ..models import (
    Contract,
    ContractStatus,
    ContractVersion,
    DealEvent,
    Dispute,
    DisputeDecision,
    DisputeReason,
    DisputeStatus,
    DocumentKind,
    Evidence,
    MilestoneStatus,
    Order,
    OrderDocument,
    OrderStatus,
    PaymentMilestone,
    Review,
    Shipment,
    ShipmentEvent,
    ShipmentMode,
    ShipmentStage,
    Side,
)
from ..schema import SourceKind

MONEY = {"max_digits": 16, "decimal_places": 2}
UNIT_PRICE = {"max_digits": 14, "decimal_places": 4}
SOURCE_KINDS = list(SourceKind.__args__)  # type: ignore[attr-defined]


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choices are one named enum in the schema (`DealSideEnum`, ...), whichever serializers
    use it, read or written: deals has several fields called `kind` and `side` with different choices."""

    def __init__(self, choices, enum_name, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema=build_choice_field(field),
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def side_field(**kwargs):
    return NamedChoiceField(Side.choices, "DealSideEnum", read_only=True, **kwargs)


class NextActionSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="What to do next: sign, retry_draft, pay, release, confirm_delivery, rate, start_production, "
        "ship, track, answer_dispute, or wait (the other side acts)."
    )
    label = serializers.CharField(help_text="The same, in words, in the request's language.")
    mine = serializers.BooleanField(help_text="True when the signed-in side has to act; false while it waits.")


# --- contract terms (deals.schema.ContractTerms) ---------------------------------------------------------------


class SourceSerializer(serializers.Serializer):
    kind = NamedChoiceField(
        SOURCE_KINDS,
        "ContractSourceKindEnum",
        help_text="Where the words come from; `template` is the platform's default wording, which nothing the "
        "parties said covers.",
    )
    ref = serializers.CharField(help_text='e.g. "quote_line:12", "requirement:cert:CE", "version:3".')
    label = serializers.CharField()
    excerpt = serializers.CharField(help_text="The words the clause rests on.")


class PartySerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    contact = serializers.CharField()


class TermsLineSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    product = serializers.CharField()
    specification = serializers.ListField(child=serializers.CharField())
    quantity = serializers.IntegerField()
    unit = serializers.CharField()
    unit_price = serializers.DecimalField(**UNIT_PRICE)
    total = serializers.DecimalField(**MONEY)
    source = SourceSerializer()


class MilestoneTermSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    evidence = NamedChoiceField(
        Evidence.choices, "MilestoneEvidenceEnum", help_text="What releases this part of the price."
    )


class ClauseSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    sources = SourceSerializer(many=True)
    is_template_default = serializers.BooleanField(help_text="Every source is the platform's template.")


class ContractTermsSerializer(serializers.Serializer):
    buyer = PartySerializer()
    supplier = PartySerializer()
    currency = serializers.CharField()
    incoterm = serializers.CharField()
    incoterm_place = serializers.CharField()
    lines = TermsLineSerializer(many=True)
    milestones = MilestoneTermSerializer(many=True)
    delivery_date = serializers.DateField()
    protection_days = serializers.IntegerField(help_text="Days after delivery in which the buyer may open a dispute.")
    total = serializers.DecimalField(**MONEY)
    clauses = ClauseSerializer(many=True)


class ContractVersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number", read_only=True)
    author_side = side_field()
    terms = serializers.SerializerMethodField()
    provenance = serializers.DictField(
        read_only=True, help_text="Provider, model and prompt version of an AI draft; empty for a person's edit."
    )

    class Meta:
        model = ContractVersion
        fields = [
            "id",
            "version",
            "author_side",
            "note",
            "content_hash",
            "provenance",
            "buyer_accepted_at",
            "buyer_signatory",
            "supplier_accepted_at",
            "supplier_signatory",
            "created_at",
            "terms",
        ]
        read_only_fields = fields

    @extend_schema_field(ContractTermsSerializer)
    def get_terms(self, version):
        # The model (not the stored JSON) so computed totals and template flags are part of the answer.
        return ContractTermsSerializer(version.parsed).data


class ContractSerializer(serializers.ModelSerializer):
    """A contract in a list: who, where it stands, its latest version's total, and what to do next."""

    status = NamedStatusField(ContractStatus, "ContractStatusEnum")
    supplier = SupplierRefSerializer(read_only=True)
    latest_version = serializers.SerializerMethodField(help_text="Number of the newest version; null while drafting.")
    currency = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField(help_text="The newest version's total; null while drafting.")
    order = serializers.SerializerMethodField(help_text="The order's id once signed.")
    next_action = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "title",
            "status",
            "quote",
            "supplier",
            "latest_version",
            "currency",
            "total",
            "signed_at",
            "order",
            "next_action",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _latest(self, contract):
        return selectors.contract_latest_version(contract)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_latest_version(self, contract):
        latest = self._latest(contract)
        return latest.number if latest else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_currency(self, contract):
        latest = self._latest(contract)
        return latest.terms.get("currency") if latest else None

    @extend_schema_field(serializers.DecimalField(**MONEY, allow_null=True))
    def get_total(self, contract):
        latest = self._latest(contract)
        return f"{latest.parsed.total:.2f}" if latest else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_order(self, contract):
        order = getattr(contract, "order", None) if contract.status == ContractStatus.SIGNED else None
        return order.pk if order else None

    @extend_schema_field(NextActionSerializer(allow_null=True))
    def get_next_action(self, contract):
        action = selectors.contract_next_action(contract, side=self.context.get("side", Side.BUYER))
        return NextActionSerializer(action).data if action else None


class DealEventSerializer(serializers.ModelSerializer):
    side = side_field()
    detail = serializers.DictField(read_only=True)

    class Meta:
        model = DealEvent
        fields = ["id", "created_at", "side", "action", "from_status", "to_status", "order", "detail"]
        read_only_fields = fields


class ContractDetailSerializer(ContractSerializer):
    """A contract with every version (terms included, oldest first) and its audit trail."""

    error = serializers.CharField(read_only=True, help_text="Why drafting failed; empty otherwise.")
    signed_version = serializers.SerializerMethodField(help_text="Number of the signed version.")
    versions = serializers.SerializerMethodField()
    events = DealEventSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "error", "signed_version", "versions", "events"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_signed_version(self, contract):
        version = next((v for v in contract.versions.all() if v.pk == contract.signed_version_id), None)
        return version.number if version else None

    @extend_schema_field(ContractVersionSerializer(many=True))
    def get_versions(self, contract):
        return ContractVersionSerializer(selectors.contract_versions(contract), many=True).data


class ContractAcceptSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, max_value=MAX_INT, help_text="The version number you accept.")
    signatory = StrictCharField(max_length=200, help_text="Your full name: your signature.")


class LineChangeSerializer(serializers.Serializer):
    position = StrictIntegerField(min_value=1, max_value=50)
    quantity = StrictIntegerField(min_value=1, max_value=100_000_000, required=False)
    unit_price = serializers.DecimalField(**UNIT_PRICE, min_value=0, required=False)


class ContractChangesSerializer(serializers.Serializer):
    clauses = serializers.DictField(
        child=StrictCharField(max_length=4000),
        required=False,
        help_text="New words for free clauses, by clause key (packaging, inspection, warranty, remedies, disputes, "
        "governing_law). The commercial clauses are worded from the numbers below.",
    )
    lines = LineChangeSerializer(many=True, required=False, max_length=50)
    delivery_date = serializers.DateField(required=False)
    incoterm_place = StrictCharField(max_length=100, required=False, allow_blank=True)
    milestones = MilestoneTermSerializer(
        many=True, required=False, max_length=6, help_text="Replaces every milestone; the shares add up to 100."
    )


class ContractProposeSerializer(serializers.Serializer):
    changes = ContractChangesSerializer()
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")

    def service_changes(self) -> dict:
        changes = dict(self.validated_data["changes"])
        if "lines" in changes:
            changes["lines"] = [
                {**line, **({"unit_price": str(line["unit_price"])} if "unit_price" in line else {})}
                for line in changes["lines"]
            ]
        if "delivery_date" in changes:
            changes["delivery_date"] = changes["delivery_date"].isoformat()
        if "milestones" in changes:
            changes["milestones"] = [{**m, "percent": str(m["percent"])} for m in changes["milestones"]]
        if "clauses" in changes:
            changes["clauses"] = dict(changes["clauses"])
        return changes


# --- orders -----------------------------------------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    status = NamedStatusField(MilestoneStatus, "MilestoneStatusEnum")
    evidence = NamedChoiceField(
        Evidence.choices, "MilestoneEvidenceEnum", read_only=True, help_text="What releases it."
    )
    evidence_at = serializers.SerializerMethodField(help_text="When its evidence arrived; null until then.")
    releasable = serializers.SerializerMethodField(help_text="The buyer can release it now.")

    class Meta:
        model = PaymentMilestone
        fields = [
            "id",
            "position",
            "label",
            "percent",
            "amount",
            "evidence",
            "status",
            "evidence_at",
            "releasable",
            "released_at",
        ]
        read_only_fields = fields

    def _view(self, milestone):
        views = self.context.get("milestone_views") or {}
        return views.get(milestone.pk)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_evidence_at(self, milestone):
        view = self._view(milestone)
        return serializers.DateTimeField().to_representation(view.evidence_at) if view and view.evidence_at else None

    @extend_schema_field(serializers.BooleanField())
    def get_releasable(self, milestone):
        view = self._view(milestone)
        return bool(view and view.releasable)


class DocumentSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(DocumentKind.choices, "OrderDocumentKindEnum", read_only=True)
    side = side_field()
    name = serializers.CharField(source="original_name", read_only=True)
    dispute = serializers.PrimaryKeyRelatedField(read_only=True)
    download = serializers.SerializerMethodField(help_text="Where to download it (checks that the order is yours).")

    class Meta:
        model = OrderDocument
        fields = [
            "id",
            "kind",
            "name",
            "content_type",
            "size",
            "sha256",
            "side",
            "note",
            "dispute",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download(self, document):
        return f"/api/v1/deals/orders/{document.order_id}/documents/{document.pk}/"


class ShipmentEventSerializer(serializers.ModelSerializer):
    stage = NamedChoiceField(ShipmentStage.choices, "ShipmentStageEnum", read_only=True)
    document = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ShipmentEvent
        fields = ["id", "stage", "occurred_at", "location", "note", "document", "created_at"]
        read_only_fields = fields


class ShipmentSerializer(serializers.ModelSerializer):
    mode = NamedChoiceField(ShipmentMode.choices, "ShipmentModeEnum", read_only=True)
    events = ShipmentEventSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = ["id", "order", "mode", "carrier", "tracking_number", "created_at", "events"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    status = NamedStatusField(DisputeStatus, "DisputeStatusEnum")
    reason = NamedChoiceField(DisputeReason.choices, "DisputeReasonEnum", read_only=True)
    decision = NamedChoiceField(
        [("", ""), *DisputeDecision.choices],
        "DisputeDecisionEnum",
        read_only=True,
        help_text="Empty until Silkway decides.",
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "order",
            "status",
            "reason",
            "description",
            "requested_refund",
            "opened_at",
            "answer_due",
            "supplier_answer",
            "answered_at",
            "decision",
            "refund_amount",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["supplier_rating", "product_rating", "comment", "created_at"]
        read_only_fields = fields


class PaymentInstructionsSerializer(serializers.Serializer):
    beneficiary = serializers.CharField()
    bank = serializers.CharField()
    account = serializers.CharField()
    swift = serializers.CharField()
    reference = serializers.CharField(help_text="Put this on the transfer, exactly.")
    amount = serializers.DecimalField(**MONEY, help_text="Transfer exactly this amount.")
    currency = serializers.CharField()


class OrderSerializer(serializers.ModelSerializer):
    """An order in a list: who, how much, where it stands and what to do next."""

    status = NamedStatusField(OrderStatus, "OrderStatusEnum")
    supplier = SupplierRefSerializer(read_only=True)
    next_action = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "title",
            "contract",
            "supplier",
            "status",
            "currency",
            "total",
            "delivery_due",
            "next_action",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(NextActionSerializer(allow_null=True))
    def get_next_action(self, order):
        action = selectors.order_next_action(order, side=self.context.get("side", Side.BUYER))
        return NextActionSerializer(action).data if action else None


class OrderDetailSerializer(OrderSerializer):
    """An order with everything that happened to it. Payment instructions are given to the buyer while the order
    awaits payment (null otherwise)."""

    version = serializers.SerializerMethodField(help_text="The signed contract version the order was made from.")
    milestones = serializers.SerializerMethodField()
    shipments = ShipmentSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField(help_text="The audit trail, from the contract's first draft.")
    dispute = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()
    payment_instructions = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "version",
            "payment_reference",
            "protection_days",
            "funded_at",
            "production_started_at",
            "shipped_at",
            "confirm_delivery_by",
            "delivered_at",
            "protection_until",
            "closed_at",
            "payment_instructions",
            "milestones",
            "shipments",
            "documents",
            "dispute",
            "review",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_version(self, order):
        return order.version.number

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, order):
        views = {view.milestone.pk: view for view in selectors.order_milestones(order)}
        return MilestoneSerializer(
            [view.milestone for view in views.values()], many=True, context={"milestone_views": views}
        ).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, order):
        return DocumentSerializer(selectors.order_documents(order), many=True).data

    @extend_schema_field(DealEventSerializer(many=True))
    def get_events(self, order):
        return DealEventSerializer(order.contract.events.all(), many=True).data

    @extend_schema_field(DisputeSerializer(allow_null=True))
    def get_dispute(self, order):
        dispute = selectors.order_dispute(order)
        return DisputeSerializer(dispute).data if dispute else None

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_review(self, order):
        review = selectors.order_review(order)
        return ReviewSerializer(review).data if review else None

    @extend_schema_field(PaymentInstructionsSerializer(allow_null=True))
    def get_payment_instructions(self, order):
        if order.status != OrderStatus.AWAITING_PAYMENT or self.context.get("side") != Side.BUYER:
            return None
        from ..services.orders import order_payment_instructions

        return PaymentInstructionsSerializer(order_payment_instructions(order=order)).data


# --- order actions ----------------------------------------------------------------------------------------------


class CancelSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=300, help_text="Why the order is cancelled.")


class DisputeOpenSerializer(serializers.Serializer):
    reason = NamedChoiceField(DisputeReason.choices, "DisputeReasonEnum")
    description = StrictCharField(max_length=5000, help_text="What went wrong, in a few sentences (20+ characters).")
    requested_refund = serializers.DecimalField(**MONEY, help_text="At most what escrow holds for the order.")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=10,
        help_text="Evidence (PDF or photos); multipart only.",
    )


class ReviewCreateSerializer(serializers.Serializer):
    supplier_rating = StrictIntegerField(min_value=1, max_value=5)
    product_rating = StrictIntegerField(min_value=1, max_value=5)
    comment = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class DocumentUploadSerializer(serializers.Serializer):
    kind = NamedChoiceField(DocumentKind.choices, "OrderDocumentKindEnum")
    file = serializers.FileField(help_text="A PDF or a photo (PNG, JPEG, WebP), at most 10 MB.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ShipmentAddSerializer(serializers.Serializer):
    mode = NamedChoiceField(ShipmentMode.choices, "ShipmentModeEnum")
    carrier = StrictCharField(max_length=100)
    tracking_number = StrictCharField(max_length=60, help_text="Tracking, B/L or air waybill number.")


class ShipmentEventAddSerializer(serializers.Serializer):
    stage = NamedChoiceField(ShipmentStage.choices, "ShipmentStageEnum", help_text="Stages come in order, once each.")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    location = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    note = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    document = StrictIntegerField(
        min_value=1,
        max_value=MAX_INT,
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of an order document.",
    )


class DisputeAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, help_text="Your side, in a few sentences (20+ characters).")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=10, help_text="Multipart only."
    )
