"""Extension points for the apps above sourcing: they connect in AppConfig.ready(); sourcing never imports them."""

from django.dispatch import Signal

# Sent inside quote_accept's transaction, after the quote is marked accepted: kwargs quote, buyer.
# Receivers that write must do so in the same transaction (a failure rolls the acceptance back).
quote_accepted = Signal()
