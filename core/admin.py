"""The activity log for operators (/admin/, every entry, read-only). Sellers see their own supplier's entries on the
seller site through the same display mixin (registered by suppliers/admin.py: core cannot import the seller site)."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .admin_base import ReadOnlyAdmin
from .models import AdminAuditEntry


def _field_label(model, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a form-only field (a password form's "password")
            pass
    return name.replace("_", " ")


def _field_rows(model, fields: dict):
    rows = []
    for name, change in fields.items():
        if change.get("redacted"):
            rows.append((_field_label(model, name), gettext("(secret: not recorded)"), ""))
        else:
            rows.append((_field_label(model, name), change.get("before", ""), change.get("after", "")))
    return rows


class AuditEntryDisplayMixin:
    """What both sites show of an entry; read-only everywhere (the model also refuses updates)."""

    list_display = ["created_at", "user_email", "action_label", "content_type", "object_repr"]
    list_select_related = ["content_type"]
    search_fields = ["user_email", "object_repr"]
    date_hierarchy = "created_at"
    view_on_site = False
    actions = None

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry):
        kind, _sep, name = entry.action.partition(": ")
        labels = {
            AdminAuditEntry.ADDED: pgettext("audit action", "Added"),
            AdminAuditEntry.CHANGED: pgettext("audit action", "Changed"),
            AdminAuditEntry.DELETED: pgettext("audit action", "Deleted"),
        }
        if kind == AdminAuditEntry.ACTION:
            return gettext("Action: %(name)s") % {"name": name.replace("_", " ")}
        if kind == AdminAuditEntry.VIEW:
            return gettext("Page: %(name)s") % {"name": name.replace("_", " ")}
        return labels.get(kind, entry.action)

    @admin.display(description=_("what changed"))
    def changes_table(self, entry):
        changes = entry.changes or {}
        model = entry.content_type.model_class() if entry.content_type_id else None
        parts = []
        fields = changes.get("fields") or {}
        if fields:
            parts.append(
                format_html(
                    "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
                    gettext("Field"),
                    gettext("Before"),
                    gettext("After"),
                    format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", _field_rows(model, fields)),
                )
            )
        for row in changes.get("related") or ():
            parts.append(
                format_html(
                    "<p>{} {} “{}”</p>{}",
                    {
                        "added": pgettext("audit action", "Added"),
                        "changed": pgettext("audit action", "Changed"),
                        "deleted": pgettext("audit action", "Deleted"),
                    }.get(row.get("action"), row.get("action")),
                    row.get("model", ""),
                    row.get("object", ""),
                    format_html_join("", "<div>{}: {} → {}</div>", _field_rows(None, row.get("fields") or {})),
                )
            )
        if "selected" in changes:
            parts.append(
                format_html(
                    "<p>{}</p>",
                    gettext("%(count)d selected: %(ids)s")
                    % {"count": changes.get("count", 0), "ids": ", ".join(changes["selected"])},
                )
            )
        return format_html_join("", "{}", ((part,) for part in parts)) if parts else "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdminAuditEntry)
class AdminAuditEntryAdmin(AuditEntryDisplayMixin, ReadOnlyAdmin):
    list_display = ["created_at", "user_email", "site", "action_label", "content_type", "object_repr", "supplier_id"]
    list_filter = [
        "site",
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
    ]
    fields = [
        "created_at",
        "user",
        "user_email",
        "site",
        "supplier_id",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes_table",
        "message",
        "request_id",
        "ip_address",
    ]
    readonly_fields = fields
