"""Public seller pages under /sell/: applying to sell on Silkway and accepting an invitation to a supplier's team."""

from django.urls import path

app_name = "sell"

urlpatterns: list = []
