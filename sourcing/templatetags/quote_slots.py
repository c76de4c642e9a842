from django import template

from .. import quote_slots

register = template.Library()


@register.simple_tag(takes_context=True)
def quote_links(context, rfq):
    """What other apps link to from the RFQ's accepted quote (sourcing.quote_slots), e.g. its contract:
    `{% quote_links rfq as links %}` gives [(label, url), ...]."""
    request = context.get("request")
    return [link for quote in rfq.quotes.all() for link in quote_slots.links(quote, request=request)]
