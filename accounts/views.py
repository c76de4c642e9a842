from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.ratelimit import rate_limited

from . import services
from .forms import BuyerSignupForm


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def signup(request):
    form = BuyerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.buyer_register(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            company_name=data["company_name"],
            country=data["country"],
            preferred_language=data["preferred_language"],
            preferred_currency=data["preferred_currency"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("marketplace:home")
    return render(request, "accounts/signup.html", {"form": form})
