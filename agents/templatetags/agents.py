"""Template helpers for pages other apps own: `{% load agents %}`."""

from django import template

from sourcing.models import RFQStatus

from ..models import RFQConfirmation

register = template.Library()


@register.filter
def pending_agent_confirmation(rfq):
    """The confirmation still waiting for the buyer's Send on an agent-drafted draft RFQ, or None. A filter, so the
    sourcing page need not know the agents app: one query, and none for an RFQ no agent drafted or already sent."""
    if not getattr(rfq, "drafted_by_agent", "") or rfq.status != RFQStatus.DRAFT:
        return None
    return RFQConfirmation.objects.filter(rfq=rfq, confirmed_at__isnull=True, discarded_at__isnull=True).first()
