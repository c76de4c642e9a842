"""Live sessions in both admin sites: sellers schedule their own (/seller/, scoped), operators see all (/admin/).
Saving goes through the services, and their rules show as form errors beside the fields."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suppliers.admin_scoping import ScopedModelAdmin, seller_site

from . import services
from .models import LiveRegistration, LiveSession, LiveStatus

FIELDS = ["title", "description", "language", "starts_at", "ends_at", "stream_url", "products"]


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class LiveSessionAdminForm(forms.ModelForm):
    class Meta:
        model = LiveSession
        fields = ["supplier", *FIELDS]
        formfield_callback = _formfield

    def clean(self):
        cleaned = super().clean()
        supplier_id = getattr(self.instance, "supplier_id", None) or getattr(cleaned.get("supplier"), "pk", None)
        try:
            services.session_check(
                supplier_id=supplier_id,
                starts_at=cleaned.get("starts_at"),
                ends_at=cleaned.get("ends_at"),
                products=cleaned.get("products") or (),
                ended_ok=self.instance.pk is not None,
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned

    def _post_clean(self):
        # The model's clean() says the same about the times; the check above already put it beside the field.
        if self.has_error("ends_at"):
            return
        super()._post_clean()


class _SessionAdminBase:
    form = LiveSessionAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "supplier", "starts_at", "ends_at", "language", "state", "registrations_count"]
    list_filter = ["language", "starts_at"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    actions = ["cancel_sessions"]
    readonly_fields = ["created_at", "cancelled_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("supplier")
            .annotate(registrations_total=Count("registrations"))
        )

    @admin.display(description=_("Registered buyers"), ordering="registrations_total")
    def registrations_count(self, session):
        return session.registrations_total

    @admin.display(description=_("Status"))
    def state(self, session):
        if session.cancelled_at:
            return _("Cancelled")
        return LiveStatus(session.status()).label

    @admin.action(description=_("Cancel selected sessions"))
    def cancel_sessions(self, request, queryset):
        count = 0
        for session in queryset:
            services.session_cancel(session=session)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d session cancelled.", "%(count)d sessions cancelled.", count) % {"count": count},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in FIELDS if name in form.cleaned_data}
        products = data.pop("products", [])
        if change:
            saved = services.session_update(session=obj, products=products, **data)
        else:
            saved = services.session_create(supplier=obj.supplier, products=products, **data)
        obj.pk = saved.pk
        form.instance = saved

    def save_related(self, request, form, formsets, change):
        # The products were set by the service; inlines (none today) would be saved here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(LiveSession)
class LiveSessionAdmin(_SessionAdminBase, admin.ModelAdmin):
    list_filter = ["language", "starts_at", "supplier"]
    autocomplete_fields = ["supplier", "products"]


@admin.register(LiveSession, site=seller_site)
class SellerLiveSessionAdmin(_SessionAdminBase, ScopedModelAdmin):
    """The seller's own sessions; products to show are narrowed to the seller's own by the scoped base."""

    list_display = ["title", "starts_at", "ends_at", "language", "state", "registrations_count"]
    filter_horizontal = ["products"]


@admin.register(LiveRegistration)
class LiveRegistrationAdmin(admin.ModelAdmin):
    list_display = ["session", "buyer", "created_at", "reminded_at"]
    list_select_related = ["session", "buyer"]
    raw_id_fields = ["session", "buyer"]
