"""Disputes (the buyer opens one with evidence before the protection window closes, the supplier answers, an operator
decides) and reviews; and what a closed order tells the supplier's record and the Top suppliers board."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rankings.models import ActivityKind
from rankings.services import supplier_activity_record, supplier_order_metrics_recompute

from ..models import (
    DISPUTABLE,
    Dispute,
    DisputeDecision,
    DisputeReason,
    DisputeStatus,
    DocumentKind,
    LedgerKind,
    MilestoneStatus,
    Order,
    OrderStatus,
    Review,
    Side,
)
from ..payments import payment_provider
from .audit import idempotency_claim
from .ledger import escrow_balance, ledger_record
from .orders import (
    CENT,
    _check_buyer,
    _check_operator,
    _check_supplier,
    _event,
    _held_milestones,
    _lock,
    _notify,
    _transition,
    document_upload,
    order_close,
    order_delivered_on_time,
    order_value_usd,
)


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount, e.g. 1250.00.")}) from None
    if amount <= 0:
        raise ValidationError({field: _("Enter an amount above zero.")})
    return amount


def dispute_open(
    *,
    order: Order,
    buyer,
    reason: str,
    description: str,
    requested_refund,
    files=(),
    idempotency_key: str | None = None,
) -> Dispute:
    """Freeze what escrow holds until an operator decides. Only while money is held and, after delivery, only until
    the protection window closes."""
    with transaction.atomic():
        order = _lock(order)
        _check_buyer(order, buyer)
        if not idempotency_claim(key=idempotency_key, actor=buyer, action="dispute_open", target=f"order:{order.pk}"):
            return order.dispute
        errors = {}
        if reason not in DisputeReason.values:
            errors["reason"] = _("Choose what went wrong.")
        description = (description or "").strip()
        if len(description) < 20:
            errors["description"] = _("Describe the problem in a few sentences (at least 20 characters).")
        if errors:
            raise ValidationError(errors)
        amount = _money(requested_refund, "requested_refund")
        if Dispute.objects.filter(order=order).exists():
            raise ValidationError(_("This order already has a dispute."))
        if order.status not in DISPUTABLE:
            raise ValidationError(
                _("A dispute can be opened while money is held in escrow; the order is %(status)s.")
                % {"status": order.get_status_display()}
            )
        if order.protection_until is not None and timezone.now() > order.protection_until:
            raise ValidationError(
                _("The protection window closed on %(date)s.") % {"date": order.protection_until.date().isoformat()}
            )
        held = escrow_balance(order=order)
        if amount > held:
            raise ValidationError(
                {
                    "requested_refund": _("Escrow holds %(held)s %(currency)s for this order; ask for that or less.")
                    % {"held": held, "currency": order.currency}
                }
            )
        now = timezone.now()
        dispute = Dispute.objects.create(
            order=order,
            status_before=order.status,
            reason=reason,
            description=description[:5000],
            requested_refund=amount,
            opened_by=buyer,
            answer_due=now + timedelta(days=settings.DEALS_DISPUTE_ANSWER_DAYS),
        )
        change = _transition(order, "open_dispute", _("A dispute cannot be opened"))
        order.save()
        for file in files:
            document_upload(
                order=order,
                actor=buyer,
                side=Side.BUYER,
                kind=DocumentKind.DISPUTE_EVIDENCE,
                file=file,
                dispute=dispute,
            )
        _event(
            order,
            action="dispute_opened",
            side=Side.BUYER,
            actor=buyer,
            change=change,
            reason=reason,
            refund=str(amount),
        )
        _notify(order, "dispute_opened")
    return dispute


def dispute_answer(*, dispute: Dispute, actor, answer: str, files=()) -> Dispute:
    with transaction.atomic():
        order = _lock(dispute.order)
        _check_supplier(order, actor)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.status != DisputeStatus.OPEN:
            raise ValidationError(_("This dispute was already answered or decided."))
        answer = (answer or "").strip()
        if len(answer) < 20:
            raise ValidationError({"answer": _("Answer in a few sentences (at least 20 characters).")})
        dispute.supplier_answer, dispute.answered_at, dispute.status = (
            answer[:5000],
            timezone.now(),
            DisputeStatus.ANSWERED,
        )
        dispute.save(update_fields=["supplier_answer", "answered_at", "status"])
        for file in files:
            document_upload(
                order=order,
                actor=actor,
                side=Side.SUPPLIER,
                kind=DocumentKind.DISPUTE_EVIDENCE,
                file=file,
                dispute=dispute,
            )
        _event(order, action="dispute_answered", side=Side.SUPPLIER, actor=actor)
    return dispute


def dispute_decide(
    *,
    dispute: Dispute,
    operator,
    decision: str,
    note: str,
    refund_amount=None,
    idempotency_key: str | None = None,
) -> Dispute:
    """An operator decides: refund what escrow holds, release it, or split it. The money moves through the ledger and
    the order closes. Waiting for the supplier's answer is not required once its deadline has passed."""
    with transaction.atomic():
        _check_operator(operator)
        order = _lock(dispute.order)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if not idempotency_claim(
            key=idempotency_key, actor=operator, action="dispute_decide", target=f"dispute:{dispute.pk}"
        ):
            return dispute
        if dispute.status == DisputeStatus.DECIDED:
            raise ValidationError(_("This dispute was already decided."))
        if dispute.status == DisputeStatus.OPEN and dispute.answer_due > timezone.now():
            raise ValidationError(
                _("The supplier may answer until %(date)s; decide after that or once they answer.")
                % {"date": timezone.localtime(dispute.answer_due).strftime("%Y-%m-%d %H:%M")}
            )
        if decision not in DisputeDecision.values:
            raise ValidationError({"decision": _("Choose a decision.")})
        note = (note or "").strip()
        if not note:
            raise ValidationError({"note": _("Give the reasons for the decision; both sides will read them.")})
        held = escrow_balance(order=order)
        refund = {DisputeDecision.REFUND: held, DisputeDecision.RELEASE: Decimal(0)}.get(DisputeDecision(decision))
        if decision == DisputeDecision.PARTIAL:
            refund = _money(refund_amount, "refund_amount")
            if refund >= held:
                raise ValidationError(
                    {
                        "refund_amount": _("A partial refund is less than the %(held)s %(currency)s held.")
                        % {"held": held, "currency": order.currency}
                    }
                )
        assert refund is not None
        provider = payment_provider()
        milestones = _held_milestones(order)
        if refund > 0:
            ledger_record(
                order=order,
                kind=LedgerKind.REFUND,
                amount=refund,
                provider=provider.name,
                provider_reference=provider.refund(
                    reference=f"{order.payment_reference}-D",
                    amount=refund,
                    currency=order.currency,
                    beneficiary=str(order.buyer),
                ),
                actor=operator,
                memo=f"Dispute {dispute.pk}: refund",
            )
        if held - refund > 0:
            ledger_record(
                order=order,
                kind=LedgerKind.RELEASE,
                amount=held - refund,
                provider=provider.name,
                provider_reference=provider.payout(
                    reference=f"{order.payment_reference}-D",
                    amount=held - refund,
                    currency=order.currency,
                    beneficiary=order.supplier.name,
                ),
                actor=operator,
                memo=f"Dispute {dispute.pk}: release",
            )
        settled_as = {
            DisputeDecision.REFUND: MilestoneStatus.REFUNDED,
            DisputeDecision.RELEASE: MilestoneStatus.RELEASED,
            DisputeDecision.PARTIAL: MilestoneStatus.SETTLED,
        }[DisputeDecision(decision)]
        now = timezone.now()
        for milestone in milestones:
            milestone.status, milestone.released_at, milestone.released_by = settled_as, now, operator
            milestone.save(update_fields=["status", "released_at", "released_by"])
        transition = {
            DisputeDecision.REFUND: "settle_refund",
            DisputeDecision.RELEASE: "settle_release",
            DisputeDecision.PARTIAL: "settle_partial",
        }[DisputeDecision(decision)]
        change = _transition(order, transition, _("The dispute cannot be settled"))
        dispute.status, dispute.decision, dispute.refund_amount = DisputeStatus.DECIDED, decision, refund
        dispute.decision_note, dispute.decided_by, dispute.decided_at = note[:5000], operator, now
        dispute.save()
        order_close(order)
        _event(
            order,
            action="dispute_decided",
            side=Side.OPERATOR,
            actor=operator,
            change=change,
            decision=decision,
            refund=str(refund),
        )
        _notify(order, "dispute_decided")
    return dispute


