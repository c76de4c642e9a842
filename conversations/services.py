"""Writes on conversations: start a thread, send a message, mark read, close, translate, notify.

Every interface (buyer pages, the seller admin, the API, buyers' AI agents, tasks) comes through here, so the rules
on what a message may be and who may write where live once.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import site_url, user_email_send
from core.languages import base_language, normalize_language
from suppliers.models import Supplier
from suppliers.tenancy import works_for

from . import ai, attachments
from .models import (
    MESSAGE_MAX_CHARS,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Message,
    MessageTranslation,
)

log = logging.getLogger(__name__)

# Markup that has no business in a plain-text message: refused rather than silently stripped, so the sender knows.
_ACTIVE_MARKUP = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|svg|form)\b|javascript\s*:", re.IGNORECASE)


def _clean_body(body: str, *, has_attachment: bool) -> str:
    body = (body or "").strip()
    if not body and not has_attachment:
        raise ValidationError({"body": ValidationError(_("Write a message or attach a file."), code="empty")})
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("Keep a message under %(max)s characters (this one has %(n)s); attach long documents as a file.")
                    % {"max": f"{MESSAGE_MAX_CHARS:,}", "n": f"{len(body):,}"},
                    code="too_long",
                )
            }
        )
    if _ACTIVE_MARKUP.search(body):
        raise ValidationError(
            {
                "body": ValidationError(
                    _("Messages are plain text: remove the HTML or script markup and send it again."), code="markup"
                )
            }
        )
    return body


def _add_message(
    conversation: Conversation, *, sender, body: str, from_supplier: bool, via_agent: str, attachment, at
) -> Message:
    message = Message(
        conversation=conversation,
        sender=sender,
        from_supplier=from_supplier,
        body=body,
        language=ai.detect_language(body) if body else "",
        via_agent=(via_agent or "")[:255],
        created_at=at,
    )
    if attachment is not None:
        message.attachment_name = attachment.display_name
        message.attachment_type = attachment.content_type
        message.attachment_size = attachment.size
        message.attachment.save(attachment.display_name, attachment.file, save=False)
    message.save()
    # Translated for the other side once committed: the sender never waits for a model.
    transaction.on_commit(lambda: _queue_translation(message.pk))
    return message


def _queue_translation(message_id: int) -> None:
    from .tasks import message_translate_for_counterpart_task

    message_translate_for_counterpart_task.delay(message_id)


@transaction.atomic
def conversation_start(
    *,
    buyer,
    supplier: Supplier,
    body: str,
    kind: str = ConversationKind.INQUIRY,
    subject: str = "",
    topic=None,
    quantity: int | None = None,
    via_agent: str = "",
    attachment=None,
) -> Conversation:
    """A buyer opens a thread with a supplier; `topic` is the row it is about (a product, an RFQ, an order...).
    The first line of the message is the subject when none is given. `attachment`: an uploaded file."""
    checked = attachments.check(attachment) if attachment is not None else None
    body = _clean_body(body, has_attachment=checked is not None)
    if kind not in ConversationKind.values:
        raise ValidationError({"kind": _("Choose what the conversation is about.")})
    if quantity is not None and quantity < 1:
        raise ValidationError({"quantity": _("Quantity must be at least 1.")})
    if works_for(buyer, supplier.pk):
        raise ValidationError(_("You cannot send an inquiry to your own company."), code="own_company")
    now = timezone.now()
    subject = (subject or (body.splitlines()[0] if body else checked.display_name if checked else "")).strip()
    conversation = Conversation(
        buyer=buyer,
        supplier=supplier,
        kind=kind,
        subject=subject[:200],
        quantity=quantity,
        created_at=now,
        last_message_at=now,
        buyer_read_at=now,
    )
    if topic is not None:
        conversation.topic = topic
    conversation.save()
    _add_message(
        conversation, sender=buyer, body=body, from_supplier=False, via_agent=via_agent, attachment=checked, at=now
    )
    return conversation


@transaction.atomic
def topic_message_send(
    *, buyer, supplier: Supplier, kind: str, topic, subject: str, body: str, attachment=None
) -> Conversation:
    """The buyer writes to `supplier` about `topic` (an RFQ, an order, a live session): in their open thread about
    it, or in a new one (the first message opens it; a closed thread is followed by a new one)."""
    existing = (
        Conversation.objects.filter(
            buyer=buyer,
            supplier=supplier,
            kind=kind,
            topic_type=ContentType.objects.get_for_model(topic),
            topic_id=topic.pk,
        )
        .exclude(status=ConversationStatus.CLOSED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if existing is not None:
        message_send(conversation=existing, sender=buyer, body=body, attachment=attachment, from_supplier=False)
        return existing
    return conversation_start(
        buyer=buyer, supplier=supplier, kind=kind, subject=subject, topic=topic, body=body, attachment=attachment
    )


@transaction.atomic
def message_send(
    *, conversation: Conversation, sender, body: str, from_supplier: bool, via_agent: str = "", attachment=None
) -> Message:
    """A message in an existing thread, by its buyer (`from_supplier=False`) or by its supplier's staff.
    Anybody else is refused: callers look the thread up scoped, and this checks again."""
    checked = attachments.check(attachment) if attachment is not None else None
    body = _clean_body(body, has_attachment=checked is not None)
    # Lock first: a close that commits between a check and the lock would otherwise be answered anyway.
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    allowed = works_for(sender, conversation.supplier_id) if from_supplier else sender.pk == conversation.buyer_id
    if not allowed:
        raise ValidationError(_("You are not part of this conversation."), code="not_participant")
    if conversation.status == ConversationStatus.CLOSED:
        raise ValidationError(_("This conversation is closed."), code="closed")
    now = timezone.now()
    message = _add_message(
        conversation,
        sender=sender,
        body=body,
        from_supplier=from_supplier,
        via_agent=via_agent,
        attachment=checked,
        at=now,
    )
    conversation.last_message_at = now
    fields = ["last_message_at", "status"]
    if from_supplier:
        conversation.status = ConversationStatus.ANSWERED
        if conversation.first_response_at is None:
            conversation.first_response_at = now
            fields.append("first_response_at")
        conversation.supplier_read_at = now
        fields.append("supplier_read_at")
        # The buyer hears of the answer by e-mail, once it is committed.
        from .tasks import message_reply_notify_task

        transaction.on_commit(lambda: message_reply_notify_task.delay(message.pk))
    else:
        conversation.status = ConversationStatus.OPEN
        conversation.buyer_read_at = now
        fields.append("buyer_read_at")
    conversation.save(update_fields=fields)
    return message


def conversation_mark_read(*, conversation: Conversation, by_supplier: bool) -> None:
    """The reader saw the thread now: the other side's messages up to now show as read. One UPDATE, no lock."""
    field = "supplier_read_at" if by_supplier else "buyer_read_at"
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(**{field: now})
    setattr(conversation, field, now)


