"""Reads shared by the sourcing pages, the API and the admin. Buyer reads take the buyer and answer 404 for
anybody else's rows; supplier reads go through the supplier's own RFQRecipient rows."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from .models import (
    RFQ,
    PlanOption,
    Quote,
    QuoteLine,
    QuoteStatus,
    RequirementsVersion,
    RFQRecipient,
    SourcingAttachment,
    SourcingPlan,
    SourcingRequest,
)
from .schema import Requirements


def sourcing_request_list(*, buyer) -> QuerySet[SourcingRequest]:
    return SourcingRequest.objects.filter(buyer=buyer).order_by("-created_at", "-pk")


def sourcing_request_get(*, buyer, pk: int) -> SourcingRequest:
    return get_object_or_404(SourcingRequest.objects.filter(buyer=buyer).prefetch_related("attachments"), pk=pk)


def requirements_latest(*, request: SourcingRequest) -> RequirementsVersion | None:
    return request.requirement_versions.order_by("-number").first()


def requirements_of(version: RequirementsVersion) -> Requirements:
    return Requirements.model_validate(version.data)


def plan_latest(*, request: SourcingRequest) -> SourcingPlan | None:
    return request.plans.select_related("requirements").order_by("-created_at", "-pk").first()


def plan_get(*, buyer, pk: int) -> SourcingPlan:
    return get_object_or_404(
        SourcingPlan.objects.filter(request__buyer=buyer).select_related("request", "requirements"), pk=pk
    )


def rfq_list_for_buyer(*, buyer) -> QuerySet[RFQ]:
    return RFQ.objects.filter(buyer=buyer).prefetch_related("lines").order_by("-created_at", "-pk")


def _quotes_prefetch(queryset: QuerySet[Quote]) -> Prefetch:
    return Prefetch(
        "quotes",
        queryset=queryset.select_related("supplier").prefetch_related(
            Prefetch("lines", queryset=QuoteLine.objects.prefetch_related("tiers")), "answers"
        ),
    )


def rfq_get_for_buyer(*, buyer, pk: int) -> RFQ:
    """An RFQ with its lines, recipients and every quote (withdrawn ones left out), in a fixed number of queries."""
    return get_object_or_404(
        RFQ.objects.filter(buyer=buyer).prefetch_related(
            "lines",
            "attachments__source",
            Prefetch("recipients", queryset=RFQRecipient.objects.select_related("supplier")),
            _quotes_prefetch(Quote.objects.exclude(status=QuoteStatus.WITHDRAWN)),
        ),
        pk=pk,
    )


def rfq_recipient_list_for_supplier(*, supplier) -> QuerySet[RFQRecipient]:
    """The RFQs sent to this supplier: never another supplier's invitation."""
    return RFQRecipient.objects.filter(supplier=supplier).select_related("rfq").order_by("-invited_at", "-pk")


def rfq_recipient_get_for_supplier(*, supplier, pk: int) -> RFQRecipient:
    return get_object_or_404(
        RFQRecipient.objects.filter(supplier=supplier).select_related("rfq").prefetch_related("rfq__lines"), pk=pk
    )


def quote_for_supplier(*, supplier, recipient: RFQRecipient) -> Quote | None:
    """This supplier's own quote on the invitation (a competitor's is never reachable from here)."""
    return (
        Quote.objects.filter(recipient=recipient, supplier=supplier)
        .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.prefetch_related("tiers")), "answers")
        .first()
    )


def attachment_for_buyer(*, buyer, request_pk: int, pk: int) -> SourcingAttachment:
    """A file the buyer attached to their own request (404 for anybody else's)."""
    return get_object_or_404(SourcingAttachment, pk=pk, request_id=request_pk, request__buyer=buyer)


def attachment_for_supplier(*, supplier, recipient_pk: int, pk: int) -> SourcingAttachment:
    """A file of an RFQ sent to this supplier: reachable only through the supplier's own invitation."""
    recipient = get_object_or_404(RFQRecipient, pk=recipient_pk, supplier=supplier)
    return get_object_or_404(SourcingAttachment, pk=pk, rfq_links__rfq_id=recipient.rfq_id)


def plan_best_supplier_ids(*, plan_id: int | None, limit: int) -> list[int]:
    """Who an RFQ broadcast goes to: the plan's options, suppliers who keep their response commitment first, then
    those we cannot tell about (no commitment, or too few conversations to tell), then those who do not keep
    theirs; by plan rank within each group; the first `limit`. So a supplier that breaks its commitment is left out
    only when enough others are there to take its place. Fit and responsiveness only: nobody pays for a place here
    (Supplier.commitment_kept, recomputed by conversations.metrics)."""
    if plan_id is None:
        return []
    keeps_commitment = Case(
        When(supplier__commitment_kept=True, then=Value(0)),
        When(supplier__commitment_kept=False, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        PlanOption.objects.filter(plan_id=plan_id)
        .order_by(keeps_commitment, "rank")
        .values_list("supplier_id", flat=True)[:limit]
    )
