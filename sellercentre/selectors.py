"""Reads for the seller dashboard: what waits for the seller (with its age) and how the storefront is doing (this
30 days against the previous 30, and 12 weekly points). Every read is scoped to one supplier and is one query,
whatever the number of products, threads or views: lists are cut to a few rows in SQL, with the full count taken
in the same query by a window function, and series are summed per day in SQL and bucketed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations.models import Conversation, ConversationStatus
from deals.models import DisputeStatus, Order, OrderStatus
from marketplace.listings.models import ListingSuggestion, SuggestionStatus
from marketplace.models import Product, ProductViewDay
from rankings.models import Entry, Snapshot
from sourcing.models import RecipientStatus, RFQRecipient, RFQStatus
from suppliers.models import RESPONSE_WINDOW, Certification

PERIOD_DAYS = 30
WEEKS = 12
QUALITY_THRESHOLD = 60
CERTIFICATE_WARNING_DAYS = 60
TODO_SHOWN = 5  # rows shown per to-do; the count says how many there are in all


@dataclass
class TodoItem:
    label: str
    url: str
    detail: str = ""
    since: datetime | date | None = None  # how long it has waited (shown as an age)
    due: date | None = None  # a deadline, when there is one
    overdue: bool = False


@dataclass
class Todo:
    key: str
    title: str
    count: int
    url: str  # the screen with all of them
    link_text: str
    items: list[TodoItem] = field(default_factory=list)


@dataclass
class Figure:
    key: str
    label: str
    current: float | None
    previous: float | None
    unit: str = ""  # "%" or "min"; empty for a count
    lower_is_better: bool = False

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_percent(self) -> int | None:
        """How much it moved against the previous period, in percent of it, without the sign (see `trend`)."""
        if self.change is None or not self.previous:
            return None
        return abs(round(100 * self.change / self.previous))

    @property
    def trend(self) -> str:
        """ "up", "down" or "flat"; `good` says whether that is good news."""
        change = self.change
        if not change:
            return "flat"
        return "up" if change > 0 else "down"

    @property
    def good(self) -> bool | None:
        if self.trend == "flat":
            return None
        return (self.trend == "down") if self.lower_is_better else (self.trend == "up")

    def _text(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.unit == "min":
            return minutes_text(round(value))
        if self.unit == "%":
            return f"{round(value)} %"
        return f"{round(value):,}"

    @property
    def current_text(self) -> str:
        return self._text(self.current)

    @property
    def previous_text(self) -> str:
        return self._text(self.previous)


def minutes_text(minutes: int) -> str:
    """45 min, 3 h 20 min, 4 days: a response time as a seller reads it."""
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        if not rest:
            return _("%(hours)s h") % {"hours": hours}
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    days = round(minutes / (24 * 60))
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


def _count_window():
    return Window(expression=Count("pk"))


def _rows_and_count(queryset) -> tuple[list, int]:
    rows = list(queryset.annotate(total_count=_count_window())[:TODO_SHOWN])
    return rows, (rows[0].total_count if rows else 0)


def _seller_url(name: str, *args, query: str = "") -> str:
    url = reverse(f"seller:{name}", args=args)
    return f"{url}?{query}" if query else url


def todo_conversations(*, supplier) -> Todo:
    """Threads awaiting the seller's answer, the longest wait first (the inbox's order)."""
    rows, count = _rows_and_count(
        Conversation.objects.filter(supplier=supplier, status=ConversationStatus.OPEN)
        .select_related("buyer__buyer_profile")
        .order_by("last_message_at", "pk")
    )
    items = []
    for conversation in rows:
        profile = getattr(conversation.buyer, "buyer_profile", None)
        items.append(
            TodoItem(
                label=conversation.subject,
                detail=(profile.company_name if profile and profile.company_name else _("A buyer")),
                since=conversation.last_message_at,
                url=_seller_url("conversations_conversation_change", conversation.pk),
                overdue=conversation.last_message_at < timezone.now() - RESPONSE_WINDOW,
            )
        )
    return Todo(
        "conversations",
        _("Inquiries awaiting your answer"),
        count,
        _seller_url("conversations_conversation_changelist", query="status__exact=open"),
        _("Open the inbox"),
        items,
    )


def todo_rfqs(*, supplier) -> Todo:
    """RFQs sent to this supplier that still take quotes and that it has not answered, the oldest first."""
    today = timezone.localdate()
    rows, count = _rows_and_count(
        RFQRecipient.objects.filter(
            supplier=supplier,
            status__in=[RecipientStatus.INVITED, RecipientStatus.VIEWED],
            rfq__status=RFQStatus.SENT,
            rfq__quote_deadline__gte=today,
        )
        .select_related("rfq")
        .order_by("invited_at", "pk")
    )
    items = [
        TodoItem(
            label=recipient.rfq.title,
            since=recipient.invited_at,
            due=recipient.rfq.quote_deadline,
            overdue=recipient.rfq.quote_deadline <= today + timedelta(days=2),
            url=_seller_url("sourcing_rfqrecipient_change", recipient.pk),
        )
        for recipient in rows
    ]
    return Todo(
        "rfqs",
        _("RFQs awaiting your quote"),
        count,
        _seller_url("sourcing_rfqrecipient_changelist"),
        _("All RFQs received"),
        items,
    )


def todo_certificates(*, supplier) -> Todo:
    """Certificates that expired or expire within CERTIFICATE_WARNING_DAYS, the soonest first."""
    today = timezone.localdate()
    rows, count = _rows_and_count(
        Certification.objects.filter(
            supplier=supplier, valid_until__lte=today + timedelta(days=CERTIFICATE_WARNING_DAYS)
        ).order_by("valid_until", "pk")
    )
    items = [
        TodoItem(
            label=str(certificate),
            detail=certificate.issuer,
            due=certificate.valid_until,
            overdue=certificate.valid_until < today,
            url=_seller_url("suppliers_certification_change", certificate.pk),
        )
        for certificate in rows
    ]
    return Todo(
        "certificates",
        _("Certificates to renew"),
        count,
        _seller_url("suppliers_certification_changelist"),
        _("All certificates"),
        items,
    )


def todo_weak_listings(*, supplier) -> Todo:
    """Listings scored below QUALITY_THRESHOLD, the weakest first."""
    rows, count = _rows_and_count(
        Product.objects.filter(supplier=supplier, quality_score__lt=QUALITY_THRESHOLD)
        .only("pk", "title", "quality_score", "status")
        .order_by("quality_score", "pk")
    )
    items = [
        TodoItem(
            label=product.title,
            detail=_("quality %(score)s of 100") % {"score": product.quality_score},
            url=_seller_url("marketplace_product_change", product.pk),
        )
        for product in rows
    ]
    return Todo(
        "listings",
        _("Listings below %(score)s quality") % {"score": QUALITY_THRESHOLD},
        count,
        _seller_url("marketplace_product_changelist", query=f"quality_score__lt={QUALITY_THRESHOLD}"),
        _("See these listings"),
        items,
    )


def todo_suggestions(*, supplier) -> Todo:
    """AI listing suggestions ready for the seller's review, the oldest first."""
    rows, count = _rows_and_count(
        ListingSuggestion.objects.filter(product__supplier=supplier, status=SuggestionStatus.PENDING)
        .select_related("product")
        .only("pk", "created_at", "finished_at", "score_before", "score_after", "product__title")
        .order_by("created_at", "pk")
    )
    items = []
    for suggestion in rows:
        detail = ""
        if suggestion.score_before is not None and suggestion.score_after is not None:
            detail = _("quality %(before)s → %(after)s") % {
                "before": suggestion.score_before,
                "after": suggestion.score_after,
            }
        items.append(
            TodoItem(
                label=suggestion.product.title,
                detail=detail,
                since=suggestion.finished_at or suggestion.created_at,
                url=_seller_url("marketplace_listingsuggestion_change", suggestion.pk),
            )
        )
    return Todo(
        "suggestions",
        _("AI suggestions to review"),
        count,
        _seller_url("marketplace_listingsuggestion_changelist", query=f"status__exact={SuggestionStatus.PENDING}"),
        _("All suggestions"),
        items,
    )


