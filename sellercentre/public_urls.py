"""Public seller pages under /sell/: applying to sell on Silkway and accepting an invitation to a supplier's team."""

from django.urls import path

from . import onboarding

app_name = "sell"

urlpatterns: list = [
    path("", onboarding.apply, name="apply"),
    path("join/<str:token>/", onboarding.join, name="join"),
]
