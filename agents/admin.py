"""Operators (/admin/ only) inspect what buyers' agents did and the RFQ drafts waiting for buyers. Read-only: these
rows change only through agents.services. Never registered on the seller site: sellers learn no more about an agent
than the name on what it wrote. django-oauth-toolkit registers its own models (applications, tokens) on admin.site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_base import ReadOnlyAdmin

from .models import AgentAction, RFQConfirmation


class OperatorReadOnlyAdmin(ReadOnlyAdmin):
    view_on_site = False
    actions = None


@admin.register(AgentAction)
class AgentActionAdmin(OperatorReadOnlyAdmin):
    list_display = ["created_at", "user_email", "agent_name", "client_id", "tool", "outcome", "summary"]
    list_display_links = ["created_at"]
    list_filter = ["outcome", "tool", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "agent_name", "client_id", "summary", "idempotency_key"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "user",
        "agent_name",
        "client_id",
        "tool",
        "outcome",
        "summary",
        "idempotency_key",
        "arguments_hash",
        "result",
    ]
    readonly_fields = fields

    @admin.display(description=_("buyer"), ordering="user__email")
    def user_email(self, action):
        return action.user.email


class ConfirmationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting for the buyer")), ("sent", _("Sent")), ("discarded", _("Discarded"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(confirmed_at__isnull=True, discarded_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "discarded":
            return queryset.filter(discarded_at__isnull=False)
        return queryset


@admin.register(RFQConfirmation)
class RFQConfirmationAdmin(OperatorReadOnlyAdmin):
    list_display = ["rfq_title", "user_email", "agent_name", "client_id", "state", "rfq_status", "created_at"]
    list_filter = [ConfirmationStateFilter, "broadcast", "created_at"]
    list_select_related = ["rfq", "user"]
    search_fields = ["user__email", "agent_name", "client_id", "rfq__title"]
    date_hierarchy = "created_at"
    fields = [
        "rfq",
        "user",
        "agent_name",
        "client_id",
        "supplier_ids",
        "broadcast",
        "created_at",
        "confirmed_at",
        "discarded_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("RFQ"), ordering="rfq__title")
    def rfq_title(self, confirmation):
        return confirmation.rfq.title

    @admin.display(description=_("buyer"), ordering="user__email")
    def user_email(self, confirmation):
        return confirmation.user.email

    @admin.display(description=_("state"))
    def state(self, confirmation):
        if confirmation.confirmed_at:
            return _("Sent")
        if confirmation.discarded_at:
            return _("Discarded")
        return _("Waiting for the buyer")

    @admin.display(description=_("RFQ status"), ordering="rfq__status")
    def rfq_status(self, confirmation):
        return confirmation.rfq.get_status_display()
