"""Public leaderboard pages. Every page runs a fixed number of queries, whatever the size of the board."""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from suppliers.models import Supplier

from . import display, selectors
from .methodology import parse_ruleset
from .models import BoardKind, Leaderboard, Methodology, Snapshot

PER_PAGE = 50


def index(request):
    overview = selectors.board_overview()
    for board in overview:
        board["summary"] = display.board_summary(board["board"])
    return render(request, "rankings/index.html", {"overview": overview})


def board(request, board, category_slug):
    if board not in BoardKind.values:
        raise Http404(_("No such leaderboard."))
    try:
        leaderboard = selectors.leaderboard_get(board=board, category_slug=category_slug)
    except Leaderboard.DoesNotExist:
        raise Http404(_("No such leaderboard.")) from None
    period = None
    if request.GET.get("period"):
        try:
            period = date.fromisoformat(request.GET["period"])
        except ValueError:
            raise Http404(_("No snapshot for that period.")) from None
    try:
        snapshot = selectors.snapshot_get(leaderboard=leaderboard, period=period)
    except Snapshot.DoesNotExist:
        raise Http404(_("No snapshot for that period.")) from None
    ruleset = parse_ruleset(snapshot.methodology.definition)
    page = Paginator(selectors.entry_list(snapshot=snapshot), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rankings/board.html",
        {
            "leaderboard": leaderboard,
            "snapshot": snapshot,
            "ruleset": ruleset,
            "summary": display.board_summary(leaderboard.board),
            "page": page,
            "rows": display.board_rows(page.object_list, ruleset),
            "periods": selectors.snapshot_periods(leaderboard=leaderboard),
        },
    )


def methodology_list(request):
    methodologies = selectors.methodology_list()
    today = timezone.localdate()
    current = {}
    for methodology in methodologies:  # ordered newest first per board
        if methodology.effective_from <= today and methodology.board not in current:
            current[methodology.board] = methodology.pk
    return render(
        request,
        "rankings/methodology_list.html",
        {"methodologies": methodologies, "current_ids": list(current.values()), "today": today},
    )


def methodology_detail(request, board, version):
    try:
        methodology = selectors.methodology_get(board=board, version=version)
    except Methodology.DoesNotExist:
        raise Http404(_("No such methodology version.")) from None
    ruleset = parse_ruleset(methodology.definition)
    pillars = [
        {
            "pillar": pillar,
            "indicators": [
                {"indicator": i, "plain": display.indicator_rule_lines(i, ruleset.scoring)}
                for i in ruleset.indicators
                if i.pillar == pillar.key
            ],
        }
        for pillar in ruleset.pillars
    ]
    return render(
        request,
        "rankings/methodology_detail.html",
        {
            "methodology": methodology,
            "ruleset": ruleset,
            "pillars": pillars,
            "summary": display.board_summary(methodology.board),
            "require": [display.condition_words(condition) for condition in ruleset.require],
        },
    )


def supplier_ranks(request, slug):
    try:
        supplier = Supplier.objects.get(slug=slug)
    except Supplier.DoesNotExist:
        raise Http404(_("No such supplier.")) from None
    return render(
        request,
        "rankings/supplier_ranks.html",
        {"supplier": supplier, "positions": selectors.supplier_positions(supplier=supplier)},
    )
