from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminUserCreationForm, BuyerProfileAdminForm, UserChangeForm
from .models import BuyerProfile, User


class BuyerProfileInline(admin.StackedInline):
    model = BuyerProfile
    form = BuyerProfileAdminForm
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined", "email_verified_at"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [BuyerProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "email_verified_at"]}),
    ]
    # Set only by the owner opening the link we mailed (accounts.services.email_verify).
    readonly_fields = ["email_verified_at"]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})]


@admin.register(BuyerProfile)
class BuyerProfileAdmin(admin.ModelAdmin):
    form = BuyerProfileAdminForm
    list_display = ["company_name", "user", "country", "preferred_language", "preferred_currency"]
    list_filter = ["country", "preferred_language"]
    search_fields = ["company_name", "user__email"]
    autocomplete_fields = ["user"]
