"""The escrow order: created from a signed contract, funded, produced, shipped, delivered, and paid out milestone by
milestone, each only on its evidence. Disputes and reviews live in deals.services.disputes.

Every service here locks the order row first (then its milestones, in position order), checks who is acting, runs
one django-fsm transition, writes the ledger and the audit trail, and takes an optional idempotency key so a double
click or a retried API call acts once. A refused request raises ValidationError and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from conversations.models import Conversation, ConversationKind
from conversations.services import topic_message_send
from sourcing.reference import rates_load
from suppliers.models import SupplierMembership

from ..contract_terms import DELIVERED_AT_DESTINATION, milestone_amounts
from ..documents import document_check
from ..models import (
    SHIPMENT_STAGE_ORDER,
    Contract,
    ContractStatus,
    Dispute,
    DisputeStatus,
    DocumentKind,
    Evidence,
    LedgerKind,
    MilestoneStatus,
    Order,
    OrderDocument,
    OrderStatus,
    PaymentMilestone,
    Shipment,
    ShipmentEvent,
    ShipmentMode,
    ShipmentStage,
    Side,
)
from ..payments import payment_provider
from ..selectors import evidence_at, evidence_documents
from .audit import event_record, idempotency_claim
from .ledger import escrow_balance, ledger_record

CENT = Decimal("0.01")
# --- who is acting ----------------------------------------------------------------------------------------------


def is_supplier_member(user, supplier_id: int) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and SupplierMembership.objects.filter(user=user, supplier_id=supplier_id).exists()
    )


def _check_buyer(order: Order, actor) -> None:
    if actor is None or order.buyer_id != actor.pk:
        raise PermissionDenied(_("Only the buyer of this order can do that."))


def _check_supplier(order: Order, actor) -> None:
    if not is_supplier_member(actor, order.supplier_id):
        raise PermissionDenied(_("Only the supplier of this order can do that."))


def _check_operator(actor) -> None:
    if actor is None or not (actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only a Silkway operator can do that."))


def _lock(order: Order) -> Order:
    """The order row first, always: every deals service takes this lock before any other row of the order."""
    return Order.objects.select_for_update().get(pk=order.pk)


def _held_milestones(order: Order) -> list[PaymentMilestone]:
    return list(
        PaymentMilestone.objects.select_for_update()
        .filter(order=order, status=MilestoneStatus.HELD)
        .order_by("position")
    )


def _transition(order: Order, name: str, refused: str) -> tuple[str, str]:
    before = order.status
    try:
        getattr(order, name)()
    except TransitionNotAllowed:
        raise ValidationError(
            _("%(refused)s: the order is %(status)s.") % {"refused": refused, "status": order.get_status_display()}
        ) from None
    return before, order.status


def _event(order: Order, *, action: str, side: str, actor=None, change: tuple[str, str] = ("", ""), **detail) -> None:
    event_record(
        contract=order.contract,
        order=order,
        action=action,
        side=side,
        actor=actor,
        from_status=change[0],
        to_status=change[1],
        **detail,
    )


# --- creation and payment ---------------------------------------------------------------------------------------


def order_create_from_contract(*, contract: Contract) -> Order:
    """The order for a signed contract, from its signed version only: later messages never change what was agreed.
    Called inside contract signing; a second call returns the same order."""
    existing = Order.objects.filter(contract=contract).first()
    if existing is not None:
        return existing
    if contract.status != ContractStatus.SIGNED or contract.signed_version_id is None:
        raise ValidationError(_("An order is created from a signed contract only."))
    version = contract.signed_version
    assert version is not None
    terms = version.parsed
    total = terms.total.quantize(CENT)
    order = Order.objects.create(
        contract=contract,
        version=version,
        buyer_id=contract.buyer_id,
        supplier_id=contract.supplier_id,
        title=contract.title,
        currency=terms.currency,
        total=total,
        payment_reference=f"SWE-{contract.pk:06d}",
        delivery_due=terms.delivery_date,
        protection_days=terms.protection_days,
    )
    amounts = milestone_amounts(total, [m.percent for m in terms.milestones])
    PaymentMilestone.objects.bulk_create(
        PaymentMilestone(
            order=order, position=position, label=m.label, percent=m.percent, amount=amount, evidence=m.evidence
        )
        for position, (m, amount) in enumerate(zip(terms.milestones, amounts, strict=True), start=1)
    )
    _event(
        order,
        action="order_created",
        side=Side.SYSTEM,
        change=("", order.status),
        total=str(total),
        version=version.number,
    )
    return order


def order_payment_instructions(*, order: Order):
    return payment_provider().instructions(
        reference=order.payment_reference, amount=order.total, currency=order.currency
    )


@transaction.atomic
def order_confirm_payment(
    *, order: Order, operator, amount, currency: str, provider_reference: str = "", idempotency_key: str | None = None
) -> Order:
    """An operator confirms the buyer's transfer arrived. The amount and currency must be the contract's, exactly:
    a short or foreign-currency payment is sorted out with the buyer, never half-funded."""
    _check_operator(operator)
    order = _lock(order)
    if not idempotency_claim(key=idempotency_key, actor=operator, action="confirm_payment", target=f"order:{order.pk}"):
        return order
    try:
        amount = Decimal(str(amount)).quantize(CENT)
    except (ArithmeticError, ValueError):
        raise ValidationError({"amount": _("Enter the amount received, e.g. 12500.00.")}) from None
    errors = {}
    if (currency or "").upper() != order.currency:
        errors["currency"] = _("The contract is in %(currency)s.") % {"currency": order.currency}
    if amount != order.total:
        errors["amount"] = _("The contract total is %(total)s %(currency)s; %(amount)s does not match.") % {
            "total": order.total,
            "currency": order.currency,
            "amount": amount,
        }
    if errors:
        raise ValidationError(errors)
    change = _transition(order, "fund", _("Payment cannot be confirmed"))
    provider = payment_provider()
    ledger_record(
        order=order,
        kind=LedgerKind.FUNDING,
        amount=amount,
        provider=provider.name,
        provider_reference=provider_reference.strip()[:100],
        actor=operator,
        memo=f"{order.payment_reference} received",
    )
    order.funded_at = timezone.now()
    order.save()
    _event(order, action="payment_confirmed", side=Side.OPERATOR, actor=operator, change=change, amount=str(amount))
    _notify(order, "funded")
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor, reason: str, idempotency_key: str | None = None) -> Order:
    """Before payment, the buyer (or an operator) may cancel; nothing was paid, so nothing moves."""
    order = _lock(order)
    side = Side.OPERATOR if actor is not None and actor.is_staff and order.buyer_id != actor.pk else Side.BUYER
    if side == Side.BUYER:
        _check_buyer(order, actor)
    if not idempotency_claim(key=idempotency_key, actor=actor, action="cancel", target=f"order:{order.pk}"):
        return order
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order is cancelled.")})
    change = _transition(order, "cancel", _("The order cannot be cancelled"))
    order.closed_at = timezone.now()
    order.save()
    _event(order, action="cancelled", side=side, actor=actor, change=change, reason=reason[:300])
    return order


# --- fulfilment -------------------------------------------------------------------------------------------------


@transaction.atomic
def order_start_production(*, order: Order, actor, idempotency_key: str | None = None) -> Order:
    order = _lock(order)
    _check_supplier(order, actor)
    if not idempotency_claim(key=idempotency_key, actor=actor, action="start_production", target=f"order:{order.pk}"):
        return order
    change = _transition(order, "start_production", _("Production cannot start"))
    order.production_started_at = timezone.now()
    order.save()
    _event(order, action="production_started", side=Side.SUPPLIER, actor=actor, change=change)
    _notify(order, "production_started")
    return order


@transaction.atomic
def document_upload(*, order: Order, actor, side: str, kind: str, file, note: str = "", dispute=None) -> OrderDocument:
    """A document either side adds. Checked by its content: a "bill of lading" that is not a PDF or an image is
    refused. Uploading evidence does not release money by itself; it starts the buyer's review period."""
    order = _lock(order)
    if side == Side.BUYER:
        _check_buyer(order, actor)
    elif side == Side.SUPPLIER:
        _check_supplier(order, actor)
    else:
        _check_operator(actor)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    if order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED):
        raise ValidationError(_("Documents are added once the order is paid into escrow."))
    checked = document_check(file)
    document = OrderDocument(
        order=order,
        dispute=dispute,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        side=side,
        uploaded_by=actor,
        note=(note or "").strip()[:300],
    )
    document.file.save(checked.storage_name, checked.content, save=False)
    document.save()
    _event(order, action="document_added", side=side, actor=actor, kind=kind, document=document.pk, name=checked.name)
    return document


