from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals")

    def ready(self):
        from . import receivers  # noqa: F401  (a contract is opened when sourcing accepts a quote)
        from .slots import register_slots

        register_slots()  # the contract or order link on the sourcing RFQ page