ORDER_ACTIONS = {
    OrderStatus.FUNDED: ("funded_at", lambda: _("Paid into escrow: start production")),
    OrderStatus.IN_PRODUCTION: ("production_started_at", lambda: _("In production: add the shipment")),
    OrderStatus.DISPUTED: ("updated_at", lambda: _("Answer the buyer's dispute")),
}


def todo_orders(*, supplier) -> Todo:
    """Escrow orders whose next step is the seller's: start production, ship, answer an open dispute."""
    rows, count = _rows_and_count(
        Order.objects.filter(supplier=supplier)
        .filter(
            Q(status__in=[OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION])
            | Q(status=OrderStatus.DISPUTED, dispute__status=DisputeStatus.OPEN)
        )
        .order_by("updated_at", "pk")
    )
    items = []
    for order in rows:
        since_field, action = ORDER_ACTIONS[order.status]
        items.append(
            TodoItem(
                label=f"{order.number} · {order.title}",
                detail=action(),
                since=getattr(order, since_field) or order.updated_at,
                url=_seller_url("deals_order_change", order.pk),
            )
        )
    return Todo(
        "orders", _("Orders waiting for you"), count, _seller_url("deals_order_changelist"), _("All orders"), items
    )


def dashboard_todos(*, supplier) -> list[Todo]:
    """Every to-do, in the order a seller works through them. One query each."""
    return [
        todo_conversations(supplier=supplier),
        todo_rfqs(supplier=supplier),
        todo_orders(supplier=supplier),
        todo_suggestions(supplier=supplier),
        todo_certificates(supplier=supplier),
        todo_weak_listings(supplier=supplier),
    ]


