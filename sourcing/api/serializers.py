"""Sourcing representations for the API: a buyer's requests, requirements and plans, RFQs and the quotes on them,
and what supplier staff see of the RFQs sent to their company.

Input serializers check shapes and types only; the rules (known currencies, deadlines, tier order, who may do
what) live in sourcing.services, whose ValidationErrors the API's exception handler turns into field messages.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import LanguageField, StrictCharField, StrictIntegerField
from core.api.filters import MAX_INT

from ..countries import country_codes
from ..models import (
    QUOTE_TERM_FIELDS,
    RFQ,
    Answer,
    PlanStatus,
    Quote,
    QuoteAnswer,
    QuoteLine,
    QuoteStatus,
    QuoteTier,
    RecipientStatus,
    RequestStatus,
    RequirementsVersion,
    RFQLine,
    RFQRecipient,
    RFQStatus,
    SourcingAttachment,
    SourcingPlan,
    SourcingRequest,
)
from ..schema import INCOTERMS_2020, MAX_LEAD_TIME_DAYS, MAX_QUANTITY
from ..services import MAX_ATTACHMENTS


@extend_schema_field({"type": "string", "enum": ["", *country_codes()]})
class CountryCodeField(StrictCharField):
    """An ISO 3166-1 alpha-2 code; the schema lists them all (blank where the field allows it). The service checks
    the code, so lower case is still taken."""

    def __init__(self, **kwargs):
        super().__init__(max_length=2, **kwargs)


MONEY = {"max_digits": 14, "decimal_places": 4}
CUSTOMIZATION_CHOICES = ["logo", "packaging", "color", "oem", "odm"]
SUPPLIER_KIND_CHOICES = ["factory", "trading_company"]


class NamedStatusField(serializers.ChoiceField):
    """A read-only status whose choices are one named enum in the schema (`RFQStatusEnum`, ...), whichever
    serializers show it. Same effect as an ENUM_NAME_OVERRIDES entry, kept beside the fields that need it."""

    def __init__(self, choices_class, enum_name, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices_class.choices, read_only=True, **kwargs)


class NamedStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedStatusField

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


# --- requirements -------------------------------------------------------------------------------------------


class RequirementsSerializer(serializers.Serializer):
    """The structured requirements (sourcing.schema.Requirements). A field the request does not state is null or
    empty, never guessed. On input every field is optional; `unread` is what the reader could not use, kept as read."""

    product = StrictCharField(max_length=300, allow_blank=True, required=False, help_text="What is being bought.")
    language = StrictCharField(max_length=10, required=False, help_text="Language of the request.")
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY, allow_null=True, required=False)
    quantity_unit = StrictCharField(
        max_length=20, allow_null=True, required=False, help_text="Singular English unit: piece, set, kg, ..."
    )
    target_unit_price = serializers.FloatField(allow_null=True, required=False, help_text="Above zero.")
    currency = serializers.RegexField(
        r"^[A-Z]{3}$", allow_null=True, required=False, help_text="ISO 4217 code Silkway has a rate for, e.g. EUR."
    )
    max_lead_time_days = StrictIntegerField(min_value=1, max_value=MAX_LEAD_TIME_DAYS, allow_null=True, required=False)
    destination_country = CountryCodeField(allow_null=True, required=False, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    destination_place = StrictCharField(max_length=100, allow_null=True, required=False)
    incoterm = serializers.ChoiceField(choices=INCOTERMS_2020, allow_null=True, required=False)
    incoterm_place = StrictCharField(max_length=100, allow_null=True, required=False)
    certifications = serializers.ListField(
        child=StrictCharField(max_length=20), max_length=30, required=False, help_text="Codes: CE, ROHS, UN383, ..."
    )
    supplier_kind = serializers.ChoiceField(choices=SUPPLIER_KIND_CHOICES, allow_null=True, required=False)
    customization = serializers.ListField(
        child=serializers.ChoiceField(choices=CUSTOMIZATION_CHOICES), max_length=5, required=False
    )
    min_operating_temp_c = serializers.FloatField(allow_null=True, required=False)
    max_operating_temp_c = serializers.FloatField(allow_null=True, required=False)
    samples_required = serializers.BooleanField(allow_null=True, required=False)
    payment_terms = StrictCharField(max_length=100, allow_null=True, required=False)
    unread = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What the request said that could not be read: check these before planning.",
    )


class RequirementsVersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number", read_only=True)
    data = RequirementsSerializer(read_only=True)
    provenance = serializers.DictField(
        read_only=True, help_text="Who read the requirements (provider, model, prompt version); empty for edits."
    )
    unread = serializers.SerializerMethodField(help_text="Copied from `data.unread`, for the page's warning.")

    class Meta:
        model = RequirementsVersion
        fields = ["version", "source", "data", "provenance", "unread", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_unread(self, version):
        return list(version.data.get("unread") or [])


# --- requests and plans -------------------------------------------------------------------------------------


class SourcingAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = SourcingAttachment
        fields = ["id", "name", "kind", "note"]
        read_only_fields = fields


class PlanSummarySerializer(serializers.ModelSerializer):
    status = NamedStatusField(PlanStatus, "SourcingPlanStatusEnum")
    requirements_version = serializers.IntegerField(source="requirements.number", read_only=True)

    class Meta:
        model = SourcingPlan
        fields = [
            "id",
            "status",
            "progress",
            "progress_note",
            "error",
            "requirements_version",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class PlanSerializer(PlanSummarySerializer):
    """A plan: its progress while it runs; once done, the comparison (`result`) and what it was computed from."""

    request = serializers.PrimaryKeyRelatedField(read_only=True)
    result = serializers.SerializerMethodField(help_text="The ranked comparison; null until the plan is done.")
    inputs = serializers.SerializerMethodField(help_text="What the plan was computed from; null until it is done.")

    class Meta(PlanSummarySerializer.Meta):
        fields = [*PlanSummarySerializer.Meta.fields, "request", "summary", "started_at", "result", "inputs"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_result(self, plan):
        return plan.result if plan.status == PlanStatus.DONE else None

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_inputs(self, plan):
        return plan.inputs if plan.status == PlanStatus.DONE else None


class SourcingRequestSerializer(serializers.ModelSerializer):
    """A request in the buyer's list."""

    status = NamedStatusField(RequestStatus, "SourcingRequestStatusEnum")

    class Meta:
        model = SourcingRequest
        fields = ["id", "title", "language", "status", "created_at", "updated_at"]
        read_only_fields = fields


