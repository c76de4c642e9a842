from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("products", views.ProductViewSet, basename="product")
router.register("me/favorites/products", views.FavoriteProductViewSet, basename="favorite-product")
router.register("me/favorites/suppliers", views.FavoriteSupplierViewSet, basename="favorite-supplier")

urlpatterns = [
    path("inquiries/", views.InquiryCreateView.as_view(), name="inquiry-create"),
    path("categories/", views.CategoryTreeView.as_view(), name="category-tree"),
    path("suppliers/<slug:slug>/products/", views.SupplierProductListView.as_view(), name="supplier-products"),
    *router.urls,
]
