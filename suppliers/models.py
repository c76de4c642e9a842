"""Suppliers: the factories and trading companies that sell on Silkway, and everything they own.

Every tenant-owned model names the path from itself to its supplier in SUPPLIER_PATH; the seller admin
and (later) the API scope querysets through it, so a new model only has to declare it.
"""

import zoneinfo
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import RandomName, private_storage

from .validators import validate_document_upload

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
# A buyer counts an inquiry as answered if the supplier replied within this; response metrics and rankings use it.
RESPONSE_WINDOW = timedelta(hours=24)
# A published response commitment counts as kept when at least this share of the conversations it was measured on
# were answered within it, and only once there are at least this many (below: "too few conversations to tell").
COMMITMENT_KEPT_PERCENT = 90
COMMITMENT_MIN_SAMPLE = 5
DEFAULT_RESPONSE_TIMEZONE = "Asia/Shanghai"


class ResponseCommitment(models.IntegerChoices):
    """What a supplier may promise buyers: the longest wait for a first answer, counted in its working hours."""

    MINUTES_30 = 30, _("30 minutes")
    HOUR_1 = 60, _("1 hour")
    HOURS_2 = 120, _("2 hours")
    HOURS_4 = 240, _("4 hours")
    HOURS_8 = 480, _("8 hours")
    HOURS_24 = 1440, _("24 hours")


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone this system knows (a callable, so migrations do not copy the list)."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def validate_timezone(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class SupplierKind(models.TextChoices):
    FACTORY = "factory", _("Factory / manufacturer")
    TRADING_COMPANY = "trading_company", _("Trading company")
    BOTH = "both", _("Factory with export trading arm")


