"""Rate limits on pages (sign-in, sign-up, sending inquiries): a fixed window counted in the shared cache.

`@rate_limited("login", key=...)` counts the view's POSTs per client address and per whatever `key` returns (the
account being signed in to, the buyer sending inquiries); past the limit the person gets a 429 page saying how long
to wait. Limits are "count/period" strings in settings.PAGE_RATE_LIMITS (period: s, m, h or d, with an optional
number: "10/15m").
"""

import functools
import hashlib
import math
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from .api.throttles import throttle_cache_alias

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\w*\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"a rate looks like 10/15m or 100/h, not {rate!r}")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _UNIT_SECONDS[unit]


def client_ip(request) -> str:
    """The client's address; behind API_NUM_PROXIES proxies, taken from X-Forwarded-For as the API throttles do."""
    proxies = (getattr(settings, "REST_FRAMEWORK", {}) or {}).get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def _hit(scope: str, ident: str, limit: int, period: int) -> int | None:
    """Counts one attempt; returns the seconds to wait when over the limit, else None."""
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"pagelimit:{scope}:{digest}:{window}"
    cache = caches[throttle_cache_alias()]
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        count = 1
    if count > limit:
        return max(1, math.ceil((window + 1) * period - now))
    return None


def rate_exceeded(scope: str, ident: str, rate: str) -> int | None:
    """Counts one attempt by `ident` under `scope` at `rate` ("count/period"); the seconds to wait when over it."""
    limit, period = parse_rate(rate)
    return _hit(scope, ident, limit, period)


def rate_limited(scope: str, *, key=None, per_ip=True, methods=("POST",)):
    """Limits a page view's `methods` per client address (unless per_ip is false), and per `key(request)` too when it
    returns a value."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = (getattr(settings, "PAGE_RATE_LIMITS", {}) or {}).get(scope)
            if request.method in methods and rate:
                limit, period = parse_rate(rate)
                idents = [f"ip:{client_ip(request)}"] if per_ip else []
                extra = key(request) if key else None
                if extra:
                    idents.append(f"key:{extra}")
                waits = [wait for ident in idents if (wait := _hit(scope, ident, limit, period))]
                if waits:
                    wait = max(waits)
                    response = render(
                        request,
                        "rate_limited.html",
                        {"wait_minutes": max(1, math.ceil(wait / 60)), "scope": scope},
                        status=429,
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def posted_username(request):
    """The account a sign-in form is trying, so one account is protected from many addresses too."""
    return (request.POST.get("username") or "").strip().lower() or None


def signed_in_user(request):
    return f"user:{request.user.pk}" if request.user.is_authenticated else None