@transaction.atomic
def shipment_add(*, order: Order, actor, mode: str, carrier: str, tracking_number: str) -> Shipment:
    order = _lock(order)
    _check_supplier(order, actor)
    if order.status not in (OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED):
        raise ValidationError(
            _("Shipments are added between payment and delivery; the order is %(status)s.")
            % {"status": order.get_status_display()}
        )
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    errors = {}
    if not carrier:
        errors["carrier"] = _("Name the carrier or forwarder.")
    if not tracking_number:
        errors["tracking_number"] = _("Give the tracking, B/L or air waybill number.")
    if mode not in ShipmentMode.values:
        errors["mode"] = _("Choose how the goods travel.")
    if errors:
        raise ValidationError(errors)
    if Shipment.objects.filter(order=order, carrier=carrier, tracking_number=tracking_number).exists():
        raise ValidationError({"tracking_number": _("This shipment is already recorded.")})
    shipment = Shipment.objects.create(order=order, mode=mode, carrier=carrier, tracking_number=tracking_number)
    _event(order, action="shipment_added", side=Side.SUPPLIER, actor=actor, carrier=carrier, tracking=tracking_number)
    return shipment


@transaction.atomic
def shipment_event_record(
    *,
    shipment: Shipment,
    actor,
    stage: str,
    occurred_at=None,
    location: str = "",
    note: str = "",
    document: OrderDocument | None = None,
) -> ShipmentEvent:
    """A shipment reaches a stage. Stages come in order (booked, departed, arrived, customs cleared, delivered), once
    each. Departure ships the order; the carrier's delivery starts the buyer's confirmation period."""
    order = _lock(shipment.order)
    _check_supplier(order, actor)
    if stage not in SHIPMENT_STAGE_ORDER:
        raise ValidationError({"stage": _("Choose a shipment stage.")})
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(hours=1):
        raise ValidationError({"occurred_at": _("A shipment stage cannot be in the future.")})
    done = dict(shipment.events.values_list("stage", "occurred_at"))
    if stage in done:
        raise ValidationError({"stage": _("This stage is already recorded.")})
    later = [s for s in SHIPMENT_STAGE_ORDER[SHIPMENT_STAGE_ORDER.index(stage) + 1 :] if s in done]
    if later:
        raise ValidationError({"stage": _("A later stage is already recorded; stages come in order.")})
    earlier_times = [t for s, t in done.items() if SHIPMENT_STAGE_ORDER.index(s) < SHIPMENT_STAGE_ORDER.index(stage)]
    if earlier_times and occurred_at < max(earlier_times):
        raise ValidationError({"occurred_at": _("This stage cannot come before the previous one.")})
    if document is not None and document.order_id != order.pk:
        raise ValidationError({"document": _("That document belongs to another order.")})
    if stage != ShipmentStage.BOOKED and order.status == OrderStatus.FUNDED:
        raise ValidationError({"stage": _("Start production before the goods leave.")})
    event = ShipmentEvent.objects.create(
        shipment=shipment,
        stage=stage,
        occurred_at=occurred_at,
        location=(location or "").strip()[:100],
        note=(note or "").strip()[:300],
        document=document,
        recorded_by=actor,
    )
    change = ("", "")
    if stage == ShipmentStage.DEPARTED and order.status == OrderStatus.IN_PRODUCTION:
        change = _transition(order, "ship", _("The order cannot ship"))
        order.shipped_at = occurred_at
    if stage == ShipmentStage.DELIVERED and order.status == OrderStatus.SHIPPED and order.confirm_delivery_by is None:
        order.confirm_delivery_by = timezone.now() + timedelta(days=settings.DEALS_CONFIRM_DELIVERY_DAYS)
    order.save()
    _event(order, action=f"shipment_{stage}", side=Side.SUPPLIER, actor=actor, change=change, shipment=shipment.pk)
    if change[1]:
        _notify(order, "shipped")
    return event


