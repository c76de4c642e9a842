"""The seller product list's own pages: bulk edit (an admin action with a preview and a confirm step), and the
seller's catalog export (CSV, XLSX: the list's current filters) and import. Every one reads products through the
ModelAdmin's scoped queryset, so another supplier's products are out of reach; writes go through services."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from suppliers.tenancy import request_supplier

from . import services
from .catalog_import import MAX_ROWS, MAX_UPLOAD_BYTES, catalog_export_csv, catalog_export_xlsx, catalog_import_file

UNCHANGED = ""


class BulkEditForm(forms.Form):
    moq = forms.IntegerField(label=_("Minimum order quantity"), min_value=1, max_value=100_000_000, required=False)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=1, max_value=365, required=False)
    samples_available = forms.ChoiceField(
        label=_("Samples available"),
        choices=[(UNCHANGED, _("Leave unchanged")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    price_percent = forms.DecimalField(
        label=_("Change prices by (percent)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-90"),
        max_value=Decimal("500"),
        required=False,
        help_text=_("For example 5 raises every price tier by 5 percent, -10 lowers it; prices are rounded to cents."),
    )

    def changes(self) -> services.BulkChanges:
        data = self.cleaned_data
        samples = {"yes": True, "no": False}.get(data.get("samples_available") or "")
        return services.BulkChanges(
            moq=data.get("moq"),
            lead_time_days=data.get("lead_time_days"),
            samples_available=samples,
            price_percent=data.get("price_percent"),
        )


class CatalogImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file"),
        # Lazy: formatted in the language of each request, not once at import in the default language.
        help_text=lazy(
            lambda: (
                gettext("A .csv or .xlsx file with the export's columns; at most %(mb)s MB and %(rows)s products.")
                % {"mb": MAX_UPLOAD_BYTES // 2**20, "rows": MAX_ROWS}
            ),
            str,
        )(),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class SellerCatalogViewsMixin:
    """For SellerProductAdmin (a ScopedModelAdmin): get_queryset is the seller's own products."""

    @admin.action(description=_("Edit prices, MOQ and lead time"))
    def bulk_edit_products(self, request, queryset):
        asked = {value for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if value.isdigit()}
        products = list(queryset.order_by("title", "pk").prefetch_related("price_tiers"))
        # The changelist drops ids outside the seller's own products; say so rather than edit a smaller set.
        if len(asked) != len(products) and request.POST.get("select_across") != "1":
            self.message_user(
                request,
                _("Some of the selected products are not yours or no longer exist; nothing was changed."),
                messages.ERROR,
            )
            return None
        form = BulkEditForm(request.POST if "preview" in request.POST or "apply" in request.POST else None)
        rows, errors = [], []
        if form.is_bound and form.is_valid():
            rows, errors = services.product_bulk_plan(products=products, changes=form.changes())
            if "apply" in request.POST and not errors:
                try:
                    changed = services.product_bulk_update(products=products, changes=form.changes())
                except ValidationError as error:
                    errors = error.messages
                else:
                    self.message_user(
                        request,
                        ngettext("%(count)d product updated.", "%(count)d products updated.", changed)
                        % {"count": changed},
                        messages.SUCCESS,
                    )
                    return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Edit prices, MOQ and lead time"),
            "opts": self.model._meta,
            "form": form,
            "products": products,
            "rows": rows,
            "errors": errors,
            "previewed": bool(rows) and not errors,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "marketplace/admin/seller_product_bulk_edit.html", context)

    def get_urls(self):
        view = self.admin_site.admin_view
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("export/<str:kind>/", view(self.export_view), name=f"{info}_export"),
            path("import/", view(self.import_view), name=f"{info}_import"),
            *super().get_urls(),
        ]

    def export_view(self, request, kind):
        if kind not in ("csv", "xlsx") or not self.has_view_permission(request):
            return HttpResponse(status=404)
        # The list's own filters and search (the export link carries its query string), on the scoped queryset.
        products = self.get_changelist_instance(request).get_queryset(request).order_by("pk")
        stamp = timezone.localdate().isoformat()
        if kind == "csv":
            response = HttpResponse(catalog_export_csv(products), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                catalog_export_xlsx(products),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="products-{stamp}.{kind}"'
        return response

    def import_view(self, request):
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = CatalogImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
            else:
                report = catalog_import_file(name=upload.name, data=upload.read(), supplier=request_supplier(request))
                for error in report.file_errors:
                    form.add_error("file", error)
                if report.applied:
                    self.message_user(
                        request,
                        _("Import done: %(created)s created, %(updated)s updated.")
                        % {"created": report.count("created"), "updated": report.count("updated")},
                        messages.SUCCESS,
                    )
                elif report.rows:
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d row has an error: nothing was imported. Fix it and upload the file again.",
                            "%(count)d rows have errors: nothing was imported. Fix them and upload the file again.",
                            report.count("error"),
                        )
                        % {"count": report.count("error")},
                        messages.ERROR,
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import products"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "changelist_url": reverse(f"{self.admin_site.name}:marketplace_product_changelist"),
            "media": self.media,
        }
        return TemplateResponse(request, "marketplace/admin/catalog_import.html", context)
