from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "marketplace"

urlpatterns = [
    path("", views.home, name="home"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path("products/<int:pk>/", views.product_detail, name="product_detail_short"),
    path("products/<int:pk>/<str:slug>/", views.product_detail, name="product_detail"),
    path("suppliers/<slug:slug>/", views.supplier_detail, name="supplier_detail"),
    path("trust/", views.trust, name="trust"),
    path("saved/", views.saved, name="saved"),
    path("saved/toggle/", views.save_toggle, name="save_toggle"),
    # Inquiries became conversations: links in e-mails already sent keep working.
    path("inquiries/", RedirectView.as_view(pattern_name="conversations:list", permanent=True)),
    path("inquiries/<int:pk>/", RedirectView.as_view(pattern_name="conversations:detail", permanent=True)),
]
