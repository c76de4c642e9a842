"""Seller centre pages under /seller/ (mounted before the seller admin site, whose own URLs stay as they are)."""

from django.urls import path

app_name = "sellercentre"

urlpatterns: list = []
