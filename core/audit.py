"""The admin audit log's one owner: every ModelAdmin on every admin site records what it does, without being edited.

`install(site)` swaps each registered ModelAdmin for a subclass with AuditedAdminMixin first in its bases, and wraps
the site's `register` so later registrations get the same. core's AppConfig.ready() installs every AdminSite
(Django's `all_sites`, so /admin/ and /seller/); an app that owns a site names its kind and how to find the acting
supplier with `configure_site` (suppliers does it for the seller site), since core imports no app.

What is recorded (core.models.AdminAuditEntry), all through Django's own admin hooks:
- a model form saved (add, change, list_editable): `construct_change_message` computes each changed field's before
  and after from the form (`form.initial` against `cleaned_data`, for `form.changed_data`) and the inline formsets'
  added, changed and deleted rows; `log_addition` / `log_change` write it as "added" / "changed". Secrets (password,
  token, key... fields and password inputs) are marked redacted, never stored; file fields are stored by name.
- deletions (delete view and the delete_selected action): `log_deletions`, one "deleted" entry per object.
- admin actions: "action: <name>" with the selected ids (read before the action runs) and the messages it showed;
  a `log_change` made inside an action is recorded as the same action, for that object.
- custom admin views: their explicit `self.log_change(request, obj, message)` becomes "view: <name>" (the URL
  name without "<app>_<model>_", or the custom change view's `_action` button) with the message. A POST to an add,
  change or custom view that answers with a redirect, showed no error and logged nothing is recorded the same way,
  with the messages it showed, so a view that forgets to log is still in the audit log.
"""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import date, datetime, time
from functools import wraps

from django.contrib import admin
from django.contrib.admin.sites import all_sites
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants as message_levels
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File
from django.db import models
from django.forms import ModelChoiceField, ModelMultipleChoiceField, PasswordInput
from django.http import Http404
from django.urls import URLPattern
from django.utils.html import strip_tags

from .models import AdminAuditEntry, AuditSite
from .observability import request_id_var
from .ratelimit import client_ip

OPERATOR = AuditSite.OPERATOR
SELLER = AuditSite.SELLER

# Field names whose values are never stored, only that they changed.
SECRET_NAME = re.compile(r"password|passwd|secret|token|api[_-]?key|private[_-]?key|credential|(^|_)key$", re.I)
MAX_VALUE = 1000  # characters kept of one before or after value
MAX_SELECTED = 500  # ids kept of an action's selection (the count is always exact)
MAX_MESSAGE = 2000
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# Standard views whose POSTs are recorded by the hooks themselves (actions, list_editable, deletions), never by the
# "POST that logged nothing" fallback: the changelist also answers a bare "no action selected" with a redirect.
_NO_FALLBACK_SUFFIXES = ("_changelist", "_delete", "_history", "_autocomplete")


# --- sites --------------------------------------------------------------------------------------------------------


def configure_site(site, *, kind: str, supplier_id_for_request=None) -> None:
    """Name a site's kind (OPERATOR or SELLER) and, for a tenant site, how to find the acting supplier's id."""
    site.audit_kind = kind
    site.audit_supplier_id_for_request = supplier_id_for_request
    install(site)


def install(site) -> None:
    """Audit every ModelAdmin registered on `site`, now and later. Idempotent."""
    if not getattr(site, "_audit_installed", False):
        original_register = site.register

        def register(model_or_iterable, admin_class=None, **options):
            return original_register(model_or_iterable, audited_admin_class(admin_class or admin.ModelAdmin), **options)

        site.register = register
        site._audit_installed = True
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, AuditedAdminMixin):
            site._registry[model] = audited_admin_class(type(model_admin))(model, site)


def install_all() -> None:
    """Called from core's AppConfig.ready(), after the admin modules are imported: every site, /admin/ included."""
    for site in [admin.site, *all_sites]:  # admin.site first: a lazy object, set up here if nothing touched it yet
        if not hasattr(site, "audit_kind"):
            site.audit_kind = OPERATOR
            site.audit_supplier_id_for_request = None
        install(site)


