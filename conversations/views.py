"""Buyer pages: the buyer's conversations with suppliers. Thin: look up the buyer's own thread, call a service,
render. Anybody else's thread is a 404."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response
from core.languages import base_language

from . import selectors, services
from .display import shown_messages
from .forms import MessageForm
from .models import Conversation


def send_from_form(form, *, conversation: Conversation, sender, from_supplier: bool = False) -> bool:
    """Send what a bound MessageForm holds; a refusal by the service lands on the form. True when sent.
    Shared by the buyer's thread page and the seller admin's."""
    if not form.is_valid():
        return False
    try:
        services.message_send(
            conversation=conversation,
            sender=sender,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data["attachment"],
            from_supplier=from_supplier,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _own(request, pk, *, language=None) -> Conversation:
    try:
        return selectors.conversation_get_for_buyer(buyer=request.user, pk=pk, language=language)
    except Conversation.DoesNotExist:
        raise Http404(_("No such conversation.")) from None


@login_required
def conversation_list(request):
    paginator = Paginator(selectors.conversation_list_for_buyer(buyer=request.user).prefetch_related("topic"), 20)
    return render(request, "conversations/list.html", {"page": paginator.get_page(request.GET.get("page"))})


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request, pk):
    language = base_language(get_language())
    conversation = _own(request, pk, language=language)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and send_from_form(form, conversation=conversation, sender=request.user):
        flash.success(request, _("Message sent to %(supplier)s.") % {"supplier": conversation.supplier.name})
        return redirect(conversation)
    if request.method == "GET":
        services.conversation_mark_read(conversation=conversation, by_supplier=False)
    shown = shown_messages(
        conversation, conversation.messages.all(), reader_language=language, reader_is_supplier=False
    )
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "shown": shown,
            "form": form,
            "untranslated": any(item.untranslated for item in shown),
            "last_id": shown[-1].message.pk if shown else 0,
        },
        status=400 if form.errors else 200,
    )


def thread_updates(request, conversation: Conversation, *, by_supplier: bool, context=None) -> JsonResponse:
    """What a polling thread page has not shown yet (`?after=<last id shown>`): the new messages as HTML, and up
    to when the other side has read. Fetching new messages counts as reading them (the page is open).
    Shared by the buyer's page and the seller admin's thread."""
    language = base_language(get_language())
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        return JsonResponse({"errors": {"after": [_("Give the id of the last message shown.")]}}, status=400)
    new = selectors.messages_after(conversation=conversation, after_id=after, language=language)
    if new:
        services.conversation_mark_read(conversation=conversation, by_supplier=by_supplier)
    shown = shown_messages(conversation, new, reader_language=language, reader_is_supplier=by_supplier)
    html = render_to_string(
        "conversations/_messages.html",
        {"conversation": conversation, "shown": shown, **(context or {})},
        request=request,
    )
    read_at = conversation.buyer_read_at if by_supplier else conversation.supplier_read_at
    return JsonResponse(
        {
            "html": html if shown else "",
            "last_id": shown[-1].message.pk if shown else after,
            "read_up_to": read_at.timestamp() if read_at else None,
        }
    )


def attachment_download(conversation: Conversation, message_id: int):
    """The file of one message of a thread the caller may read (checked by the caller)."""
    message = conversation.messages.exclude(attachment="").filter(pk=message_id).first()
    if message is None:
        raise Http404(_("No such file."))
    return private_file_response(
        message.attachment, filename=message.attachment_name, content_type=message.attachment_type
    )


@login_required
@require_GET
def conversation_updates(request, pk):
    return thread_updates(request, _own(request, pk), by_supplier=False)


@login_required
@require_POST
def conversation_translate(request, pk):
    conversation = _own(request, pk)
    made = services.conversation_translate(conversation=conversation, language=base_language(get_language()))
    if not made:
        flash.info(request, _("Nothing more could be translated."))
    return redirect(conversation)


@login_required
@require_GET
def message_attachment(request, pk, message_id):
    return attachment_download(_own(request, pk), message_id)
