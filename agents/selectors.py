"""Reads for buyers' agents: who is calling (from a bearer token), a buyer's agent grants and activity."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from .models import AgentAction, RFQConfirmation

LOCAL_CLIENT_ID = "local"


@dataclass(frozen=True)
class Caller:
    """Whoever is calling a tool: a buyer's agent with the scopes the buyer granted, or anyone (no user)."""

    user: Any = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    client_id: str = ""
    agent_name: str = ""
    address: str = ""

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def may(self, scope: str) -> bool:
        return self.signed_in and scope in self.scopes


def caller_for_token(raw_token: str, *, address: str = "", audience: str = "") -> Caller | None:
    """The caller a bearer token stands for; None when the token is unknown, expired or revoked (a revoked token is
    deleted by the provider), was issued for another resource than `audience` (RFC 8707), or its buyer's account is
    closed."""
    checksum = hashlib.sha256(raw_token.encode("utf-8")).hexdigest()
    token = AccessToken.objects.select_related("user", "application").filter(token_checksum=checksum).first()
    if token is None or token.is_expired() or token.user is None or not token.user.is_active:
        return None
    if audience and not token.allows_audience(audience):
        return None
    application = token.application
    return Caller(
        user=token.user,
        scopes=frozenset(token.scope.split()),
        client_id=application.client_id if application else "",
        agent_name=(application.name if application else "") or (application.client_id if application else ""),
        address=address,
    )


@dataclass(frozen=True)
class Grant:
    """One agent a buyer let in: what it may do and what it did."""

    application: Application
    scopes: list[str]
    granted_at: datetime
    expires: datetime | None
    actions: int
    last_action_at: datetime | None


def grants_for_user(*, user) -> list[Grant]:
    """The agents holding a live access or refresh token for the buyer: three queries, whatever their number."""
    now = timezone.now()
    access = list(
        AccessToken.objects.filter(user=user, expires__gt=now, application__isnull=False).values(
            "application_id", "scope", "created", "expires"
        )
    )
    refresh = list(
        RefreshToken.objects.filter(user=user, revoked__isnull=True)
        .select_related("access_token")
        .values("application_id", "created", "access_token__scope")
    )
    by_app: dict[int, dict] = {}
    for row in access:
        entry = by_app.setdefault(row["application_id"], {"scopes": set(), "granted": row["created"], "expires": None})
        entry["scopes"].update(row["scope"].split())
        entry["granted"] = min(entry["granted"], row["created"])
        entry["expires"] = max(filter(None, [entry["expires"], row["expires"]]), default=None)
    for row in refresh:
        entry = by_app.setdefault(row["application_id"], {"scopes": set(), "granted": row["created"], "expires": None})
        entry["scopes"].update((row["access_token__scope"] or "").split())
        entry["granted"] = min(entry["granted"], row["created"])
    applications = Application.objects.in_bulk(list(by_app))
    activity: dict[str, dict[str, Any]] = {
        row["client_id"]: dict(row)
        for row in AgentAction.objects.filter(user=user, client_id__in=[a.client_id for a in applications.values()])
        .values("client_id")
        .annotate(n=Count("pk"), last=Max("created_at"))
    }
    grants = []
    for app_id, entry in by_app.items():
        application = applications.get(app_id)
        if application is None:
            continue
        done = activity.get(application.client_id, {})
        grants.append(
            Grant(
                application=application,
                scopes=sorted(entry["scopes"]),
                granted_at=entry["granted"],
                expires=entry["expires"],
                actions=done.get("n", 0),
                last_action_at=done.get("last"),
            )
        )
    return sorted(grants, key=lambda g: g.granted_at, reverse=True)


def activity_for_user(*, user, limit: int = 100) -> QuerySet[AgentAction]:
    return AgentAction.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def pending_rfq_count(*, user, client_id: str) -> int:
    """Drafts from this agent still waiting for the buyer (a draft the buyer sent or cancelled from the RFQ page
    waits no longer)."""
    return RFQConfirmation.objects.filter(
        user=user, client_id=client_id, confirmed_at__isnull=True, discarded_at__isnull=True, rfq__status="draft"
    ).count()


def rfq_confirmation_get(*, user, rfq_id: int) -> RFQConfirmation:
    """The buyer's own agent-drafted RFQ (DoesNotExist for anyone else's, as for a missing one)."""
    return RFQConfirmation.objects.select_related("rfq").get(rfq_id=rfq_id, user=user)


def rfq_confirmations_pending(*, user) -> QuerySet[RFQConfirmation]:
    return (
        RFQConfirmation.objects.filter(user=user, rfq__status="draft")
        .filter(Q(confirmed_at__isnull=True) & Q(discarded_at__isnull=True))
        .select_related("rfq")
        .order_by("-created_at")
    )
