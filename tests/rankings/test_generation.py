"""Generating snapshots end to end: idempotency, immutability, failure, movement, a second ruleset, abuse."""

import copy
import datetime
import itertools
import json
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from marketplace.models import Product
from rankings import services
from rankings.models import (
    ActivityKind,
    BoardKind,
    Entry,
    GenerationRun,
    ImmutableError,
    Methodology,
    Provenance,
    RankingPenalty,
    Snapshot,
    SupplierActivity,
    SupplierFigures,
)
from rankings.services import RULESET_DIR
from search.models import ProductSearchDocument
from search.services import search_index_products
from suppliers.models import Supplier
from tests.factories import BuyerFactory, RankingPenaltyFactory, SupplierFiguresFactory

from .conftest import NOW, PERIOD, add_ratings, build_market

NEXT_NOW = NOW + datetime.timedelta(days=7)


def generate(now=NOW):
    return services.leaderboard_generate_all(now=now)


def latest(board, category):
    return Snapshot.objects.filter(leaderboard__board=board, leaderboard__category=category).latest()


@pytest.fixture
def market(categories):
    return build_market(categories, 30)


def test_generates_every_board_for_every_category(market, categories):
    run = generate()
    assert run.status == GenerationRun.Status.SUCCEEDED
    assert run.snapshots_created == len(BoardKind.values) * 2
    root, leaf = categories
    for board in BoardKind.values:
        snapshot = latest(board, leaf)
        assert snapshot.period == PERIOD
        assert snapshot.considered_count == 30
        assert snapshot.methodology.board == board
        ranks = list(snapshot.entries.values_list("rank", flat=True))
        assert ranks == list(range(1, snapshot.entry_count + 1))
        # The root category's board covers its leaf's suppliers too.
        assert latest(board, root).considered_count == 30
    si = latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf)
    assert si.methodology.version == "miit-2022-63"
    entry = si.entries.first()
    assert set(entry.gates) == {"niche_two_years", "rd_minimum", "revenue_minimum", "score_60"}
    assert len(entry.indicator_points) == len(entry.provenance) == 15
    assert sum(entry.pillar_scores) == pytest.approx(entry.score, abs=1e-3)
    assert entry.rank_low <= entry.rank <= entry.rank_high
    # Factories only on the factory board.
    factory_ids = set(latest(BoardKind.TOP_FACTORIES, leaf).entries.values_list("supplier__kind", flat=True))
    assert factory_ids <= {"factory", "both"}


def test_generation_is_idempotent_per_period(market, categories):
    generate()
    before = list(Entry.objects.order_by("pk").values_list("pk", "rank", "score"))
    second = generate(now=NOW + datetime.timedelta(hours=5))  # same week
    assert second.snapshots_created == 0
    assert second.boards_skipped == len(BoardKind.values) * 2
    assert list(Entry.objects.order_by("pk").values_list("pk", "rank", "score")) == before


def test_snapshots_and_entries_are_immutable(market):
    generate()
    snapshot = Snapshot.objects.first()
    entry = snapshot.entries.first()
    entry.score = 100
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        Entry.objects.filter(pk=entry.pk).update(rank=99)
    with pytest.raises(ImmutableError):
        Entry.objects.all().delete()
    with pytest.raises(ImmutableError):
        snapshot.save()
    with pytest.raises(ImmutableError):
        Snapshot.objects.update(entry_count=0)
    with pytest.raises(ImmutableError):
        snapshot.delete()
    methodology = Methodology.objects.first()
    with pytest.raises(ImmutableError):
        methodology.save()


def test_a_changed_methodology_version_cannot_be_reloaded_under_the_same_version(rulesets):
    definition = json.loads((RULESET_DIR / "specialized_innovative_miit_2022.json").read_text(encoding="utf-8"))
    stored = Methodology.objects.get(board=BoardKind.SPECIALIZED_INNOVATIVE, version="miit-2022-63")
    assert services.methodology_load(definition=definition).pk == stored.pk  # the same file again: a no-op
    definition["indicators"][1]["rule"]["bands"][0][2] = 5.0
    definition["title"] = "edited"
    with pytest.raises(ImmutableError):
        services.methodology_load(definition=definition)


