"""Seller and operator admin for AI listing optimization: the "Optimize with AI" action, the per-product review
page with a field-by-field diff (apply all, apply some, reject), and runs with progress ("optimize my whole
catalog"). Imported by marketplace.admin; every write goes through marketplace.listings.services.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.models import Product
from suppliers.admin_scoping import ScopedModelAdmin, seller_site
from suppliers.tenancy import request_supplier

from . import selectors, services
from .diff import side_by_side
from .models import BatchKind, ListingOptimizationBatch, ListingSuggestion, SuggestionStatus

BATCH_PAGE_ROWS = 200


@admin.action(description=_("Optimize with AI"))
def optimize_with_ai(modeladmin, request, queryset):
    """Queue an optimization run for the selected products (the queryset is already the seller's own)."""
    supplier = request_supplier(request)
    if supplier is None:
        modeladmin.message_user(request, _("Only sellers can optimize their listings."), messages.ERROR)
        return None
    try:
        batch = services.listing_batch_create(
            supplier=supplier,
            products=list(queryset.values_list("pk", flat=True)),
            kind=BatchKind.SELECTION,
            requested_by=request.user,
        )
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return None
    url = reverse(f"{modeladmin.admin_site.name}:marketplace_listingoptimizationbatch_change", args=[batch.pk])
    modeladmin.message_user(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            ngettext("AI is optimizing %(count)d listing.", "AI is optimizing %(count)d listings.", batch.total)
            % {"count": batch.total},
            url,
            _("Follow the progress and review the suggestions."),
        ),
        messages.SUCCESS,
    )
    return HttpResponseRedirect(url)


@admin.register(ListingSuggestion, site=seller_site)
class SellerListingSuggestionAdmin(ScopedModelAdmin):
    list_display = ["product_title", "kind", "status", "score_before", "score_after", "provider", "created_at"]
    list_filter = ["status", "kind", "batch"]
    list_select_related = ["product"]
    search_fields = ["product__title"]
    ordering = ["-created_at", "-id"]

    @admin.display(description=_("Product"), ordering="product__title")
    def product_title(self, suggestion):
        return suggestion.product.title

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "optimize/<int:product_id>/",
                self.admin_site.admin_view(self.optimize_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_optimize",
            ),
            *super().get_urls(),
        ]

    def optimize_view(self, request, product_id):
        """ "Optimize with AI" from the product form: queue (or reuse) the open suggestion for this one product and
        go to its review page, which shows it being prepared until it is ready (at once with eager Celery)."""
        supplier = request_supplier(request)
        if supplier is None or not self.has_view_permission(request):
            raise Http404
        # Another supplier's product is not found whatever the method, like every other id URL of the seller site.
        product = get_object_or_404(Product.objects.filter(supplier=supplier), pk=product_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        suggestion = services.listing_suggestion_request(product=product, requested_by=request.user)
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:marketplace_listingsuggestion_change", args=[suggestion.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        suggestion = self.get_object(request, unquote(object_id))  # 404 for another supplier's suggestion
        if suggestion is None:
            raise Http404
        if request.method == "POST":
            return self._decide(request, suggestion)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        product = selectors.listing_product_get(product_id=suggestion.product_id)
        current = selectors.listing_snapshot(product=product)
        rows = selectors.listing_suggestion_diff(suggestion=suggestion, current=current)
        decidable = suggestion.status == SuggestionStatus.PENDING
        items = []
        for row in rows:
            applied = row.key in suggestion.applied_fields
            # Compare what the product says now with the suggestion: after applying, both sides read the same.
            now_html, after_html = side_by_side(row.now, row.after)
            items.append(
                {
                    "row": row,
                    "now": now_html,
                    "after": after_html,
                    "applied": applied,
                    "blocked": not applied and row.changed_since,
                }
            )
        remaining = [item for item in items if not item["applied"] and not item["blocked"]]
        changed_labels = list(dict.fromkeys(str(item["row"].label) for item in remaining))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("AI suggestion for “%(title)s”") % {"title": product.title},
            "suggestion": suggestion,
            "product": product,
            "rows": items,
            "remaining": len(remaining),
            "decidable": decidable,
            "already_best": suggestion.score_before == 100,
            "changed_labels": changed_labels,
            "flags": suggestion.payload.get("flags", []),
            "product_url": reverse(f"{self.admin_site.name}:marketplace_product_change", args=[suggestion.product_id]),
            "follow_ups": list(suggestion.follow_ups.order_by("-created_at")[:3]),
        }
        return render(request, "marketplace/admin/listing_suggestion_review.html", context)

    def _decide(self, request, suggestion):
        action = request.POST.get("_action")
        try:
            if action in ("reject", "close"):
                closed = services.listing_suggestion_close(suggestion=suggestion, user=request.user)
                if closed.applied_fields:
                    message = _("Suggestion closed; the fields you applied stay, the rest was discarded.")
                else:
                    message = _("Suggestion rejected; your listing is unchanged.")
                self.message_user(request, message, messages.SUCCESS)
            elif action in ("apply_all", "apply_selected"):
                if action == "apply_all":
                    fields = [
                        row.key
                        for row in selectors.listing_suggestion_diff(suggestion=suggestion)
                        if row.key not in suggestion.applied_fields
                    ]
                else:
                    fields = request.POST.getlist("fields")
                result = services.listing_suggestion_apply(suggestion=suggestion, fields=fields, user=request.user)
                self._report(request, suggestion, result)
            else:
                self.message_user(request, _("Choose apply or close."), messages.ERROR)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(request.path)

    def _report(self, request, suggestion, result):
        if result.applied:
            suggestion.refresh_from_db(fields=["status"])
            still_open = suggestion.status == SuggestionStatus.PENDING
            text = ngettext("Applied %(count)d field.", "Applied %(count)d fields.", len(result.applied)) % {
                "count": len(result.applied)
            }
            if still_open:
                text += " " + _("The other fields are still here to apply; close the suggestion when you are done.")
            self.message_user(request, text, messages.SUCCESS)
        for key, why in result.skipped:
            self.message_user(
                request, _("Not applied: %(field)s — %(why)s.") % {"field": key, "why": why}, messages.WARNING
            )
        if result.follow_up is not None:
            url = reverse(f"{self.admin_site.name}:marketplace_listingsuggestion_change", args=[result.follow_up.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Your translations still carry the old text; new translations were suggested."),
                    url,
                    _("Review the translations"),
                ),
                messages.INFO,
            )


