"""deals listens to sourcing (a lower app) instead of sourcing calling up: an accepted quote opens its contract."""

from django.dispatch import receiver

from sourcing.signals import quote_accepted


@receiver(quote_accepted, dispatch_uid="deals.contract_open")
def _open_contract(sender, *, quote, buyer, **kwargs):
    from .services.contracts import contract_open

    contract_open(quote=quote)