@transaction.atomic
def order_confirm_delivery(*, order: Order, actor=None, idempotency_key: str | None = None) -> Order:
    """The buyer confirms the goods arrived (actor None: the confirmation period ran out). The protection window
    starts: disputes are accepted until it closes, and the delivery milestone is released when it does."""
    order = _lock(order)
    if actor is not None:
        _check_buyer(order, actor)
        if not idempotency_claim(
            key=idempotency_key, actor=actor, action="confirm_delivery", target=f"order:{order.pk}"
        ):
            return order
    elif order.confirm_delivery_by is None or order.confirm_delivery_by > timezone.now():
        raise ValidationError(_("Delivery is confirmed by the buyer until the confirmation period ends."))
    change = _transition(order, "deliver", _("Delivery cannot be confirmed"))
    now = timezone.now()
    order.delivered_at = now
    order.protection_until = now + timedelta(days=order.protection_days)
    order.save()
    _event(order, action="delivery_confirmed", side=Side.BUYER if actor else Side.SYSTEM, actor=actor, change=change)
    _complete_if_settled(order)
    return order


# --- releases ---------------------------------------------------------------------------------------------------


@transaction.atomic
def milestone_release(
    *, milestone: PaymentMilestone, actor=None, idempotency_key: str | None = None
) -> PaymentMilestone:
    """Pay one milestone out of escrow to the supplier, on its evidence. The buyer releases (or an operator; actor
    None: the review period ran out). Two clicks give one release: the lock, the milestone's status, the key and a
    unique constraint on the ledger each stop the second."""
    order = _lock(milestone.order)
    side = Side.SYSTEM
    if actor is not None:
        side = Side.BUYER if order.buyer_id == actor.pk else Side.OPERATOR
        if side == Side.OPERATOR:
            _check_operator(actor)
        if not idempotency_claim(
            key=idempotency_key, actor=actor, action="release", target=f"milestone:{milestone.pk}"
        ):
            return PaymentMilestone.objects.get(pk=milestone.pk)
    milestone = PaymentMilestone.objects.select_for_update().get(pk=milestone.pk, order=order)
    if milestone.status != MilestoneStatus.HELD:
        raise ValidationError(
            _("This milestone was already %(status)s.") % {"status": milestone.get_status_display().lower()}
        )
    if order.status == OrderStatus.DISPUTED:
        raise ValidationError(_("The order is in dispute: money moves only on the platform's decision."))
    if order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED) or order.is_closed:
        raise ValidationError(_("Nothing is held in escrow for this order."))
    if evidence_at(order, milestone, evidence_documents(order)) is None:
        raise ValidationError(
            _("“%(label)s” is released on: %(evidence)s. That evidence is not there yet.")
            % {"label": milestone.label, "evidence": milestone.get_evidence_display()}
        )
    _release(order, milestone, actor=actor)
    _event(
        order, action="milestone_released", side=side, actor=actor, milestone=milestone.pk, amount=str(milestone.amount)
    )
    _complete_if_settled(order)
    return milestone


