"""Private files in the admin (both sites): a download view that goes through the ModelAdmin's own object lookup
(so the seller site's scoping answers 404 for another supplier's file), and a file widget / read-only display that
link to it instead of to `.url` (private files have none, see core.files)."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .files import download_name, private_file_response


def _url_name(site_name: str, opts) -> str:
    return f"{site_name}:{opts.app_label}_{opts.model_name}_private_file"


def private_file_url(site_name: str, file: FieldFile) -> str:
    instance = file.instance
    return reverse(_url_name(site_name, instance._meta), args=[instance.pk, file.field.name])


class _Link:
    """What the file widget's template prints: `{{ value.url }}` and `{{ value }}`."""

    def __init__(self, url, label):
        self.url = url
        self.label = label

    def __str__(self):
        return str(self.label)


class PrivateFileWidget(AdminFileWidget):
    def __init__(self, *args, site_name: str, **kwargs):
        self.site_name = site_name
        super().__init__(*args, **kwargs)

    def is_initial(self, value):
        return isinstance(value, FieldFile) and bool(value) and value.instance.pk is not None

    def format_value(self, value):
        if self.is_initial(value):
            return _Link(private_file_url(self.site_name, value), gettext("download the current file"))
        return None


def _readonly_name(name: str) -> str:
    return f"{name}_download"


class PrivateFileAdminMixin:
    """For ModelAdmins and inlines with private FileFields listed in `private_file_fields`.

    A ModelAdmin also gets `<object_id>/file/<field>/`, answered only for an object its own get_object finds and
    the user may view. An inline links to the ModelAdmin registered for its model on the same site."""

    private_file_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.private_file_fields:
            display = self._make_readonly_display(name)
            setattr(self, _readonly_name(name), display)

    def _make_readonly_display(self, name):
        site_name = self.admin_site.name

        def display(obj):
            file = getattr(obj, name, None) if obj is not None else None
            if not file or obj.pk is None:
                return "—"
            return format_html('<a href="{}">{}</a>', private_file_url(site_name, file), _("download"))

        display.short_description = self.model._meta.get_field(name).verbose_name
        return display

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.private_file_fields:
            kwargs["widget"] = PrivateFileWidget(site_name=self.admin_site.name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # Read-only private fields (declared so, or the user may only view) are shown as a download link, never through
    # the admin's FileField display (which prints `.url`).
    def _private_readonly(self, request, obj):
        declared = set(super().get_readonly_fields(request, obj)) & set(self.private_file_fields)
        if obj is not None and not self.has_change_permission(request, obj):
            return set(self.private_file_fields)
        return declared

    def get_readonly_fields(self, request, obj=None):
        declared = super().get_readonly_fields(request, obj)
        names = [_readonly_name(n) if n in self.private_file_fields else n for n in declared]
        extra = [_readonly_name(n) for n in self._private_readonly(request, obj) if _readonly_name(n) not in names]
        return [*names, *extra]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        readonly = self._private_readonly(request, obj)
        if not readonly:
            return fieldsets

        def swap(fields):
            out = []
            for item in fields:
                if isinstance(item, (list, tuple)):
                    out.append(type(item)(swap(item)))
                    continue
                item = _readonly_name(item) if item in readonly else item
                if item not in out:
                    out.append(item)
            return out

        return [(title, {**options, "fields": swap(options["fields"])}) for title, options in fieldsets]

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.private_file_view)
        return [
            path(
                "<path:object_id>/file/<str:field_name>/",
                view,
                name=f"{opts.app_label}_{opts.model_name}_private_file",
            ),
            *super().get_urls(),
        ]

    def private_file_view(self, request, object_id, field_name):
        if field_name not in self.private_file_fields:
            raise Http404(gettext("Not found."))
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404(gettext("Not found."))
        file = getattr(obj, field_name)
        if not file:
            raise Http404(gettext("Not found."))
        return private_file_response(file, filename=self.private_file_name(obj, field_name))

    def private_file_name(self, obj, field_name) -> str:
        """The download's filename; by default built from the object's str()."""
        return download_name(str(obj), getattr(obj, field_name).name)
