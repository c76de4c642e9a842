"""Operators' view of search in /admin/: the raw log, and the zero-result report (queries that found nothing,
grouped, most frequent first) that tells merchandising which words the catalog or the glossary is missing."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, Max
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SearchLog, ZeroResultSearch

REPORT_DAYS = (7, 30, 90)


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "tab", "result_count", "clicks", "relaxed", "created_at"]
    list_filter = ["language", "tab", "relaxed", "created_at"]
    search_fields = ["query", "normalized"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SearchLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(admin.ModelAdmin):
    """One row per normalized query with no results in the period, with its count, languages and last time."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in REPORT_DAYS else 30
        since = timezone.now() - timedelta(days=days)
        rows = (
            SearchLog.objects.filter(result_count=0, created_at__gte=since)
            .exclude(normalized="")
            .values("normalized", "tab")
            .annotate(searches=Count("id"), last=Max("created_at"), example=Max("query"), language=Max("language"))
            .order_by("-searches", "-last")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Zero-result searches"),
            "rows": rows,
            "days": days,
            "periods": REPORT_DAYS,
            "total": SearchLog.objects.filter(created_at__gte=since).count(),
            "zero": SearchLog.objects.filter(created_at__gte=since, result_count=0).count(),
        }
        return TemplateResponse(request, "search/admin/zero_results.html", context)
