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


# Sent by inquiry_create after the inquiry and its first message are written, inside its transaction, with
# `inquiry`. Ads attributes it to a sponsored click (a conversion) without marketplace knowing ads exist.
inquiry_created = Signal()