_audited_classes: dict[type, type] = {}


def audited_admin_class(admin_class: type) -> type:
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    audited = _audited_classes.get(admin_class)
    if audited is None:
        audited = type(
            admin_class.__name__,
            (AuditedAdminMixin, admin_class),
            {
                "__module__": admin_class.__module__,
                "__qualname__": admin_class.__qualname__,
                "__doc__": admin_class.__doc__,
            },
        )
        _audited_classes[admin_class] = audited
    return audited


# --- per request --------------------------------------------------------------------------------------------------


class _RequestState:
    def __init__(self):
        self.pending: dict[int | None, dict] = {}  # id(form instance) -> changes, from construct_change_message
        self.logged = False  # a log_* hook or an action ran: the view fallback has nothing to add
        self.action: str | None = None  # the admin action running now
        self.supplier_id: int | None = None
        self.supplier_known = False


def _state(request) -> _RequestState:
    state = getattr(request, "_admin_audit", None)
    if state is None:
        state = request._admin_audit = _RequestState()
    return state


def _queued_messages(request) -> list:
    return list(getattr(getattr(request, "_messages", None), "_queued_messages", ()))


def _messages_text(messages_) -> str:
    return "\n".join(strip_tags(str(m.message)) for m in messages_)[:MAX_MESSAGE]


# --- values -------------------------------------------------------------------------------------------------------


def is_secret(name: str, form_field=None) -> bool:
    return bool(SECRET_NAME.search(name)) or isinstance(getattr(form_field, "widget", None), PasswordInput)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def value_text(value) -> str:
    """A form or model value as stored in the audit log: objects by str(), files by name, JSON as JSON."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        text = str(value)
    elif isinstance(value, File):  # FieldFile and uploads: the name, never the content
        text = value.name or ""
    elif isinstance(value, models.QuerySet) or (
        isinstance(value, (list, tuple, set)) and all(isinstance(v, models.Model) for v in value)
    ):  # many-to-many choices (an empty list too: nothing chosen)
        text = ", ".join(sorted(str(v) for v in value))
    elif isinstance(value, (dict, list, tuple)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    else:
        text = str(value)
    return _clip(text)


def _model_field(form, name):
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None


def _before(form, name, form_field) -> str:
    initial = form.get_initial_for_field(form_field, name) if form_field is not None else form.initial.get(name)
    if initial in (None, "") or isinstance(initial, models.Model):
        return value_text(initial)
    if isinstance(form_field, ModelChoiceField):
        # The initial value of a choice is its key: name the object (the default manager: the value was stored).
        key = form_field.to_field_name or "pk"
        manager = form_field.queryset.model._default_manager
        if isinstance(form_field, ModelMultipleChoiceField):
            if initial and all(isinstance(v, models.Model) for v in initial):
                return value_text(list(initial))
            return value_text(list(manager.filter(**{f"{key}__in": list(initial)})))
        found = manager.filter(**{key: initial}).first()
        return value_text(found if found is not None else initial)
    return value_text(initial)


def _after(form, name, form_field) -> str:
    model_field = _model_field(form, name)
    if isinstance(model_field, models.FileField):
        # After the save the instance holds the stored name (storages may rename an upload).
        return value_text(getattr(form.instance, name, None) or None)
    return value_text(form.cleaned_data.get(name))


def form_field_changes(form, changed_names=None, *, add: bool = False) -> dict:
    """{name: {"before": str, "after": str}} for each changed field ({"after"} only when added; {"redacted": true}
    for secrets)."""
    result: dict[str, dict] = {}
    for name in form.changed_data if changed_names is None else changed_names:
        if name in ("DELETE", "ORDER"):
            continue
        form_field = form.fields.get(name)
        if is_secret(name, form_field):
            result[name] = {"redacted": True}
            continue
        after = _after(form, name, form_field)
        if add:
            result[name] = {"after": after}
            continue
        before = _before(form, name, form_field)
        if before != after:
            result[name] = {"before": before, "after": after}
    return result


def _row(obj, act: str, fields: dict) -> dict:
    """An inline row added, changed or deleted with its parent's form."""
    return {
        "model": str(obj._meta.verbose_name),
        "object": _clip(str(obj)),
        "id": str(obj.pk) if obj.pk is not None else "",
        "action": act,
        **({"fields": fields} if fields else {}),
    }


