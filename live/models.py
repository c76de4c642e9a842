"""Live sessions: a supplier goes live on camera (on an external video provider) showing some of its products;
buyers register for a reminder and ask questions in the session's conversation.

A session's status is derived from the clock, never stored: upcoming before `starts_at`, live until `ends_at`,
ended after. A cancelled session (`cancelled_at`) is hidden from buyers.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Product, validate_https_url
from suppliers.models import Supplier

# Checked in clean() and the services, not by the database: on SQLite a date arithmetic CHECK would call a
# Python function that only Django's connections have.
MAX_DURATION = timedelta(hours=12)
# The "Watch" link shows this long before the start, so buyers can open the provider's page early.
WATCH_OPENS_BEFORE = timedelta(minutes=10)
# Badges and lists show upcoming sessions this far ahead.
UPCOMING_HORIZON = timedelta(days=14)


class LiveStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", _("Live now")
    ENDED = "ended", _("Ended")


def live_q(now) -> Q:
    return Q(starts_at__lte=now, ends_at__gt=now)


def upcoming_q(now) -> Q:
    return Q(starts_at__gt=now)


def ended_q(now) -> Q:
    return Q(ends_at__lte=now)


class LiveSessionQuerySet(models.QuerySet):
    def visible(self):
        """What buyers see: every session that was not cancelled."""
        return self.filter(cancelled_at__isnull=True)

    def with_status(self, status: str, *, now=None):
        now = now or timezone.now()
        condition = {LiveStatus.LIVE: live_q, LiveStatus.UPCOMING: upcoming_q, LiveStatus.ENDED: ended_q}[status]
        return self.filter(condition(now))


class LiveSession(models.Model):
    SUPPLIER_PATH = "supplier"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="live_sessions", verbose_name=_("supplier")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    stream_url = models.URLField(
        _("stream address"),
        max_length=500,
        validators=[validate_https_url],
        help_text=_("The https:// page of the stream on your video provider. No video is hosted on Silkway."),
    )
    products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="live_sessions",
        verbose_name=_("products shown"),
        help_text=_("Your own products shown during the session."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="live_session_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"]),
            models.Index(fields=["supplier", "starts_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("live:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError(
                    {"ends_at": ValidationError(_("The session must end after it starts."), code="ends_before_start")}
                )
            if self.ends_at - self.starts_at > MAX_DURATION:
                raise ValidationError(
                    {
                        "ends_at": ValidationError(
                            _("A session lasts at most %(hours)d hours.")
                            % {"hours": MAX_DURATION // timedelta(hours=1)},
                            code="too_long",
                        )
                    }
                )

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return LiveStatus.UPCOMING
        if now < self.ends_at:
            return LiveStatus.LIVE
        return LiveStatus.ENDED

    def watch_open(self, now=None) -> bool:
        """The external stream link is offered while live and shortly before."""
        now = now or timezone.now()
        return self.cancelled_at is None and self.starts_at - WATCH_OPENS_BEFORE <= now < self.ends_at

    @property
    def provider_host(self) -> str:
        host = urlsplit(self.stream_url).hostname or ""
        return host.removeprefix("www.")


class LiveRegistration(models.Model):
    """A buyer asked to be reminded of a session (e-mailed once, shortly before it starts)."""

    SUPPLIER_PATH = "session__supplier"

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="registrations")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_registrations")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["session", "buyer"], name="live_registration_once")]
        indexes = [models.Index(fields=["reminded_at", "session"])]

    def __str__(self):
        return f"{self.buyer_id} → {self.session_id}"
