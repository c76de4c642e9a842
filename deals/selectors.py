"""Reads shared by the deals pages, the API and the admin: contracts and orders with everything their pages show,
in a fixed number of queries whatever the number of rows.

Buyer reads take the buyer and answer 404 for anybody else's rows; supplier reads take the supplier. The unscoped
querysets (`*_queryset`) are for the API viewsets, whose tenancy mixin applies the scope last. `*_next_action`
says what each side has to do next, for the lists and the detail pages alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CLOSED,
    DISPUTABLE,
    Contract,
    ContractStatus,
    ContractVersion,
    DealEvent,
    Dispute,
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
    Side,
)

# The documents that prove a milestone (production start and delivery are order events, not documents).
EVIDENCE_DOCUMENT_KINDS = {
    Evidence.BILL_OF_LADING: DocumentKind.BILL_OF_LADING,
    Evidence.INSPECTION_REPORT: DocumentKind.INSPECTION_REPORT,
}


# --- contracts --------------------------------------------------------------------------------------------------


def _versions_prefetch() -> Prefetch:
    return Prefetch("versions", queryset=ContractVersion.objects.select_related("author").order_by("number"))


def contract_queryset() -> QuerySet[Contract]:
    """Contracts for lists: the supplier, the order (if signed) and every version (the latest one's total)."""
    return Contract.objects.select_related("supplier", "buyer", "order").prefetch_related(_versions_prefetch())


def contract_detail_queryset() -> QuerySet[Contract]:
    """A contract with everything its page shows: versions with their authors, the audit trail with its actors."""
    return Contract.objects.select_related("supplier", "buyer", "order", "quote", "quote__rfq").prefetch_related(
        _versions_prefetch(),
        Prefetch("events", queryset=DealEvent.objects.select_related("actor").order_by("created_at", "pk")),
    )


def contract_list_for_buyer(*, buyer) -> QuerySet[Contract]:
    return contract_queryset().filter(buyer=buyer).order_by("-created_at", "-pk")


def contract_get_for_buyer(*, buyer, pk: int) -> Contract:
    return get_object_or_404(contract_detail_queryset().filter(buyer=buyer), pk=pk)


def contract_list_for_supplier(*, supplier) -> QuerySet[Contract]:
    return contract_queryset().filter(supplier=supplier).order_by("-created_at", "-pk")


def contract_get_for_supplier(*, supplier, pk: int) -> Contract:
    return get_object_or_404(contract_detail_queryset().filter(supplier=supplier), pk=pk)


def contract_versions(contract: Contract) -> list[ContractVersion]:
    """The contract's versions, oldest first (prefetched by the querysets above)."""
    return sorted(contract.versions.all(), key=lambda version: version.number)


def contract_latest_version(contract: Contract) -> ContractVersion | None:
    versions = contract_versions(contract)
    return versions[-1] if versions else None


# --- orders -----------------------------------------------------------------------------------------------------


def order_queryset() -> QuerySet[Order]:
    """Orders for lists: the supplier, the contract, the milestones and the documents that prove them, the dispute
    and the review (what the list's "next action" reads)."""
    return Order.objects.select_related("supplier", "buyer", "contract", "dispute", "review").prefetch_related(
        Prefetch("milestones", queryset=PaymentMilestone.objects.order_by("position")),
        Prefetch(
            "documents",
            queryset=OrderDocument.objects.filter(
                side=Side.SUPPLIER, kind__in=list(EVIDENCE_DOCUMENT_KINDS.values())
            ).order_by("created_at", "pk"),
            to_attr="evidence_documents",
        ),
    )


def order_detail_queryset() -> QuerySet[Order]:
    """An order with everything its page shows: milestones, shipments with their stages, documents, the audit
    trail of its contract (from the first draft) with its actors, the dispute and the review."""
    return Order.objects.select_related(
        "supplier", "buyer", "contract", "version", "dispute", "dispute__decided_by", "review"
    ).prefetch_related(
        Prefetch("milestones", queryset=PaymentMilestone.objects.select_related("released_by").order_by("position")),
        Prefetch(
            "shipments",
            queryset=Shipment.objects.order_by("created_at", "pk").prefetch_related(
                Prefetch("events", queryset=ShipmentEvent.objects.select_related("document").order_by("occurred_at"))
            ),
        ),
        Prefetch("documents", queryset=OrderDocument.objects.select_related("uploaded_by").order_by("created_at")),
        Prefetch("contract__events", queryset=DealEvent.objects.select_related("actor").order_by("created_at", "pk")),
    )


def order_list_for_buyer(*, buyer) -> QuerySet[Order]:
    return order_queryset().filter(buyer=buyer).order_by("-created_at", "-pk")


def order_get_for_buyer(*, buyer, pk: int) -> Order:
    return get_object_or_404(order_detail_queryset().filter(buyer=buyer), pk=pk)


def order_list_for_supplier(*, supplier) -> QuerySet[Order]:
    return order_queryset().filter(supplier=supplier).order_by("-created_at", "-pk")


def order_get_for_supplier(*, supplier, pk: int) -> Order:
    return get_object_or_404(order_detail_queryset().filter(supplier=supplier), pk=pk)


def document_get_for_buyer(*, buyer, order_pk: int, pk: int) -> OrderDocument:
    """A document of the buyer's own order (404 for anybody else's, whoever uploaded it)."""
    return get_object_or_404(OrderDocument, pk=pk, order_id=order_pk, order__buyer=buyer)


def document_get_for_supplier(*, supplier, order_pk: int, pk: int) -> OrderDocument:
    return get_object_or_404(OrderDocument, pk=pk, order_id=order_pk, order__supplier=supplier)


def order_documents(order: Order) -> list[OrderDocument]:
    """Every document of the order, oldest first: prefetched on detail rows, the evidence ones on list rows."""
    prefetched = getattr(order, "evidence_documents", None)
    if prefetched is not None:
        return list(prefetched)
    return sorted(order.documents.all(), key=lambda document: (document.created_at, document.pk))


def order_dispute(order: Order) -> Dispute | None:
    """The order's dispute or None (loaded with the order by the querysets above)."""
    try:
        return order.dispute
    except ObjectDoesNotExist:
        return None


def order_review(order: Order) -> Review | None:
    try:
        return order.review
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class MilestoneView:
    """A milestone with what a page needs to show about it: when its evidence arrived, and whether the buyer can
    release it now."""

    milestone: PaymentMilestone
    evidence_at: datetime | None
    releasable: bool


def evidence_documents(order: Order) -> list[OrderDocument]:
    """The supplier's documents that can be a milestone's evidence, oldest first."""
    return list(
        order.documents.filter(side=Side.SUPPLIER, kind__in=list(EVIDENCE_DOCUMENT_KINDS.values())).order_by(
            "created_at"
        )
    )


def evidence_at(order: Order, milestone: PaymentMilestone, documents: list[OrderDocument]) -> datetime | None:
    """When the milestone's evidence arrived, or None: production start, the first bill of lading or inspection
    report the supplier uploaded, or the confirmed delivery. `documents`: the order's, already loaded. The one rule
    pages, the admin and the release service (deals.services.orders.milestone_release) all apply."""
    if milestone.evidence == Evidence.PRODUCTION_START:
        return order.production_started_at
    if milestone.evidence == Evidence.DELIVERY:
        return order.delivered_at
    kind = EVIDENCE_DOCUMENT_KINDS.get(Evidence(milestone.evidence))
    times = [d.created_at for d in documents if d.kind == kind and d.side == Side.SUPPLIER]
    return min(times) if times else None


def order_milestones(order: Order) -> list[MilestoneView]:
    documents = order_documents(order)
    money_held = order.status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.DISPUTED, *CLOSED)
    views = []
    for milestone in sorted(order.milestones.all(), key=lambda m: m.position):
        arrived = evidence_at(order, milestone, documents)
        views.append(
            MilestoneView(
                milestone=milestone,
                evidence_at=arrived,
                releasable=money_held and milestone.status == MilestoneStatus.HELD and arrived is not None,
            )
        )
    return views


