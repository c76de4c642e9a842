from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("live-sessions", views.LiveSessionViewSet, basename="live-session")

urlpatterns = router.urls