class VerificationLevel(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    BUSINESS_LICENSE = "business_license", _("Business license checked")
    ONSITE = "onsite", _("On-site checked")
    ASSESSED = "assessed", _("Third-party assessed")


# The one definition of each supplier rule; querysets, filters, search documents and rankings inputs use these.
MANUFACTURER_KINDS = (SupplierKind.FACTORY, SupplierKind.BOTH)


def verified_supplier_q(prefix: str = "") -> Q:
    """Suppliers an operator has verified at any level. `prefix` reaches them from another model ("supplier__")."""
    return ~Q(**{f"{prefix}verification_level": VerificationLevel.UNVERIFIED})


def manufacturer_q(prefix: str = "") -> Q:
    """Suppliers that make what they sell (factories, and factories with a trading arm)."""
    return Q(**{f"{prefix}kind__in": MANUFACTURER_KINDS})


def is_manufacturer(kind: str) -> bool:
    return kind in MANUFACTURER_KINDS


def certificate_valid_q(prefix: str = "", *, on=None) -> Q:
    """Certificates in force on a date (today by default), both ends included."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": on, f"{prefix}valid_until__gte": on})


class SupplierQuerySet(models.QuerySet):
    def listed(self):
        """Suppliers buyers may find and whose products may go live: not those whose application to sell waits for
        review or was refused (suppliers from before applications existed have none and are listed)."""
        unapproved = SupplierApplication.objects.filter(supplier=OuterRef("pk")).exclude(
            status=ApplicationStatus.APPROVED
        )
        return self.exclude(Exists(unapproved))

    def verified(self):
        return self.filter(verified_supplier_q())

    def manufacturers(self):
        return self.filter(manufacturer_q())


class CertificationQuerySet(models.QuerySet):
    def valid_on(self, day=None):
        return self.filter(certificate_valid_q(on=day))


class Supplier(models.Model):
    SUPPLIER_PATH = "pk"

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SupplierKind.choices)
    about = models.TextField(_("about"), blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN", help_text=_("ISO 3166-1 alpha-2 code."))
    region = models.CharField(
        _("region / industrial cluster"), max_length=100, blank=True, help_text=_("e.g. Yiwu, Zhejiang")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    rd_staff_count = models.PositiveIntegerField(_("R&D staff"), null=True, blank=True)
    factory_area_m2 = models.PositiveIntegerField(_("factory area (m²)"), null=True, blank=True)
    export_markets = models.JSONField(
        _("export markets"), default=list, blank=True, help_text=_('Regions or ISO country codes, e.g. ["EU", "US"].')
    )
    years_exporting = models.PositiveSmallIntegerField(_("years exporting"), null=True, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_('Language codes, e.g. ["en", "es"].')
    )
    offers_oem = models.BooleanField(_("OEM"), default=False)
    offers_odm = models.BooleanField(_("ODM"), default=False)
    offers_custom_packaging = models.BooleanField(_("custom packaging"), default=False)
    offers_samples = models.BooleanField(_("samples"), default=False)
    trade_assurance = models.BooleanField(
        _("Silkway Order Protection"),
        default=False,
        help_text=_("Granted by Silkway: orders are paid into escrow and refunded if the goods do not match."),
    )

    # Patents: declared here. The R&D and main-business shares are not typed: rankings writes them from the
    # supplier's latest fiscal-year figures (rankings.SupplierFigures, with per-input provenance), so the
    # storefront and the leaderboards show the same numbers.
    invention_patents = models.PositiveIntegerField(_("invention patents"), default=0)
    utility_patents = models.PositiveIntegerField(_("utility model patents"), default=0)
    design_patents = models.PositiveIntegerField(_("design patents"), default=0)
    rd_spend_share = models.DecimalField(
        # xgettext:no-python-format
        _("R&D spend (% of revenue)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        validators=PERCENT_VALIDATORS,
        help_text=_("From the latest fiscal year's ranking figures."),
    )
    main_business_revenue_share = models.DecimalField(
        # xgettext:no-python-format
        _("main business (% of revenue)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        validators=PERCENT_VALIDATORS,
        help_text=_("From the latest fiscal year's ranking figures."),
    )

    # Set by operators only.
    verification_level = models.CharField(
        _("verification"), max_length=20, choices=VerificationLevel.choices, default=VerificationLevel.UNVERIFIED
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )

    # Derived from platform activity by suppliers' metrics task; never typed by sellers.
    response_rate = models.DecimalField(_("response rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    median_response_minutes = models.PositiveIntegerField(_("median first response (min)"), null=True, blank=True)
    on_time_delivery_rate = models.DecimalField(
        _("on-time delivery (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    dispute_rate = models.DecimalField(_("dispute rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    repeat_buyer_rate = models.DecimalField(
        _("repeat buyers (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rating_average = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    metrics_updated_at = models.DateTimeField(_("metrics updated"), null=True, blank=True)
    response_sample_size = models.PositiveIntegerField(
        _("conversations measured"),
        default=0,
        help_text=_("Conversations of the last 30 days the response rate and typical first reply rest on."),
    )

    # The seller's response commitment (set on the seller site) and how well it is kept (derived, like the above).
    response_commitment_minutes = models.PositiveIntegerField(
        _("we answer within"),
        choices=ResponseCommitment.choices,
        null=True,
        blank=True,
        help_text=_("Published to buyers with how well you keep it. Leave empty to publish no commitment."),
    )
    response_hours_start = models.TimeField(
        _("working hours from"),
        null=True,
        blank=True,
        help_text=_("With working hours, the commitment clock runs Monday to Friday within them only."),
    )
    response_hours_end = models.TimeField(_("working hours until"), null=True, blank=True)
    response_timezone = models.CharField(
        _("time zone of the working hours"),
        max_length=64,
        choices=timezone_choices,
        default=DEFAULT_RESPONSE_TIMEZONE,
        blank=True,  # left empty: the default (clean), so a form that does not show it changes nothing
        validators=[validate_timezone],
    )
    commitment_kept_rate = models.DecimalField(
        # xgettext:no-python-format
        _("answered within the commitment (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    commitment_sample_size = models.PositiveIntegerField(_("conversations measured against the commitment"), default=0)
    commitment_kept = models.BooleanField(
        _("commitment kept"),
        null=True,
        blank=True,
        # xgettext:no-python-format
        help_text=_("Kept: at least 90% of at least 5 conversations answered in time. Empty: too few to tell."),
    )
    # Written by rankings after each leaderboard run; a search ranking signal.
    leaderboard_standing = models.FloatField(
        _("leaderboard standing"),
        default=0,
        editable=False,
        help_text=_("Best percentile on any current leaderboard: 1 is first place, 0 is not ranked."),
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = SupplierQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SupplierKind.values), name="supplier_kind_valid"),
            models.CheckConstraint(
                condition=Q(verification_level__in=VerificationLevel.values), name="supplier_verification_valid"
            ),
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="supplier_country_iso2"),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800), name="supplier_founded_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(rd_staff_count__isnull=True)
                | Q(staff_count__isnull=True)
                | Q(rd_staff_count__lte=F("staff_count")),
                name="supplier_rd_staff_within_staff",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
                    name=f"supplier_{field}_percent",
                )
                for field in (
                    "rd_spend_share",
                    "main_business_revenue_share",
                    "response_rate",
                    "on_time_delivery_rate",
                    "dispute_rate",
                    "repeat_buyer_rate",
                    "commitment_kept_rate",
                )
            ],
            models.CheckConstraint(
                condition=Q(response_commitment_minutes__isnull=True)
                | Q(response_commitment_minutes__in=ResponseCommitment.values),
                name="supplier_response_commitment_valid",
            ),
            models.CheckConstraint(
                condition=Q(response_hours_start__isnull=True, response_hours_end__isnull=True)
                | Q(response_hours_start__isnull=False, response_hours_end__gt=F("response_hours_start")),
                name="supplier_response_hours_ordered",
            ),
            models.CheckConstraint(
                condition=Q(response_commitment_minutes__isnull=False)
                | Q(commitment_kept__isnull=True, commitment_kept_rate__isnull=True, commitment_sample_size=0),
                name="supplier_commitment_figures_need_commitment",
            ),
            models.CheckConstraint(condition=~Q(response_timezone=""), name="supplier_response_timezone_set"),
            models.CheckConstraint(
                condition=Q(rating_average__isnull=True) | Q(rating_average__gte=1, rating_average__lte=5),
                name="supplier_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["kind", "country"]), models.Index(fields=["verification_level"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("marketplace:supplier_detail", args=[self.slug])

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.founded_year and self.founded_year > timezone.now().year:
            errors["founded_year"] = _("The founding year cannot be in the future.")
        if self.rd_staff_count is not None and self.staff_count is not None and self.rd_staff_count > self.staff_count:
            errors["rd_staff_count"] = _("R&D staff cannot exceed total staff.")
        if self.country:
            self.country = self.country.upper()
        self.response_timezone = self.response_timezone or DEFAULT_RESPONSE_TIMEZONE
        errors.update(self._response_hours_errors())
        if errors:
            raise ValidationError(errors)

    def _response_hours_errors(self) -> dict:
        start, end = self.response_hours_start, self.response_hours_end
        if start is None and end is None:
            return {}
        if start is None or end is None:
            field = "response_hours_end" if end is None else "response_hours_start"
            return {
                field: _(
                    "Give both ends of the working hours, or neither (the commitment then holds around the clock)."
                )
            }
        if end <= start:
            return {
                "response_hours_end": _(
                    "Working hours end after they start, on the same day (e.g. 9:00 to 18:00); "
                    "overnight shifts are not supported."
                )
            }
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if minutes < 60:
            return {"response_hours_end": _("Working hours must last at least one hour.")}
        if self.response_commitment_minutes is None:
            return {
                "response_commitment_minutes": _(
                    "Working hours only count for a response commitment: choose one, or clear the hours."
                )
            }
        return {}

    @property
    def is_verified(self):
        return self.verification_level != VerificationLevel.UNVERIFIED

    @property
    def is_manufacturer(self):
        return is_manufacturer(self.kind)

    @property
    def years_in_business(self):
        return timezone.now().year - self.founded_year if self.founded_year else None

    @property
    def patent_count(self):
        return self.invention_patents + self.utility_patents + self.design_patents


class MembershipRole(models.TextChoices):
    OWNER = "owner", pgettext_lazy("team role", "Owner")
    STAFF = "staff", pgettext_lazy("team role", "Staff")


class SupplierMembership(models.Model):
    """A seller account works for exactly one supplier; that is the tenant boundary."""

    SUPPLIER_PATH = "supplier"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_membership", verbose_name=_("user")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("supplier")
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.STAFF, verbose_name=_("role")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        # The seller site lists memberships as the supplier's team.
        verbose_name = _("team member")
        verbose_name_plural = _("team")
        constraints = [models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role")]

    def __str__(self):
        return f"{self.user} @ {self.supplier}"


class CertificationType(models.TextChoices):
    """A normalized vocabulary, so buyers can filter on "CE" whatever the seller typed."""

    CE = "CE", "CE"
    FCC = "FCC", "FCC"
    UL = "UL", "UL"
    ROHS = "ROHS", "RoHS"
    REACH = "REACH", "REACH"
    FDA = "FDA", "FDA"
    LFGB = "LFGB", "LFGB"
    ISO9001 = "ISO9001", "ISO 9001"
    ISO13485 = "ISO13485", "ISO 13485"
    ISO14001 = "ISO14001", "ISO 14001"
    BSCI = "BSCI", "amfori BSCI"
    GOTS = "GOTS", "GOTS"
    OEKOTEX = "OEKOTEX", "OEKO-TEX"
    EN71 = "EN71", "EN 71"
    CPSIA = "CPSIA", "CPSIA"
    GS = "GS", "GS"
    UN383 = "UN383", "UN 38.3"
    IP65 = "IP65", "IP65"
    IP67 = "IP67", "IP67"
    HALAL = "HALAL", _("Halal")
    KOSHER = "KOSHER", _("Kosher")


class Certification(models.Model):
    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("supplier")
    )
    type = models.CharField(_("type"), max_length=10, choices=CertificationType.choices)
    number = models.CharField(_("certificate number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    document = models.FileField(
        _("document"),
        upload_to=RandomName("certificates"),
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
    )
    verified_at = models.DateTimeField(_("verified by Silkway at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["type", "-valid_until"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=CertificationType.values), name="certification_type_valid"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="certification_dates_ordered"),
            models.UniqueConstraint(fields=["supplier", "type", "number"], name="certification_unique_per_supplier"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.number}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.valid_from and self.valid_until:
            if self.valid_until < self.valid_from:
                raise ValidationError({"valid_until": _("A certificate cannot expire before it is issued.")})
            if self.valid_until < timezone.localdate():
                raise ValidationError(
                    {
                        "valid_until": _("This certificate expired on %(date)s; upload the renewed certificate.")
                        % {"date": self.valid_until.isoformat()}
                    }
                )

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_until

    @property
    def is_valid_now(self):
        return self.is_valid_on(timezone.localdate())


class ProductionCapacity(models.Model):
    """How much of what a supplier can make, per category (trading companies declare through partners)."""

    SUPPLIER_PATH = "supplier"

    class Period(models.TextChoices):
        DAY = "day", _("per day")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("supplier")
    )
    category = models.ForeignKey(
        "taxonomy.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    product_line = models.CharField(_("product line"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20, default="pieces")
    period = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.MONTH)
    production_lines = models.PositiveSmallIntegerField(_("production lines"), null=True, blank=True)

    class Meta:
        verbose_name = _("production capacity")
        verbose_name_plural = _("production capacities")
        ordering = ["product_line"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="capacity_quantity_positive"),
            models.CheckConstraint(condition=Q(period__in=["day", "month", "year"]), name="capacity_period_valid"),
        ]

    def __str__(self):
        return f"{self.product_line}: {self.quantity} {self.unit} {self.get_period_display()}"


# --- Onboarding: a company applies to sell, operators review it; owners invite colleagues -------------------------

# Legal-form words dropped before two company names are compared ("Ningbo Tech Co., Ltd." is "Ningbo Tech"), in
# Latin scripts as whole words at the end, in Chinese as a trailing suffix (longest first).
LEGAL_SUFFIX_WORDS = frozenset(
    [
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "pte",
        "pty",
        "jsc",
        "llp",
        "lp",
        "ug",
        "mbh",
        "sl",
    ]
)
LEGAL_SUFFIXES_CJK = ("股份有限公司", "有限责任公司", "有限公司", "株式会社", "公司")
INVITATION_VALID_FOR = timedelta(days=14)


def company_name_key(name: str) -> str:
    """The name two companies cannot share: case-folded, punctuation and spacing dropped, legal forms stripped."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    words = text.split()
    changed = True
    while words and changed:
        changed = False
        if len(words) > 1 and words[-1] in LEGAL_SUFFIX_WORDS:
            words.pop()
            changed = True
            continue
        for suffix in LEGAL_SUFFIXES_CJK:
            if words[-1].endswith(suffix) and len(words[-1]) > len(suffix):
                words[-1] = words[-1][: -len(suffix)]
                changed = True
                break
    return re.sub(r"\s+", "", "".join(words))


def registration_number_key(number: str) -> str:
    """A business registration number as compared: no spaces, upper case (the unified social credit code, a VAT
    or company number)."""
    return "".join((number or "").split()).upper()


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SupplierApplication(models.Model):
    """A company's application to sell. The supplier (unverified) and its owner account are created with it, so the
    seller can prepare the storefront at once; products go live only once an operator approved the documents."""

    SUPPLIER_PATH = "supplier"

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="application")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="supplier_applications"
    )
    company_name = models.CharField(_("company name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SupplierKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code."))
    region = models.CharField(_("region / industrial cluster"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    registration_number = models.CharField(_("business registration number"), max_length=64)
    registration_key = models.CharField(max_length=64, editable=False)
    contact_name = models.CharField(_("contact name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40)
    website = models.URLField(_("website"), blank=True)
    business_licence = models.FileField(
        _("business licence"),
        upload_to=RandomName("applications"),
        storage=private_storage,
        validators=[validate_document_upload],
    )
    other_document = models.FileField(
        _("other document"),
        upload_to=RandomName("applications"),
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
        help_text=_("Optional: an export licence, a factory audit, a trademark registration."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("The evidence checked (approval) or the reason (rejection).")
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supplier application")
        verbose_name_plural = _("supplier applications")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=SupplierKind.values), name="application_kind_valid"),
            models.UniqueConstraint(fields=["country", "registration_key"], name="application_registration_unique"),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.SUBMITTED) | Q(reviewed_at__isnull=False),
                name="application_reviewed_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.company_name

    def save(self, *args, **kwargs):
        self.name_key = company_name_key(self.company_name)
        self.registration_key = registration_number_key(self.registration_number)
        super().save(*args, **kwargs)

    @property
    def is_pending(self):
        return self.status == ApplicationStatus.SUBMITTED


class SupplierInvitation(models.Model):
    """An owner asks a colleague to join the supplier. Only a hash of the link's token is stored."""

    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.STAFF)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True), name="invitation_one_outcome"
            ),
            models.UniqueConstraint(
                fields=["supplier", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_open(self):
        """Can still be accepted: not accepted, revoked or expired."""
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired
