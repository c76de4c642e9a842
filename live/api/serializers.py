"""Live sessions over the API: what buyers see of a session, and what they send (a question)."""

from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import serializers

from conversations.models import MESSAGE_MAX_CHARS
from core.api.fields import StrictCharField
from suppliers.api.serializers import SupplierSummarySerializer

from ..models import LiveSession, LiveStatus


def _absolute(serializer, url):
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


class LiveProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    def get_title(self, product) -> str:
        return product.localized_title(get_language())

    def get_web_url(self, product) -> str:
        return _absolute(self, product.get_absolute_url())


class LiveSessionSerializer(serializers.ModelSerializer):
    supplier = SupplierSummarySerializer(read_only=True)
    status = serializers.SerializerMethodField()
    products = LiveProductSerializer(many=True, read_only=True, help_text="Published products shown.")
    provider_host = serializers.CharField(read_only=True, help_text="Where the stream is watched.")
    watch_url = serializers.SerializerMethodField(
        help_text="The external stream: given while the session is live and shortly before; null otherwise."
    )
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = LiveSession
        fields = [
            "id",
            "title",
            "description",
            "language",
            "starts_at",
            "ends_at",
            "status",
            "supplier",
            "products",
            "provider_host",
            "watch_url",
            "web_url",
        ]
        read_only_fields = fields

    def get_status(self, session) -> LiveStatus:
        return LiveStatus(session.status(self.context.get("now") or timezone.now()))

    def get_watch_url(self, session) -> str | None:
        return session.stream_url if session.watch_open(self.context.get("now")) else None

    def get_web_url(self, session) -> str:
        return _absolute(self, session.get_absolute_url())


class LiveSessionDetailSerializer(LiveSessionSerializer):
    registered = serializers.SerializerMethodField(
        help_text="The signed-in buyer asked for a reminder (null: anonymous)."
    )

    class Meta(LiveSessionSerializer.Meta):
        fields = [*LiveSessionSerializer.Meta.fields, "registered"]
        read_only_fields = fields

    def get_registered(self, session) -> bool | None:
        return self.context.get("registered")


class RegistrationSerializer(serializers.Serializer):
    registered = serializers.BooleanField(read_only=True)


class QuestionSerializer(serializers.Serializer):
    body = StrictCharField(max_length=MESSAGE_MAX_CHARS, help_text="The question, plain text.")


class QuestionResultSerializer(serializers.Serializer):
    conversation_id = serializers.IntegerField(read_only=True, help_text="The buyer's thread about this session.")
