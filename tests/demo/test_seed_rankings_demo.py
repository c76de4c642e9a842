"""seed_rankings_demo gives the demo suppliers figures, designations and activity, publishes boards with entries,
and never duplicates on re-run."""

import io

import pytest
from django.core.management import call_command

from rankings.models import (
    BoardKind,
    Entry,
    GenerationRun,
    OfficialDesignation,
    Provenance,
    Snapshot,
    SupplierActivity,
    SupplierFigures,
)
from suppliers.models import Supplier, SupplierKind

pytestmark = pytest.mark.django_db

# Two weeks show a history as well as the demo's six and publish a third as many boards.
WEEKS = 2


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts():
    return {
        "figures": SupplierFigures.objects.count(),
        "verified_figures": SupplierFigures.objects.filter(verified_at__isnull=False).count(),
        "designations": OfficialDesignation.objects.count(),
        "activity": SupplierActivity.objects.count(),
        "snapshots": Snapshot.objects.count(),
        "entries": Entry.objects.count(),
    }


def test_seed_rankings_demo_populates_the_boards_and_is_idempotent():
    call_command("seed_demo", "--suppliers", "30", "--products", "90", "--seed", "7", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_rankings_demo", "--seed", "7", "--history-weeks", str(WEEKS), stdout=out)
    first = counts()

    # Two fiscal years per demo supplier, within the last two years, with per-input provenance.
    suppliers = Supplier.objects.filter(slug__startswith="demo-").count()
    assert first["figures"] == 2 * suppliers
    years = set(SupplierFigures.objects.values_list("fiscal_year", flat=True))
    assert len(years) == 2
    provenance = [
        value for row in SupplierFigures.objects.values_list("provenance", flat=True) for value in row.values()
    ]
    assert Provenance.SELF_DECLARED in provenance
    assert Provenance.DOCUMENT_VERIFIED in provenance
    assert provenance.count(Provenance.SELF_DECLARED) > provenance.count(Provenance.DOCUMENT_VERIFIED)
    # Factories invest more in R&D than trading companies.
    factory_rd = SupplierFigures.objects.filter(supplier__kind=SupplierKind.FACTORY, rd_spend_cny__gt=0).count()
    trading_rd = SupplierFigures.objects.filter(
        supplier__kind=SupplierKind.TRADING_COMPANY, rd_spend_cny__gte=1_000_000
    ).count()
    assert factory_rd > trading_rd

    # Orders and ratings from the demo buyers, most suppliers, ratings 3 to 5.
    assert first["activity"] > 0
    assert SupplierActivity.objects.filter(buyer__email__startswith="buyer-").count() == first["activity"]
    assert SupplierActivity.objects.values("supplier").distinct().count() >= suppliers // 2
    ratings = set(SupplierActivity.objects.filter(kind="rating").values_list("rating", flat=True))
    assert ratings and ratings <= {3, 4, 5}
    assert first["designations"] >= 1

    # This week's boards are published, and the S&I index and Top suppliers rank suppliers.
    # After the boards of the past weeks (oldest first), so every rank has a history and this week's a movement.
    runs = list(GenerationRun.objects.order_by("period"))
    assert len(runs) == WEEKS and all(r.status == GenerationRun.Status.SUCCEEDED for r in runs)
    run = runs[-1]
    assert run.period == max(r.period for r in runs) and run.started_at == max(r.started_at for r in runs)
    assert Entry.objects.filter(snapshot__period=run.period, previous_rank__isnull=False).exists()
    for board in (BoardKind.SPECIALIZED_INNOVATIVE, BoardKind.TOP_SUPPLIERS):
        assert Snapshot.objects.filter(leaderboard__board=board, period=run.period, entry_count__gt=0).exists()
        assert Entry.objects.filter(snapshot__leaderboard__board=board).exists()
    assert "snapshots published" in out.getvalue()

    # A second run changes nothing.
    again = io.StringIO()
    call_command("seed_rankings_demo", "--seed", "7", "--history-weeks", str(WEEKS), stdout=again)
    assert counts() == first
    assert "0 fiscal-year figures created" in again.getvalue()
