"""The buyer's deals pages: /deals/ (contracts and orders), a contract to review and sign, an order to follow."""

from django.urls import path

from . import views

app_name = "deals"

urlpatterns = [
    path("", views.deals_home, name="home"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/sign/", views.contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/propose/", views.contract_propose, name="contract_propose"),
    path("contracts/<int:pk>/redraft/", views.contract_redraft, name="contract_redraft"),
    path("contracts/<int:pk>/pdf/", views.contract_pdf, name="contract_pdf"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/message/", views.order_message, name="order_message"),
    path("orders/<int:pk>/confirm-delivery/", views.order_confirm_delivery, name="order_confirm_delivery"),
    path("orders/<int:pk>/dispute/", views.order_dispute, name="order_dispute"),
    path("orders/<int:pk>/review/", views.order_review, name="order_review"),
    path("orders/<int:pk>/documents/", views.order_document_upload, name="order_document_upload"),
    path("orders/<int:pk>/documents/<int:document_pk>/", views.order_document, name="order_document"),
    path("orders/<int:pk>/milestones/<int:milestone_pk>/release/", views.milestone_release, name="milestone_release"),
]
