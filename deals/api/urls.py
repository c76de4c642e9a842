from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
# Buyers and supplier staff alike (each sees their own side)
router.register("deals/contracts", views.ContractViewSet, basename="deals-contract")
router.register("deals/orders", views.OrderViewSet, basename="deals-order")
router.register("deals/milestones", views.MilestoneViewSet, basename="deals-milestone")
# Supplier staff
router.register("deals/shipments", views.ShipmentViewSet, basename="deals-shipment")
router.register("deals/disputes", views.DisputeViewSet, basename="deals-dispute")

urlpatterns = router.urls