# --- figures -----------------------------------------------------------------------------------------------------


@dataclass
class Series:
    """WEEKS weekly points, the oldest first; week i covers [starts[i], starts[i] + 7 days)."""

    starts: list[date]
    views: list[int]
    inquiries: list[int]
    median_minutes: list[int | None]
    response_rate: list[int | None]

    def rows(self) -> list[dict]:
        return [
            {
                "start": start,
                "views": self.views[i],
                "inquiries": self.inquiries[i],
                "median_minutes": minutes,
                "median_text": "—" if minutes is None else minutes_text(minutes),
                "response_rate": self.response_rate[i],
            }
            for i, (start, minutes) in enumerate(zip(self.starts, self.median_minutes, strict=True))
        ]


@dataclass
class Stats:
    figures: list[Figure]
    series: Series
    today: date


def _response(pairs: list[tuple[datetime, datetime | None]], now: datetime) -> tuple[int | None, int | None]:
    """(response rate %, median first-answer minutes) the way the nightly metrics count them
    (conversations.metrics): threads younger than the response window are left out; an answer counts if it came
    within the window."""
    measured = [(created, answered) for created, answered in pairs if created <= now - RESPONSE_WINDOW]
    if not measured:
        return None, None
    minutes = [(answered - created).total_seconds() / 60 for created, answered in measured if answered is not None]
    window = RESPONSE_WINDOW.total_seconds() / 60
    rate = round(100 * sum(1 for m in minutes if m <= window) / len(measured))
    return rate, (round(median(minutes)) if minutes else None)


