from django.urls import path

from . import views

app_name = "ads"
urlpatterns = [path("click/<str:token>/", views.click, name="click")]
