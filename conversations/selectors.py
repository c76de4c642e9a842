"""Reads that pages, the seller admin, the API and agents share: each scoped to who is reading."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from .models import Conversation, Message, MessageTranslation


def with_unread_for_buyer(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Annotate `unread`: the supplier messages sent after the buyer last opened the thread."""
    return queryset.annotate(
        unread=Count(
            "messages",
            filter=Q(messages__from_supplier=True)
            & (Q(buyer_read_at__isnull=True) | Q(messages__created_at__gt=F("buyer_read_at"))),
        )
    )


def conversation_list_for_buyer(*, buyer) -> QuerySet[Conversation]:
    """A buyer's threads, newest activity first, with how many supplier messages they have not read."""
    # Ordered explicitly: Meta.ordering is not applied to the GROUP BY query the unread count makes.
    return with_unread_for_buyer(Conversation.objects.filter(buyer=buyer).select_related("supplier")).order_by(
        "-last_message_at", "-id"
    )


def conversation_list_for_supplier(*, supplier_id: int) -> QuerySet[Conversation]:
    """A supplier's inbox: threads awaiting its answer first (oldest wait first), then the rest by activity."""
    return Conversation.objects.filter(supplier_id=supplier_id).select_related("buyer__buyer_profile")


def messages_prefetch(*, language: str | None = None) -> Prefetch:
    """A thread's messages in reading order, with the sender and, when asked, the translation into `language`."""
    queryset = Message.objects.select_related("sender").order_by("created_at", "id")
    # The API's thread serializer reads `.translated` too: one query for the whole thread.
    if language:
        queryset = queryset.prefetch_related(
            Prefetch(
                "translations", queryset=MessageTranslation.objects.filter(language=language), to_attr="translated"
            )
        )
    return Prefetch("messages", queryset=queryset)


def conversation_get_for_buyer(*, buyer, pk: int, language: str | None = None) -> Conversation:
    """A buyer's own thread with its messages; anybody else's raises Conversation.DoesNotExist."""
    return (
        Conversation.objects.filter(buyer=buyer)
        .select_related("supplier")
        .prefetch_related(messages_prefetch(language=language))
        .get(pk=pk)
    )


def conversation_get_for_supplier(*, supplier_id: int, pk: int, language: str | None = None) -> Conversation:
    return (
        Conversation.objects.filter(supplier_id=supplier_id)
        .select_related("buyer__buyer_profile", "supplier")
        .prefetch_related(messages_prefetch(language=language))
        .get(pk=pk)
    )


def messages_after(*, conversation: Conversation, after_id: int, language: str | None = None) -> list[Message]:
    """Messages of a thread newer than `after_id` (what a polling page has not shown yet)."""
    queryset = conversation.messages.filter(pk__gt=after_id).select_related("sender").order_by("created_at", "id")
    if language:
        queryset = queryset.prefetch_related(
            Prefetch(
                "translations", queryset=MessageTranslation.objects.filter(language=language), to_attr="translated"
            )
        )
    return list(queryset)
