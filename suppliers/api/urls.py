from rest_framework.routers import SimpleRouter

from .views import SupplierViewSet

router = SimpleRouter(use_regex_path=False)
router.register("suppliers", SupplierViewSet, basename="supplier")

urlpatterns = router.urls
