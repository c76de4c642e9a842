"""Threads between one buyer and one supplier, their messages, and translations of those messages.

A conversation knows nothing of what it is about: the app that starts one (a product inquiry in marketplace, an RFQ
in sourcing, an order in deals, a live session in live) names its `kind` and points `topic` at its own row.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import RandomName, private_storage
from suppliers.models import Supplier

MESSAGE_MAX_CHARS = 5000


class ConversationKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    RFQ = "rfq", _("Request for quotation")
    ORDER = "order", _("Order")
    AFTER_SALES = "after_sales", _("After-sales")
    LIVE = "live", _("Live session question")


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Awaiting supplier")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    SUPPLIER_PATH = "supplier"

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("buyer")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("supplier")
    )
    kind = models.CharField(
        pgettext_lazy("conversation", "about"),
        max_length=12,
        choices=ConversationKind.choices,
        default=ConversationKind.INQUIRY,
    )
    subject = models.CharField(_("subject"), max_length=200)
    # What the thread is about (a product, an RFQ, an order, a live session), owned by the app that started it.
    topic_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("topic type")
    )
    topic_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("topic"))
    topic = GenericForeignKey("topic_type", "topic_id")
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True, validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    created_at = models.DateTimeField(_("started"))
    first_response_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"))
    # Read receipts: each side's last look at the thread. A message is read once the other side looked after it.
    buyer_read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read by the buyer"))
    supplier_read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read by the supplier"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ConversationStatus.values), name="conversation_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ConversationKind.values), name="conversation_kind_valid"),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True) | Q(first_response_at__gte=F("created_at")),
                name="conversation_response_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(topic_type__isnull=True, topic_id__isnull=True)
                | Q(topic_type__isnull=False, topic_id__isnull=False),
                name="conversation_topic_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["supplier", "created_at"]),
            models.Index(fields=["buyer", "-last_message_at"]),
            models.Index(fields=["supplier", "status", "last_message_at"]),
            models.Index(fields=["topic_type", "topic_id"]),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("conversations:detail", args=[self.pk])


class Message(models.Model):
    SUPPLIER_PATH = "conversation__supplier"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sender")
    )
    from_supplier = models.BooleanField(default=False, verbose_name=_("from the supplier"))
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_CHARS, blank=True)
    # The language the sender wrote in (detected on send): what translations are made from.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The buyer's AI assistant that wrote it for the buyer (agents/), shown to the supplier.
    via_agent = models.CharField(_("written by the buyer's AI assistant"), max_length=255, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=RandomName("conversations"), storage=private_storage, blank=True
    )
    attachment_name = models.CharField(max_length=200, blank=True, verbose_name=_("attachment name"))
    attachment_type = models.CharField(max_length=100, blank=True, verbose_name=_("attachment type"))
    attachment_size = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("attachment size"))
    created_at = models.DateTimeField(verbose_name=_("sent"))
    # Set when the other side was e-mailed about this unanswered message (once).
    notified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("notified"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body="") | ~Q(attachment=""), name="message_has_content"),
        ]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self):
        return self.body[:60] or self.attachment_name


class TranslationStatus(models.TextChoices):
    TRANSLATED = "translated", _("Machine-translated")
    PARTIAL = "partial", _("Trade terms translated")
    NOT_TRANSLATED = "not_translated", _("Not machine-translated")


class MessageTranslation(models.Model):
    """A message in one reader's language, beside (never instead of) the original, with where it came from."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="translations", verbose_name=_("message")
    )
    language = models.CharField(max_length=10, verbose_name=_("language"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    status = models.CharField(max_length=16, choices=TranslationStatus.choices, verbose_name=_("status"))
    provider = models.CharField(max_length=20, verbose_name=_("provider"))
    model = models.CharField(max_length=100, blank=True, verbose_name=_("model"))
    prompt_version = models.CharField(max_length=20, blank=True, verbose_name=_("prompt version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("message translation")
        verbose_name_plural = _("message translations")
        constraints = [
            models.UniqueConstraint(fields=["message", "language"], name="message_translation_once"),
            models.CheckConstraint(
                condition=Q(status__in=TranslationStatus.values), name="message_translation_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.language}: {self.text[:60]}"


class QuickReply(models.Model):
    """A seller's saved answer to a question buyers often ask, inserted into the reply box with one click."""

    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="quick_replies", verbose_name=_("supplier")
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"), max_length=MESSAGE_MAX_CHARS)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "title"], name="quick_reply_title_once")]

    def __str__(self):
        return self.title