class SourcingRequestDetailSerializer(SourcingRequestSerializer):
    """A request with its files, the latest requirements and the latest plan (the view attaches both)."""

    attachments = SourcingAttachmentSerializer(many=True, read_only=True)
    requirements = RequirementsVersionSerializer(source="latest_requirements", read_only=True, allow_null=True)
    plan = PlanSummarySerializer(source="latest_plan", read_only=True, allow_null=True)

    class Meta(SourcingRequestSerializer.Meta):
        fields = [*SourcingRequestSerializer.Meta.fields, "text", "attachments", "requirements", "plan"]
        read_only_fields = fields


class SourcingRequestCreateSerializer(serializers.Serializer):
    """The text and, in multipart, any spec sheets or photos."""

    text = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="What you need, in your own words: product, quantity, destination (at most 20,000 characters).",
    )
    language = LanguageField(required=False, help_text="The request's language; detected if left out.")
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text="Spec sheets (PDF, XLSX, CSV) or photos; multipart only, at most 5.",
    )


class SourcingRequestCreateJSONSerializer(SourcingRequestCreateSerializer):
    """The JSON body of a new sourcing request, as documented: files travel only in multipart."""

    text = StrictCharField(
        max_length=20_000,
        help_text="What you need, in your own words: product, quantity, destination (at most 20,000 characters).",
    )
    attachments = None


