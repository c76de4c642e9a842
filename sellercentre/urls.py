"""Seller centre pages under /seller/ (mounted before the seller admin site, whose own URLs stay as they are)."""

from django.urls import path

from suppliers.admin_scoping import seller_site

from . import views

app_name = "sellercentre"

urlpatterns: list = [
    # The seller site's index URL: reverse("seller:index") (every breadcrumb's "Home") lands on the dashboard.
    path("", seller_site.admin_view(views.dashboard), name="dashboard"),
]
