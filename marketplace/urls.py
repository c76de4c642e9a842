from django.urls import path

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
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
]
