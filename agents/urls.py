from django.urls import path

from . import views

app_name = "agents"

urlpatterns = [
    path("", views.agent_access, name="access"),
    path("connect/", views.connect_guide, name="connect"),
    path("grants/<int:application_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("rfqs/<int:rfq_id>/", views.rfq_confirm, name="rfq_confirm"),
]
