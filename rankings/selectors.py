"""Reads shared by the pages, the seller admin and (later) the API. Each is a fixed number of queries."""

from collections import defaultdict
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from . import display
from .methodology import parse_ruleset
from .models import BoardKind, Entry, Leaderboard, Methodology, OfficialDesignation, Snapshot, designation_current_q

HISTORY_LENGTH = 26  # half a year of weekly snapshots
BADGE_TOP = 10


def _latest_snapshot_ids(leaderboards: QuerySet) -> dict:
    latest = Snapshot.objects.filter(leaderboard=OuterRef("pk")).order_by("-period")
    return {
        pk: snapshot_id
        for pk, snapshot_id in leaderboards.annotate(latest_id=Subquery(latest.values("pk")[:1])).values_list(
            "pk", "latest_id"
        )
        if snapshot_id is not None
    }


def board_overview(*, top: int = 3) -> list[dict]:
    """/rankings/: each board kind with, per top-level category, its latest snapshot and top entries. 4 queries."""
    leaderboards = Leaderboard.objects.select_related("category", "category__parent")
    latest = _latest_snapshot_ids(leaderboards.all())
    boards = list(leaderboards.filter(pk__in=latest.keys()))
    snapshots = {s.pk: s for s in Snapshot.objects.filter(pk__in=latest.values()).select_related("methodology")}
    tops = defaultdict(list)
    root_snapshot_ids = [latest[b.pk] for b in boards if b.category.parent_id is None]
    for entry in (
        Entry.objects.filter(snapshot_id__in=root_snapshot_ids, rank__lte=top)
        .select_related("supplier")
        .only(
            "snapshot_id", "supplier__slug", "supplier_name", "rank", "rank_low", "rank_high", "score", "previous_rank"
        )
        .order_by("snapshot_id", "rank")
    ):
        tops[entry.snapshot_id].append(entry)
    overview = []
    for kind, label in BoardKind.choices:
        roots, leaves = [], defaultdict(list)
        for board in boards:
            if board.board != kind:
                continue
            snapshot = snapshots[latest[board.pk]]
            item: dict = {"leaderboard": board, "snapshot": snapshot, "top": tops.get(snapshot.pk, [])}
            if board.category.parent_id is None:
                roots.append(item)
            else:
                leaves[board.category.parent_id].append(item)

        def by_position(item):
            return item["leaderboard"].category.position, item["leaderboard"].category.name

        for item in roots:
            item["children"] = sorted(leaves.get(item["leaderboard"].category_id, []), key=by_position)
        roots.sort(key=by_position)
        if roots:
            overview.append({"board": kind, "label": label, "categories": roots})
    return overview


def leaderboard_get(*, board: str, category_slug: str) -> Leaderboard:
    return Leaderboard.objects.select_related("category", "category__parent").get(
        board=board, category__slug=category_slug
    )


def snapshot_get(*, leaderboard: Leaderboard, period: date | None = None) -> Snapshot:
    """The latest snapshot, or the one for a given period (reproducible: old snapshots stay readable)."""
    snapshots = Snapshot.objects.filter(leaderboard=leaderboard).select_related("methodology")
    if period is not None:
        return snapshots.get(period=period)
    return snapshots.latest()


def snapshot_periods(*, leaderboard: Leaderboard, limit: int = 52) -> list[date]:
    return list(
        Snapshot.objects.filter(leaderboard=leaderboard).order_by("-period").values_list("period", flat=True)[:limit]
    )


def entry_list(*, snapshot: Snapshot) -> QuerySet:
    return Entry.objects.filter(snapshot=snapshot).select_related("supplier").order_by("rank")


def methodology_list() -> list[Methodology]:
    return list(Methodology.objects.order_by("board", "-effective_from"))


def methodology_get(*, board: str, version: str) -> Methodology:
    return Methodology.objects.get(board=board, version=version)


def methodology_current(*, board: str, on: date | None = None) -> Methodology | None:
    """The version in force on a day (today by default): the latest one effective on or before it."""
    on = on or timezone.localdate()
    return Methodology.objects.filter(board=board, effective_from__lte=on).order_by("-effective_from").first()


