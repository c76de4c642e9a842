from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
# Buyers
router.register("sourcing/requests", views.SourcingRequestViewSet, basename="sourcing-request")
router.register("sourcing/plans", views.SourcingPlanViewSet, basename="sourcing-plan")
router.register("sourcing/rfqs", views.RFQViewSet, basename="sourcing-rfq")
# Before "sourcing/quotes": "mine" is not an id, but keep the supplier's list first to read plainly.
router.register("sourcing/quotes/mine", views.SupplierQuoteViewSet, basename="sourcing-my-quote")
router.register("sourcing/quotes", views.QuoteViewSet, basename="sourcing-quote")
# Supplier staff
router.register("sourcing/received-rfqs", views.ReceivedRFQViewSet, basename="sourcing-received-rfq")

urlpatterns = router.urls
