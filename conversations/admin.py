"""Conversations in both admin sites.

Sellers (/seller/): the supplier's inbox, threads awaiting an answer first (oldest wait first); a thread reads top to
bottom with the reply box below it, each buyer message in the seller's language with the original one click away,
quick replies, and an AI draft the seller edits and sends. Operators (/admin/): every thread, read-only.
"""

from django.contrib import admin
from django.contrib import messages as flash
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.languages import base_language
from suppliers.admin_scoping import ScopedModelAdmin, seller_site
from suppliers.display import commitment_text
from suppliers.tenancy import request_supplier

from . import ai, selectors, services, topics
from .display import shown_messages
from .forms import MessageForm
from .models import Conversation, ConversationStatus, Message, QuickReply
from .views import attachment_download, send_from_form, thread_updates


def _buyer_company(conversation) -> str:
    profile = getattr(conversation.buyer, "buyer_profile", None)
    return (profile.company_name if profile else "") or _("Buyer")


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["created_at", "from_supplier", "sender", "body", "language", "attachment_name", "via_agent"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "buyer", "supplier", "status", "created_at", "first_response_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["buyer", "supplier"]
    search_fields = ["subject", "buyer__email", "supplier__name"]
    readonly_fields = [
        "buyer",
        "supplier",
        "kind",
        "subject",
        "topic_type",
        "topic_id",
        "quantity",
        "created_at",
        "first_response_at",
        "last_message_at",
        "buyer_read_at",
        "supplier_read_at",
    ]
    inlines = [MessageInline]

    def has_add_permission(self, request):
        return False


# --- Sellers (/seller/) ----------------------------------------------------------------------------------------


@admin.register(QuickReply, site=seller_site)
class SellerQuickReplyAdmin(ScopedModelAdmin):
    list_display = ["title", "position"]
    list_editable = ["position"]
    fields = ["title", "body", "position"]
    search_fields = ["title", "body"]


@admin.register(Conversation, site=seller_site)
class SellerConversationAdmin(ScopedModelAdmin):
    """The supplier's inbox. A thread is answered on its own page (change_view), through the services."""

    list_display = ["thread", "buyer_company", "kind", "status", "waiting", "last_message_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["buyer__buyer_profile"]
    search_fields = ["subject"]
    list_per_page = 50
    page_template = "admin/conversations/thread.html"

    def get_ordering(self, request):
        # Awaiting an answer first, the longest wait first; then everything else, latest activity first.
        awaiting = Q(status=ConversationStatus.OPEN)
        return [
            Case(When(awaiting, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
            Case(When(awaiting, then=F("last_message_at"))).asc(nulls_last=True),
            "-last_message_at",
        ]

    @admin.display(description=gettext_lazy("Subject"))
    def thread(self, conversation):
        return conversation.subject

    @admin.display(description=gettext_lazy("Buyer"))
    def buyer_company(self, conversation):
        return _buyer_company(conversation)

    @admin.display(description=gettext_lazy("Waiting time"))
    def waiting(self, conversation):
        if conversation.status != ConversationStatus.OPEN:
            return "—"
        return format_html('<span class="waiting">{}</span>', timesince(conversation.last_message_at))

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/updates/", view(self.updates_view), name="conversations_conversation_updates"),
            path("<int:object_id>/translate/", view(self.translate_view), name="conversations_conversation_translate"),
            path(
                "<int:object_id>/files/<int:message_id>/",
                view(self.attachment_view),
                name="conversations_conversation_attachment",
            ),
            *super().get_urls(),
        ]

    def _thread(self, request, object_id, *, language=None) -> Conversation:
        supplier = request_supplier(request)
        if supplier is None:
            raise Http404(_("Not found."))
        try:
            return selectors.conversation_get_for_supplier(supplier_id=supplier.pk, pk=object_id, language=language)
        except (Conversation.DoesNotExist, ValueError):
            raise Http404(_("Not found.")) from None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        language = base_language(get_language())
        conversation = self._thread(request, object_id, language=language)
        if request.method == "POST":
            form = MessageForm(request.POST, request.FILES)
            if send_from_form(form, conversation=conversation, sender=request.user, from_supplier=True):
                flash.success(request, _("Reply sent to %(buyer)s.") % {"buyer": _buyer_company(conversation)})
                return redirect(request.path)
            return self._render(request, conversation, language, form, status=400)
        services.conversation_mark_read(conversation=conversation, by_supplier=True)
        initial = {}
        suggestion = None
        if request.GET.get("suggest"):
            suggestion = self._suggestion(conversation)
            initial["body"] = suggestion.text
        elif request.GET.get("quick"):
            quick = QuickReply.objects.filter(supplier_id=conversation.supplier_id, pk=request.GET["quick"]).first()
            if quick is not None:
                initial["body"] = quick.body
        return self._render(request, conversation, language, MessageForm(initial=initial), suggestion=suggestion)

    def _suggestion(self, conversation):
        question = next((m.body for m in reversed(conversation.messages.all()) if not m.from_supplier), "")
        supplier = conversation.supplier
        facts = ai.ReplyFacts(
            supplier_name=supplier.name,
            response_commitment=commitment_text(supplier),
            **topics.reply_facts_for(conversation.topic),
        )
        return ai.suggest_reply(question=question, facts=facts, language=self._buyer_language(conversation))

    @staticmethod
    def _buyer_language(conversation) -> str:
        last = next((m for m in reversed(conversation.messages.all()) if not m.from_supplier and m.language), None)
        if last is not None:
            return last.language
        profile = getattr(conversation.buyer, "buyer_profile", None)
        return profile.preferred_language if profile else "en"

    def _render(self, request, conversation, language, form, *, status=200, suggestion=None):
        shown = shown_messages(
            conversation, conversation.messages.all(), reader_language=language, reader_is_supplier=True
        )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": conversation.subject,
            "conversation": conversation,
            "buyer_company": _buyer_company(conversation),
            "shown": shown,
            "form": form,
            "suggestion": suggestion,
            "quick_replies": QuickReply.objects.filter(supplier_id=conversation.supplier_id),
            "untranslated": any(item.untranslated for item in shown),
            "last_id": shown[-1].message.pk if shown else 0,
            "attachment_url_name": f"{self.admin_site.name}:conversations_conversation_attachment",
            "updates_url": reverse(
                f"{self.admin_site.name}:conversations_conversation_updates", args=[conversation.pk]
            ),
            "translate_url": reverse(
                f"{self.admin_site.name}:conversations_conversation_translate", args=[conversation.pk]
            ),
            "changelist_url": reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"),
        }
        return render(request, self.page_template, context, status=status)

    def updates_view(self, request, object_id):
        context = {"attachment_url_name": f"{self.admin_site.name}:conversations_conversation_attachment"}
        return thread_updates(request, self._thread(request, object_id), by_supplier=True, context=context)

    def translate_view(self, request, object_id):
        conversation = self._thread(request, object_id)  # first: another supplier's thread is a 404, not a redirect
        if request.method != "POST":
            return redirect(reverse(f"{self.admin_site.name}:conversations_conversation_change", args=[object_id]))
        if not services.conversation_translate(conversation=conversation, language=base_language(get_language())):
            flash.info(request, _("Nothing more could be translated."))
        return redirect(reverse(f"{self.admin_site.name}:conversations_conversation_change", args=[conversation.pk]))

    def attachment_view(self, request, object_id, message_id):
        return attachment_download(self._thread(request, object_id), message_id)
