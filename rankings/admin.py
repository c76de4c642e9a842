"""Leaderboards in both admin sites: everything for operators at /admin/, own figures and position for sellers."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_base import ReadOnlyAdmin
from core.admin_files import PrivateFileAdminMixin
from suppliers.admin_scoping import ScopedModelAdmin, seller_site
from suppliers.tenancy import request_supplier

from . import selectors, services, tasks
from .models import (
    FIGURE_INPUTS,
    Entry,
    GenerationRun,
    Leaderboard,
    Methodology,
    OfficialDesignation,
    Provenance,
    RankingPenalty,
    Snapshot,
    SupplierActivity,
    SupplierFigures,
)

FIGURE_FIELDSETS = [
    (None, {"fields": ["fiscal_year", "evidence"]}),
    (
        _("Specialization"),
        {"fields": ["revenue_cny", "main_business_share", "main_business_growth_2y", "niche_since_year", "key_field"]},
    ),
    (
        _("Refinement"),
        {
            "fields": [
                "digitalization_level",
                "quality_award",
                "own_brand",
                "standards_drafted",
                "net_profit_margin",
                "debt_asset_ratio",
            ]
        },
    ),
    (
        _("Innovation"),
        {
            "fields": [
                "class1_ip_high_value",
                "class1_ip_self_developed",
                "class1_ip_total",
                "class2_ip_total",
                "rd_spend_cny",
                "rd_institution",
                "equity_financing_2y_cny",
            ]
        },
    ),
]


def _provenance_table(obj):
    if obj is None or obj.pk is None:
        return "—"
    rows = [
        (SupplierFigures._meta.get_field(name).verbose_name, Provenance(obj.provenance_of(name)).label)
        for name in FIGURE_INPUTS
        if getattr(obj, name) not in (None, "")
    ]
    if not rows:
        return _("No figures declared yet.")
    return format_html("<table>{}</table>", format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows))


# --- Operators (/admin/) ---------------------------------------------------------------------------------------


@admin.register(Methodology)
class MethodologyAdmin(ReadOnlyAdmin):
    list_display = ["board", "version", "effective_from", "title"]
    list_filter = ["board"]


@admin.register(Leaderboard)
class LeaderboardAdmin(ReadOnlyAdmin):
    list_display = ["board", "category"]
    list_filter = ["board"]
    list_select_related = ["category"]
    actions = ["generate_now"]

    @admin.action(description=_("Generate this week's snapshots (all boards, skipped where published)"))
    def generate_now(self, request, queryset):
        tasks.leaderboard_generate_all_task.delay(trigger="admin")
        self.message_user(request, _("Generation queued; see Generation runs for its outcome."), messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        # Needed for the action; the form itself has no editable fields.
        return request.user.is_staff and obj is None


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "leaderboard",
        "period",
        "methodology",
        "entry_count",
        "considered_count",
        "verified_share",
        "generated_at",
    ]
    list_filter = ["leaderboard__board", "period"]
    list_select_related = ["leaderboard__category", "methodology"]
    date_hierarchy = "period"


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = [
        "rank",
        "supplier_name",
        "score",
        "rank_low",
        "rank_high",
        "previous_rank",
        "coverage",
        "verified_share",
        "snapshot",
    ]
    list_filter = ["snapshot__leaderboard__board", "snapshot__period"]
    list_select_related = ["snapshot__leaderboard__category"]
    search_fields = ["supplier_name"]
    raw_id_fields = ["snapshot", "supplier"]
    show_full_result_count = False


@admin.register(GenerationRun)
class GenerationRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "status", "trigger", "snapshots_created", "boards_skipped", "started_at", "finished_at"]
    list_filter = ["status", "trigger"]


@admin.register(SupplierFigures)
class SupplierFiguresAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    private_file_fields = ("evidence",)
    list_display = ["supplier", "fiscal_year", "revenue_cny", "verified_at"]
    list_filter = ["fiscal_year", "verified_at"]
    search_fields = ["supplier__name"]
    autocomplete_fields = ["supplier"]
    readonly_fields = ["provenance_display", "verified_at", "verified_by"]
    fieldsets = [
        (None, {"fields": ["supplier"]}),
        *FIGURE_FIELDSETS,
        (_("Provenance"), {"fields": ["provenance_display", "verified_at", "verified_by"]}),
    ]
    actions = ["verify_figures"]

    @admin.display(description=_("provenance per input"))
    def provenance_display(self, obj):
        return _provenance_table(obj)

    def save_model(self, request, obj, form, change):
        services.supplier_figures_save(figures=obj)

    @admin.action(description=_("Mark figures as checked against the evidence"), permissions=["change"])
    def verify_figures(self, request, queryset):
        done = 0
        for figures in queryset:
            try:
                services.supplier_figures_verify(figures=figures, operator=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{figures}: {'; '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d sets of figures verified.") % {"count": done}, messages.SUCCESS)


@admin.register(OfficialDesignation)
class OfficialDesignationAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    private_file_fields = ("document",)
    list_display = ["supplier", "level", "certificate_number", "issuer", "valid_until", "verified_at"]
    list_filter = ["level", "verified_at"]
    search_fields = ["supplier__name", "certificate_number"]
    autocomplete_fields = ["supplier"]
    readonly_fields = ["verified_at", "verified_by"]
    actions = ["verify_designations"]

    @admin.action(description=_("Mark certificates as checked"), permissions=["change"])
    def verify_designations(self, request, queryset):
        done = 0
        for designation in queryset:
            try:
                services.designation_verify(designation=designation, operator=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{designation}: {'; '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d designations verified.") % {"count": done}, messages.SUCCESS)


@admin.register(RankingPenalty)
class RankingPenaltyAdmin(admin.ModelAdmin):
    list_display = ["supplier", "starts_at", "ends_at", "created_by"]
    search_fields = ["supplier__name", "reason"]
    autocomplete_fields = ["supplier"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        services.ranking_penalty_save(penalty=obj, operator=request.user)


@admin.register(SupplierActivity)
class SupplierActivityAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "kind", "source_ref", "occurred_at", "order_value_usd", "rating"]
    list_filter = ["kind"]
    list_select_related = ["supplier"]
    search_fields = ["supplier__name", "source_ref"]


# --- Sellers (/seller/) ----------------------------------------------------------------------------------------


@admin.register(SupplierFigures, site=seller_site)
class SellerFiguresAdmin(PrivateFileAdminMixin, ScopedModelAdmin):
    """The seller's figures, and "your position and how to improve it" on the change page."""

    private_file_fields = ("evidence",)
    list_display = ["fiscal_year", "revenue_cny", "verified_at"]
    fieldsets = [
        *FIGURE_FIELDSETS,
        (_("Provenance (set by Silkway)"), {"fields": ["provenance_display", "verified_at"]}),
    ]
    readonly_fields = ["provenance_display", "verified_at"]
    change_form_template = "rankings/admin/figures_change_form.html"
    change_list_template = "rankings/admin/figures_change_list.html"

    @admin.display(description=_("provenance per input"))
    def provenance_display(self, obj):
        return _provenance_table(obj)

    def save_model(self, request, obj, form, change):
        obj.supplier = request_supplier(request)
        services.supplier_figures_save(figures=obj)

    def _position_context(self, request):
        supplier = request_supplier(request)
        return {
            "positions": selectors.supplier_positions(supplier=supplier),
            "evaluations": services.supplier_evaluate(supplier=supplier),
        }

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self._position_context(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **self._position_context(request)}
        return super().changelist_view(request, extra_context)


@admin.register(OfficialDesignation, site=seller_site)
class SellerDesignationAdmin(PrivateFileAdminMixin, ScopedModelAdmin):
    private_file_fields = ("document",)
    list_display = ["level", "certificate_number", "issuer", "valid_until", "verified_at"]
    fields = ["level", "certificate_number", "issuer", "issued_on", "valid_until", "document", "verified_at"]
    readonly_fields = ["verified_at"]

    def save_model(self, request, obj, form, change):
        obj.supplier = request_supplier(request)
        services.designation_save_by_seller(designation=obj, changed_fields=form.changed_data if change else [])