def order_can_dispute(order: Order, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        order.status in DISPUTABLE
        and order_dispute(order) is None
        and (order.protection_until is None or now <= order.protection_until)
    )


# --- what to do next --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextAction:
    code: str  # stable, for the API: sign, retry_draft, pay, release, confirm_delivery, rate, ... or wait
    label: str
    mine: bool  # True when the side asked about has to act; False when it waits for the other side


def contract_next_action(contract: Contract, *, side: str) -> NextAction | None:
    """What `side` ("buyer" or "supplier") does next on a contract that is not signed yet (signed: see the order)."""
    if contract.status == ContractStatus.DRAFTING:
        return NextAction("wait", _("The contract is being drafted"), mine=False)
    if contract.status == ContractStatus.FAILED:
        if side == Side.BUYER:
            return NextAction("retry_draft", _("Drafting failed: try again"), mine=True)
        return NextAction("wait", _("Drafting failed: waiting for the buyer to try again"), mine=False)
    if contract.status == ContractStatus.SIGNED:
        return None
    latest = contract_latest_version(contract)
    if latest is None:
        return NextAction("wait", _("The contract is being drafted"), mine=False)
    accepted = latest.buyer_accepted_at if side == Side.BUYER else latest.supplier_accepted_at
    if accepted is None:
        return NextAction("sign", _("Review and sign version %(number)s") % {"number": latest.number}, mine=True)
    other = _("the supplier") if side == Side.BUYER else _("the buyer")
    return NextAction("wait", _("Waiting for %(other)s to sign") % {"other": other}, mine=False)