def test_a_failed_run_leaves_the_previous_snapshot_published(market, categories, monkeypatch):
    generate()
    _root, leaf = categories
    previous = latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf)
    original = services._publish_snapshot
    calls = {"n": 0}

    def explode_midway(**kwargs):
        if kwargs["leaderboard"].board == BoardKind.SPECIALIZED_INNOVATIVE:
            calls["n"] += 1
            if calls["n"] == 2:  # after the first category's snapshot was written in the same transaction
                raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(services, "_publish_snapshot", explode_midway)
    with pytest.raises(RuntimeError):
        generate(now=NEXT_NOW)
    run = GenerationRun.objects.latest("started_at")
    assert run.status == GenerationRun.Status.FAILED and "disk full" in run.error
    assert latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf).pk == previous.pk
    assert not Snapshot.objects.filter(
        leaderboard__board=BoardKind.SPECIALIZED_INNOVATIVE, period=PERIOD + datetime.timedelta(days=7)
    ).exists()
    # The other boards went ahead, and a retry completes only what is missing.
    assert latest(BoardKind.TOP_FACTORIES, leaf).period == PERIOD + datetime.timedelta(days=7)
    monkeypatch.setattr(services, "_publish_snapshot", original)
    retry = generate(now=NEXT_NOW)
    assert retry.snapshots_created == 2 and retry.boards_skipped == (len(BoardKind.values) - 1) * 2


def test_movement_since_the_previous_snapshot(market, categories):
    _root, leaf = categories
    generate()
    first = {e.supplier_id: e.rank for e in latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf).entries.all()}
    # One supplier improves its figures a lot.
    mover = max(first, key=first.get)
    SupplierFigures.objects.filter(supplier_id=mover).update(
        main_business_share=95,
        main_business_growth_2y=30,
        net_profit_margin=20,
        debt_asset_ratio=10,
        class1_ip_high_value=1,
        rd_institution="national",
        digitalization_level=4,
        key_field="gap_filling",
        niche_since_year=2000,
    )
    generate(now=NEXT_NOW)
    second = latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf)
    entries = {e.supplier_id: e for e in second.entries.all()}
    assert entries[mover].previous_rank == first[mover]
    assert entries[mover].movement > 0
    assert all(e.previous_rank == first.get(sid) for sid, e in entries.items())


def test_a_second_ruleset_applies_from_its_effective_date_without_engine_changes(market, categories):
    """A stand-in for the 2026 revision (its real tables are not in this repository): different bands and points,
    effective 2026-04-01. Loading it is all it takes."""
    _root, leaf = categories
    revision = json.loads((RULESET_DIR / "specialized_innovative_miit_2022.json").read_text(encoding="utf-8"))
    revision = copy.deepcopy(revision)
    revision.update(version="test-revision-2026", effective_from="2026-04-01", title="Test revision")
    by_key = {i["key"]: i for i in revision["indicators"]}
    by_key["main_business_share"]["rule"]["bands"] = [[90, None, 5], [75, 90, 3]]
    by_key["debt_asset_ratio"]["rule"]["bands"] = [[None, 40, 5], [40, 65, 2]]
    revision["gates"].append(
        {
            "key": "export_markets",
            "label": "Exports to 3+ markets",
            "condition": {"input": "export_market_count", "min": 3},
        }
    )
    services.methodology_sync_builtin()
    services.methodology_load(definition=revision)

    generate()  # 2025: the 2022 ruleset
    assert latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf).methodology.version == "miit-2022-63"
    later = datetime.datetime(2026, 4, 8, 12, tzinfo=datetime.UTC)
    generate(now=later)
    snapshot = latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf)
    assert snapshot.methodology.version == "test-revision-2026"
    entry = snapshot.entries.select_related("supplier").first()
    figures = SupplierFigures.objects.get(supplier=entry.supplier)
    share = float(figures.main_business_share)
    expected = 5 if share >= 90 else 3 if share >= 75 else 0
    assert entry.indicator_points[1] == expected
    assert "export_markets" in entry.gates


def test_suppliers_under_an_active_penalty_are_not_ranked(market, categories, operator):
    _root, leaf = categories
    penalized = market[0]
    RankingPenaltyFactory(
        supplier=penalized,
        reason="Fake reviews under investigation",
        starts_at=NOW - datetime.timedelta(days=1),
        created_by=operator,
    )
    generate()
    assert not Entry.objects.filter(supplier=penalized).exists()
    # A lifted penalty no longer applies.
    RankingPenalty.objects.filter(supplier=penalized).update(ends_at=NOW + datetime.timedelta(hours=1))
    generate(now=NEXT_NOW)
    assert Entry.objects.filter(supplier=penalized, snapshot__period=PERIOD + datetime.timedelta(days=7)).exists()


def test_top_suppliers_board_is_empty_until_there_are_orders(categories):
    build_market(categories, 8, with_orders=False)
    generate()
    _root, leaf = categories
    snapshot = latest(BoardKind.TOP_SUPPLIERS, leaf)
    assert snapshot.considered_count == 8 and snapshot.entry_count == 0
    assert latest(BoardKind.FASTEST_RESPONDERS, leaf).entry_count > 0  # inquiry-based boards work today


