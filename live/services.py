"""Writes on live sessions: schedule, change, cancel; buyers' registrations and questions; reminders.

Pages, the seller admin, the API, tasks and the demo seed all come through here, so the rules on what a session
may be live once (`session_check`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import site_url, user_email_send
from conversations import services as conversation_services
from conversations.models import Conversation, ConversationKind
from core.public_cache import public_cache_invalidate
from marketplace.models import Product, validate_https_url
from suppliers.models import Supplier
from suppliers.tenancy import works_for

from .models import MAX_DURATION, LiveRegistration, LiveSession, LiveStatus

log = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(minutes=15)
# The beat runs every 5 minutes: a session that started since the last run still gets its (late) reminder.
REMINDER_GRACE = timedelta(minutes=5)
SESSION_FIELDS = ("title", "description", "language", "starts_at", "ends_at", "stream_url")


def session_check(
    *,
    supplier_id: int | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    stream_url: str | None = None,
    products: Iterable[Product] = (),
    ended_ok: bool = True,
    now: datetime | None = None,
) -> None:
    """Every rule on a session's fields, as one ValidationError keyed by field (what forms, the admin and the API
    show beside the field). `ended_ok=False` refuses a session that would already be over (a new one)."""
    errors: dict[str, list[ValidationError]] = {}
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors.setdefault("ends_at", []).append(
                ValidationError(_("The session must end after it starts."), code="ends_before_start")
            )
        elif ends_at - starts_at > MAX_DURATION:
            errors.setdefault("ends_at", []).append(
                ValidationError(
                    _("A session lasts at most %(hours)d hours.") % {"hours": MAX_DURATION // timedelta(hours=1)},
                    code="too_long",
                )
            )
        elif not ended_ok and ends_at <= (now or timezone.now()):
            errors.setdefault("ends_at", []).append(
                ValidationError(_("This time is already over: choose a future time."), code="in_the_past")
            )
    if stream_url is not None:
        try:
            validate_https_url(stream_url)
        except ValidationError as error:
            errors.setdefault("stream_url", []).extend(error.error_list)
    foreign = [product for product in products if product.supplier_id != supplier_id]
    if foreign:
        errors.setdefault("products", []).append(
            ValidationError(
                _("Show only your own products (not: %(titles)s).") % {"titles": ", ".join(p.title for p in foreign)},
                code="not_own_product",
            )
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(
    *,
    supplier: Supplier,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    stream_url: str,
    language: str = "en",
    description: str = "",
    products: Iterable[Product] = (),
    now: datetime | None = None,
) -> LiveSession:
    products = list(products)
    session_check(
        supplier_id=supplier.pk,
        starts_at=starts_at,
        ends_at=ends_at,
        stream_url=stream_url,
        products=products,
        ended_ok=False,
        now=now,
    )
    session = LiveSession(
        supplier=supplier,
        title=title,
        description=description,
        language=language,
        starts_at=starts_at,
        ends_at=ends_at,
        stream_url=stream_url,
        created_at=now or timezone.now(),
    )
    session.full_clean()
    session.save()
    session.products.set(products)
    return session


@transaction.atomic
def session_update(*, session: LiveSession, products: Iterable[Product] | None = None, **fields) -> LiveSession:
    """Change any of SESSION_FIELDS and, when given, the products shown."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(session, name, value)
    products = list(products) if products is not None else None
    session_check(
        supplier_id=session.supplier_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        stream_url=session.stream_url,
        products=products or (),
    )
    session.full_clean()
    session.save()
    if products is not None:
        session.products.set(products)
    return session


@transaction.atomic
def session_cancel(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    """Hidden from buyers from now on; registrations stay (nobody is reminded of a cancelled session)."""
    if session.cancelled_at is None:
        session.cancelled_at = now or timezone.now()
        session.save(update_fields=["cancelled_at"])
    return session


# --- buyers ---------------------------------------------------------------------------------------------------


def _registrable(session: LiveSession, buyer, now: datetime) -> None:
    if session.cancelled_at is not None:
        raise ValidationError(_("This session was cancelled."), code="cancelled")
    if session.status(now) == LiveStatus.ENDED:
        raise ValidationError(_("This session has ended."), code="ended")
    if works_for(buyer, session.supplier_id):
        raise ValidationError(_("You cannot register for your own company's session."), code="own_company")


def registration_set(*, session: LiveSession, buyer, registered: bool, now: datetime | None = None) -> bool:
    """Register the buyer for a reminder (or take it back). Idempotent; returns whether they are registered."""
    now = now or timezone.now()
    if not registered:
        LiveRegistration.objects.filter(session=session, buyer=buyer).delete()
        return False
    _registrable(session, buyer, now)
    try:
        with transaction.atomic():
            LiveRegistration.objects.get_or_create(session=session, buyer=buyer, defaults={"created_at": now})
    except IntegrityError:  # registered meanwhile by a double click
        pass
    return True


def registration_toggle(*, session: LiveSession, buyer, now: datetime | None = None) -> bool:
    registered = LiveRegistration.objects.filter(session=session, buyer=buyer).exists()
    return registration_set(session=session, buyer=buyer, registered=not registered, now=now)


@transaction.atomic
def live_question_ask(*, buyer, session: LiveSession, body: str) -> Conversation:
    """The buyer's question about the session, in their one thread with the supplier about it (opened by the
    first question, continued by the next; a closed thread is followed by a new one)."""
    if session.cancelled_at is not None:
        raise ValidationError({"body": ValidationError(_("This session was cancelled."), code="cancelled")})
    return conversation_services.topic_message_send(
        buyer=buyer,
        supplier=session.supplier,
        kind=ConversationKind.LIVE,
        topic=session,
        subject=session.title,
        body=body,
    )


# --- reminders ------------------------------------------------------------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """E-mail registered buyers about sessions starting within REMINDER_BEFORE: once per registration (claimed
    before sending, so two beat runs never mail twice). Returns how many e-mails were sent."""
    now = now or timezone.now()
    due = (
        LiveRegistration.objects.filter(
            reminded_at__isnull=True,
            session__cancelled_at__isnull=True,
            session__starts_at__lte=now + REMINDER_BEFORE,
            session__starts_at__gt=now - REMINDER_GRACE,
            buyer__is_active=True,
        )
        .select_related("session__supplier", "buyer")
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for registration in due[:1000]:
        if not LiveRegistration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
            continue
        session = registration.session
        try:
            sent += user_email_send(
                user=registration.buyer,
                template="live/email/reminder",
                context={
                    "session": session,
                    "session_url": site_url(session.get_absolute_url()),
                    "minutes": max(0, int((session.starts_at - now).total_seconds() // 60)),
                },
            )
        except OSError as error:  # the mail server is down: keep the claim (reminded at most once)
            log.warning("live reminder %s not sent: %s", registration.pk, error)
    return sent


def live_status_refresh(*, now: datetime | None = None, every: timedelta = timedelta(minutes=5)) -> bool:
    """Sessions that started or ended since the last run (the beat's period): the cached catalog pages show
    their badges from now on, not when the public cache expires. Returns whether anything changed."""
    now = now or timezone.now()
    since = now - every
    changed = (
        LiveSession.objects.visible().filter(starts_at__gt=since, starts_at__lte=now).exists()
        or LiveSession.objects.visible().filter(ends_at__gt=since, ends_at__lte=now).exists()
    )
    if changed:
        public_cache_invalidate()
    return changed