def dispute_remind_overdue(*, now=None) -> int:
    """Disputes whose supplier let the answer deadline pass: tell the operators once (the decision can go ahead)."""
    from ..tasks import dispute_notify_overdue_task

    now = now or timezone.now()
    overdue = list(
        Dispute.objects.filter(status=DisputeStatus.OPEN, answer_due__lte=now, reminded_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for pk in overdue:
        with transaction.atomic():
            if Dispute.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                transaction.on_commit(partial(dispute_notify_overdue_task.delay, pk))
    return len(overdue)


def review_create(*, order: Order, buyer, supplier_rating, product_rating, comment: str = "") -> Review:
    """The buyer rates a delivered order, once. The rating reaches the supplier's record and the Top suppliers board."""
    errors = {}
    ratings = {}
    for field, value in (("supplier_rating", supplier_rating), ("product_rating", product_rating)):
        try:
            ratings[field] = int(value)
        except (TypeError, ValueError):
            ratings[field] = 0
        if not 1 <= ratings[field] <= 5:
            errors[field] = _("Give 1 to 5 stars.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            order = _lock(order)
            _check_buyer(order, buyer)
            if order.delivered_at is None:
                raise ValidationError(_("An order is rated once it has been delivered."))
            review = Review.objects.create(order=order, comment=(comment or "").strip()[:2000], **ratings)
            supplier_activity_record(
                supplier=order.supplier,
                kind=ActivityKind.RATING,
                source_ref=f"deals.review:{review.pk}",
                occurred_at=review.created_at,
                buyer=order.buyer,
                rating=review.supplier_rating,
            )
            supplier_order_metrics_recompute(supplier_id=order.supplier_id)
            _event(order, action="reviewed", side=Side.BUYER, actor=buyer, rating=review.supplier_rating)
    except IntegrityError as error:
        raise ValidationError(_("You already rated this order.")) from error
    return review


def order_activity_record(order: Order) -> None:
    """A closed order (completed, refunded or settled) joins the supplier's record: value, on time, disputed."""
    if order.status not in (OrderStatus.RELEASED, OrderStatus.REFUNDED, OrderStatus.PARTIALLY_RELEASED):
        return
    supplier_activity_record(
        supplier=order.supplier,
        kind=ActivityKind.ORDER,
        source_ref=f"deals.order:{order.pk}",
        occurred_at=order.closed_at,
        buyer=order.buyer,
        order_value_usd=order_value_usd(order),
        delivered_on_time=order_delivered_on_time(order),
        disputed=Dispute.objects.filter(order=order).exists(),
    )
    supplier_order_metrics_recompute(supplier_id=order.supplier_id)