def explain_entry(entry: Entry, ruleset) -> list[dict]:
    """Per indicator: input as stored and as a buyer reads it ("shown"), points, maximum, points lost, provenance —
    for pages and sellers. Pages print "shown", never "input" (see rankings.display)."""
    rows = []
    for position, indicator in enumerate(ruleset.indicators):
        points = entry.indicator_points[position] if position < len(entry.indicator_points) else 0.0
        code = entry.provenance[position] if position < len(entry.provenance) else "-"
        value = entry.inputs[position] if position < len(entry.inputs) else None
        rows.append(
            {
                "indicator": indicator,
                "pillar": indicator.pillar,
                "input": value,
                "shown": display.format_indicator_input(indicator, value),
                "missing": code == "-",
                "points": points,
                "max_points": indicator.weight,
                "lost": round(indicator.weight - points, 2),
                "provenance": code,
            }
        )
    return rows


def supplier_rank_history(*, supplier, limit: int = HISTORY_LENGTH) -> list[dict]:
    """The supplier's ranks over time, one series per leaderboard it has appeared on. One query.

    Series are ordered by how recently and how well the supplier ranked, so a chart can keep the first few.
    """
    entries = list(
        Entry.objects.filter(supplier=supplier)
        .select_related("snapshot__leaderboard__category")
        .only(
            "rank",
            "rank_low",
            "rank_high",
            "snapshot__period",
            "snapshot__entry_count",
            "snapshot__leaderboard__board",
            "snapshot__leaderboard__category__slug",
            "snapshot__leaderboard__category__name",
            "snapshot__leaderboard__category__names",
        )
        .order_by("-snapshot__period")[: limit * 12]
    )
    series: dict[int, dict] = {}
    for entry in entries:
        leaderboard = entry.snapshot.leaderboard
        item = series.setdefault(leaderboard.pk, {"leaderboard": leaderboard, "points": []})
        if len(item["points"]) < limit:
            item["points"].append(
                {
                    "period": entry.snapshot.period,
                    "rank": entry.rank,
                    "rank_low": entry.rank_low,
                    "rank_high": entry.rank_high,
                    "of": entry.snapshot.entry_count,
                }
            )
    result = []
    for item in series.values():
        item["points"].reverse()
        item["latest"] = item["points"][-1]
        result.append(item)
    result.sort(key=lambda i: (-i["latest"]["period"].toordinal(), i["latest"]["rank"]))
    return result


def supplier_positions(*, supplier) -> list[dict]:
    """Where the supplier stands on the latest snapshot of every board it has been ranked on. 2 queries."""
    boards = Leaderboard.objects.filter(snapshots__entries__supplier=supplier).distinct()
    latest_ids = list(_latest_snapshot_ids(boards).values())
    positions = []
    current = (
        Entry.objects.filter(supplier=supplier, snapshot_id__in=latest_ids)
        .select_related("snapshot__leaderboard__category", "snapshot__methodology")
        .order_by("snapshot__leaderboard__board", "rank")
    )
    for entry in current:
        ruleset = parse_ruleset(entry.snapshot.methodology.definition)
        positions.append(
            {
                "entry": entry,
                "snapshot": entry.snapshot,
                "ruleset": ruleset,
                "explanation": explain_entry(entry, ruleset),
            }
        )
    return positions


def supplier_badges(*, supplier_ids) -> dict:
    """supplier id -> {"top": [(board label, category, rank)], "designations": [...]}, for any number of
    suppliers in 3 queries — for lists, call once with every id on the page."""
    supplier_ids = list(supplier_ids)
    result: dict[int, dict[str, list]] = {pk: {"top": [], "designations": []} for pk in supplier_ids}
    if not supplier_ids:
        return result
    latest_ids = list(_latest_snapshot_ids(Leaderboard.objects.all()).values())
    top = (
        Entry.objects.filter(supplier_id__in=supplier_ids, snapshot_id__in=latest_ids, rank__lte=BADGE_TOP)
        .select_related("snapshot__leaderboard__category")
        .only(
            "supplier_id",
            "rank",
            "snapshot__leaderboard__board",
            "snapshot__leaderboard__category__slug",
            "snapshot__leaderboard__category__name",
            "snapshot__leaderboard__category__names",
        )
        .order_by("rank")
    )
    for entry in top:
        result[entry.supplier_id]["top"].append(entry)
    for designation in OfficialDesignation.objects.filter(designation_current_q(), supplier_id__in=supplier_ids):
        result[designation.supplier_id]["designations"].append(designation)
    return result