# --- RFQs ---------------------------------------------------------------------------------------------------


class SpecSerializer(serializers.Serializer):
    name = StrictCharField(max_length=80)
    value = StrictCharField(max_length=200)


class RFQLineSerializer(serializers.ModelSerializer):
    specs = SpecSerializer(many=True, read_only=True)

    class Meta:
        model = RFQLine
        fields = [
            "id",
            "position",
            "product_name",
            "quantity",
            "unit",
            "target_unit_price",
            "specs",
            "reference_product",
        ]
        read_only_fields = fields


@extend_schema_field(SourcingAttachmentSerializer(many=True))
class RFQAttachmentsField(serializers.Field):
    """An RFQ's files, described like the request's own (RFQAttachment rows point at them)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return [attachment.source for attachment in instance.attachments.all()]

    def to_representation(self, value):
        return SourcingAttachmentSerializer(value, many=True).data


class RequirementItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="What a quote's answer names, e.g. `cert:CE`.")
    label = serializers.CharField()


class RFQSerializer(serializers.ModelSerializer):
    """An RFQ in the buyer's list."""

    status = NamedStatusField(RFQStatus, "RFQStatusEnum")
    lines = RFQLineSerializer(many=True, read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)
    quote_count = serializers.IntegerField(read_only=True, help_text="Quotes received (withdrawn ones left out).")

    class Meta:
        model = RFQ
        fields = [
            "id",
            "title",
            "status",
            "currency",
            "incoterm",
            "incoterm_place",
            "destination_country",
            "quote_deadline",
            "sourcing_request",
            "plan",
            "lines",
            "recipient_count",
            "quote_count",
            "drafted_by_agent",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"drafted_by_agent": {"help_text": "The buyer's AI assistant that drafted it; empty if none."}}


class QuoteTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteTier
        fields = ["min_quantity", "unit_price"]
        read_only_fields = fields


class QuoteLineSerializer(serializers.ModelSerializer):
    tiers = QuoteTierSerializer(many=True, read_only=True)

    class Meta:
        model = QuoteLine
        fields = ["id", "rfq_line", "offered_product", "moq", "tiers"]
        read_only_fields = fields


class QuoteAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteAnswer
        fields = ["key", "answer", "note"]
        read_only_fields = fields


class SupplierRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)


QUOTE_FIELDS = [
    "id",
    "rfq",
    "status",
    *QUOTE_TERM_FIELDS,
    "submitted_at",
    "decided_at",
    "decision_note",
    "lines",
    "answers",
]


class QuoteSerializer(serializers.ModelSerializer):
    """A quote as the buyer who sent the RFQ sees it."""

    status = NamedStatusField(QuoteStatus, "QuoteStatusEnum")
    supplier = SupplierRefSerializer(read_only=True)
    lines = QuoteLineSerializer(many=True, read_only=True)
    answers = QuoteAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Quote
        fields = [*QUOTE_FIELDS[:2], "supplier", *QUOTE_FIELDS[2:]]
        read_only_fields = fields


class RFQRecipientSerializer(serializers.ModelSerializer):
    """Who the RFQ went to and where each stands: invited, viewed, quoted or declined."""

    supplier = SupplierRefSerializer(read_only=True)
    status = NamedStatusField(RecipientStatus, "RFQRecipientStatusEnum")

    class Meta:
        model = RFQRecipient
        fields = ["id", "supplier", "status", "reason", "fit_score", "invited_at", "viewed_at", "decline_reason"]
        read_only_fields = fields