def order_next_action(order: Order, *, side: str) -> NextAction | None:
    """What `side` ("buyer" or "supplier") does next on an order; None once there is nothing left to do."""
    status = order.status
    buyer = side == Side.BUYER
    if status == OrderStatus.AWAITING_PAYMENT:
        if buyer:
            return NextAction(
                "pay",
                _("Pay %(amount)s %(currency)s into escrow") % {"amount": order.total, "currency": order.currency},
                mine=True,
            )
        return NextAction("wait", _("Waiting for the buyer's payment"), mine=False)
    if status == OrderStatus.DISPUTED:
        dispute = order_dispute(order)
        if not buyer and dispute is not None and dispute.status == DisputeStatus.OPEN:
            return NextAction("answer_dispute", _("Answer the buyer's dispute"), mine=True)
        return NextAction("wait", _("Waiting for Silkway's decision on the dispute"), mine=False)
    if status in CLOSED:
        if buyer and order.delivered_at is not None and order_review(order) is None:
            return NextAction("rate", _("Rate the order"), mine=True)
        return None
    releasable = any(view.releasable for view in order_milestones(order))
    if buyer:
        if status == OrderStatus.SHIPPED:
            return NextAction("confirm_delivery", _("Confirm delivery when the goods arrive"), mine=True)
        if releasable:
            return NextAction("release", _("Evidence is in: review it and release the payment"), mine=True)
        if status == OrderStatus.DELIVERED and order_review(order) is None:
            return NextAction("rate", _("Rate the order"), mine=True)
        waiting = {
            OrderStatus.FUNDED: _("Waiting for production to start"),
            OrderStatus.IN_PRODUCTION: _("Waiting for the goods to ship"),
            OrderStatus.DELIVERED: _("Waiting for the protection window to close"),
        }
        return NextAction("wait", str(waiting.get(OrderStatus(status), order.get_status_display())), mine=False)
    todo = {
        OrderStatus.FUNDED: ("start_production", _("Start production")),
        OrderStatus.IN_PRODUCTION: ("ship", _("Add the shipment and upload the bill of lading")),
        OrderStatus.SHIPPED: ("track", _("Record the shipment's stages until delivery")),
    }
    if status in todo:
        code, label = todo[OrderStatus(status)]
        return NextAction(code, str(label), mine=True)
    if releasable:
        return NextAction("wait", _("Waiting for the buyer to release a payment"), mine=False)
    return NextAction("wait", _("Waiting for the protection window to close"), mine=False)
