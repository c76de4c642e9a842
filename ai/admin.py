"""Operators watch AI jobs and spend here (/admin/ only; sellers see their suggestions, not raw calls)."""

from django.contrib import admin

from .models import AICall, AIUsageDay


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AICall)
class AICallAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "task",
        "provider",
        "model",
        "prompt_version",
        "supplier_id",
        "status",
        "attempts",
        "prompt_tokens",
        "completion_tokens",
        "cost_usd",
        "duration_ms",
    ]
    list_filter = ["provider", "status", "task", "kind"]
    search_fields = ["subject", "model", "error"]
    date_hierarchy = "created_at"


@admin.register(AIUsageDay)
class AIUsageDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "supplier_id", "requests", "tokens", "cost_usd"]
    list_filter = ["day"]
