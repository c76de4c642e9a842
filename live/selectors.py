"""Reads that the live pages, the API, the badges on marketplace pages and the search facet share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from conversations.models import Conversation, ConversationKind
from core.public_cache import public_cached
from marketplace.selectors import product_list_published

from .models import UPCOMING_HORIZON, LiveRegistration, LiveSession, LiveStatus

RECENTLY_ENDED = timedelta(days=7)


def session_list_public(
    *,
    now: datetime | None = None,
    status: str | None = None,
    supplier_id: int | None = None,
    product_id: int | None = None,
    language: str | None = None,
) -> QuerySet[LiveSession]:
    """Sessions buyers see (not cancelled), soonest first, with their supplier and the published products shown:
    three queries whatever the number of rows."""
    queryset = (
        LiveSession.objects.visible()
        .select_related("supplier")
        .prefetch_related(Prefetch("products", queryset=product_list_published(language=language).order_by("pk")))
    )
    if status:
        queryset = queryset.with_status(status, now=now)
    if supplier_id is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    if product_id is not None:
        queryset = queryset.filter(products=product_id)
    return queryset


def session_get_public(*, pk: int, language: str | None = None) -> LiveSession:
    """One visible session; a cancelled or missing one raises LiveSession.DoesNotExist."""
    return session_list_public(language=language).annotate(registration_count=Count("registrations")).get(pk=pk)


@dataclass
class LiveListing:
    live: list[LiveSession]
    upcoming: list[LiveSession]
    ended: list[LiveSession]


def session_listing(*, now: datetime | None = None, language: str | None = None, limit: int = 24) -> LiveListing:
    """The /live/ page: live now, upcoming (next two weeks) and recently ended; one list query for all three."""
    now = now or timezone.now()
    rows = list(
        session_list_public(language=language)
        .filter(ends_at__gt=now - RECENTLY_ENDED, starts_at__lte=now + UPCOMING_HORIZON)
        .order_by("starts_at", "pk")[: limit * 3]
    )
    by_status: dict[str, list[LiveSession]] = {status: [] for status in LiveStatus.values}
    for session in rows:
        by_status[session.status(now)].append(session)
    ended = sorted(by_status[LiveStatus.ENDED], key=lambda s: s.ends_at, reverse=True)
    return LiveListing(by_status[LiveStatus.LIVE][:limit], by_status[LiveStatus.UPCOMING][:limit], ended[:limit])


# --- badges and the search facet: what is live or coming, for every product and supplier at once -------------


@dataclass(frozen=True)
class BadgeRow:
    session_id: int
    title: str
    supplier_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass
class LiveBadges:
    """Sessions live now or starting within UPCOMING_HORIZON, by product and by supplier (soonest first)."""

    by_product: dict[int, list[BadgeRow]] = field(default_factory=dict)
    by_supplier: dict[int, list[BadgeRow]] = field(default_factory=dict)

    @staticmethod
    def _best(rows: list[BadgeRow], now: datetime) -> tuple[str, BadgeRow] | None:
        upcoming = None
        for row in rows:
            if row.starts_at <= now < row.ends_at:
                return LiveStatus.LIVE, row
            if upcoming is None and now < row.starts_at:
                upcoming = row
        return (LiveStatus.UPCOMING, upcoming) if upcoming is not None else None

    def for_product(self, product_id: int, *, now: datetime) -> tuple[str, BadgeRow] | None:
        return self._best(self.by_product.get(product_id, []), now)

    def for_supplier(self, supplier_id: int, *, now: datetime) -> tuple[str, BadgeRow] | None:
        return self._best(self.by_supplier.get(supplier_id, []), now)

    def live_product_ids(self, *, now: datetime) -> set[int]:
        return {pk for pk, rows in self.by_product.items() if any(r.starts_at <= now < r.ends_at for r in rows)}


def _badge_rows(now: datetime) -> list[tuple]:
    return list(
        LiveSession.objects.visible()
        .filter(ends_at__gt=now, starts_at__lte=now + UPCOMING_HORIZON)
        .order_by("starts_at", "pk")
        .values_list("pk", "title", "supplier_id", "starts_at", "ends_at", "products")
    )


def live_badges(*, now: datetime | None = None, request=None) -> LiveBadges:
    """One query for every card on a page: kept on the request, and cached with the public cache (a session's
    save bumps it; statuses are worked out from the clock when read, so a cached row is never out of date by
    more than a session starting inside the cache's lifetime being listed as upcoming — its badge says when)."""
    if request is not None and hasattr(request, "_live_badges"):
        return request._live_badges
    now = now or timezone.now()
    rows = public_cached(("live-badges",), lambda: _badge_rows(now))
    badges = LiveBadges()
    seen_supplier_sessions: set[int] = set()
    for pk, title, supplier_id, starts_at, ends_at, product_id in rows:
        row = BadgeRow(pk, title, supplier_id, starts_at, ends_at)
        if product_id is not None:
            badges.by_product.setdefault(product_id, []).append(row)
        if pk not in seen_supplier_sessions:
            seen_supplier_sessions.add(pk)
            badges.by_supplier.setdefault(supplier_id, []).append(row)
    if request is not None:
        request._live_badges = badges
    return badges


def live_product_ids(*, now: datetime | None = None) -> set[int]:
    """Products shown in a session that is live now (the search facet)."""
    now = now or timezone.now()
    return live_badges(now=now).live_product_ids(now=now)


# --- a buyer's side ---------------------------------------------------------------------------------------------


def registered_session_ids(*, buyer, session_ids) -> set[int]:
    if buyer is None or not buyer.is_authenticated:
        return set()
    return set(
        LiveRegistration.objects.filter(buyer=buyer, session_id__in=list(session_ids)).values_list(
            "session_id", flat=True
        )
    )


def question_thread_for(*, buyer, session: LiveSession) -> Conversation | None:
    """The buyer's own thread about this session (the newest, if an old one was closed)."""
    if buyer is None or not buyer.is_authenticated:
        return None
    return (
        Conversation.objects.filter(
            buyer=buyer,
            kind=ConversationKind.LIVE,
            topic_type=ContentType.objects.get_for_model(LiveSession),
            topic_id=session.pk,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
