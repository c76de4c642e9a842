from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellerCentreConfig(AppConfig):
    """The seller centre's own pages beside the scoped model admins at /seller/: the dashboard, applying to sell,
    joining a supplier's team, the seller's catalog import and export. It reads across the marketplace (figures,
    to-dos) and writes only through the services of the apps that own the data."""

    name = "sellercentre"
    verbose_name = _("Seller centre")
