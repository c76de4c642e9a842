"""The audit trail and idempotency keys: shared by every deals service, owned here."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Contract, DealEvent, IdempotencyKey, Order


def event_record(
    *,
    contract: Contract,
    action: str,
    side: str,
    actor=None,
    order: Order | None = None,
    from_status: str = "",
    to_status: str = "",
    **detail,
) -> DealEvent:
    return DealEvent.objects.create(
        contract=contract,
        order=order,
        actor=actor if actor is not None and actor.is_authenticated else None,
        side=side,
        action=action,
        from_status=from_status,
        to_status=to_status,
        detail={
            k: str(v) if not isinstance(v, (int, float, bool, list, dict, type(None))) else v for k, v in detail.items()
        },
    )


def idempotency_claim(*, key: str | None, actor, action: str, target: str) -> bool:
    """True if this request is new and should act; False if the same actor already sent this key for this action.

    Call inside the service's transaction, after its locks: a rollback releases the key with everything else.
    A key reused for another action or target is a client bug and is refused.
    """
    if not key:
        return True
    key = key.strip()[:64]
    existing = IdempotencyKey.objects.filter(actor=actor, key=key).first()
    if existing is not None:
        if (existing.action, existing.target) != (action, target):
            raise ValidationError({"idempotency_key": _("This request key was already used for another action.")})
        return False
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(actor=actor, key=key, action=action, target=target)
    except IntegrityError:  # the same key committed by a concurrent request between our check and insert
        return False
    return True
