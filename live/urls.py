from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/register/", views.registration_toggle, name="register"),
]
