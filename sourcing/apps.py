from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = _("Sourcing")

    def ready(self):
        from core import money

        from . import reference

        # Pages below sourcing show prices in the reader's currency with the operators' rates.
        money.register_rates_loader(lambda: reference.rates_load().per_usd)
