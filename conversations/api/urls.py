from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("supplier/conversations", views.SupplierConversationViewSet, basename="supplier-conversation")

urlpatterns = [
    path(
        "conversations/<id:pk>/files/<id:message_id>/",
        views.AttachmentView.as_view(tenant="buyer"),
        name="api-conversation-attachment",
    ),
    path(
        "supplier/conversations/<id:pk>/files/<id:message_id>/",
        views.AttachmentView.as_view(tenant="supplier"),
        name="api-supplier-conversation-attachment",
    ),
    *router.urls,
]
