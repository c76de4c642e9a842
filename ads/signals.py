"""What ads hears from the apps below it: a buyer reaching suppliers (an inquiry, an RFQ) may be the conversion of a
sponsored click."""

from django.dispatch import receiver

from marketplace.signals import buyer_contacted_suppliers

from . import services


@receiver(buyer_contacted_suppliers, dispatch_uid="ads.conversion")
def _record_conversion(sender, buyer, supplier_ids, product_ids, kind, reference, at, **kwargs):
    services.ad_conversions_record(
        buyer=buyer, supplier_ids=supplier_ids, product_ids=product_ids, kind=kind, reference=reference, at=at
    )
