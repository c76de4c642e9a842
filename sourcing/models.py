"""Sourcing: a buyer's need (request → versioned requirements → immutable plan), RFQs sent to suppliers, their
quotes, and the reference data an operator keeps for estimates (exchange rates, freight, duty, what a
destination market requires).

Buyer-owned rows reach their buyer through BUYER_PATH; supplier-owned rows (an RFQ's invitation, a quote)
declare SUPPLIER_PATH, so the seller admin and the API scope them like every other tenant-owned model. A
supplier reaches an RFQ only through its own RFQRecipient row, and a quote only through its own supplier.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import RandomName, private_storage

from .requirements import requirement_label
from .schema import INCOTERMS_2020, MAX_QUANTITY

INCOTERM_CHOICES = [(code, code) for code in INCOTERMS_2020]
MONEY = {"max_digits": 14, "decimal_places": 4}


class ImmutableError(Exception):
    """A computed plan is a record of what the buyer was shown; it is never edited."""


class RequestStatus(models.TextChoices):
    REVIEW = "review", _("Requirements to review")
    PLANNING = "planning", _("Plan being computed")
    PLANNED = "planned", _("Plan ready")
    FAILED = "failed", _("Plan failed")


class SourcingRequest(models.Model):
    """What the buyer wrote, in their language, with the files they attached."""

    BUYER_PATH = "buyer"

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sourcing_requests")
    text = models.TextField(_("what you need"), max_length=20_000)
    language = models.CharField(_("language"), max_length=10, default="en")
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.REVIEW)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sourcing request")
        verbose_name_plural = _("sourcing requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="sourcing_request_status"),
        ]
        indexes = [models.Index(fields=["buyer", "-created_at"])]

    def __str__(self):
        return self.title or self.text[:60]


class AttachmentKind(models.TextChoices):
    PDF = "pdf", _("PDF spec sheet")
    XLSX = "xlsx", _("Spreadsheet")
    CSV = "csv", _("CSV bill of materials")
    IMAGE = "image", _("Photo")


class SourcingAttachment(models.Model):
    """A spec sheet or photo; its text (when it has any) was read into the requirements."""

    BUYER_PATH = "request__buyer"

    request = models.ForeignKey(SourcingRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=RandomName("sourcing/requests"), storage=private_storage)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    extracted_text = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True, help_text=_("What was (not) read from the file."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sourcing attachment")
        verbose_name_plural = _("sourcing attachments")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=AttachmentKind.values), name="attachment_kind")]

    def __str__(self):
        return self.original_name


class RequirementsSource(models.TextChoices):
    EXTRACTED = "extracted", _("Read from the request")
    EDITED = "edited", _("Edited by the buyer")


class RequirementsVersion(models.Model):
    """One version of the structured requirements (sourcing.schema.Requirements). Edits add a version."""

    BUYER_PATH = "request__buyer"

    request = models.ForeignKey(SourcingRequest, on_delete=models.CASCADE, related_name="requirement_versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("requirements"))
    source = models.CharField(max_length=10, choices=RequirementsSource.choices)
    # Provider, model, prompt version and call id of the extraction; empty for the buyer's edits.
    provenance = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("requirements version")
        verbose_name_plural = _("requirements versions")
        ordering = ["request", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="requirements_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="requirements_version_positive"),
            models.CheckConstraint(condition=Q(source__in=RequirementsSource.values), name="requirements_source"),
        ]

    def __str__(self):
        return f"{self.request_id} v{self.number}"


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class SourcingPlan(models.Model):
    """A ranked, explained comparison for one requirements version. Immutable once done: `result` and
    `inputs` are what the buyer was shown and what it was computed from."""

    BUYER_PATH = "request__buyer"

    request = models.ForeignKey(SourcingRequest, on_delete=models.CASCADE, related_name="plans")
    requirements = models.ForeignKey(RequirementsVersion, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    progress_note = models.CharField(max_length=200, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sourcing plan")
        verbose_name_plural = _("sourcing plans")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="plan_progress_percent"),
        ]

    def __str__(self):
        return f"Plan {self.pk} for request {self.request_id}"

    def save(self, *args, **kwargs):
        if self.pk and self.status == PlanStatus.DONE:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PlanStatus.DONE:
                raise ImmutableError("A computed plan cannot be changed; compute a new one.")
        super().save(*args, **kwargs)

    @property
    def is_finished(self):
        return self.status in (PlanStatus.DONE, PlanStatus.FAILED)


class PlanOption(models.Model):
    """One ranked supplier in a done plan (the full row is in plan.result); lets an RFQ name its source."""

    BUYER_PATH = "plan__request__buyer"

    plan = models.ForeignKey(SourcingPlan, on_delete=models.CASCADE, related_name="options")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        "marketplace.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        verbose_name = _("plan option")
        verbose_name_plural = _("plan options")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "supplier"], name="plan_option_supplier_once"),
            models.UniqueConstraint(fields=["plan", "rank"], name="plan_option_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="plan_option_rank_positive"),
        ]

    def __str__(self):
        return f"#{self.rank} {self.supplier_id} in plan {self.plan_id}"


class RFQStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed (a quote accepted)")
    CANCELLED = "cancelled", _("Cancelled")


class RFQ(models.Model):
    """A request for quotation: spec-first lines, terms, a deadline, sent to chosen suppliers."""

    BUYER_PATH = "buyer"

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rfqs", verbose_name=_("buyer")
    )
    sourcing_request = models.ForeignKey(
        SourcingRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rfqs",
        verbose_name=_("sourcing request"),
    )
    plan = models.ForeignKey(
        SourcingPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rfqs",
        verbose_name=_("sourcing plan"),
    )
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message to suppliers"), max_length=5000, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=INCOTERM_CHOICES, blank=True)
    incoterm_place = models.CharField(_("named place"), max_length=100, blank=True)
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    quote_deadline = models.DateField(_("quotes due by"))
    # The requirements quotes are answered against ("meets / alternative / no"), frozen when the RFQ is sent.
    requirements = models.JSONField(default=list, blank=True, verbose_name=_("requirements"))
    status = models.CharField(
        max_length=10, choices=RFQStatus.choices, default=RFQStatus.DRAFT, verbose_name=_("status")
    )
    # The buyer's AI assistant that drafted it (agents/), shown to suppliers; the buyer still sent it.
    drafted_by_agent = models.CharField(_("drafted by the buyer's AI assistant"), max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("RFQ")
        verbose_name_plural = _("RFQs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RFQStatus.values), name="rfq_status"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="rfq_currency_iso4217"),
            models.CheckConstraint(
                condition=Q(destination_country="") | Q(destination_country__regex=r"^[A-Z]{2}$"),
                name="rfq_destination_iso2",
            ),
            models.CheckConstraint(
                # A draft may be cancelled without ever being sent; anything else was sent at some moment.
                condition=Q(status__in=[RFQStatus.DRAFT, RFQStatus.CANCELLED]) | Q(sent_at__isnull=False),
                name="rfq_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["buyer", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sourcing:rfq_detail", args=[self.pk])

    def requirement_items(self) -> list[dict]:
        """The requirements quotes answer, worded in the active language (the reader's, not the writer's)."""
        return [{**item, "label": requirement_label(item)} for item in self.requirements or []]


class RFQLine(models.Model):
    BUYER_PATH = "rfq__buyer"

    rfq = models.ForeignKey(RFQ, on_delete=models.CASCADE, related_name="lines", verbose_name=_("RFQ"))
    position = models.PositiveSmallIntegerField(default=1, verbose_name=_("position"))
    product_name = models.CharField(_("product"), max_length=200)
    reference_product = models.ForeignKey(
        "marketplace.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reference product"),
    )
    specs = models.JSONField(_("specification"), default=list, blank=True, help_text=_('[{"name", "value"}]'))
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit = models.CharField(_("unit"), max_length=20, default="piece")
    target_unit_price = models.DecimalField(_("target unit price"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("RFQ line")
        verbose_name_plural = _("RFQ lines")
        ordering = ["rfq", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY), name="rfq_line_quantity_range"
            ),
            models.CheckConstraint(
                condition=Q(target_unit_price__isnull=True) | Q(target_unit_price__gt=0),
                name="rfq_line_target_positive",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} {self.unit} {self.product_name}"


class RFQAttachment(models.Model):
    """Files the suppliers receive with the RFQ (the request's spec sheets and photos)."""

    BUYER_PATH = "rfq__buyer"

    rfq = models.ForeignKey(RFQ, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("RFQ"))
    source = models.ForeignKey(
        SourcingAttachment, on_delete=models.CASCADE, related_name="rfq_links", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("RFQ attachment")
        verbose_name_plural = _("RFQ attachments")
        constraints = [models.UniqueConstraint(fields=["rfq", "source"], name="rfq_attachment_once")]

    def __str__(self):
        return f"{self.source_id} on RFQ {self.rfq_id}"


class RecipientStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    VIEWED = "viewed", _("Viewed")
    QUOTED = "quoted", _("Quoted")
    DECLINED = "declined", _("Declined to quote")


class RFQRecipient(models.Model):
    """An RFQ sent to one supplier: the only way a supplier sees an RFQ."""

    SUPPLIER_PATH = "supplier"
    BUYER_PATH = "rfq__buyer"

    rfq = models.ForeignKey(RFQ, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("RFQ"))
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="rfq_invitations", verbose_name=_("supplier")
    )
    reason = models.CharField(_("why this supplier"), max_length=300, blank=True)
    fit_score = models.FloatField(null=True, blank=True, verbose_name=_("fit score"))
    status = models.CharField(
        _("status"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.INVITED
    )
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    invited_at = models.DateTimeField(_("received"))
    viewed_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("RFQ received")
        verbose_name_plural = _("RFQs received")
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rfq", "supplier"], name="rfq_recipient_once"),
            models.CheckConstraint(condition=Q(status__in=RecipientStatus.values), name="rfq_recipient_status"),
        ]
        indexes = [models.Index(fields=["supplier", "-invited_at"])]

    def __str__(self):
        return f"{self.rfq} → {self.supplier}"


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Declined by the buyer")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Answer(models.TextChoices):
    MEETS = "meets", _("Meets")
    ALTERNATIVE = "alternative", _("Alternative offered")
    NO = "no", _("Cannot meet")


class Quote(models.Model):
    """A supplier's structured answer to an RFQ it received. One per invitation; the buyer compares them."""

    SUPPLIER_PATH = "supplier"
    BUYER_PATH = "rfq__buyer"

    rfq = models.ForeignKey(RFQ, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("RFQ"))
    recipient = models.OneToOneField(
        RFQRecipient, on_delete=models.CASCADE, related_name="quote", verbose_name=_("recipient")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="quotes", verbose_name=_("supplier")
    )
    currency = models.CharField(_("currency"), max_length=3)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=INCOTERM_CHOICES)
    incoterm_place = models.CharField(_("named place"), max_length=100, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    payment_terms = models.CharField(_("payment terms"), max_length=100)
    valid_until = models.DateField(_("valid until"))
    samples_available = models.BooleanField(_("samples available"), default=False)
    sample_price = models.DecimalField(_("sample price"), null=True, blank=True, **MONEY)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"))
    decided_at = models.DateTimeField(_("buyer decided"), null=True, blank=True)
    decision_note = models.CharField(_("buyer's note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["rfq", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=QuoteStatus.values), name="quote_status"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="quote_currency_iso4217"),
            models.CheckConstraint(condition=Q(lead_time_days__gte=1), name="quote_lead_time_positive"),
            # One accepted quote per RFQ, whatever the race (the service also locks the RFQ).
            models.UniqueConstraint(
                fields=["rfq"], condition=Q(status=QuoteStatus.ACCEPTED), name="quote_one_accepted_per_rfq"
            ),
        ]

    def __str__(self):
        return _("Quote %(number)s by %(supplier)s on %(rfq)s") % {
            "number": self.pk,
            "supplier": self.supplier,
            "rfq": self.rfq,
        }


# The terms a supplier states on a quote: the seller's form, the admin and the API list them from here.
QUOTE_TERM_FIELDS = (
    "currency",
    "incoterm",
    "incoterm_place",
    "lead_time_days",
    "payment_terms",
    "valid_until",
    "samples_available",
    "sample_price",
    "notes",
)


class QuoteLine(models.Model):
    SUPPLIER_PATH = "quote__supplier"

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote"))
    rfq_line = models.ForeignKey(RFQLine, on_delete=models.CASCADE, related_name="+", verbose_name=_("RFQ line"))
    offered_product = models.CharField(_("offered product"), max_length=200, blank=True)
    moq = models.PositiveIntegerField(_("MOQ"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "rfq_line__position"]
        constraints = [models.UniqueConstraint(fields=["quote", "rfq_line"], name="quote_line_once")]

    def __str__(self):
        return _("Quote %(quote)s, line %(line)s") % {"quote": self.quote_id, "line": self.rfq_line_id}


class QuoteTier(models.Model):
    """Unit price from a quantity up; tiers ascend in quantity and never rise in price (checked by the service)."""

    SUPPLIER_PATH = "quote__supplier"

    line = models.ForeignKey(QuoteLine, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("quote line"))
    min_quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)], verbose_name=_("from quantity"))
    unit_price = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0.0001"))], verbose_name=_("unit price")
    )

    class Meta:
        verbose_name = _("quote price tier")
        verbose_name_plural = _("quote price tiers")
        ordering = ["line", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["line", "min_quantity"], name="quote_tier_quantity_once"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="quote_tier_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="quote_tier_price_positive"),
        ]

    def __str__(self):
        return _("from %(quantity)s: %(price)s") % {"quantity": self.min_quantity, "price": self.unit_price}


