from django.contrib.auth import views as auth_views
from django.urls import path

from core.ratelimit import posted_username, rate_limited

from . import views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        rate_limited("login", key=posted_username)(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
]
