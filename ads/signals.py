"""What ads hears from the apps below it: a new inquiry may be a conversion of a sponsored click."""

from django.dispatch import receiver

from marketplace.signals import inquiry_created

from . import services


@receiver(inquiry_created, dispatch_uid="ads.conversion")
def _record_conversion(sender, inquiry, **kwargs):
    services.ad_conversion_record(inquiry=inquiry)
