from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from core.ratelimit import posted_username, rate_limited

from . import views
from .forms import PasswordResetForm

app_name = "accounts"


def posted_email(request):
    """The account a reset is asked for, so one mailbox cannot be flooded from many addresses."""
    return (request.POST.get("email") or "").strip().lower() or None


urlpatterns = [
    path("login/", rate_limited("login", key=posted_username)(views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("account/", views.account, name="account"),
    path("verify/resend/", views.email_verification_resend, name="email_verification_resend"),
    path("verify/<str:token>/", views.email_verify, name="email_verify"),
    # Password reset and change: Django's own views, our templates; the reset e-mail is queued by the form.
    path(
        "password/reset/",
        rate_limited("password_reset", key=posted_email)(
            auth_views.PasswordResetView.as_view(
                form_class=PasswordResetForm,
                template_name="accounts/password_reset_form.html",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
