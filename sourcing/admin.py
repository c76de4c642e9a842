"""Sourcing in both admin sites.

Sellers (/seller/) see the RFQs sent to their own supplier ("RFQs received") and answer them on one screen: the
RFQ read-only, a structured quote form (terms, price tiers per line, an answer per requirement), decline and
withdraw. Every write goes through sourcing.services; the forms here only shape the input for them, and a
service's ValidationError comes back as form errors with nothing changed. A seller reaches an RFQ only through
its own RFQRecipient row: never another recipient, never another supplier's quote, never the buyer's e-mail.

Operators (/admin/) inspect requests, requirements, plans, RFQs and quotes read-only, recompute a plan through
the service, and keep the reference data (exchange, freight and duty rates, market requirements).
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suppliers.admin_scoping import ScopedModelAdmin, ScopedTabularInline, seller_site
from suppliers.tenancy import request_supplier

from . import selectors, services
from .forms import QuoteForms
from .models import (
    QUOTE_TERM_FIELDS,
    RFQ,
    DutyRate,
    ExchangeRate,
    FreightRate,
    MarketRequirement,
    PlanOption,
    Quote,
    QuoteAnswer,
    QuoteLine,
    QuoteStatus,
    RecipientStatus,
    RequirementsVersion,
    RFQAttachment,
    RFQLine,
    RFQRecipient,
    RFQStatus,
    SourcingAttachment,
    SourcingPlan,
    SourcingRequest,
)
from .requirements import unit_words
from .views import attachment_response

LIST_LINES_SHOWN = 2


def _pretty_json(value):
    if value in (None, "", {}, []):
        return "—"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)


def _buyer_profile(rfq):
    # Reverse one-to-one: a buyer without a profile raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(rfq.buyer, "buyer_profile", None)


def _lines_summary(lines):
    lines = list(lines)
    parts = [f"{line.quantity:,} {unit_words(line.unit)} {line.product_name}" for line in lines[:LIST_LINES_SHOWN]]
    more = len(lines) - LIST_LINES_SHOWN
    if more > 0:
        parts.append(ngettext("and %(n)d more line", "and %(n)d more lines", more) % {"n": more})
    return "; ".join(parts)


# --- the seller's quote form: shapes the input for services.quote_submit, checks nothing the service decides ----


def _awaiting():
    """0 for an invitation still waiting for an answer (the RFQ takes quotes), 1 for the rest."""
    open_now = Q(
        status__in=[RecipientStatus.INVITED, RecipientStatus.VIEWED],
        rfq__status=RFQStatus.SENT,
        rfq__quote_deadline__gte=timezone.localdate(),
    )
    return Case(When(open_now, then=Value(0)), default=Value(1), output_field=IntegerField())


# --- Sellers (/seller/) ----------------------------------------------------------------------------------------


@admin.register(RFQRecipient, site=seller_site)
class SellerRFQRecipientAdmin(ScopedModelAdmin):
    """ "RFQs received": the invitations sent to this supplier, open ones first, answered on their own screen."""

    list_display = [
        "rfq_title",
        "buyer_company",
        "buyer_country",
        "quantity_summary",
        "deadline",
        "status_display",
        "invited_at",
    ]
    list_display_links = ["rfq_title"]
    list_filter = ["status"]
    list_select_related = ["rfq__buyer__buyer_profile"]
    search_fields = ["rfq__title"]
    view_on_site = False
    actions = None
    recipient_template = "sourcing/admin/rfq_recipient_change.html"

    def get_ordering(self, request):
        # Open invitations (not answered, RFQ still taking quotes) first, then the newest.
        return [_awaiting().asc(), "-invited_at", "-pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("rfq__buyer__buyer_profile")
            .prefetch_related("rfq__lines")
            .annotate(awaiting=_awaiting())
        )

    @admin.display(description=_("RFQ"), ordering="rfq__title")
    def rfq_title(self, recipient):
        return recipient.rfq.title

    @admin.display(description=_("Buyer"))
    def buyer_company(self, recipient):
        profile = _buyer_profile(recipient.rfq)
        return profile.company_name if profile else _("A buyer")

    @admin.display(description=_("Buyer's country"))
    def buyer_country(self, recipient):
        profile = _buyer_profile(recipient.rfq)
        return profile.country if profile else "—"

    @admin.display(description=_("Quantity"))
    def quantity_summary(self, recipient):
        return _lines_summary(recipient.rfq.lines.all())

    @admin.display(description=_("Quotes due by"), ordering="rfq__quote_deadline")
    def deadline(self, recipient):
        return recipient.rfq.quote_deadline

    @admin.display(description=_("Status"), ordering="awaiting")
    def status_display(self, recipient):
        if recipient.rfq.status != RFQStatus.SENT:
            return f"{recipient.get_status_display()} · {recipient.rfq.get_status_display()}"
        return recipient.get_status_display()

    def has_add_permission(self, request, obj=None):
        return False  # invitations come from buyers

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The screen's writes are the quote, decline and withdraw services, never a model form.
        return False

    def get_urls(self):
        download = self.admin_site.admin_view(self.attachment_view)
        return [
            path("<int:recipient_pk>/attachments/<int:pk>/", download, name="sourcing_rfqrecipient_attachment"),
            *super().get_urls(),
        ]

    def attachment_view(self, request, recipient_pk, pk):
        """A spec sheet or photo of an RFQ sent to this seller's supplier; anything else is a 404."""
        attachment = selectors.attachment_for_supplier(
            supplier=request_supplier(request), recipient_pk=recipient_pk, pk=pk
        )
        return attachment_response(attachment)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        recipient = self.get_object(request, unquote(object_id))  # 404 for another supplier's invitation
        quote = selectors.quote_for_supplier(supplier=request_supplier(request), recipient=recipient)
        if request.method == "POST":
            action = request.POST.get("_action")
            if action == "submit":
                return self._submit(request, recipient, quote)
            if action == "decline":
                return self._decline(request, recipient)
            if action == "withdraw":
                return self._withdraw(request, recipient, quote)
            self.message_user(request, _("Choose send, decline or withdraw."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        services.rfq_recipient_mark_viewed(recipient=recipient)
        if recipient.status == RecipientStatus.INVITED:
            recipient.status = RecipientStatus.VIEWED
        return self._render(request, recipient, quote)

    def _forms(self, recipient, quote, data=None):
        return QuoteForms(rfq=recipient.rfq, lines=recipient.rfq.lines.all(), quote=quote, data=data)

    def _render(self, request, recipient, quote, forms_=None, status=200):
        rfq = recipient.rfq
        forms_ = forms_ or self._forms(recipient, quote)
        today = timezone.localdate()
        open_for_quotes = rfq.status == RFQStatus.SENT and rfq.quote_deadline >= today
        revisable = quote is None or quote.status in (QuoteStatus.SUBMITTED, QuoteStatus.WITHDRAWN)
        declined = recipient.status == RecipientStatus.DECLINED
        answers = {answer.key: answer for answer in quote.answers.all()} if quote else {}
        rfq_lines = {line.pk: line for line in rfq.lines.all()}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": rfq.title,
            "recipient": recipient,
            "rfq": rfq,
            "buyer_profile": _buyer_profile(rfq),
            "lines": rfq.lines.all(),
            "attachments": [
                (
                    a.source.original_name,
                    reverse(
                        f"{self.admin_site.name}:sourcing_rfqrecipient_attachment", args=[recipient.pk, a.source_id]
                    ),
                )
                for a in rfq.attachments.select_related("source")
            ],
            "requirements": [
                {"item": item, "answer": answers.get(item.get("key"))} for item in rfq.requirement_items()
            ],
            "quote": quote,
            "quote_lines": [(rfq_lines.get(line.rfq_line_id), line) for line in quote.lines.all()] if quote else [],
            "forms": forms_,
            "open_for_quotes": open_for_quotes,
            "can_quote": open_for_quotes and revisable and not declined,
            "can_decline": open_for_quotes and not declined and recipient.status != RecipientStatus.QUOTED,
            "can_withdraw": quote is not None and quote.status == QuoteStatus.SUBMITTED,
            "quote_url": (reverse(f"{self.admin_site.name}:sourcing_quote_change", args=[quote.pk]) if quote else None),
            "changelist_url": reverse(f"{self.admin_site.name}:sourcing_rfqrecipient_changelist"),
        }
        return render(request, self.recipient_template, context, status=status)

    def _submit(self, request, recipient, quote):
        forms_ = self._forms(recipient, quote, data=request.POST)
        if forms_.is_valid():
            try:
                services.quote_submit(recipient=recipient, **forms_.service_kwargs())
            except ValidationError as error:
                forms_.add_service_error(error)
            else:
                if quote is None:
                    message = _("Quote sent to the buyer.")
                else:
                    message = _("Quote revised and sent to the buyer; they see the new terms.")
                self.log_change(request, recipient, str(message))
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        self.message_user(request, _("The quote was not sent; correct the errors below."), messages.ERROR)
        return self._render(request, recipient, quote, forms_)

    def _decline(self, request, recipient):
        try:
            services.rfq_decline(recipient=recipient, reason=request.POST.get("decline_reason", ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.log_change(request, recipient, str(_("Declined to quote")))
            self.message_user(
                request, _("You declined this RFQ; the buyer sees that you will not quote."), messages.SUCCESS
            )
        return HttpResponseRedirect(request.path)

    def _withdraw(self, request, recipient, quote):
        if quote is None:
            self.message_user(request, _("You have not quoted on this RFQ."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        try:
            services.quote_withdraw(quote=quote)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.log_change(request, recipient, str(_("Quote withdrawn")))
            self.message_user(
                request,
                _("Quote withdrawn; the buyer no longer sees it. You can send a new one until the deadline."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)


class ReadOnlyInlineMixin:
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SellerQuoteLineInline(ReadOnlyInlineMixin, ScopedTabularInline):
    model = QuoteLine
    fields = ["rfq_line", "offered_product", "moq", "price_tiers"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rfq_line").prefetch_related("tiers")

    @admin.display(description=_("Price tiers"))
    def price_tiers(self, line):
        return " · ".join(f"≥ {tier.min_quantity:,}: {tier.unit_price.normalize():f}" for tier in line.tiers.all())


class SellerQuoteAnswerInline(ReadOnlyInlineMixin, ScopedTabularInline):
    model = QuoteAnswer
    fields = ["requirement", "answer", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("quote__rfq")

    @admin.display(description=_("Requirement"))
    def requirement(self, answer):
        labels = {item.get("key"): item["label"] for item in answer.quote.rfq.requirement_items()}
        return labels.get(answer.key, answer.key)


QUOTE_FIELDS = [
    "rfq",
    "status",
    *QUOTE_TERM_FIELDS,
    "submitted_at",
    "decided_at",
    "decision_note",
]


@admin.register(Quote, site=seller_site)
class SellerQuoteAdmin(ScopedModelAdmin):
    """The supplier's own quotes, read-only: they change only through the RFQ screen's services."""

    list_display = [
        "rfq_title",
        "status",
        "currency",
        "incoterm",
        "lead_time_days",
        "valid_until",
        "submitted_at",
        "rfq_screen",
    ]
    # RFQ is not tenant-owned, so the mixin would not narrow its filter: only RFQs this supplier quoted on.
    list_filter = ["status", ("rfq", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["rfq"]
    search_fields = ["rfq__title"]
    fields = ["rfq_screen", "rfq_title", *QUOTE_FIELDS[1:]]
    readonly_fields = fields
    inlines = [SellerQuoteLineInline, SellerQuoteAnswerInline]
    ordering = ["-submitted_at", "-pk"]
    view_on_site = False
    actions = None

    @admin.display(description=_("RFQ"), ordering="rfq__title")
    def rfq_title(self, quote):
        return quote.rfq.title

    @admin.display(description=_("Open"))
    def rfq_screen(self, quote):
        url = reverse(f"{self.admin_site.name}:sourcing_rfqrecipient_change", args=[quote.recipient_id])
        return format_html('<a href="{}">{}</a>', url, _("RFQ and quote"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Operators (/admin/) ---------------------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Buyers' and sellers' records: inspected here, changed only through the services."""

    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(ReadOnlyInlineMixin, admin.TabularInline):
    extra = 0


class ReadOnlyStackedInline(ReadOnlyInlineMixin, admin.StackedInline):
    extra = 0


def _recompute_plans(modeladmin, request, sourcing_requests):
    """Ask the service for a plan on each request's latest requirements and say what it did: a done plan is
    immutable, so a new plan appears only when the requirements changed (or the last plan failed)."""
    for sourcing_request in sourcing_requests:
        known = set(sourcing_request.plans.values_list("pk", flat=True))
        try:
            plan = services.sourcing_plan_request(request=sourcing_request)
        except ValidationError as error:
            modeladmin.message_user(
                request,
                _("“%(request)s”: %(error)s") % {"request": sourcing_request, "error": " ".join(error.messages)},
                messages.ERROR,
            )
            continue
        values = {
            "request": sourcing_request,
            "plan": plan.pk,
            "version": plan.requirements.number,
            "status": plan.get_status_display(),
        }
        if plan.pk in known:
            modeladmin.message_user(
                request,
                _(
                    "“%(request)s”: unchanged. Plan %(plan)s already covers requirements version %(version)s "
                    "(%(status)s); a computed plan is never recomputed, a new one is made when the requirements "
                    "change."
                )
                % values,
                messages.INFO,
            )
        else:
            modeladmin.message_user(
                request,
                _("“%(request)s”: new plan %(plan)s for requirements version %(version)s (%(status)s).") % values,
                messages.SUCCESS,
            )


@admin.action(description=_("Recompute the plan (new only if the requirements changed or the last plan failed)"))
def recompute_plan_for_requests(modeladmin, request, queryset):
    _recompute_plans(modeladmin, request, queryset)


@admin.action(description=_("Recompute the plan (new only if the requirements changed or the last plan failed)"))
def recompute_plan(modeladmin, request, queryset):
    requests = SourcingRequest.objects.filter(pk__in=queryset.values("request_id")).order_by("pk")
    _recompute_plans(modeladmin, request, requests)


class RequirementsVersionInline(ReadOnlyStackedInline):
    model = RequirementsVersion
    fields = ["number", "source", "created_by", "created_at", "requirements", "provenance_pretty"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description=_("Requirements"))
    def requirements(self, version):
        return _pretty_json(version.data)

    @admin.display(description=_("Provenance"))
    def provenance_pretty(self, version):
        return _pretty_json(version.provenance)


class SourcingAttachmentInline(ReadOnlyTabularInline):
    model = SourcingAttachment
    fields = ["original_name", "kind", "download", "note", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("File"))
    def download(self, attachment):
        # A private file has no URL: the operator downloads it through SourcingRequestAdmin.attachment_view.
        if not attachment.pk or not attachment.file:
            return "—"
        url = reverse("admin:sourcing_sourcingrequest_attachment", args=[attachment.request_id, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))


@admin.register(SourcingRequest)
class SourcingRequestAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "buyer", "language", "status", "created_at", "updated_at"]
    list_filter = ["status", "language"]
    list_select_related = ["buyer"]
    search_fields = ["title", "text", "buyer__email"]
    fields = ["buyer", "title", "language", "status", "text", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [RequirementsVersionInline, SourcingAttachmentInline]
    actions = [recompute_plan_for_requests]
    date_hierarchy = "created_at"

    def get_urls(self):
        download = self.admin_site.admin_view(self.attachment_view)
        return [
            path("<int:request_pk>/attachments/<int:pk>/", download, name="sourcing_sourcingrequest_attachment"),
            *super().get_urls(),
        ]

    def attachment_view(self, request, request_pk, pk):
        """An attachment of a request the operator may view; anything else is a 404."""
        sourcing_request = self.get_object(request, str(request_pk))
        if sourcing_request is None or not self.has_view_permission(request, sourcing_request):
            raise Http404(_("Not found."))
        attachment = SourcingAttachment.objects.filter(request=sourcing_request, pk=pk).first()
        if attachment is None:
            raise Http404(_("Not found."))
        return attachment_response(attachment)


class PlanOptionInline(ReadOnlyTabularInline):
    model = PlanOption
    fields = ["rank", "supplier", "product", "score"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supplier", "product")


@admin.register(SourcingPlan)
class SourcingPlanAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "request", "requirements_version", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["request", "requirements"]
    search_fields = ["request__title", "request__buyer__email", "error"]
    fields = [
        "request",
        "requirements",
        "status",
        "progress",
        "progress_note",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "summary",
        "result_pretty",
        "inputs_pretty",
    ]
    readonly_fields = fields
    inlines = [PlanOptionInline]
    actions = [recompute_plan]

    @admin.display(description=_("Requirements version"), ordering="requirements__number")
    def requirements_version(self, plan):
        return plan.requirements.number

    @admin.display(description=_("Result"))
    def result_pretty(self, plan):
        return _pretty_json(plan.result)

    @admin.display(description=_("Inputs"))
    def inputs_pretty(self, plan):
        return _pretty_json(plan.inputs)


class RFQLineInline(ReadOnlyTabularInline):
    model = RFQLine
    fields = ["position", "product_name", "quantity", "unit", "target_unit_price", "specs_text", "reference_product"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reference_product")

    @admin.display(description=_("Specification"))
    def specs_text(self, line):
        return "; ".join(f"{spec.get('name')}: {spec.get('value')}" for spec in line.specs or []) or "—"


class RFQRecipientInline(ReadOnlyTabularInline):
    model = RFQRecipient
    fields = ["supplier", "status", "invited_at", "viewed_at", "fit_score", "reason", "decline_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supplier")


class RFQAttachmentInline(ReadOnlyTabularInline):
    model = RFQAttachment
    fields = ["source"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


@admin.register(RFQ)
class RFQAdmin(ReadOnlyAdmin):
    list_display = ["title", "buyer", "status", "quote_deadline", "recipient_count", "quote_count", "sent_at"]
    list_filter = ["status", "incoterm", "destination_country"]
    list_select_related = ["buyer"]
    search_fields = ["title", "buyer__email"]
    fields = [
        "title",
        "buyer",
        "status",
        "sourcing_request",
        "plan",
        "currency",
        "incoterm",
        "incoterm_place",
        "destination_country",
        "quote_deadline",
        "sent_at",
        "message",
        "requirements_pretty",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [RFQLineInline, RFQRecipientInline, RFQAttachmentInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_recipients=Count("recipients", distinct=True),
                n_quotes=Count("quotes", distinct=True),
            )
        )

    @admin.display(description=_("Recipients"), ordering="n_recipients")
    def recipient_count(self, rfq):
        return rfq.n_recipients

    @admin.display(description=_("Quotes"), ordering="n_quotes")
    def quote_count(self, rfq):
        return rfq.n_quotes

    @admin.display(description=_("Requirements to answer"))
    def requirements_pretty(self, rfq):
        return _pretty_json(rfq.requirements)


class QuoteLineInline(ReadOnlyTabularInline):
    model = QuoteLine
    fields = ["rfq_line", "offered_product", "moq", "price_tiers"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rfq_line").prefetch_related("tiers")

    price_tiers = SellerQuoteLineInline.price_tiers


class QuoteAnswerInline(ReadOnlyTabularInline):
    model = QuoteAnswer
    fields = ["key", "answer", "note"]
    readonly_fields = fields


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "supplier", "rfq", "status", "currency", "incoterm", "valid_until", "submitted_at"]
    list_filter = ["status", "currency", "incoterm"]
    list_select_related = ["supplier", "rfq"]
    search_fields = ["rfq__title", "supplier__name"]
    fields = ["supplier", "recipient", *QUOTE_FIELDS]
    readonly_fields = fields
    inlines = [QuoteLineInline, QuoteAnswerInline]


# Reference data: operators keep these; plans and quote comparisons read them on every computation.


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "per_usd", "as_of", "source"]
    list_editable = ["per_usd", "as_of", "source"]
    search_fields = ["currency", "source"]
    list_filter = ["as_of"]


@admin.register(FreightRate)
class FreightRateAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "origin_country",
        "destination",
        "mode",
        "percent_of_value",
        "minimum_usd",
        "transit_days",
        "as_of",
    ]
    list_editable = ["percent_of_value", "minimum_usd", "transit_days", "as_of"]
    list_filter = ["mode", "origin_country", "destination"]
    search_fields = ["origin_country", "destination", "source"]


@admin.register(DutyRate)
class DutyRateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "destination", "category_slug", "rate_percent", "as_of", "source"]
    list_editable = ["rate_percent", "as_of"]
    list_filter = ["destination"]
    search_fields = ["destination", "category_slug", "source"]


@admin.register(MarketRequirement)
class MarketRequirementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "destination", "category_slug", "certification", "mandatory", "source", "note"]
    list_editable = ["mandatory", "source", "note"]
    list_filter = ["destination", "certification", "mandatory"]
    search_fields = ["destination", "category_slug", "certification", "source", "note"]
