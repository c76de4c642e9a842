from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.ProductSearchView.as_view(), name="search-products"),
    path("search/suppliers/", views.SupplierSearchView.as_view(), name="search-suppliers"),
]
