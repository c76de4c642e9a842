from django.apps import AppConfig
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = _("Leaderboards")

    def ready(self):
        from marketplace import supplier_slots

        supplier_slots.register("badges", _render_rank_badges)
        supplier_slots.register("sidebar", _render_rank_history)

        from core.public_cache import invalidate_public_cache_on_change

        from .models import Entry, Leaderboard, OfficialDesignation, Snapshot

        # Rank badges sit on cached product and supplier cards (core/public_cache.py).
        invalidate_public_cache_on_change(Entry, Leaderboard, OfficialDesignation, Snapshot)


def _render_rank_badges(*, supplier, request=None):
    return render_to_string("rankings/partials/rank_badges.html", {"supplier": supplier}, request=request)


def _render_rank_history(*, supplier, request=None):
    return render_to_string("rankings/partials/rank_history.html", {"supplier": supplier}, request=request)