def _release(order: Order, milestone: PaymentMilestone, *, actor) -> None:
    provider = payment_provider()
    reference = provider.payout(
        reference=f"{order.payment_reference}-M{milestone.position}",
        amount=milestone.amount,
        currency=order.currency,
        beneficiary=order.supplier.name,
    )
    ledger_record(
        order=order,
        kind=LedgerKind.RELEASE,
        amount=milestone.amount,
        milestone=milestone,
        provider=provider.name,
        provider_reference=reference,
        actor=actor,
        memo=milestone.label,
    )
    milestone.status, milestone.released_at = MilestoneStatus.RELEASED, timezone.now()
    milestone.released_by = actor if actor is not None and actor.is_authenticated else None
    milestone.save(update_fields=["status", "released_at", "released_by"])


def _complete_if_settled(order: Order) -> None:
    """A delivered order whose milestones are all paid out is complete."""
    if order.status != OrderStatus.DELIVERED or order.milestones.filter(status=MilestoneStatus.HELD).exists():
        return
    change = _transition(order, "complete", _("The order cannot complete"))
    order_close(order)
    _event(order, action="completed", side=Side.SYSTEM, change=change)


def order_close(order: Order) -> None:
    """Closing bookkeeping shared by completion and dispute decisions: the time, the supplier's record."""
    from .disputes import order_activity_record

    order.closed_at = timezone.now()
    order.save()
    order_activity_record(order)


# --- deadlines --------------------------------------------------------------------------------------------------


def deals_sweep(*, now=None) -> dict[str, int]:
    """What nobody did in time, done by the rules the contract states. Safe to run again: each step re-checks its
    row under the lock, and a row another worker already moved is skipped."""
    from .disputes import dispute_remind_overdue

    now = now or timezone.now()
    done = {"deliveries_confirmed": 0, "milestones_released": 0, "disputes_reminded": 0, "reminders_sent": 0}
    for order in Order.objects.filter(status=OrderStatus.SHIPPED, confirm_delivery_by__lte=now).only("pk"):
        try:
            order_confirm_delivery(order=order)
            done["deliveries_confirmed"] += 1
        except ValidationError:
            continue
    review = timedelta(days=settings.DEALS_EVIDENCE_REVIEW_DAYS)
    candidates = PaymentMilestone.objects.filter(
        status=MilestoneStatus.HELD,
        order__status__in=[OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.DELIVERED],
    ).select_related("order")
    for milestone in candidates:
        order = milestone.order
        if milestone.evidence == Evidence.DELIVERY:
            due = order.protection_until
        else:
            arrived = evidence_at(order, milestone, evidence_documents(order))
            due = arrived + review if arrived else None
        if due is None or due > now:
            continue
        try:
            milestone_release(milestone=milestone)
            done["milestones_released"] += 1
        except ValidationError:
            continue
    done["disputes_reminded"] = dispute_remind_overdue(now=now)
    done["reminders_sent"] = deadline_reminders_send(now=now)
    return done


