from django.urls import path

from . import views

app_name = "rankings"

urlpatterns = [
    path("", views.index, name="index"),
    path("methodology/", views.methodology_list, name="methodology_list"),
    path("methodology/<str:board>/<str:version>/", views.methodology_detail, name="methodology_detail"),
    path("suppliers/<slug:slug>/", views.supplier_ranks, name="supplier_ranks"),
    path("<str:board>/<slug:category_slug>/", views.board, name="board"),
]
