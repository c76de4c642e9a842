from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "ads"
    verbose_name = _("Ads")

    def ready(self):
        # Ads sits above search and marketplace: it fills search's sponsored-results slot and hears about new
        # inquiries (conversions) through marketplace's signal, so neither imports ads.
        from search import sponsored

        from . import signals  # noqa: F401 — connects the receivers
        from .serving import sponsored_results

        sponsored.register(sponsored_results)