@admin.register(ListingOptimizationBatch, site=seller_site)
class SellerListingBatchAdmin(ScopedModelAdmin):
    list_display = ["created_at", "kind", "total", "progress", "ready", "failed", "finished_at"]
    list_filter = ["kind"]
    change_list_template = "marketplace/admin/listing_batch_change_list.html"
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        # Progress is counted in the list query itself: one query whatever the number of runs.
        return super().get_queryset(request).annotate(**selectors.batch_progress_annotations())

    @admin.display(description=_("Progress"))
    def progress(self, batch):
        percent = round(100 * batch.n_done / batch.total) if batch.total else 100
        return format_html('<progress max="100" value="{}"></progress> {}%', percent, percent)

    @admin.display(description=_("Ready for review"))
    def ready(self, batch):
        return batch.n_ready

    @admin.display(description=_("Failed"))
    def failed(self, batch):
        return batch.n_failed

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """ "Optimize my whole catalog": a confirmation, then one run over every product of the supplier."""
        supplier = request_supplier(request)
        products = Product.objects.filter(supplier=supplier)
        if request.method == "POST":
            try:
                batch = services.listing_batch_create(
                    supplier=supplier,
                    products=list(products.values_list("pk", flat=True)),
                    kind=BatchKind.CATALOG,
                    requested_by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("AI is optimizing your catalog (%(count)d listings).") % {"count": batch.total},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:marketplace_listingoptimizationbatch_change", args=[batch.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Optimize my whole catalog with AI"),
            "product_count": products.count(),
            "open_count": ListingSuggestion.objects.filter(
                product__supplier=supplier, status=SuggestionStatus.PENDING
            ).count(),
        }
        return render(request, "marketplace/admin/listing_optimize_catalog.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, unquote(object_id))
        suggestions = batch.suggestions.select_related("product").order_by("status", "score_after", "pk")[
            :BATCH_PAGE_ROWS
        ]
        progress = selectors.listing_batch_progress(batch=batch)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(batch),
            "batch": batch,
            "progress": progress,
            "suggestions": suggestions,
            "running": bool(progress["waiting"] or progress["in_flight"]),
            "more": max(0, progress["total"] - BATCH_PAGE_ROWS),
            "suggestions_url": reverse(f"{self.admin_site.name}:marketplace_listingsuggestion_changelist")
            + f"?batch__id__exact={batch.pk}",
        }
        return render(request, "marketplace/admin/listing_batch_progress.html", context)


# --- Operators (/admin/): watch runs and suggestions across suppliers -------------------------------------------


@admin.register(ListingSuggestion)
class ListingSuggestionAdmin(admin.ModelAdmin):
    list_display = [
        "product",
        "supplier",
        "status",
        "score_before",
        "score_after",
        "provider",
        "model",
        "prompt_version",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "provider"]
    list_select_related = ["product__supplier"]
    search_fields = ["product__title", "product__supplier__name", "error"]
    readonly_fields = [field.name for field in ListingSuggestion._meta.fields]

    @admin.display(description=_("Supplier"), ordering="product__supplier__name")
    def supplier(self, suggestion):
        return suggestion.product.supplier

    def has_add_permission(self, request):
        return False


@admin.register(ListingOptimizationBatch)
class ListingOptimizationBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "supplier", "kind", "total", "finished_at"]
    list_filter = ["kind"]
    list_select_related = ["supplier"]
    readonly_fields = ["supplier", "requested_by", "kind", "total", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False