class RFQDetailSerializer(RFQSerializer):
    requirements = RequirementItemSerializer(many=True, read_only=True, help_text="What each quote answers.")
    attachments = RFQAttachmentsField()
    recipients = RFQRecipientSerializer(many=True, read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True, help_text="Quotes received; withdrawn ones left out.")

    class Meta(RFQSerializer.Meta):
        fields = [
            *[name for name in RFQSerializer.Meta.fields if name not in ("recipient_count", "quote_count")],
            "message",
            "requirements",
            "attachments",
            "recipients",
            "quotes",
            "updated_at",
        ]
        read_only_fields = fields


class RFQLineInputSerializer(serializers.Serializer):
    product_name = StrictCharField(max_length=200)
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit = StrictCharField(max_length=20, required=False, default="piece")
    target_unit_price = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    specs = SpecSerializer(many=True, required=False, default=list)
    reference_product = StrictIntegerField(
        min_value=1, max_value=MAX_INT, required=False, allow_null=True, help_text="Id of a published product."
    )


class RFQCreateSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    # A ListField rather than many=True: the schema then carries minItems/maxItems.
    lines = serializers.ListField(child=RFQLineInputSerializer(), allow_empty=False, min_length=1, max_length=50)
    quote_deadline = serializers.DateField(help_text="After today, at most 180 days ahead.")
    currency = StrictCharField(max_length=3, required=False, default="USD")
    incoterm = serializers.ChoiceField(choices=INCOTERMS_2020, required=False, allow_blank=True, default="")
    incoterm_place = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    destination_country = CountryCodeField(required=False, allow_blank=True, default="")
    message = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    sourcing_request = StrictIntegerField(
        min_value=1, max_value=MAX_INT, required=False, allow_null=True, help_text="Id of one of your requests."
    )
    plan = StrictIntegerField(
        min_value=1, max_value=MAX_INT, required=False, allow_null=True, help_text="Id of one of your plans."
    )

    def _own(self, queryset, pk, message):
        if pk is None:
            return None
        found = queryset.filter(pk=pk).first()
        if found is None:
            # Somebody else's row reads exactly like a missing one.
            raise serializers.ValidationError(message, code="does_not_exist")
        return found

    def validate_sourcing_request(self, pk):
        buyer = self.context["request"].user
        return self._own(
            SourcingRequest.objects.filter(buyer=buyer), pk, _("You have no sourcing request with this id.")
        )

    def validate_plan(self, pk):
        buyer = self.context["request"].user
        return self._own(
            SourcingPlan.objects.filter(request__buyer=buyer).select_related("request"),
            pk,
            _("You have no sourcing plan with this id."),
        )

    def service_arguments(self):
        data = dict(self.validated_data)
        data["lines"] = [
            {
                "product_name": line["product_name"],
                "quantity": line["quantity"],
                "unit": line["unit"],
                "target_unit_price": line["target_unit_price"],
                "specs": [dict(spec) for spec in line["specs"]],
                "reference_product_id": line.get("reference_product"),
            }
            for line in data["lines"]
        ]
        return data


class RFQSendSerializer(serializers.Serializer):
    suppliers = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_INT),
        required=False,
        default=list,
        max_length=100,
        help_text="Supplier ids (at most 10 are accepted by the service).",
    )
    broadcast = serializers.BooleanField(
        required=False, default=False, help_text="Send to the plan's best matches (when no suppliers are named)."
    )


class QuoteDeclineSerializer(serializers.Serializer):
    note = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


# --- supplier side ------------------------------------------------------------------------------------------


class ReceivedRFQSerializer(serializers.ModelSerializer):
    """The RFQ as its recipient sees it: the need and the terms, never who else was asked or what they quoted."""

    status = NamedStatusField(RFQStatus, "RFQStatusEnum")
    lines = RFQLineSerializer(many=True, read_only=True)
    requirements = RequirementItemSerializer(many=True, read_only=True, help_text="Answer each in the quote.")
    attachments = RFQAttachmentsField()

    class Meta:
        model = RFQ
        fields = [
            "id",
            "title",
            "message",
            "status",
            "currency",
            "incoterm",
            "incoterm_place",
            "destination_country",
            "quote_deadline",
            "lines",
            "requirements",
            "attachments",
            "drafted_by_agent",
            "sent_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "drafted_by_agent": {
                "help_text": "The buyer's AI assistant that drafted it (the buyer sent it); empty if none."
            }
        }


