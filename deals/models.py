"""Deals: what happens after a buyer accepts a quote.

Contract (one per accepted quote) → ContractVersion (terms never change once written; each edit is a new version;
the version both sides accept is signed) → Order (created from the signed version only; an escrow state machine)
→ PaymentMilestone (held from funding, released to the supplier only on its evidence). Every money movement is a
LedgerTransaction whose LedgerEntry rows sum to zero. Shipments, documents, disputes and reviews hang off the order;
DealEvent is the audit trail (who did what, when) and IdempotencyKey makes every transition request count once.

Buyer-owned rows reach their buyer through BUYER_PATH and supplier-owned rows their supplier through SUPPLIER_PATH,
so the seller admin and the API scope them like every other tenant-owned model.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.files import private_storage

from .schema import ContractTerms

MONEY = {"max_digits": 16, "decimal_places": 2}


class ImmutableError(Exception):
    """A signed contract version, a ledger entry or an audit event was about to be changed."""


class Side(models.TextChoices):
    PLATFORM = "platform", _("Silkway")
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    OPERATOR = "operator", _("Operator")
    SYSTEM = "system", _("Automatic")


# --- contracts --------------------------------------------------------------------------------------------------


class ContractStatus(models.TextChoices):
    DRAFTING = "drafting", _("Being drafted")
    FAILED = "failed", _("Drafting failed")
    NEGOTIATING = "negotiating", _("Under review")
    SIGNED = "signed", _("Signed")


class Contract(models.Model):
    """The agreement behind one accepted quote. Two acceptances of one quote reach the same row (one-to-one)."""

    BUYER_PATH = "buyer"
    SUPPLIER_PATH = "supplier"

    quote = models.OneToOneField(
        "sourcing.Quote", on_delete=models.PROTECT, related_name="contract", verbose_name=_("quote")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("buyer")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("supplier")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFTING
    )
    error = models.TextField(_("why drafting failed"), blank=True)
    signed_version = models.OneToOneField(
        "ContractVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed version"),
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ContractStatus.values), name="contract_status"),
            models.CheckConstraint(
                condition=Q(status=ContractStatus.SIGNED, signed_version__isnull=False, signed_at__isnull=False)
                | (~Q(status=ContractStatus.SIGNED) & Q(signed_version__isnull=True)),
                name="contract_signed_has_version",
            ),
        ]

    def __str__(self):
        return _("Contract %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"C-{self.pk:06d}" if self.pk else "C-new"


class ContractVersion(models.Model):
    """One wording of the contract. Its terms are written once; an edit is a new version with the next number."""

    BUYER_PATH = "contract__buyer"
    SUPPLIER_PATH = "contract__supplier"

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="versions", verbose_name=_("contract")
    )
    number = models.PositiveIntegerField(_("version"))
    terms = models.JSONField(_("terms"))
    content_hash = models.CharField(_("SHA-256 of the terms"), max_length=64)
    author_side = models.CharField(_("proposed by"), max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    # provider, model, prompt version and time of the AI draft (version 1); empty for a person's edit.
    provenance = models.JSONField(default=dict, blank=True, verbose_name=_("provenance"))
    buyer_accepted_at = models.DateTimeField(_("buyer accepted"), null=True, blank=True)
    buyer_signatory = models.CharField(_("signed for the buyer by"), max_length=200, blank=True)
    supplier_accepted_at = models.DateTimeField(_("supplier accepted"), null=True, blank=True)
    supplier_signatory = models.CharField(_("signed for the supplier by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_number_once"),
            models.CheckConstraint(condition=Q(author_side__in=Side.values), name="contract_version_side"),
        ]

    def __str__(self):
        return _("%(contract)s, version %(number)s") % {"contract": self.contract.number, "number": self.number}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or {"terms", "content_hash"} & set(update_fields)):
            raise ImmutableError("A contract version's terms are written once; propose a new version instead.")
        super().save(*args, **kwargs)

    @property
    def parsed(self) -> ContractTerms:
        return ContractTerms.model_validate(self.terms)

    @property
    def accepted_by_both(self) -> bool:
        # A proposal counts as its author's agreement, but a contract is signed only by two typed names.
        return bool(self.buyer_signatory and self.supplier_signatory)


# --- orders -----------------------------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    FUNDED = "funded", _("Paid into escrow")
    IN_PRODUCTION = "in_production", _("In production")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    RELEASED = "released", _("Completed: paid to the supplier")
    DISPUTED = "disputed", _("In dispute")
    REFUNDED = "refunded", _("Refunded to the buyer")
    PARTIALLY_RELEASED = "partially_released", _("Settled: partly refunded")
    CANCELLED = "cancelled", _("Cancelled before payment")


# States where the buyer's money is (partly) in escrow and a dispute can still be opened.
DISPUTABLE = [OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.DELIVERED]
CLOSED = [OrderStatus.RELEASED, OrderStatus.REFUNDED, OrderStatus.PARTIALLY_RELEASED, OrderStatus.CANCELLED]


class Order(ConcurrentTransitionMixin, models.Model):
    """An escrow order created from a signed contract version. Its status moves only through the transitions below,
    each called by one service in deals.services.orders under a row lock."""

    BUYER_PATH = "buyer"
    SUPPLIER_PATH = "supplier"

    contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, related_name="order", verbose_name=_("contract")
    )
    version = models.ForeignKey(
        ContractVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("contract version")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", verbose_name=_("buyer")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    title = models.CharField(_("title"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    status = FSMField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_PAYMENT, protected=True
    )
    payment_reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    delivery_due = models.DateField(_("delivery due"))
    protection_days = models.PositiveSmallIntegerField(_("protection window (days after delivery)"))
    funded_at = models.DateTimeField(_("paid into escrow"), null=True, blank=True)
    production_started_at = models.DateTimeField(_("production started"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    # Set when the carrier reports delivery: the buyer confirms by then, or delivery is taken as confirmed.
    confirm_delivery_by = models.DateTimeField(_("buyer confirms delivery by"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    protection_until = models.DateTimeField(_("disputes accepted until"), null=True, blank=True)
    # When the buyer was reminded of each deadline (once each), by the hourly sweep.
    delivery_reminded_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("delivery reminder sent")
    )
    protection_reminded_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("protection reminder sent")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status"),
            models.CheckConstraint(condition=Q(total__gt=0), name="order_total_positive"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="order_currency_iso4217"),
        ]
        indexes = [models.Index(fields=["status", "confirm_delivery_by"]), models.Index(fields=["supplier", "status"])]

    def __str__(self):
        return _("Order %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("deals:order_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"SW-{self.pk:06d}" if self.pk else "SW-new"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    # Transitions: bodies are empty on purpose. The services set timestamps, write the ledger and the audit trail.
    @transition(field=status, source=OrderStatus.AWAITING_PAYMENT, target=OrderStatus.FUNDED)
    def fund(self):
        pass

    @transition(field=status, source=OrderStatus.AWAITING_PAYMENT, target=OrderStatus.CANCELLED)
    def cancel(self):
        pass

    @transition(field=status, source=OrderStatus.FUNDED, target=OrderStatus.IN_PRODUCTION)
    def start_production(self):
        pass

    @transition(field=status, source=OrderStatus.IN_PRODUCTION, target=OrderStatus.SHIPPED)
    def ship(self):
        pass

    @transition(field=status, source=OrderStatus.SHIPPED, target=OrderStatus.DELIVERED)
    def deliver(self):
        pass

    @transition(field=status, source=OrderStatus.DELIVERED, target=OrderStatus.RELEASED)
    def complete(self):
        pass

    @transition(field=status, source=DISPUTABLE, target=OrderStatus.DISPUTED)
    def open_dispute(self):
        pass

    @transition(field=status, source=OrderStatus.DISPUTED, target=OrderStatus.REFUNDED)
    def settle_refund(self):
        pass

    @transition(field=status, source=OrderStatus.DISPUTED, target=OrderStatus.PARTIALLY_RELEASED)
    def settle_partial(self):
        pass

    @transition(field=status, source=OrderStatus.DISPUTED, target=OrderStatus.RELEASED)
    def settle_release(self):
        pass


class Evidence(models.TextChoices):
    PRODUCTION_START = "production_start", _("Production started")
    BILL_OF_LADING = "bill_of_lading", _("Bill of lading")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    DELIVERY = "delivery", _("Delivery confirmed")


class MilestoneStatus(models.TextChoices):
    HELD = "held", _("Held in escrow")
    RELEASED = "released", _("Released to the supplier")
    REFUNDED = "refunded", _("Refunded to the buyer")
    SETTLED = "settled", _("Split by the dispute decision")


class PaymentMilestone(models.Model):
    """A part of the price, held in escrow once the order is funded and released only on its evidence."""

    BUYER_PATH = "order__buyer"
    SUPPLIER_PATH = "order__supplier"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("order"))
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    label = models.CharField(_("milestone"), max_length=100)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount"), **MONEY)
    evidence = models.CharField(_("released on"), max_length=20, choices=Evidence.choices)
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.HELD)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="milestone_position_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="milestone_amount_not_negative"),
            models.CheckConstraint(condition=Q(status__in=MilestoneStatus.values), name="milestone_status"),
            models.CheckConstraint(condition=Q(evidence__in=Evidence.values), name="milestone_evidence"),
        ]

    def __str__(self):
        return f"{self.label} ({self.percent}%)"


# --- the ledger -------------------------------------------------------------------------------------------------


class Account(models.TextChoices):
    """Double entry: money comes in from the buyer, sits in escrow, and leaves to the supplier or back to the buyer.
    Escrow holds a positive balance per order; the other three are the platform's view of each counterparty."""

    BUYER_PAYMENTS = "buyer_payments", _("Received from buyers")
    ESCROW = "escrow", _("Held in escrow")
    SUPPLIER_PAYOUTS = "supplier_payouts", _("Paid out to suppliers")
    BUYER_REFUNDS = "buyer_refunds", _("Refunded to buyers")