def form_changes(form, formsets=None, *, add: bool = False) -> dict:
    """What a saved admin form changed: its fields and its inline formsets' rows."""
    changes: dict = {}
    fields = form_field_changes(form, add=add)
    if fields:
        changes["fields"] = fields
    related = []
    for formset in formsets or ():
        by_instance = {id(f.instance): f for f in formset.forms if hasattr(f, "instance")}
        for obj in getattr(formset, "new_objects", ()):
            inline_form = by_instance.get(id(obj))
            related.append(_row(obj, "added", form_field_changes(inline_form, add=True) if inline_form else {}))
        for obj, changed in getattr(formset, "changed_objects", ()):
            inline_form = by_instance.get(id(obj))
            related.append(_row(obj, "changed", form_field_changes(inline_form, changed) if inline_form else {}))
        for obj in getattr(formset, "deleted_objects", ()):
            related.append(_row(obj, "deleted", {}))
    if related:
        changes["related"] = related
    return changes


# --- writing ------------------------------------------------------------------------------------------------------


def _supplier_id(site, request):
    state = _state(request)
    if not state.supplier_known:
        resolve = getattr(site, "audit_supplier_id_for_request", None)
        state.supplier_id = resolve(request) if resolve is not None else None
        state.supplier_known = True
    return state.supplier_id


def build_entry(request, site, *, action, model=None, obj=None, object_id="", object_repr="", changes=None, message=""):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    target = obj if obj is not None else model
    address = _ip_or_none(client_ip(request))
    return AdminAuditEntry(
        user=user if authenticated else None,
        user_email=(getattr(user, "email", "") or user.get_username()) if authenticated else "",
        site=getattr(site, "audit_kind", OPERATOR),
        supplier_id=_supplier_id(site, request),
        content_type=(
            ContentType.objects.get_for_model(target, for_concrete_model=False) if target is not None else None
        ),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else str(object_id or ""),
        object_repr=(str(obj) if obj is not None else object_repr)[:200],
        action=action[:100],
        changes=changes or {},
        message=str(message or "")[:MAX_MESSAGE],
        request_id=(getattr(request, "request_id", None) or request_id_var.get() or "")[:64],
        ip_address=address or None,
    )


def _ip_or_none(address: str) -> str | None:
    """The client address if it is one (a forwarded header can hold anything), else None."""
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


# --- the mixin ----------------------------------------------------------------------------------------------------