def board_ranks(board, category, as_of):
    """The ranks generation would publish for one board, without writing a snapshot (same code path)."""
    from rankings.inputs import INPUT_NAMES, collect_inputs
    from rankings.methodology import parse_ruleset, rank_with_intervals, score_rows

    ruleset = parse_ruleset(
        services.methodology_for(board=board, period=as_of.date()).definition, known_inputs=INPUT_NAMES
    )
    input_set = collect_inputs(as_of=as_of)
    scored = score_rows(ruleset, services._rows_for(category.pk, input_set), penalized=input_set.penalized)
    return {s.supplier_id: s.rank for s in rank_with_intervals(ruleset, scored, seed=1)}


def test_a_burst_of_ratings_from_two_accounts_moves_a_supplier_a_bounded_number_of_places(categories, rulesets):
    """Two buyer accounts leave 200 five-star ratings for a mid-table supplier. Each account is one vote in the
    Bayesian average, so the supplier gains at most a few places; the same number of ratings from many
    buyers moves it further (the guard is specific to the burst, not a blunt cap on ratings)."""
    _root, leaf = categories
    suppliers = build_market(categories, 40, seed=21)
    as_of = NOW
    before = board_ranks(BoardKind.TOP_SUPPLIERS, leaf, as_of)
    assert len(before) >= 30
    rng = random.Random(1)
    abusers = [BuyerFactory(), BuyerFactory()]
    genuine = [BuyerFactory() for _ in range(100)]
    gains = []
    # Every supplier in the lower two thirds of the table, one at a time.
    for target_id in sorted(before, key=before.get)[len(before) // 3 :]:
        target = next(s for s in suppliers if s.pk == target_id)
        when = as_of - datetime.timedelta(hours=2)
        add_ratings(target, abusers, rng, 200, low=5, high=5, now=when, prefix="burst", max_age_days=1)
        burst = board_ranks(BoardKind.TOP_SUPPLIERS, leaf, as_of)[target_id]
        SupplierActivity.objects.filter(source_ref__startswith="rating:burst")._raw_delete(SupplierActivity.objects.db)
        add_ratings(target, abusers, rng, 2, low=5, high=5, now=when, prefix="two", max_age_days=1)
        two = board_ranks(BoardKind.TOP_SUPPLIERS, leaf, as_of)[target_id]
        SupplierActivity.objects.filter(source_ref__startswith="rating:two")._raw_delete(SupplierActivity.objects.db)
        add_ratings(target, genuine, rng, 200, low=5, high=5, now=when, prefix="many", max_age_days=1)
        many = board_ranks(BoardKind.TOP_SUPPLIERS, leaf, as_of)[target_id]
        SupplierActivity.objects.filter(source_ref__startswith="rating:many")._raw_delete(SupplierActivity.objects.db)
        assert burst == two  # 200 ratings from two accounts are worth exactly one rating from each
        gains.append((before[target_id] - burst, before[target_id] - many))
    # Two votes against a prior of 20 move the Bayesian mean by at most 2·(5 − μ)/22 stars, and ratings are 15 of
    # 100 points: in this 40-supplier category that is at most 6 places (measured over 27 targets; most gain 0–2).
    assert max(burst for burst, _many in gains) <= len(before) * 15 // 100, gains
    assert sum(many for _burst, many in gains) > 2 * sum(burst for burst, _many in gains), gains


def test_same_data_same_snapshot(categories):
    """Determinism: two databases with the same data publish the same ranks and intervals."""
    build_market(categories, 25, seed=3)
    generate()
    first = list(
        Entry.objects.order_by("snapshot__leaderboard__board", "snapshot__leaderboard__category", "rank").values_list(
            "supplier_id", "rank", "rank_low", "rank_high", "score"
        )
    )
    with transaction.atomic():
        Entry.objects.all()._raw_delete(Entry.objects.db)
        Snapshot.objects.all()._raw_delete(Snapshot.objects.db)
    generate()
    again = list(
        Entry.objects.order_by("snapshot__leaderboard__board", "snapshot__leaderboard__category", "rank").values_list(
            "supplier_id", "rank", "rank_low", "rank_high", "score"
        )
    )
    assert first == again


def test_future_periods_are_refused(rulesets):
    with pytest.raises(ValidationError):
        services.leaderboard_generate_all(period=datetime.date(2030, 1, 1), now=NOW)


def test_management_command(market, capsys):
    call_command("generate_leaderboards", "--period", PERIOD.isoformat())
    assert "snapshots published" in capsys.readouterr().out
    assert Snapshot.objects.filter(period=PERIOD).count() == len(BoardKind.values) * 2


# --- Figures: bad input and provenance --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"revenue_cny": Decimal("-1")},
        {"main_business_share": Decimal("100.01")},
        {"net_profit_margin": Decimal("101")},
        {"digitalization_level": 5},
        {"revenue_cny": Decimal("1000"), "rd_spend_cny": Decimal("1001")},
        {"class1_ip_total": 1, "class1_ip_self_developed": 2},
    ],
)
def test_absurd_figures_are_rejected_by_the_database(supplier_a, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplierFiguresFactory(supplier=supplier_a, fiscal_year=2024, **values)


def test_absurd_figures_are_rejected_with_field_errors_before_saving(supplier_a):
    figures = SupplierFigures(
        supplier=supplier_a, fiscal_year=2024, revenue_cny=Decimal("-5"), main_business_share=Decimal("120")
    )
    with pytest.raises(ValidationError) as error:
        services.supplier_figures_save(figures=figures)
    assert {"revenue_cny", "main_business_share"} <= set(error.value.message_dict)
    assert not SupplierFigures.objects.exists()


def test_changing_a_verified_figure_makes_it_self_declared_again(supplier_a, operator):
    from django.core.files.base import ContentFile

    figures = services.supplier_figures_save(
        figures=SupplierFigures(
            supplier=supplier_a, fiscal_year=2024, revenue_cny=Decimal("20000000"), net_profit_margin=Decimal("9")
        )
    )
    with pytest.raises(ValidationError):
        services.supplier_figures_verify(figures=figures, operator=operator)  # no evidence uploaded
    figures.evidence.save("audit.pdf", ContentFile(b"%PDF-1.4 audited statements"), save=True)
    figures = services.supplier_figures_verify(figures=figures, operator=operator)
    assert figures.provenance_of("revenue_cny") == Provenance.DOCUMENT_VERIFIED
    figures.net_profit_margin = Decimal("12")
    figures = services.supplier_figures_save(figures=figures)
    assert figures.provenance_of("net_profit_margin") == Provenance.SELF_DECLARED
    assert figures.provenance_of("revenue_cny") == Provenance.DOCUMENT_VERIFIED
    assert figures.verified_at is None


def test_verified_inputs_show_as_verified_share(categories, operator):
    _root, leaf = categories
    suppliers = build_market(categories, 6, seed=9)
    SupplierFigures.objects.filter(supplier=suppliers[0]).update(
        provenance=dict.fromkeys(
            [
                "revenue_cny",
                "main_business_share",
                "main_business_growth_2y",
                "niche_since_year",
                "key_field",
                "digitalization_level",
                "net_profit_margin",
                "debt_asset_ratio",
                "class1_ip_total",
                "class2_ip_total",
                "rd_spend_cny",
                "rd_institution",
            ],
            Provenance.DOCUMENT_VERIFIED,
        )
    )
    generate()
    snapshot = latest(BoardKind.SPECIALIZED_INNOVATIVE, leaf)
    shares = dict(snapshot.entries.values_list("supplier_id", "verified_share"))
    assert shares[suppliers[0].pk] > max(v for k, v in shares.items() if k != suppliers[0].pk)
    assert snapshot.verified_share is not None


def test_activity_ledger_is_idempotent_per_source(supplier_a, buyer):
    first = services.supplier_activity_record(
        supplier=supplier_a, kind=ActivityKind.RATING, source_ref="review:1", occurred_at=NOW, buyer=buyer, rating=5
    )
    again = services.supplier_activity_record(
        supplier=supplier_a, kind=ActivityKind.RATING, source_ref="review:1", occurred_at=NOW, buyer=buyer, rating=5
    )
    assert first.pk == again.pk
    with pytest.raises(ValidationError):
        services.supplier_activity_record(
            supplier=supplier_a, kind=ActivityKind.RATING, source_ref="review:2", occurred_at=NOW, rating=6
        )


def test_standings_reach_suppliers_and_the_search_index(market, categories):
    search_index_products(product_ids=Product.objects.values_list("pk", flat=True))
    generate()
    best = {}
    for board, category in itertools.product(BoardKind.values, categories):
        snapshot = latest(board, category)
        for supplier_id, rank in snapshot.entries.values_list("supplier_id", "rank"):
            best[supplier_id] = max(best.get(supplier_id, 0), 1 - (rank - 1) / snapshot.entry_count)
    standings = dict(Supplier.objects.values_list("pk", "leaderboard_standing"))
    assert best and max(best.values()) == 1.0
    assert standings == pytest.approx({pk: best.get(pk, 0.0) for pk in standings}, abs=1e-4)
    documents = dict(ProductSearchDocument.objects.values_list("supplier_id", "supplier_standing"))
    assert documents == pytest.approx({pk: standings[pk] for pk in documents})
    assert services.supplier_standings_publish() == 0  # nothing changed since