def dashboard_stats(*, supplier, now: datetime | None = None) -> Stats:
    """Views, inquiries, response rate and median first answer: this 30 days against the 30 before, and WEEKS
    weekly points. Two queries (views per day; the conversations' start and first answer)."""
    now = now or timezone.now()
    today = now.date()  # UTC, like the view counter's days
    span_days = max(WEEKS * 7, 2 * PERIOD_DAYS)
    first_day = today - timedelta(days=span_days - 1)
    views_by_day = dict(
        ProductViewDay.objects.filter(product__supplier=supplier, day__gte=first_day)
        .values("day")
        .annotate(total=Sum("views"))
        .order_by()
        .values_list("day", "total")
    )
    started = list(
        Conversation.objects.filter(
            supplier=supplier, created_at__gte=now - timedelta(days=span_days), created_at__lte=now
        ).values_list("created_at", "first_response_at")
    )

    def views_between(start: date, end: date) -> int:  # [start, end)
        return sum(total for day, total in views_by_day.items() if start <= day < end)

    current_start = today - timedelta(days=PERIOD_DAYS - 1)
    previous_start = current_start - timedelta(days=PERIOD_DAYS)
    tomorrow = today + timedelta(days=1)
    period_edge = now - timedelta(days=PERIOD_DAYS)
    current_threads = [pair for pair in started if pair[0] > period_edge]
    previous_threads = [pair for pair in started if period_edge - timedelta(days=PERIOD_DAYS) < pair[0] <= period_edge]
    rate_now, median_now = _response(current_threads, now)
    rate_before, median_before = _response(previous_threads, period_edge)
    figures = [
        Figure(
            "views",
            _("Product views"),
            views_between(current_start, tomorrow),
            views_between(previous_start, current_start),
        ),
        Figure("inquiries", _("Inquiries received"), len(current_threads), len(previous_threads)),
        Figure("response_rate", _("Answered within 24 hours"), rate_now, rate_before, unit="%"),
        Figure("median", _("Typical first answer"), median_now, median_before, unit="min", lower_is_better=True),
    ]

    # Weeks end today: the last point is the 7 days up to and including today.
    starts = [today - timedelta(days=7 * (WEEKS - i) - 1) for i in range(WEEKS)]
    week_views, week_inquiries, week_median, week_rate = [], [], [], []
    for start in starts:
        end = start + timedelta(days=7)
        week_views.append(views_between(start, end))
        threads = [pair for pair in started if start <= pair[0].date() < end]
        week_inquiries.append(len(threads))
        rate, minutes = _response(threads, now)
        week_rate.append(rate)
        week_median.append(minutes)
    return Stats(figures, Series(starts, week_views, week_inquiries, week_median, week_rate), today)


# --- leaderboards ------------------------------------------------------------------------------------------------


@dataclass
class Position:
    board: str
    category: str
    url: str
    rank: int
    previous_rank: int | None
    of: int
    period: date

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost since the previous edition."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def places_lost(self) -> int:
        return max(0, -(self.change or 0))


def dashboard_positions(*, supplier) -> list[Position]:
    """The supplier's place on the latest edition of every leaderboard that ranks it, best first. One query."""
    latest = Snapshot.objects.filter(leaderboard=OuterRef("snapshot__leaderboard")).order_by("-period").values("pk")[:1]
    entries = (
        Entry.objects.filter(supplier=supplier, snapshot_id=Subquery(latest))
        .select_related("snapshot__leaderboard__category")
        .only(
            "rank",
            "previous_rank",
            "snapshot__period",
            "snapshot__entry_count",
            "snapshot__leaderboard__board",
            "snapshot__leaderboard__category__name",
            "snapshot__leaderboard__category__names",
            "snapshot__leaderboard__category__slug",
        )
        .order_by("rank", "snapshot__leaderboard__board")
    )
    positions = []
    for entry in entries:
        leaderboard = entry.snapshot.leaderboard
        positions.append(
            Position(
                board=leaderboard.get_board_display(),
                category=leaderboard.category.localized_name(),
                url=leaderboard.get_absolute_url(),
                rank=entry.rank,
                previous_rank=entry.previous_rank,
                of=entry.snapshot.entry_count,
                period=entry.snapshot.period,
            )
        )
    return positions