class AuditedAdminMixin:
    """First in the bases of every ModelAdmin on an installed site (see `install`); never listed by hand."""

    # Form saves --------------------------------------------------------------------------------------------------

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        instance = getattr(form, "instance", None)
        _state(request).pending[id(instance) if instance is not None else None] = form_changes(form, formsets, add=add)
        return message

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit_log(request, obj, AdminAuditEntry.ADDED, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit_log(request, obj, AdminAuditEntry.CHANGED, message)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)  # evaluates the queryset: the loop below reads its cache
        _state(request).logged = True
        AdminAuditEntry.objects.bulk_create(
            [build_entry(request, self.admin_site, action=AdminAuditEntry.DELETED, obj=obj) for obj in queryset]
        )
        return entries

    def _audit_log(self, request, obj, kind, message):
        state = _state(request)
        state.logged = True
        changes = state.pending.pop(id(obj), None)
        if changes is None:
            changes = state.pending.pop(None, None)
        if changes is not None:  # a model form (or the password form) was saved
            if kind == AdminAuditEntry.CHANGED and not changes:
                return  # saved without a change: nothing to record
            action, text = kind, ""
        else:
            if state.action:
                action = f"{AdminAuditEntry.ACTION}: {state.action}"
            elif kind == AdminAuditEntry.CHANGED:
                action = f"{AdminAuditEntry.VIEW}: {self._audit_view_name(request)}"
            else:
                action = kind
            text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False, default=str)
        build_entry(request, self.admin_site, action=action, obj=obj, changes=changes, message=text).save()

    # Admin actions ----------------------------------------------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (self._audited_action(func, name), name, description)
            for name, (func, _name, description) in actions.items()
        }

    def _audited_action(self, func, name):
        site = self.admin_site

        @wraps(func)
        def action(modeladmin, request, queryset):
            # Read the selection before the action changes or deletes it.
            ids = [str(pk) for pk in queryset.values_list("pk", flat=True)[: MAX_SELECTED + 1]]
            count = len(ids) if len(ids) <= MAX_SELECTED else queryset.count()
            reprs = [str(obj) for obj in queryset[:3]]
            state = _state(request)
            previous, state.action = state.action, name
            mark = len(_queued_messages(request))
            try:
                response = func(modeladmin, request, queryset)
            finally:
                state.action = previous
            if _is_page(response):
                return response  # a confirmation or a form: the act comes with the next POST
            state.logged = True
            build_entry(
                request,
                site,
                action=f"{AdminAuditEntry.ACTION}: {name}",
                model=modeladmin.model,
                object_id=ids[0] if count == 1 else "",
                object_repr=", ".join(reprs) + (", …" if count > len(reprs) else ""),
                changes={
                    "selected": ids[:MAX_SELECTED],
                    "count": count,
                    "select_across": request.POST.get("select_across") == "1",
                },
                message=_messages_text(_queued_messages(request)[mark:]),
            ).save()
            return response

        return action

    # Custom views ----------------------------------------------------------------------------------------------

    def _audit_view_name(self, request) -> str:
        match = getattr(request, "resolver_match", None)
        name = (match.url_name if match is not None else "") or ""
        name = name.removeprefix(f"{self.opts.app_label}_{self.opts.model_name}_")
        button = request.POST.get("_action", "") if request.method == "POST" else ""
        if name in ("add", "change") and _SAFE_NAME.fullmatch(button or ""):
            name = button  # custom change views name their buttons' acts in `_action`
        return name or "?"

    def get_urls(self):
        return [self._audited_pattern(pattern) for pattern in super().get_urls()]

    def _audited_pattern(self, pattern):
        if not isinstance(pattern, URLPattern) or not pattern.name or pattern.name.endswith(_NO_FALLBACK_SUFFIXES):
            return pattern
        view = pattern.callback

        @wraps(view)
        def audited_view(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            mark = len(_queued_messages(request))
            response = view(request, *args, **kwargs)
            shown = _queued_messages(request)[mark:]
            if (
                300 <= response.status_code < 400
                and not _state(request).logged
                and not any(m.level >= message_levels.ERROR for m in shown)
                and self.admin_site.has_permission(request)
            ):
                self._audit_view_fallback(request, kwargs, shown)
            return response

        return URLPattern(pattern.pattern, audited_view, pattern.default_args, pattern.name)

    def _audit_view_fallback(self, request, kwargs, shown):
        object_id = kwargs.get("object_id")
        if object_id is None and set(kwargs) == {"pk"}:
            object_id = kwargs["pk"]
        obj = None
        if object_id is not None:
            try:
                obj = self.get_object(request, unquote(str(object_id)))
            except Http404:
                obj = None
        build_entry(
            request,
            self.admin_site,
            action=f"{AdminAuditEntry.VIEW}: {self._audit_view_name(request)}",
            model=self.model,
            obj=obj,
            object_id=object_id or "",
            message=_messages_text(shown),
        ).save()


def _is_page(response) -> bool:
    """An HTML page answered with 200 (an action's confirmation or form), not a redirect or a download."""
    if response is None or not 200 <= getattr(response, "status_code", 200) < 300:
        return False
    if response.has_header("Content-Disposition"):
        return False
    return response.get("Content-Type", "").startswith("text/html")