class MyQuoteSummarySerializer(serializers.ModelSerializer):
    status = NamedStatusField(QuoteStatus, "QuoteStatusEnum")

    class Meta:
        model = Quote
        fields = ["id", "status", "submitted_at", "decided_at"]
        read_only_fields = fields


class ReceivedRFQInvitationSerializer(serializers.ModelSerializer):
    """One RFQ sent to the signed-in staff member's supplier, with its own quote if it answered."""

    rfq = ReceivedRFQSerializer(read_only=True)
    status = NamedStatusField(RecipientStatus, "RFQRecipientStatusEnum")
    my_quote = serializers.SerializerMethodField(help_text="Your quote on it, if any.")

    class Meta:
        model = RFQRecipient
        fields = ["id", "status", "invited_at", "viewed_at", "decline_reason", "rfq", "my_quote"]
        read_only_fields = fields

    @extend_schema_field(MyQuoteSummarySerializer(allow_null=True))
    def get_my_quote(self, recipient):
        quote = getattr(recipient, "quote", None)  # reverse one-to-one: absent until the supplier quotes
        return MyQuoteSummarySerializer(quote).data if quote is not None else None


class RFQDeclineSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=300, help_text="Why you will not quote, in a few words.")


class QuoteTierInputSerializer(serializers.Serializer):
    min_quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price = serializers.DecimalField(**MONEY)


class QuoteLineInputSerializer(serializers.Serializer):
    rfq_line = StrictIntegerField(min_value=1, max_value=MAX_INT, help_text="Id of the RFQ line this answers.")
    offered_product = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    moq = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY, required=False, allow_null=True, default=None)
    tiers = QuoteTierInputSerializer(many=True, allow_empty=False, max_length=10)


class QuoteAnswerInputSerializer(serializers.Serializer):
    key = StrictCharField(max_length=60, help_text="A requirement's key from the RFQ.")
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class QuoteSubmitSerializer(serializers.Serializer):
    currency = StrictCharField(max_length=3)
    incoterm = serializers.ChoiceField(choices=INCOTERMS_2020)
    incoterm_place = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    lead_time_days = StrictIntegerField(min_value=1, max_value=730)
    payment_terms = StrictCharField(max_length=100)
    valid_until = serializers.DateField(help_text="Today or later.")
    samples_available = serializers.BooleanField(required=False, default=False)
    sample_price = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    notes = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    lines = QuoteLineInputSerializer(many=True, allow_empty=False, max_length=50, help_text="One per RFQ line.")
    answers = QuoteAnswerInputSerializer(many=True, required=False, default=list, max_length=100)

    def service_arguments(self):
        data = dict(self.validated_data)
        data["lines"] = [{**dict(line), "tiers": [dict(tier) for tier in line["tiers"]]} for line in data["lines"]]
        data["answers"] = [dict(answer) for answer in data["answers"]]
        return data


class SupplierQuoteSerializer(serializers.ModelSerializer):
    """A supplier's own quote (a competitor's is never reachable)."""

    status = NamedStatusField(QuoteStatus, "QuoteStatusEnum")
    rfq_title = serializers.CharField(source="rfq.title", read_only=True)
    received_rfq = serializers.IntegerField(source="recipient_id", read_only=True, help_text="The invitation's id.")
    lines = QuoteLineSerializer(many=True, read_only=True)
    answers = QuoteAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Quote
        fields = [*QUOTE_FIELDS[:2], "rfq_title", "received_rfq", *QUOTE_FIELDS[2:]]
        read_only_fields = fields