@transaction.atomic
def conversation_close(*, conversation: Conversation) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    conversation.status = ConversationStatus.CLOSED
    conversation.save(update_fields=["status"])
    return conversation


# --- translations --------------------------------------------------------------------------------------------


def supplier_reading_language(supplier: Supplier) -> str:
    """The language a supplier's staff read: the first they list, else Chinese for a supplier in China."""
    for code in supplier.languages or []:
        language = normalize_language(code)
        if language:
            return language
    return "zh-hans" if supplier.country == "CN" else "en"


def message_translate(*, message: Message, language: str) -> MessageTranslation | None:
    """The message in `language`, made once and kept beside the original with its provenance. None when the
    message is already in that language (or has no text)."""
    language = base_language(language)
    if not message.body or base_language(message.language or "en") == language:
        return None
    existing = MessageTranslation.objects.filter(message=message, language=language).first()
    if existing is not None:
        return existing
    result = ai.translate_message(message.body, source=message.language or "en", target=language)
    try:
        with transaction.atomic():
            return MessageTranslation.objects.create(
                message=message,
                language=language,
                text=result.text,
                status=result.status,
                provider=result.provider,
                model=result.model,
                prompt_version=result.prompt_version,
            )
    except IntegrityError:  # translated meanwhile by another request or task: keep the first
        return MessageTranslation.objects.get(message=message, language=language)


