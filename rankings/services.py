"""Writes on leaderboards: methodologies, snapshot generation, figures and their verification, the activity ledger."""

import gc
import hashlib
import json
import logging
import threading
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from suppliers.models import Supplier
from suppliers.services import (
    supplier_figures_summary_write,
    supplier_order_metrics_write,
    supplier_standings_write,
)
from taxonomy.models import Category

from . import selectors
from .inputs import CATEGORY_INPUTS, INPUT_NAMES, InputSet, collect_inputs
from .methodology import RulesetError, parse_ruleset, rank_with_intervals, score_rows
from .models import (
    FIGURE_INPUTS,
    ActivityKind,
    BoardKind,
    Entry,
    GenerationRun,
    ImmutableError,
    Leaderboard,
    Methodology,
    OfficialDesignation,
    Provenance,
    RankingPenalty,
    Snapshot,
    SupplierActivity,
    SupplierFigures,
)
from .signals import standings_published

logger = logging.getLogger(__name__)
RULESET_DIR = Path(__file__).resolve().parent / "rulesets"
ENTRY_BATCH = 2000


# --- Methodologies ----------------------------------------------------------------------------------------------


def methodology_load(*, definition: dict) -> Methodology:
    """Store a ruleset version. Loading the same version again is a no-op; changing a stored version is refused."""
    try:
        ruleset = parse_ruleset(definition, known_inputs=INPUT_NAMES)
    except RulesetError as error:
        raise ValidationError(_("Invalid ruleset: %(error)s") % {"error": error}) from error
    if ruleset.board not in BoardKind.values:
        raise ValidationError(_("Unknown board %(board)s.") % {"board": ruleset.board})
    existing = Methodology.objects.filter(board=ruleset.board, version=ruleset.version).first()
    if existing is not None:
        if existing.definition != definition:
            raise ImmutableError(
                f"Methodology {ruleset.board} {ruleset.version} is published and differs; give it a new version."
            )
        return existing
    with transaction.atomic():
        return Methodology.objects.create(
            board=ruleset.board,
            version=ruleset.version,
            title=ruleset.title,
            effective_from=ruleset.effective_from,
            definition=definition,
        )