def deadline_reminders_send(*, now) -> int:
    """Once per deadline, `DEALS_REMINDER_HOURS` before it: the buyer before delivery counts as confirmed and before
    the protection window closes with money held; the supplier before its dispute answer is due."""
    soon = now + timedelta(hours=settings.DEALS_REMINDER_HOURS)
    due = [
        (
            Order.objects.filter(
                status=OrderStatus.SHIPPED, confirm_delivery_by__gt=now, confirm_delivery_by__lte=soon
            ),
            "delivery_reminded_at",
            "confirm_delivery_soon",
        ),
        (
            Order.objects.filter(
                status=OrderStatus.DELIVERED,
                protection_until__gt=now,
                protection_until__lte=soon,
                milestones__status=MilestoneStatus.HELD,
            ).distinct(),
            "protection_reminded_at",
            "protection_ends_soon",
        ),
    ]
    sent = 0
    for queryset, field, what in due:
        for pk in queryset.filter(**{f"{field}__isnull": True}).values_list("pk", flat=True):
            # The update is the claim: two sweeps at once remind once.
            if Order.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}):
                transaction.on_commit(partial(_notify_task().delay, pk, what))
                sent += 1
    disputes = Dispute.objects.filter(
        status=DisputeStatus.OPEN, answer_due__gt=now, answer_due__lte=soon, supplier_reminded_at__isnull=True
    ).values_list("pk", "order_id")
    for pk, order_id in disputes:
        if Dispute.objects.filter(pk=pk, supplier_reminded_at__isnull=True).update(supplier_reminded_at=now):
            transaction.on_commit(partial(_notify_task().delay, order_id, "dispute_answer_soon"))
            sent += 1
    return sent


def _notify_task():
    from ..tasks import order_notify_task

    return order_notify_task


def order_delivered_on_time(order: Order) -> bool | None:
    """Whether the supplier delivered by the contract's date, where the contract's Incoterm says delivery happens:
    at the destination under D-terms (the buyer's confirmation), at origin under the others (departure). None when
    the goods never got that far and the date had not passed when the order closed; False once it had."""
    incoterm = order.version.parsed.incoterm
    performed = order.delivered_at if incoterm in DELIVERED_AT_DESTINATION else order.shipped_at
    if performed is None:
        closed = order.closed_at and timezone.localdate(order.closed_at) > order.delivery_due
        return False if closed else None
    return timezone.localdate(performed) <= order.delivery_due


def order_value_usd(order: Order) -> Decimal:
    value = rates_load().convert(order.total, order.currency, "USD")
    return (value or Decimal(0)).quantize(CENT)


def _notify(order: Order, what: str) -> None:
    transaction.on_commit(partial(_notify_task().delay, order.pk, what))


def escrow_held(*, order: Order) -> Decimal:
    return escrow_balance(order=order)


# Once the goods are delivered (or the money settled), a question about the order is after-sales.
AFTER_SALES = {
    OrderStatus.DELIVERED,
    OrderStatus.RELEASED,
    OrderStatus.PARTIALLY_RELEASED,
    OrderStatus.REFUNDED,
}


def order_message_send(*, order: Order, buyer, body: str, attachment=None) -> Conversation:
    """The buyer writes to the order's supplier, in their thread about the order: an order question while it is
    under way, after-sales once the goods arrived. Disputes keep their own evidence trail (disputes.py)."""
    if order.buyer_id != buyer.pk:
        raise ValidationError(_("You are not part of this conversation."), code="not_participant")
    kind = ConversationKind.AFTER_SALES if order.status in AFTER_SALES else ConversationKind.ORDER
    return topic_message_send(
        buyer=buyer,
        supplier=order.supplier,
        kind=kind,
        topic=order,
        subject=str(order),
        body=body,
        attachment=attachment,
    )