def message_translate_for_counterpart(*, message_id: int) -> MessageTranslation | None:
    """Translate a new message into the language of whoever reads it next (the buyer's profile language, or the
    supplier's reading language). Nothing for a message that is gone."""
    message = (
        Message.objects.select_related("conversation__supplier", "conversation__buyer__buyer_profile")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return None
    conversation = message.conversation
    if message.from_supplier:
        profile = getattr(conversation.buyer, "buyer_profile", None)
        language = profile.preferred_language if profile is not None else "en"
    else:
        language = supplier_reading_language(conversation.supplier)
    return message_translate(message=message, language=language)


def conversation_translate(*, conversation: Conversation, language: str) -> int:
    """Translate every message of a thread the reader cannot read yet into `language` (the reader's "Translate"
    button). Returns how many translations were made."""
    language = base_language(language)
    missing = conversation.messages.exclude(body="").exclude(
        Exists(MessageTranslation.objects.filter(message=OuterRef("pk"), language=language))
    )
    made = 0
    for message in missing:
        if message_translate(message=message, language=language) is not None:
            made += 1
    return made


# --- notifications -------------------------------------------------------------------------------------------


def message_reply_notify(*, message_id: int) -> int:
    """E-mails the buyer that the supplier answered: a link to the thread, in the buyer's language; not the answer
    itself (the conversation stays on the platform). Nothing for a message that is gone or the buyer's own."""
    message = (
        Message.objects.select_related("conversation__buyer", "conversation__supplier")
        .filter(pk=message_id, from_supplier=True)
        .first()
    )
    if message is None or not message.conversation.buyer.is_active:
        return 0
    conversation = message.conversation
    return user_email_send(
        user=conversation.buyer,
        template="conversations/email/reply",
        context={"conversation": conversation, "conversation_url": site_url(conversation.get_absolute_url())},
    )


def unanswered_notify(*, now=None) -> int:
    """E-mail the other side about messages left unanswered for UNANSWERED_NOTIFY_MINUTES: the supplier's staff
    about a buyer's message, the buyer about a supplier's question. Once per message; the newest unanswered message
    of a thread stands for the thread. Returns how many e-mails were sent."""
    now = now or timezone.now()
    delay = timedelta(minutes=settings.UNANSWERED_NOTIFY_MINUTES)
    newer = Message.objects.filter(conversation=OuterRef("conversation"), created_at__gt=OuterRef("created_at"))
    waiting = (
        Message.objects.filter(
            notified_at__isnull=True,
            created_at__lte=now - delay,
            created_at__gte=now - delay - timedelta(days=3),  # an old backlog is not mailed all at once
        )
        .exclude(conversation__status=ConversationStatus.CLOSED)
        .exclude(Exists(newer))
        .select_related("conversation__buyer", "conversation__supplier")
        # Each supplier's staff once for the whole batch, not a query per message.
        .prefetch_related("conversation__supplier__memberships__user")
    )
    sent = 0
    for message in waiting[:500]:
        # Claim it first: two beat runs never mail the same message twice.
        if not Message.objects.filter(pk=message.pk, notified_at__isnull=True).update(notified_at=now):
            continue
        conversation = message.conversation
        url = site_url(conversation.get_absolute_url())
        if message.from_supplier:
            read = conversation.buyer_read_at is not None and conversation.buyer_read_at >= message.created_at
            recipients = [] if read or not conversation.buyer.is_active else [conversation.buyer]
        else:
            read = conversation.supplier_read_at is not None and conversation.supplier_read_at >= message.created_at
            url = site_url(reverse("seller:conversations_conversation_change", args=[conversation.pk]))
            recipients = [] if read else [m.user for m in conversation.supplier.memberships.all()]
        for user in recipients:
            if not user.is_active:
                continue
            try:
                sent += user_email_send(
                    user=user,
                    template="conversations/email/unanswered",
                    context={"conversation": conversation, "message": message, "conversation_url": url},
                )
            except OSError as error:  # the mail server is down: say so, keep the claim (mailed at most once)
                log.warning("unanswered notice for message %s not sent: %s", message.pk, error)
    return sent