def methodology_sync_builtin() -> list[Methodology]:
    """Load every ruleset shipped in rankings/rulesets/ (idempotent)."""
    return [
        methodology_load(definition=json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(RULESET_DIR.glob("*.json"))
    ]


def methodology_for(*, board: str, period: date) -> Methodology:
    """The version in force for a period: the latest one effective on or before it."""
    methodology = selectors.methodology_current(board=board, on=period)
    if methodology is None:
        raise ValidationError(_("No %(board)s methodology is in force on %(date)s.") % {"board": board, "date": period})
    return methodology


# --- Generation -------------------------------------------------------------------------------------------------


def period_start(day: date) -> date:
    """Snapshots are weekly: the period is the Monday of the ISO week."""
    return day - timedelta(days=day.weekday())


def _seed(board: str, category_slug: str, period: date) -> int:
    digest = hashlib.sha256(f"{board}:{category_slug}:{period.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


def _as_of(period: date, now: datetime) -> datetime:
    """Data up to the end of the period, or now for the current one."""
    end = datetime.combine(period + timedelta(days=7), time.min, tzinfo=timezone.get_current_timezone())
    return min(now, end)


# A run's lease: short, and renewed every GENERATION_RUN_HEARTBEAT by a thread of the process running it for as long
# as the run goes on. A worker killed mid-run (kill -9, out of memory, its hard time limit) stops renewing it, and
# within minutes beat's sweeper (every 2 minutes) sends the run again; the delivery takes it over.
GENERATION_RUN_LEASE = timedelta(minutes=3)
GENERATION_RUN_HEARTBEAT = timedelta(seconds=60)
# A run taken over this many times without finishing is failed by the sweeper rather than sent again.
GENERATION_RUN_MAX_ATTEMPTS = 3


def _run_take(*, period: date, trigger: str, now: datetime) -> tuple[GenerationRun, bool]:
    """The run of `period` this worker holds: a new one, or a running one whose lease expired (taken over). When
    another worker holds a live lease, that run and False: a duplicate delivery does nothing."""
    with transaction.atomic():
        running = list(
            GenerationRun.objects.select_for_update()
            .filter(period=period, status=GenerationRun.Status.RUNNING)
            .order_by("-started_at", "-pk")
        )
        clock = timezone.now()  # the lease runs on the wall clock, whatever `now` the data is taken as of
        live = [run for run in running if run.lease_until is not None and run.lease_until > clock]
        if live:
            return live[0], False
        lease_until = clock + GENERATION_RUN_LEASE
        if not running:
            return GenerationRun.objects.create(
                period=period, trigger=trigger, started_at=now, lease_until=lease_until
            ), True
        run, *older = running
        GenerationRun.objects.filter(pk__in=[old.pk for old in older]).update(
            status=GenerationRun.Status.FAILED,
            finished_at=clock,
            error=f"Its worker stopped; taken over by run {run.pk}.",
        )
        run.lease_until, run.attempts = lease_until, run.attempts + 1
        run.save(update_fields=["lease_until", "attempts"])
        logger.warning(
            "Leaderboard run %s for %s lost its worker; taken over (attempt %d)", run.pk, period, run.attempts
        )
        return run, True


@contextmanager
def _lease_heartbeat(run: GenerationRun):
    """Renews the run's lease every GENERATION_RUN_HEARTBEAT while the block runs, from a thread with its own
    database connection (the block's long transactions do not hold it up). A renewal that fails is logged and
    tried again at the next beat: the lease is only lost if the process stops beating for GENERATION_RUN_LEASE."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(GENERATION_RUN_HEARTBEAT.total_seconds()):
                try:
                    GenerationRun.objects.filter(pk=run.pk, status=GenerationRun.Status.RUNNING).update(
                        lease_until=timezone.now() + GENERATION_RUN_LEASE
                    )
                except DatabaseError:
                    logger.warning("Could not renew the lease of leaderboard run %s", run.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"leaderboard-run-{run.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def leaderboard_generate_all(*, period: date | None = None, trigger: str = "command", now=None) -> GenerationRun:
    """Generate every board for every category for one period. Idempotent: published boards are skipped.

    Each board kind is written in its own transaction, so a failure leaves that board's previous snapshot as the
    published one and does not hold back the others; the run records the error and the first one is re-raised
    (the task retries, and the retry only does what is still missing).

    "Running" is a lease (GENERATION_RUN_LEASE): a run whose worker was killed is taken over by the next call for
    its period, which skips the boards already published; while a live worker holds it, a second call returns it.
    """
    now = now or timezone.now()
    period = period_start(period or timezone.localdate(now))
    if period > timezone.localdate(now):
        raise ValidationError(_("Cannot generate leaderboards for a future period."))
    methodology_sync_builtin()
    run, taken = _run_take(period=period, trigger=trigger, now=now)
    if not taken:
        return run  # another worker is generating this period
    with _lease_heartbeat(run):
        errors = _generate_boards(run=run, period=period, now=now)
    run.status = GenerationRun.Status.FAILED if errors else GenerationRun.Status.SUCCEEDED
    run.error = "\n".join(f"{board}: {error!r}" for board, error in errors)
    run.finished_at = timezone.now()
    run.lease_until = None
    run.save(update_fields=["status", "error", "finished_at", "lease_until", "snapshots_created", "boards_skipped"])
    if errors:
        raise errors[0][1]
    return run


def _generate_boards(*, run: GenerationRun, period: date, now) -> list[tuple[str, Exception]]:
    """Every board of the period, then the standings; each failure is logged and returned, not raised."""
    errors: list[tuple[str, Exception]] = []
    try:
        input_set = collect_inputs(as_of=_as_of(period, now))
        # The input set is hundreds of thousands of long-lived objects; freezing them keeps the cyclic collector
        # from re-scanning them on every allocation burst of the scoring loop (undone in `finally`).
        gc.collect()
        gc.freeze()
        for board in BoardKind.values:
            try:
                created, skipped = leaderboard_generate(
                    board=board, period=period, input_set=input_set, run=run, now=now
                )
                run.snapshots_created += created
                run.boards_skipped += skipped
            except Exception as error:  # noqa: BLE001 — recorded on the run, re-raised below
                logger.exception("Leaderboard %s for %s failed", board, period)
                errors.append((board, error))
    except Exception as error:  # noqa: BLE001
        logger.exception("Collecting leaderboard inputs for %s failed", period)
        errors.append(("inputs", error))
    finally:
        gc.unfreeze()
    try:
        supplier_standings_publish()  # whatever failed above, the boards now published are what counts
    except Exception as error:  # noqa: BLE001 — recorded on the run, re-raised below
        logger.exception("Publishing supplier standings for %s failed", period)
        errors.append(("standings", error))
    return errors


def leaderboard_run_sweep() -> dict:
    """Beat: runs whose lease expired (worker killed) are sent again, one task per period, and the task takes the
    run over; published boards are skipped, so nothing is written twice. A run that has used its attempts is
    failed instead. Safe to run at any time, and twice (a second task finds the lease live and does nothing)."""
    from .tasks import leaderboard_generate_all_task

    clock = timezone.now()
    expired = GenerationRun.objects.filter(status=GenerationRun.Status.RUNNING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lte=clock)
    )
    given_up = list(
        expired.filter(attempts__gte=GENERATION_RUN_MAX_ATTEMPTS).order_by("pk").values_list("pk", flat=True)
    )
    GenerationRun.objects.filter(pk__in=given_up, status=GenerationRun.Status.RUNNING).update(
        status=GenerationRun.Status.FAILED,
        finished_at=clock,
        lease_until=None,
        error=f"Its worker stopped {GENERATION_RUN_MAX_ATTEMPTS} times; not retried.",
    )
    live_periods = set(
        GenerationRun.objects.filter(status=GenerationRun.Status.RUNNING, lease_until__gt=clock).values_list(
            "period", flat=True
        )
    )
    periods = sorted(set(expired.values_list("period", flat=True)) - live_periods)
    for period in periods:
        leaderboard_generate_all_task.delay(period.isoformat(), "sweep")
    if periods or given_up:
        logger.warning("Leaderboard runs lost their worker: %s sent again, %s failed", periods, given_up)
    return {"periods": [period.isoformat() for period in periods], "failed": given_up}


@transaction.atomic
def supplier_standings_publish() -> int:
    """Give every supplier its best percentile on the boards' latest snapshots (1 = first place, 0 = unranked)
    and announce the changes (standings_published: search copies standing, a ranking signal, onto its documents).
    Returns suppliers changed."""
    latest = Snapshot.objects.filter(leaderboard=OuterRef("pk")).order_by("-period")
    snapshot_ids = (
        Leaderboard.objects.annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .exclude(latest_id=None)
        .values("latest_id")
    )
    standings: dict[int, float] = {}
    for supplier_id, rank, count in (
        Entry.objects.filter(snapshot_id__in=snapshot_ids)
        .values_list("supplier_id", "rank", "snapshot__entry_count")
        .iterator(chunk_size=ENTRY_BATCH)
    ):
        standing = round(1 - (rank - 1) / max(count, 1), 4)
        if standing > standings.get(supplier_id, 0):
            standings[supplier_id] = standing
    changed = supplier_standings_write(standings=standings, batch_size=ENTRY_BATCH)
    if changed:
        standings_published.send(sender=Supplier, supplier_ids=changed)
    return len(changed)


def leaderboard_generate(*, board: str, period: date, input_set: InputSet | None = None, run=None, now=None):
    """Publish this period's snapshot of `board` for every category that has none yet. Returns (created, skipped)."""
    now = now or timezone.now()
    methodology = methodology_for(board=board, period=period)
    ruleset = parse_ruleset(methodology.definition, known_inputs=INPUT_NAMES)
    if input_set is None:
        input_set = collect_inputs(as_of=_as_of(period, now))
    categories = {category.pk: category for category in Category.objects.all()}
    Leaderboard.objects.bulk_create(
        [Leaderboard(board=board, category_id=pk) for pk in categories], ignore_conflicts=True
    )
    created = skipped = 0
    with transaction.atomic():
        # Lock this board's rows so two concurrent runs cannot both write the period (the unique constraint
        # would stop the second anyway, but this way it simply finds the work done).
        leaderboards = list(Leaderboard.objects.select_for_update().filter(board=board).order_by("pk"))
        done = set(
            Snapshot.objects.filter(leaderboard__board=board, period=period).values_list("leaderboard_id", flat=True)
        )
        latest_before = Snapshot.objects.filter(leaderboard=OuterRef("pk"), period__lt=period).order_by("-period")
        previous = dict(
            Leaderboard.objects.filter(board=board)
            .annotate(previous_id=Subquery(latest_before.values("pk")[:1]))
            .values_list("pk", "previous_id")
        )
        previous_ranks = {}
        previous_ids = [pk for pk in previous.values() if pk is not None]
        for snapshot_id, supplier_id, rank in (
            Entry.objects.filter(snapshot_id__in=previous_ids)
            .values_list("snapshot_id", "supplier_id", "rank")
            .iterator(chunk_size=20000)
        ):
            previous_ranks[(snapshot_id, supplier_id)] = rank
        for leaderboard in leaderboards:
            if leaderboard.pk in done:
                skipped += 1
                continue
            category = categories[leaderboard.category_id]
            _publish_snapshot(
                leaderboard=leaderboard,
                category=category,
                period=period,
                methodology=methodology,
                ruleset=ruleset,
                input_set=input_set,
                run=run,
                now=now,
                previous_snapshot_id=previous.get(leaderboard.pk),
                previous_ranks=previous_ranks,
            )
            created += 1
    return created, skipped


def _rows_for(category_id, input_set: InputSet, *, category_inputs=True):
    """(supplier_id, inputs, provenance) for a category's suppliers; category-scoped inputs (demand share) are
    merged in only when the ruleset reads them, because the merge is per row."""
    rows = []
    inputs_of, provenance_of, extra_of = input_set.inputs, input_set.provenance, input_set.category_inputs
    for supplier_id in sorted(input_set.members.get(category_id, ())):
        inputs = inputs_of.get(supplier_id)
        if inputs is None:
            continue
        extra = extra_of.get((category_id, supplier_id)) if category_inputs else None
        if extra:
            rows.append((supplier_id, {**inputs, **extra}, {**provenance_of[supplier_id], **dict.fromkeys(extra, "p")}))
        else:
            rows.append((supplier_id, inputs, provenance_of[supplier_id]))
    return rows


def _uses_category_inputs(ruleset) -> bool:
    used = {name for indicator in ruleset.indicators for name in indicator.inputs}
    return bool(used & CATEGORY_INPUTS)


def _publish_snapshot(
    *, leaderboard, category, period, methodology, ruleset, input_set, run, now, previous_snapshot_id, previous_ranks
):
    rows = _rows_for(category.pk, input_set, category_inputs=_uses_category_inputs(ruleset))
    scored = score_rows(ruleset, rows, penalized=input_set.penalized, keep_ineligible=False)
    seed = _seed(leaderboard.board, category.slug, period)
    ranked = rank_with_intervals(ruleset, scored, seed=seed)
    shares = [entry.verified_share for entry in ranked if entry.verified_share is not None]
    snapshot = Snapshot.objects.create(
        leaderboard=leaderboard,
        period=period,
        methodology=methodology,
        generated_at=now,
        as_of=input_set.as_of,
        seed=seed,
        draws=ruleset.draws,
        considered_count=len(rows),
        entry_count=len(ranked),
        verified_share=round(sum(shares) / len(shares), 4) if shares else None,
        run=run,
    )
    names = input_set.names
    rows = [
        (
            item.supplier_id,
            names.get(item.supplier_id, "")[:200],
            item.rank,
            item.rank_low,
            item.rank_high,
            previous_ranks.get((previous_snapshot_id, item.supplier_id)),
            item.score,
            item.pillar_scores,
            item.points,
            item.shown_inputs,
            item.provenance,
            item.coverage,
            item.verified_share,
            item.gates,
        )
        for item in ranked
    ]
    _write_entries(snapshot, rows)
    return snapshot


ENTRY_COLUMNS = (
    "supplier_id",
    "supplier_name",
    "rank",
    "rank_low",
    "rank_high",
    "previous_rank",
    "score",
    "pillar_scores",
    "indicator_points",
    "inputs",
    "provenance",
    "coverage",
    "verified_share",
    "gates",
)
JSON_COLUMNS = {"pillar_scores", "indicator_points", "inputs", "gates"}


def _write_entries(snapshot, rows):
    """Insert a snapshot's entries: COPY on PostgreSQL (a 100,000-row board in well under a second), bulk_create
    elsewhere. Same rows, same constraints either way."""
    connection = connections[Entry.objects.db]
    if connection.vendor == "postgresql":
        json_positions = [i for i, name in enumerate(ENTRY_COLUMNS) if name in JSON_COLUMNS]
        table = Entry._meta.db_table
        columns = ", ".join(("snapshot_id", *ENTRY_COLUMNS))
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(
                f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 — names from the model, not from input
            ) as copy,
        ):
            for row in rows:
                row = list(row)
                for i in json_positions:
                    row[i] = json.dumps(row[i])
                copy.write_row((snapshot.pk, *row))
        return
    for start in range(0, len(rows), ENTRY_BATCH):
        Entry.objects.bulk_create(
            [
                Entry(snapshot=snapshot, **dict(zip(ENTRY_COLUMNS, row, strict=True)))
                for row in rows[start : start + ENTRY_BATCH]
            ]
        )


def supplier_evaluate(*, supplier: Supplier, board: str = BoardKind.SPECIALIZED_INNOVATIVE, now=None):
    """Score one supplier live against the board's current ruleset, per category it competes in.

    Only meaningful for points rulesets (each supplier is scored on its own); percentile boards need the whole
    category and are explained from the latest snapshot instead. Returns one dict per top-level category.
    """
    now = now or timezone.now()
    methodology = selectors.methodology_current(board=board, on=timezone.localdate(now))
    if methodology is None:
        return []
    ruleset = parse_ruleset(methodology.definition, known_inputs=INPUT_NAMES)
    if ruleset.scoring != "points":
        return []
    input_set = collect_inputs(as_of=now, supplier_ids=[supplier.pk])
    category_ids = [pk for pk, members in input_set.members.items() if supplier.pk in members]
    categories = Category.objects.filter(pk__in=category_ids, parent__isnull=True).order_by("position", "name")
    results = []
    for category in categories:
        scored = score_rows(ruleset, _rows_for(category.pk, input_set), penalized=input_set.penalized)[0]
        rows = [
            {
                "indicator": indicator,
                "points": scored.points[i],
                "max_points": indicator.weight,
                "lost": round(indicator.weight - scored.points[i], 2),
                "provenance": scored.provenance[i],
            }
            for i, indicator in enumerate(ruleset.indicators)
        ]
        gates = [{"label": gate["label"], "met": scored.gates.get(gate["key"])} for gate in ruleset.gates]
        results.append({"category": category, "ruleset": ruleset, "scored": scored, "rows": rows, "gates": gates})
    return results


# --- Figures, designations, activity ------------------------------------------------------------------------------


def _changed_inputs(figures: SupplierFigures) -> set[str]:
    if figures.pk is None:
        return set(FIGURE_INPUTS)
    stored = SupplierFigures.objects.filter(pk=figures.pk).values(*FIGURE_INPUTS).first() or {}
    return {name for name in FIGURE_INPUTS if stored.get(name) != getattr(figures, name)}


@transaction.atomic
def supplier_figures_save(*, figures: SupplierFigures) -> SupplierFigures:
    """Save a seller's figures. Any input the seller changes goes back to self-declared until re-verified."""
    figures.full_clean()
    changed = _changed_inputs(figures)
    provenance = dict(figures.provenance or {})
    for name in changed:
        provenance[name] = Provenance.SELF_DECLARED
    figures.provenance = {name: provenance.get(name, Provenance.SELF_DECLARED) for name in FIGURE_INPUTS}
    if changed and figures.verified_at is not None:
        figures.verified_at = None
        figures.verified_by = None
    figures.save()
    supplier_figures_summary_publish(supplier_id=figures.supplier_id)
    return figures


def supplier_figures_summary_publish(*, supplier_id: int) -> None:
    """Copy the latest fiscal year's R&D and main-business shares onto the supplier's profile (what storefront and
    API show), so the profile and the leaderboards read the same figures."""
    latest = SupplierFigures.objects.filter(supplier_id=supplier_id).order_by("-fiscal_year").first()
    rd_share = main_share = None
    if latest is not None:
        if latest.rd_spend_cny is not None and latest.revenue_cny:
            rd_share = min(Decimal(100), (latest.rd_spend_cny * 100 / latest.revenue_cny).quantize(Decimal("0.01")))
        main_share = latest.main_business_share
    supplier_figures_summary_write(
        supplier_id=supplier_id, rd_spend_share=rd_share, main_business_revenue_share=main_share
    )


@transaction.atomic
def supplier_figures_verify(*, figures: SupplierFigures, operator, fields=None) -> SupplierFigures:
    """An operator has checked the evidence: the given inputs (default: every declared one) become verified."""
    figures = SupplierFigures.objects.select_for_update().get(pk=figures.pk)
    if not figures.evidence:
        raise ValidationError(_("There is no evidence document to verify the figures against."))
    names = fields or [name for name in FIGURE_INPUTS if getattr(figures, name) not in (None, "")]
    unknown = set(names) - set(FIGURE_INPUTS)
    if unknown:
        raise ValidationError(_("Unknown inputs: %(names)s") % {"names": ", ".join(sorted(unknown))})
    provenance = dict(figures.provenance or {})
    for name in names:
        provenance[name] = Provenance.DOCUMENT_VERIFIED
    figures.provenance = provenance
    figures.verified_at = timezone.now()
    figures.verified_by = operator
    figures.save(update_fields=["provenance", "verified_at", "verified_by", "updated_at"])
    return figures


@transaction.atomic
@transaction.atomic
def designation_save_by_seller(*, designation: OfficialDesignation, changed_fields) -> OfficialDesignation:
    """A seller's own designation certificate; a changed one has to be checked again before its badge shows."""
    if changed_fields:
        designation.verified_at, designation.verified_by = None, None
    designation.save()
    return designation


@transaction.atomic
def ranking_penalty_save(*, penalty: RankingPenalty, operator) -> RankingPenalty:
    """An operator's penalty on a supplier's ranking; who imposed it is recorded once, when it is created."""
    if penalty.pk is None:
        penalty.created_by = operator
    penalty.save()
    return penalty


def designation_verify(*, designation: OfficialDesignation, operator) -> OfficialDesignation:
    if not designation.document:
        raise ValidationError(_("Upload the certificate or the official list before it can be verified."))
    if designation.valid_until < timezone.localdate():
        raise ValidationError(_("This designation has expired."))
    designation.verified_at = timezone.now()
    designation.verified_by = operator
    designation.save(update_fields=["verified_at", "verified_by"])
    return designation


@transaction.atomic
def supplier_activity_record(
    *,
    supplier: Supplier,
    kind: str,
    source_ref: str,
    occurred_at,
    buyer=None,
    order_value_usd=None,
    delivered_on_time=None,
    disputed=None,
    rating=None,
) -> SupplierActivity:
    """Record a completed order or a rating for the Top suppliers board; the same source_ref twice is a no-op.

    Called by deals when an order closes or a buyer rates one.
    """
    if kind == ActivityKind.RATING and (rating is None or not 1 <= rating <= 5):
        raise ValidationError({"rating": _("A rating is 1 to 5 stars.")})
    if kind == ActivityKind.ORDER and (order_value_usd is None or order_value_usd < 0):
        raise ValidationError({"order_value_usd": _("An order needs a non-negative value.")})
    activity, _created = SupplierActivity.objects.get_or_create(
        kind=kind,
        source_ref=source_ref,
        defaults={
            "supplier": supplier,
            "buyer": buyer,
            "occurred_at": occurred_at,
            "order_value_usd": order_value_usd,
            "delivered_on_time": delivered_on_time,
            "disputed": disputed,
            "rating": rating,
        },
    )
    return activity


# The storefront's delivery, dispute and rating figures look back this far; older orders say little about today.
ORDER_METRICS_LOOKBACK = timedelta(days=365)


def supplier_order_metrics_recompute(*, supplier_id: int) -> dict:
    """On-time delivery and dispute rates over completed orders, and the rating, from the last year of activity.

    A supplier without orders or ratings gets empty figures (unknown), never zero."""
    since = timezone.now() - ORDER_METRICS_LOOKBACK
    activity = SupplierActivity.objects.filter(supplier_id=supplier_id, occurred_at__gte=since)
    orders = activity.filter(kind=ActivityKind.ORDER).aggregate(
        n=Count("pk"),
        delivered=Count("pk", filter=Q(delivered_on_time__isnull=False)),
        on_time=Count("pk", filter=Q(delivered_on_time=True)),
        disputed=Count("pk", filter=Q(disputed=True)),
    )
    ratings = activity.filter(kind=ActivityKind.RATING).aggregate(n=Count("pk"), avg=Avg("rating"))
    figures = {
        "on_time_delivery_rate": _percent(orders["on_time"], orders["delivered"]),
        "dispute_rate": _percent(orders["disputed"], orders["n"]),
        "rating_average": Decimal(str(round(ratings["avg"], 2))) if ratings["n"] else None,
        "rating_count": ratings["n"],
    }
    supplier_order_metrics_write(supplier_id=supplier_id, **figures)
    return figures


def _percent(part: int, whole: int) -> Decimal | None:
    return Decimal(100 * part / whole).quantize(Decimal("0.01")) if whole else None


def supplier_order_metrics_recompute_all() -> int:
    """Every supplier with activity in the window or figures still shown: recomputed, so old orders age out."""
    since = timezone.now() - ORDER_METRICS_LOOKBACK
    active = set(SupplierActivity.objects.filter(occurred_at__gte=since).values_list("supplier_id", flat=True))
    shown = set(
        Supplier.objects.filter(
            Q(on_time_delivery_rate__isnull=False) | Q(dispute_rate__isnull=False) | Q(rating_count__gt=0)
        ).values_list("pk", flat=True)
    )
    for supplier_id in sorted(active | shown):
        supplier_order_metrics_recompute(supplier_id=supplier_id)
    return len(active | shown)
