"""What marketplace tells the apps above it. Marketplace never imports them: they connect receivers in their
AppConfig.ready() (search keeps its index current from products_changed)."""

from django.dispatch import Signal

# Sent by every product service after it wrote a product's rows (product, price tiers, attributes, translations,
# certificates, status), with `product_ids`: a list of ids. Sent inside the service's transaction, so a receiver
# that writes does so atomically with the change (and a rolled-back write takes the receiver's writes with it).
products_changed = Signal()


def products_changed_send(*, product_ids) -> None:
    from .models import Product

    ids = list(dict.fromkeys(int(pk) for pk in product_ids))
    if ids:
        products_changed.send(sender=Product, product_ids=ids)


# Sent when a buyer reaches suppliers — an inquiry (inquiry_create) or an RFQ (sourcing's rfq_send) — inside the
# writer's transaction, with `buyer`, `supplier_ids`, `product_ids` (what it is about, possibly empty), `kind`
# ("inquiry" or "rfq"), `reference` (the inquiry's or RFQ's id) and `at`. Ads attributes it to a sponsored click (a
# conversion) without marketplace or sourcing knowing ads exist.
buyer_contacted_suppliers = Signal()
