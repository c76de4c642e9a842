from django.urls import path

from . import views

app_name = "sourcing"

urlpatterns = [
    path("", views.sourcing_home, name="home"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/attachments/<int:attachment_pk>/", views.request_attachment, name="request_attachment"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/rfq/", views.plan_rfq, name="plan_rfq"),
    path("rfqs/<int:pk>/", views.rfq_detail, name="rfq_detail"),
    path("rfqs/<int:pk>/message/", views.rfq_message, name="rfq_message"),
    path("quotes/<int:pk>/<slug:decision>/", views.quote_decide, name="quote_decide"),
]
