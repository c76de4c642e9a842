"""What deals shows on lower apps' pages, through their extension points (filled in DealsConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sourcing import quote_slots

from .models import Contract, ContractStatus


def accepted_quote_link(*, quote, request=None):
    """The contract of an accepted quote (or its order once signed), for the buyer who accepted it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    contract = Contract.objects.filter(quote_id=quote.pk, buyer_id=user.pk).select_related("order").first()
    if contract is None:
        return None
    order = getattr(contract, "order", None) if contract.status == ContractStatus.SIGNED else None
    if order is not None:
        return _("Order %(number)s") % {"number": order.number}, reverse("deals:order_detail", args=[order.pk])
    return _("Contract %(number)s") % {"number": contract.number}, reverse("deals:contract_detail", args=[contract.pk])


def register_slots() -> None:
    quote_slots.register(accepted_quote_link)
