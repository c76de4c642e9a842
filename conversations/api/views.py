"""Conversations over the API. Thin: parse with a serializer, read scoped, write through conversations.services
(the rules the pages follow), answer with a serializer.

Buyer-owned (tenant="buyer"): the signed-in buyer's threads. Supplier-owned (tenant="supplier"): the inbox of the
staff member's supplier. Anybody else's thread is a 404, never a 403. Starting a product or storefront inquiry is
marketplace's endpoint (POST /api/v1/inquiries/): it knows what may be asked about.
"""

import django_filters
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.filters import StrictFilterSet
from core.api.pagination import KeysetOrdering
from core.files import private_file_response
from core.languages import base_language
from suppliers.api.scoping import IsSupplierStaff, TenantScopedViewMixin

from .. import selectors, services
from ..models import Conversation, ConversationKind, ConversationStatus
from .serializers import (
    ConversationSerializer,
    ConversationThreadSerializer,
    MessageCreateJSONSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    SupplierConversationSerializer,
    SupplierConversationThreadSerializer,
)

ORDERINGS = {
    "recent": KeysetOrdering("last_message_at", descending=True, label="latest message first"),
    "oldest": KeysetOrdering("created_at", label="oldest conversation first"),
}


def _messages_prefetch():
    return selectors.messages_prefetch(language=base_language(get_language()))


class ConversationFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=ConversationStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ConversationKind.choices)

    class Meta:
        model = Conversation
        fields = []


SEND = {
    "request": {"application/json": MessageCreateJSONSerializer, "multipart/form-data": MessageCreateSerializer},
    "responses": {201: MessageSerializer},
}


class _ThreadViewSet(TenantScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What the buyer's threads and a supplier's inbox share: list, read one, write, mark read, translate."""

    from_supplier = False
    parser_classes = [JSONParser, MultiPartParser]
    lookup_value_converter = "id"
    filterset_class = ConversationFilter
    keyset_orderings = ORDERINGS
    default_ordering = "recent"
    list_serializer_class: type = ConversationSerializer
    thread_serializer_class: type = ConversationThreadSerializer

    def get_serializer_class(self):
        return self.list_serializer_class if self.action == "list" else self.thread_serializer_class

    @action(detail=True, methods=["post"], filterset_class=None)
    def messages(self, request, pk=None):
        conversation = self.get_object()
        multipart = request.content_type.startswith("multipart/")
        serializer = (MessageCreateSerializer if multipart else MessageCreateJSONSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_send(
            conversation=conversation,
            sender=request.user,
            body=serializer.validated_data.get("body", ""),
            attachment=serializer.validated_data.get("attachment"),
            from_supplier=self.from_supplier,
        )
        context = {**self.get_serializer_context(), "conversation": conversation}
        return Response(MessageSerializer(message, context=context).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filterset_class=None)
    def read(self, request, pk=None):
        conversation = self.get_object()
        services.conversation_mark_read(conversation=conversation, by_supplier=self.from_supplier)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], filterset_class=None)
    def translate(self, request, pk=None):
        conversation = self.get_object()
        services.conversation_translate(conversation=conversation, language=base_language(get_language()))
        conversation = self.get_queryset().prefetch_related(_messages_prefetch()).get(pk=conversation.pk)
        return Response(self.thread_serializer_class(conversation, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="My conversations with suppliers", tags=["conversations"]),
    retrieve=extend_schema(summary="One of my conversations, with its messages", tags=["conversations"]),
    messages=extend_schema(summary="Write in my conversation", tags=["conversations"], **SEND),
    read=extend_schema(
        summary="Mark my conversation read", tags=["conversations"], request=None, responses={204: None}
    ),
    translate=extend_schema(
        summary="Translate my conversation into my language (Accept-Language)",
        tags=["conversations"],
        request=None,
        responses={200: ConversationThreadSerializer},
    ),
)
class ConversationViewSet(_ThreadViewSet):
    """A buyer's own threads with suppliers (inquiries, RFQs, orders, after-sales, live-session questions)."""

    tenant = "buyer"
    buyer_path = "buyer"
    permission_classes = [IsAuthenticated]

    def safely_get_queryset(self):
        queryset = Conversation.objects.select_related("supplier").prefetch_related("topic")
        if self.action == "list":
            return selectors.with_unread_for_buyer(queryset)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(_messages_prefetch())
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Conversations with my supplier", tags=["supplier inbox"]),
    retrieve=extend_schema(summary="A conversation with my supplier, with its messages", tags=["supplier inbox"]),
    messages=extend_schema(summary="Answer as the supplier", tags=["supplier inbox"], **SEND),
    read=extend_schema(
        summary="Mark a conversation read", tags=["supplier inbox"], request=None, responses={204: None}
    ),
    translate=extend_schema(
        summary="Translate a conversation into my language (Accept-Language)",
        tags=["supplier inbox"],
        request=None,
        responses={200: SupplierConversationThreadSerializer},
    ),
)
class SupplierConversationViewSet(_ThreadViewSet):
    """The inbox of the signed-in staff member's supplier; other suppliers' conversations are a 404."""

    tenant = "supplier"
    from_supplier = True
    permission_classes = [IsSupplierStaff]
    list_serializer_class = SupplierConversationSerializer
    thread_serializer_class = SupplierConversationThreadSerializer

    def safely_get_queryset(self):
        queryset = Conversation.objects.select_related("buyer__buyer_profile").prefetch_related("topic")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(_messages_prefetch())
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "attachment_url_name": "api-supplier-conversation-attachment"}


@extend_schema(
    summary="A file attached to a message",
    tags=["conversations"],
    responses={(200, "application/octet-stream"): bytes},
)
class AttachmentView(TenantScopedViewMixin, generics.GenericAPIView):
    """The file of one message, for the thread's buyer or its supplier's staff only."""

    def get_permissions(self):
        return [IsSupplierStaff()] if self.tenant == "supplier" else [IsAuthenticated()]

    def safely_get_queryset(self):
        return Conversation.objects.all()

    def get(self, request, pk, message_id):
        conversation = self.get_queryset().filter(pk=pk).first()
        message = None
        if conversation is not None:
            message = conversation.messages.exclude(attachment="").filter(pk=message_id).first()
        if message is None:
            raise NotFound()
        return private_file_response(
            message.attachment, filename=message.attachment_name, content_type=message.attachment_type
        )
