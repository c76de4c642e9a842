"""Public pages, the rank-history partial, and the seller's scoped figures and position screens."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from rankings import services
from rankings.models import BoardKind, Entry, OfficialDesignation, Provenance, Snapshot, SupplierFigures
from tests.factories import CategoryFactory, OfficialDesignationFactory, ProductFactory, SupplierFiguresFactory

from .conftest import NOW, build_market


def generate(now=NOW):
    return services.leaderboard_generate_all(now=now)


@pytest.fixture
def ranked(categories):
    suppliers = build_market(categories, 12, seed=5)
    generate()
    generate(now=NOW + datetime.timedelta(days=7))
    return suppliers


def test_index_lists_every_board_with_its_leaders(client, ranked, categories):
    root, leaf = categories
    response = client.get(reverse("rankings:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in BoardKind.labels:
        assert escape(str(label)) in html
    assert "not a government certification" in html
    top = (
        Snapshot.objects.filter(leaderboard__board=BoardKind.SPECIALIZED_INNOVATIVE, leaderboard__category=root)
        .latest()
        .entries.get(rank=1)
    )
    assert top.supplier_name in html
    assert reverse("rankings:board", args=[BoardKind.SPECIALIZED_INNOVATIVE, leaf.slug]) in html


def test_board_page_shows_rank_pillars_interval_movement_and_gates(client, ranked, categories):
    _root, leaf = categories
    response = client.get(reverse("rankings:board", args=[BoardKind.SPECIALIZED_INNOVATIVE, leaf.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    snapshot = response.context["snapshot"]
    assert snapshot.period == datetime.date(2025, 11, 24)
    assert "miit-2022-63" in html and "Specialization" in html and "rk-bar" in html
    first = snapshot.entries.get(rank=1)
    assert first.supplier_name in html
    assert first.previous_rank is not None  # second week: movement is known
    # Old snapshots stay readable.
    older = client.get(
        reverse("rankings:board", args=[BoardKind.SPECIALIZED_INNOVATIVE, leaf.slug]), {"period": "2025-11-17"}
    )
    assert older.context["snapshot"].period == datetime.date(2025, 11, 17)


def test_board_page_explains_an_empty_board(client, categories):
    build_market(categories, 4, seed=2, with_orders=False)
    generate()
    _root, leaf = categories
    response = client.get(reverse("rankings:board", args=[BoardKind.TOP_SUPPLIERS, leaf.slug]))
    assert response.status_code == 200
    assert "No supplier qualifies for this board yet" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/rankings/not_a_board/power-tools/",
        "/rankings/top_suppliers/no-such-category/",
        "/rankings/top_suppliers/power-tools/?period=2001-01-01",
        "/rankings/top_suppliers/power-tools/?period=garbage",
        "/rankings/methodology/top_suppliers/v999/",
        "/rankings/suppliers/nobody/",
    ],
)
def test_unknown_things_are_404(client, ranked, url):
    assert client.get(url).status_code == 404


def test_methodology_pages_show_formula_weights_bands_and_version(client, ranked):
    response = client.get(reverse("rankings:methodology_list"))
    assert response.status_code == 200
    assert "miit-2022-63" in response.content.decode()
    detail = client.get(reverse("rankings:methodology_detail", args=[BoardKind.SPECIALIZED_INNOVATIVE, "miit-2022-63"]))
    html = detail.content.decode()
    assert "main_business_share ≥ 80 → 5 pts" in html
    assert "main_business_share [70, 80) → 3 pts" in html
    assert "Silkway indicator" in html  # the distinctiveness indicators are labelled as ours
    assert "R&amp;D spend ≥ ¥1M" in html  # gates
    top = client.get(reverse("rankings:methodology_detail", args=[BoardKind.TOP_SUPPLIERS, "platform-activity-v1"]))
    assert "Beta-binomial shrinkage" in top.content.decode()


def test_rank_history_partial_draws_an_svg_chart(ranked):
    supplier = ranked[0]
    html = Template('{% include "rankings/partials/rank_history.html" with supplier=supplier %}').render(
        Context({"supplier": supplier})
    )
    assert "<svg" in html and "<polyline" in html
    assert html.count("<circle") >= 2  # two weekly snapshots
    never_ranked = ProductFactory(category=CategoryFactory()).supplier
    empty = Template('{% include "rankings/partials/rank_history.html" with supplier=supplier %}').render(
        Context({"supplier": never_ranked})
    )
    assert "<svg" not in empty


def test_supplier_rank_page_and_verified_designation_badge(client, ranked):
    supplier = ranked[0]
    OfficialDesignationFactory(
        supplier=supplier,
        level="little_giant",
        certificate_number="XJR-2024-0042",
        issuer="MIIT",
        issued_on=datetime.date(2024, 7, 1),
        valid_until=datetime.date(2099, 6, 30),
    )
    response = client.get(reverse("rankings:supplier_ranks", args=[supplier.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert "XJR-2024-0042" not in html  # not verified yet: no badge
    OfficialDesignation.objects.update(verified_at=NOW)
    assert "XJR-2024-0042" in client.get(reverse("rankings:supplier_ranks", args=[supplier.slug])).content.decode()


def _page_urls(categories):
    _root, leaf = categories
    supplier_slug = Entry.objects.order_by("-snapshot__period", "rank").first().supplier.slug
    return [
        reverse("rankings:index"),
        reverse("rankings:board", args=[BoardKind.SPECIALIZED_INNOVATIVE, leaf.slug]),
        reverse("rankings:board", args=[BoardKind.TOP_SUPPLIERS, leaf.slug]),
        reverse("rankings:methodology_list"),
        reverse("rankings:methodology_detail", args=[BoardKind.SPECIALIZED_INNOVATIVE, "miit-2022-63"]),
        reverse("rankings:supplier_ranks", args=[supplier_slug]),
    ]


@pytest.mark.parametrize("size", [4, 60])
def test_pages_run_a_bounded_number_of_queries(client, categories, size, django_assert_max_num_queries):
    build_market(categories, size, seed=size)
    # More categories (and so more boards on the index) must not add queries either.
    for n in range(size // 4):
        ProductFactory(category=CategoryFactory(slug=f"extra-{n}"))
    for week in range(3):
        generate(now=NOW + datetime.timedelta(days=7 * week))
    for url in _page_urls(categories):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url


# --- Seller admin: figures and "your position" ------------------------------------------------------------------


@pytest.fixture
def two_sellers(categories, seller_a, seller_b, supplier_a, supplier_b):
    _root, leaf = categories
    for supplier in (supplier_a, supplier_b):
        ProductFactory(supplier=supplier, category=leaf)
    figures_a = SupplierFiguresFactory(
        supplier=supplier_a, fiscal_year=2024, revenue_cny=Decimal("3e7"), main_business_share=Decimal("85")
    )
    figures_b = SupplierFiguresFactory(
        supplier=supplier_b, fiscal_year=2024, revenue_cny=Decimal("9e7"), main_business_share=Decimal("65")
    )
    services.methodology_sync_builtin()
    return figures_a, figures_b


def test_seller_sees_only_their_own_figures(seller_a_client, two_sellers):
    figures_a, figures_b = two_sellers
    listing = seller_a_client.get(reverse("seller:rankings_supplierfigures_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [figures_a]
    assert "90000000" not in listing.content.decode()
    assert "Your position and how to improve it" in listing.content.decode()
    other = seller_a_client.get(reverse("seller:rankings_supplierfigures_change", args=[figures_b.pk]))
    assert other.status_code == 404
    own = seller_a_client.get(reverse("seller:rankings_supplierfigures_change", args=[figures_a.pk]))
    assert own.status_code == 200
    html = own.content.decode()
    assert "Innovative index in Tools &amp; Hardware, from your current figures" in html
    assert "Audited income statement" in html  # evidence to upload for the indicators that cost points


def test_seller_cannot_post_to_another_suppliers_figures(seller_a_client, two_sellers):
    _figures_a, figures_b = two_sellers
    response = seller_a_client.post(
        reverse("seller:rankings_supplierfigures_change", args=[figures_b.pk]),
        {"fiscal_year": 2024, "revenue_cny": "1"},
    )
    assert response.status_code == 404
    figures_b.refresh_from_db()
    assert figures_b.revenue_cny == Decimal("9e7")


def test_seller_adds_figures_for_their_own_supplier_and_absurd_values_are_refused(
    seller_a_client, two_sellers, supplier_a
):
    url = reverse("seller:rankings_supplierfigures_add")
    bad = seller_a_client.post(url, {"fiscal_year": 2023, "revenue_cny": "-10", "main_business_share": "140"})
    assert bad.status_code == 200 and bad.context["adminform"].form.errors
    assert not SupplierFigures.objects.filter(fiscal_year=2023).exists()
    good = seller_a_client.post(url, {"fiscal_year": 2023, "revenue_cny": "12000000", "main_business_share": "81"})
    assert good.status_code == 302
    created = SupplierFigures.objects.get(fiscal_year=2023)
    assert created.supplier == supplier_a
    assert created.provenance_of("revenue_cny") == Provenance.SELF_DECLARED


def test_seller_designations_are_scoped(seller_a_client, supplier_b):
    other = OfficialDesignationFactory(
        supplier=supplier_b,
        level="specialized_sme",
        certificate_number="ZJ-2023-1",
        issuer="Zhejiang DEIT",
        issued_on=datetime.date(2023, 1, 1),
        valid_until=datetime.date(2099, 1, 1),
    )
    listing = seller_a_client.get(reverse("seller:rankings_officialdesignation_changelist"))
    assert "ZJ-2023-1" not in listing.content.decode()
    assert (
        seller_a_client.get(reverse("seller:rankings_officialdesignation_change", args=[other.pk])).status_code == 404
    )


def test_operator_admin_screens_load(client, operator, ranked):
    client.force_login(operator)
    for name in (
        "snapshot",
        "entry",
        "methodology",
        "supplierfigures",
        "generationrun",
        "supplieractivity",
        "leaderboard",
        "rankingpenalty",
        "officialdesignation",
    ):
        assert client.get(reverse(f"admin:rankings_{name}_changelist")).status_code == 200, name


def test_storefront_and_product_page_show_rank_badges_and_history(client, ranked, django_assert_max_num_queries):
    leader = Entry.objects.order_by("-snapshot__period", "rank").first()
    supplier = leader.supplier
    with django_assert_max_num_queries(14):
        storefront = client.get(supplier.get_absolute_url()).content.decode()
    assert "<svg" in storefront and f"#{leader.rank} " in storefront
    product = ProductFactory(supplier=supplier, category=CategoryFactory())
    assert f"#{leader.rank} " in client.get(product.get_absolute_url()).content.decode()
