"""Conversations over the API: the buyer's threads, a supplier's inbox, messages with their translation into the
request's language (Accept-Language) beside the original, attachments as links, read receipts."""

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import StrictCharField
from core.languages import base_language
from suppliers.api.serializers import SupplierSummarySerializer

from ..models import MESSAGE_MAX_CHARS, Conversation, Message, MessageTranslation


class TopicSerializer(serializers.Serializer):
    """What the thread is about, when anything: a product, an RFQ, an order, a live session."""

    type = serializers.CharField(help_text="The kind of row, e.g. marketplace.product.")
    id = serializers.IntegerField()
    name = serializers.CharField()


class BuyerSerializer(serializers.Serializer):
    """Who is asking, as the supplier's staff see it (no contact details: the thread is the channel)."""

    name = serializers.SerializerMethodField()
    company_name = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_company_name(self, user):
        profile = getattr(user, "buyer_profile", None)
        return profile.company_name if profile else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_country(self, user):
        profile = getattr(user, "buyer_profile", None)
        return str(profile.country) if profile and profile.country else None


class MessageTranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageTranslation
        fields = ["language", "text", "status", "provider", "model", "created_at"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    sender_name = serializers.SerializerMethodField()
    translation = serializers.SerializerMethodField()
    attachment = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "body",
            "language",
            "translation",
            "from_supplier",
            "sender_name",
            "via_agent",
            "attachment",
            "read",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "body": {"help_text": "The message as its sender wrote it (never replaced by a translation)."},
            "language": {"help_text": "The language the sender wrote in."},
            "via_agent": {"help_text": "The buyer's AI assistant that wrote it for the buyer; empty if none."},
        }

    def get_sender_name(self, message) -> str:
        return message.sender.get_full_name()

    @extend_schema_field(MessageTranslationSerializer(allow_null=True))
    def get_translation(self, message):
        """The message in the request's language, when one was made (null when it is in that language already)."""
        language = base_language(get_language())
        found = getattr(message, "translated", None)
        if found is None:
            found = [t for t in message.translations.all() if t.language == language]
        return MessageTranslationSerializer(found[0]).data if found else None

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_attachment(self, message):
        """{name, content_type, size, url}: the url needs the same credentials as the thread."""
        if not message.attachment:
            return None
        name = self.context.get("attachment_url_name", "api-conversation-attachment")
        request = self.context.get("request")
        url = reverse(name, args=[message.conversation_id, message.pk])
        return {
            "name": message.attachment_name,
            "content_type": message.attachment_type,
            "size": message.attachment_size,
            "url": request.build_absolute_uri(url) if request else url,
        }

    def get_read(self, message) -> bool:
        """Whether the other side has opened the thread since this message was sent."""
        conversation = self.context.get("conversation")
        if conversation is None:
            return False
        seen = conversation.buyer_read_at if message.from_supplier else conversation.supplier_read_at
        return seen is not None and seen >= message.created_at


class _ConversationFields(serializers.ModelSerializer):
    topic = serializers.SerializerMethodField()

    @extend_schema_field(TopicSerializer(allow_null=True))
    def get_topic(self, conversation):
        topic = conversation.topic
        if topic is None:
            return None
        return {"type": topic._meta.label_lower, "id": topic.pk, "name": str(topic)}


COMMON_FIELDS = [
    "id",
    "kind",
    "subject",
    "status",
    "quantity",
    "topic",
    "created_at",
    "first_response_at",
    "last_message_at",
]


class ConversationSerializer(_ConversationFields):
    """A buyer's view of one of their conversations."""

    supplier = SupplierSummarySerializer(read_only=True)
    unread = serializers.IntegerField(read_only=True, help_text="Supplier messages you have not opened yet.")

    class Meta:
        model = Conversation
        fields = [*COMMON_FIELDS, "supplier", "unread"]
        read_only_fields = fields


class SupplierConversationSerializer(_ConversationFields):
    """Supplier staff's view of a conversation with their company."""

    buyer = BuyerSerializer(read_only=True)

    class Meta:
        model = Conversation
        fields = [*COMMON_FIELDS, "buyer"]
        read_only_fields = fields


class _WithMessages(serializers.Serializer):
    messages = serializers.SerializerMethodField()

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, conversation):
        context = {**self.context, "conversation": conversation}
        return MessageSerializer(conversation.messages.all(), many=True, context=context).data


class ConversationThreadSerializer(_WithMessages, ConversationSerializer):
    class Meta(ConversationSerializer.Meta):
        fields = [*COMMON_FIELDS, "supplier", "messages"]
        read_only_fields = fields


class SupplierConversationThreadSerializer(_WithMessages, SupplierConversationSerializer):
    class Meta(SupplierConversationSerializer.Meta):
        fields = [*SupplierConversationSerializer.Meta.fields, "messages"]
        read_only_fields = fields


class MessageCreateSerializer(serializers.Serializer):
    """A message as multipart/form-data: text, a file, or both."""

    body = StrictCharField(
        max_length=MESSAGE_MAX_CHARS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Plain text; may be empty when a file is attached.",
    )
    attachment = serializers.FileField(
        required=False, help_text="A document or a photo (PDF, PNG, JPEG, GIF, WEBP, XLSX, DOCX, CSV, TXT)."
    )


class MessageCreateJSONSerializer(MessageCreateSerializer):
    """A message as JSON: text only (files travel in multipart)."""

    body = StrictCharField(max_length=MESSAGE_MAX_CHARS, help_text="Plain text.")
    attachment = None
