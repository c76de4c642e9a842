"""The seller admin site (/seller/) and the scoping every ModelAdmin and inline on it must use.

Django's admin is not tenant-aware: querysets, foreign-key and many-to-many choices, list filters and
object lookups all read the default manager. SupplierScopedMixin narrows each of them to the request's
supplier, forces the supplier on save, and answers 404 for anybody else's object. The site refuses to
register a ModelAdmin or inline that does not use the mixin, so an unscoped screen cannot appear here.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from .tenancy import is_tenant_owned, request_supplier, scope_to_supplier, supplier_for_object, supplier_for_user


class SellerAuthenticationForm(AdminAuthenticationForm):
    """Sellers are not Django staff; what admits them is a supplier membership."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _("Please enter the email and password of a seller account."),
    }

    def confirm_login_allowed(self, user):
        if not user.is_active or supplier_for_user(user) is None:
            raise forms.ValidationError(
                _("This account does not belong to a supplier. Buyers sign in on the main site."), code="no_supplier"
            )


class SupplierScopedMixin:
    """For ModelAdmins and inlines whose model declares SUPPLIER_PATH."""

    def get_queryset(self, request):
        return scope_to_supplier(super().get_queryset(request), request_supplier(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another supplier's object and a missing one look the same: not found.
            raise Http404(_("Not found."))
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scope_choices(formfield, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scope_choices(formfield, db_field, request)

    def _scope_choices(self, formfield, db_field, request):
        if formfield is not None and is_tenant_owned(db_field.related_model):
            formfield.queryset = scope_to_supplier(formfield.queryset, request_supplier(request))
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        if getattr(self.model, "SUPPLIER_PATH", None) != "supplier":
            return form_class
        supplier = request_supplier(request)

        class SupplierForcedForm(form_class):
            """Sets the supplier before validation, so unique constraints that include it are checked."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance.supplier = supplier

            def _get_validation_exclusions(self):
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("supplier")
                return exclusions

        return SupplierForcedForm

    def get_exclude(self, request, obj=None):
        # The supplier is never a choice on the seller site; save_model sets it.
        exclude = list(super().get_exclude(request, obj) or [])
        is_inline = isinstance(self, admin.options.InlineModelAdmin)
        if getattr(self.model, "SUPPLIER_PATH", None) == "supplier" and not is_inline:
            exclude.append("supplier")
        return exclude

    def get_list_filter(self, request):
        # Related filters list every row of the related table; offer only values from the scoped queryset.
        scoped = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                field = get_fields_from_path(self.model, item)[-1]
                if field.is_relation and is_tenant_owned(field.related_model):
                    item = (item, admin.RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

    def save_model(self, request, obj, form, change):
        if getattr(self.model, "SUPPLIER_PATH", None) == "supplier":
            obj.supplier = request_supplier(request)
        super().save_model(request, obj, form, change)

    def _owns(self, request, obj):
        supplier = request_supplier(request)
        return supplier is not None and (obj is None or supplier_for_object(obj) == supplier)

    def has_view_permission(self, request, obj=None):
        return self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._owns(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._owns(request, obj)

    def has_module_permission(self, request):
        return request_supplier(request) is not None

    def get_urls(self):
        # Django answers "<id>/" with a redirect to "<id>/change/" whatever the id; here it is a 404 unless the
        # object is the seller's own, like every other URL that takes an id.
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if isinstance(pattern, URLPattern) and str(pattern.pattern) == "<path:object_id>/":
                urls[index] = path("<path:object_id>/", self.admin_site.admin_view(self._object_redirect_view))
        return urls

    def _object_redirect_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))  # 404 for anybody else's object
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        )


class SellerAdminSite(admin.AdminSite):
    site_header = _("Silkway seller centre")
    site_title = _("Silkway seller centre")
    index_title = _("Your storefront")
    login_form = SellerAuthenticationForm
    enable_nav_sidebar = True

    def has_permission(self, request):
        return request.user.is_active and request_supplier(request) is not None

    def each_context(self, request):
        context = super().each_context(request)
        context["seller_supplier"] = request_supplier(request) if request.user.is_authenticated else None
        return context

    def get_urls(self):
        # Every admin site mounts Django's "view on site" shortcut (r/<content type>/<id>/), which redirects for
        # any object of any model: here it would reveal other suppliers' draft titles (in the slug) and which ids
        # exist. The seller site answers it only for the seller's own objects of a model registered here.
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.scoped_view_on_site),
                    name="view_on_site",
                )
        return urls

    def scoped_view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404(_("Not found.")) from None
        model_admin = self._registry.get(model)
        if model_admin is None or model_admin.view_on_site is False:
            raise Http404(_("Not found."))
        obj = model_admin.get_object(request, unquote(object_id))  # scoped: 404 for anybody else's object
        if not model_admin.has_view_or_change_permission(request, obj):
            raise Http404(_("Not found."))
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def register(self, model_or_iterable, admin_class=None, **options):
        if admin_class is None or not issubclass(admin_class, SupplierScopedMixin):
            raise ImproperlyConfigured("Only SupplierScopedMixin ModelAdmins may be registered on the seller site.")
        for inline in admin_class.inlines:
            if not issubclass(inline, SupplierScopedMixin):
                raise ImproperlyConfigured(f"Inline {inline.__name__} on the seller site must use SupplierScopedMixin.")
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            if not is_tenant_owned(model):
                raise ImproperlyConfigured(f"{model.__name__} has no SUPPLIER_PATH and cannot be on the seller site.")
        super().register(model_or_iterable, admin_class, **options)


seller_site = SellerAdminSite(name="seller")


class ScopedModelAdmin(SupplierScopedMixin, admin.ModelAdmin):
    pass


class ScopedTabularInline(SupplierScopedMixin, admin.TabularInline):
    extra = 0


class ScopedStackedInline(SupplierScopedMixin, admin.StackedInline):
    extra = 0