class LedgerKind(models.TextChoices):
    FUNDING = "funding", _("Buyer's payment into escrow")
    RELEASE = "release", _("Release to the supplier")
    REFUND = "refund", _("Refund to the buyer")


class LedgerTransaction(models.Model):
    """One money movement. Its entries sum to zero (checked by the service before anything is written)."""

    BUYER_PATH = "order__buyer"
    SUPPLIER_PATH = "order__supplier"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="ledger_transactions")
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(**MONEY)
    milestone = models.ForeignKey(
        PaymentMilestone, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_transactions"
    )
    provider = models.CharField(_("payment provider"), max_length=40)
    provider_reference = models.CharField(_("provider's reference"), max_length=100, blank=True)
    memo = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transaction_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=LedgerKind.values), name="ledger_transaction_kind"),
            # A milestone is released or refunded once, whatever the race.
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(milestone__isnull=False), name="ledger_one_movement_per_milestone"
            ),
            models.UniqueConstraint(fields=["order"], condition=Q(kind="funding"), name="ledger_one_funding_per_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("Ledger transactions are never changed; record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Ledger transactions are never deleted.")


class LedgerEntry(models.Model):
    BUYER_PATH = "transaction__order__buyer"
    SUPPLIER_PATH = "transaction__order__supplier"

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(max_length=20, choices=Account.choices)
    # Signed: money into the account is positive. The entries of one transaction sum to zero.
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["transaction", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(account__in=Account.values), name="ledger_entry_account"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
        ]

    def __str__(self):
        return f"{self.account} {self.amount:+} {self.currency}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("Ledger entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Ledger entries are never deleted.")


# --- fulfilment -------------------------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    BILL_OF_LADING = "bill_of_lading", _("Bill of lading / air waybill")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    COMMERCIAL_INVOICE = "commercial_invoice", _("Commercial invoice")
    PACKING_LIST = "packing_list", _("Packing list")
    PRODUCTION_PHOTO = "production_photo", _("Production photo")
    PROOF_OF_DELIVERY = "proof_of_delivery", _("Proof of delivery")
    DISPUTE_EVIDENCE = "dispute_evidence", _("Dispute evidence")
    OTHER = "other", _("Other")


class OrderDocument(models.Model):
    """A file either side adds to an order: shipping documents, inspection reports, photos, dispute evidence.
    Checked by content (a PDF is a PDF, an image decodes), never by its name alone."""

    BUYER_PATH = "order__buyer"
    SUPPLIER_PATH = "order__supplier"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="documents", verbose_name=_("order"))
    dispute = models.ForeignKey(
        "Dispute", null=True, blank=True, on_delete=models.CASCADE, related_name="documents", verbose_name=_("dispute")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    # deals.documents already names the file <uuid><extension>; the storage keeps it private.
    file = models.FileField(upload_to="deals/orders/%Y/%m/", storage=private_storage, verbose_name=_("file"))
    original_name = models.CharField(max_length=255, verbose_name=_("file name"))
    content_type = models.CharField(max_length=50, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 checksum"))
    side = models.CharField(max_length=10, choices=Side.choices, verbose_name=_("side"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("order document")
        verbose_name_plural = _("order documents")
        ordering = ["order", "created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class ShipmentMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    RAIL = "rail", _("Rail")
    ROAD = "road", _("Road")
    EXPRESS = "express", _("Express courier")


class Shipment(models.Model):
    BUYER_PATH = "order__buyer"
    SUPPLIER_PATH = "order__supplier"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("order"))
    mode = models.CharField(_("mode"), max_length=10, choices=ShipmentMode.choices)
    carrier = models.CharField(_("carrier"), max_length=100)
    tracking_number = models.CharField(_("tracking / B/L number"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["order", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "carrier", "tracking_number"], name="shipment_tracking_once")
        ]

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}"


class ShipmentStage(models.TextChoices):
    BOOKED = "booked", _("Booked")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    CUSTOMS_CLEARED = "customs_cleared", _("Customs cleared")
    DELIVERED = "delivered", _("Delivered")


SHIPMENT_STAGE_ORDER = list(ShipmentStage.values)


class ShipmentEvent(models.Model):
    BUYER_PATH = "shipment__order__buyer"
    SUPPLIER_PATH = "shipment__order__supplier"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment"))
    stage = models.CharField(_("stage"), max_length=20, choices=ShipmentStage.choices)
    occurred_at = models.DateTimeField(_("when"))
    location = models.CharField(_("where"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    document = models.ForeignKey(
        OrderDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("document")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("shipment milestone")
        verbose_name_plural = _("shipment milestones")
        ordering = ["shipment", "occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "stage"], name="shipment_stage_once"),
            models.CheckConstraint(condition=Q(stage__in=ShipmentStage.values), name="shipment_stage_valid"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.occurred_at:%Y-%m-%d}"


# --- disputes and reviews ---------------------------------------------------------------------------------------


class DisputeReason(models.TextChoices):
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    LATE = "late", _("Delivered late")
    QUALITY = "quality", _("Quality does not match the contract")
    QUANTITY = "quantity", _("Short or wrong quantity")
    OTHER = "other", _("Other")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the supplier")
    ANSWERED = "answered", _("Waiting for the platform's decision")
    DECIDED = "decided", _("Decided")


class DisputeDecision(models.TextChoices):
    REFUND = "refund", _("Refund the buyer what is held")
    PARTIAL = "partial", _("Refund part, release the rest")
    RELEASE = "release", _("Release to the supplier")


class Dispute(models.Model):
    BUYER_PATH = "order__buyer"
    SUPPLIER_PATH = "order__supplier"

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="dispute", verbose_name=_("order"))
    status_before = models.CharField(
        max_length=20, choices=OrderStatus.choices, verbose_name=_("status before the dispute")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DisputeReason.choices)
    description = models.TextField(_("what went wrong"), max_length=5000)
    requested_refund = models.DecimalField(
        _("refund asked for"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("opened by")
    )
    status = models.CharField(_("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    answer_due = models.DateTimeField(_("supplier answers by"))
    supplier_answer = models.TextField(_("supplier's answer"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("buyer reminded")
    )  # operators told the answer is overdue
    supplier_reminded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("supplier reminded")
    )  # the supplier told its deadline is near
    decision = models.CharField(_("decision"), max_length=10, choices=DisputeDecision.choices, blank=True)
    refund_amount = models.DecimalField(_("refunded"), **MONEY, null=True, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DisputeStatus.values), name="dispute_status"),
            models.CheckConstraint(condition=Q(requested_refund__gt=0), name="dispute_refund_positive"),
        ]

    def __str__(self):
        return _("Dispute on %(order)s") % {"order": self.order.number}


class Review(models.Model):
    """The buyer's rating of a delivered order. Feeds the supplier's rating and the Top suppliers board."""

    BUYER_PATH = "order__buyer"
    SUPPLIER_PATH = "order__supplier"

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="review", verbose_name=_("order"))
    supplier_rating = models.PositiveSmallIntegerField(
        _("supplier"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    product_rating = models.PositiveSmallIntegerField(
        _("products as described"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supplier_rating__gte=1, supplier_rating__lte=5), name="review_supplier_1_5"
            ),
            models.CheckConstraint(
                condition=Q(product_rating__gte=1, product_rating__lte=5), name="review_product_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.order.number}: {self.supplier_rating}/5"


# --- audit and idempotency --------------------------------------------------------------------------------------


class DealEvent(models.Model):
    """The audit trail: every contract and order action, who did it, from which state to which. Never changed."""

    BUYER_PATH = "contract__buyer"
    SUPPLIER_PATH = "contract__supplier"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deal event")
        verbose_name_plural = _("audit trail")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["contract", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.side} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("The audit trail is append-only.")
        super().save(*args, **kwargs)


class IdempotencyKey(models.Model):
    """A transition request seen once. The same key again (a double click, a retried API call) returns the first
    outcome instead of acting twice; the same key for a different action is refused."""

    key = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=60, help_text=_('e.g. "order:12" or "milestone:40"'))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["actor", "key"], name="idempotency_key_once_per_actor")]

    def __str__(self):
        return f"{self.actor_id}:{self.key} {self.action} {self.target}"