class QuoteAnswer(models.Model):
    """The supplier's answer to one requirement of the RFQ: meets, an alternative, or no."""

    SUPPLIER_PATH = "quote__supplier"

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="answers", verbose_name=_("quote"))
    key = models.CharField(max_length=60, verbose_name=_("requirement"))
    answer = models.CharField(max_length=12, choices=Answer.choices, verbose_name=_("answer"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("answer to a requirement")
        verbose_name_plural = _("answers to the requirements")
        ordering = ["quote", "key"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "key"], name="quote_answer_once"),
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="quote_answer_valid"),
        ]

    def __str__(self):
        return f"{self.key}: {self.get_answer_display()}"


# --- reference data an operator keeps (estimates, always labelled as such) --------------------------------------


class ExchangeRate(models.Model):
    """Units of `currency` per one US dollar, as of a date: for comparing quotes and targets in one currency."""

    currency = models.CharField(max_length=3, unique=True)
    per_usd = models.DecimalField(max_digits=18, decimal_places=6, validators=[MinValueValidator(Decimal("0.000001"))])
    as_of = models.DateField()
    source = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="exchange_currency_iso4217"),
            models.CheckConstraint(condition=Q(per_usd__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self):
        return f"1 USD = {self.per_usd} {self.currency} ({self.as_of})"


class FreightRate(models.Model):
    """A rough freight estimate from the supplier's country to a destination, as a share of the goods' value with
    a floor per shipment. `destination` is an ISO country code or a region code (EU, ...); "*" is the default."""

    origin_country = models.CharField(max_length=2, default="CN")
    destination = models.CharField(max_length=4)
    mode = models.CharField(max_length=10, default="sea")
    percent_of_value = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    minimum_usd = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    transit_days = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("freight rate")
        verbose_name_plural = _("freight rates")
        ordering = ["origin_country", "destination", "mode"]
        constraints = [
            models.UniqueConstraint(fields=["origin_country", "destination", "mode"], name="freight_rate_once"),
            models.CheckConstraint(
                condition=Q(percent_of_value__gte=0, percent_of_value__lte=100), name="freight_percent"
            ),
            models.CheckConstraint(condition=Q(minimum_usd__gte=0), name="freight_minimum_positive"),
        ]

    def __str__(self):
        return f"{self.origin_country}→{self.destination} {self.mode}: {self.percent_of_value}%"


# Reference rows name categories by slug, as the trade vocabulary does: a marketplace whose tree lacks a slug just
# gets no category-specific row (the destination's default applies), and the data stays portable between sites.


class DutyRate(models.Model):
    """Import duty at a destination for a category (its descendants inherit it); a blank slug is the default."""

    destination = models.CharField(max_length=4)
    category_slug = models.SlugField(max_length=100, blank=True)
    rate_percent = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(max_length=200)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("duty rate")
        verbose_name_plural = _("duty rates")
        ordering = ["destination", "category_slug"]
        constraints = [
            models.UniqueConstraint(fields=["destination", "category_slug"], name="duty_rate_once"),
            models.CheckConstraint(condition=Q(rate_percent__gte=0, rate_percent__lte=1000), name="duty_percent"),
        ]

    def __str__(self):
        return f"{self.destination} {self.category_slug or '*'}: {self.rate_percent}%"


class MarketRequirement(models.Model):
    """A certificate a destination market requires (or expects) for a category, with its legal source."""

    destination = models.CharField(max_length=4, help_text=_("ISO country code or region (EU)."))
    category_slug = models.SlugField(max_length=100, help_text=_("Applies to this category and its descendants."))
    certification = models.CharField(max_length=10)
    mandatory = models.BooleanField(default=True)
    source = models.CharField(max_length=300, help_text=_("The regulation or standard, e.g. 2014/35/EU (LVD)."))
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("market requirement")
        verbose_name_plural = _("market requirements")
        ordering = ["destination", "category_slug", "certification"]
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "category_slug", "certification"], name="market_requirement_once"
            ),
        ]

    def __str__(self):
        return f"{self.destination} {self.category_slug}: {self.certification}"
