from django.apps import AppConfig
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live sessions")

    def ready(self):
        from core.public_cache import invalidate_public_cache_on_change
        from marketplace import product_slots, supplier_slots

        from .models import LiveSession

        # "Live now" / "Upcoming" on product cards, the product page, and beside a supplier's name (storefront head,
        # product page supplier box); the storefront's aside lists the supplier's sessions.
        product_slots.register("badges", _render_product_badge)
        supplier_slots.register("badges", _render_supplier_badge)
        supplier_slots.register("sidebar", _render_supplier_sessions)
        # Badges sit on cached product cards and pages (core/public_cache.py).
        invalidate_public_cache_on_change(LiveSession)


def _badge(found, request):
    if found is None:
        return ""
    status, row = found
    return render_to_string("live/partials/badge.html", {"status": status, "row": row}, request=request)


def _render_product_badge(*, product, request=None):
    from .selectors import live_badges

    now = timezone.now()
    return _badge(live_badges(now=now, request=request).for_product(product.pk, now=now), request)


def _render_supplier_badge(*, supplier, request=None):
    from .selectors import live_badges

    now = timezone.now()
    return _badge(live_badges(now=now, request=request).for_supplier(supplier.pk, now=now), request)


def _render_supplier_sessions(*, supplier, request=None):
    from .selectors import live_badges

    now = timezone.now()
    rows = [row for row in live_badges(now=now, request=request).by_supplier.get(supplier.pk, []) if now < row.ends_at]
    if not rows:
        return ""
    return render_to_string("live/partials/supplier_sessions.html", {"rows": rows[:5], "now": now}, request=request)
