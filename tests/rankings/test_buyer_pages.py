"""The public pages speak to buyers: words before numbers, no Python values, formulas behind a fold."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from rankings import display, services
from rankings.models import BoardKind, Entry, KeyField, RDInstitution, SupplierFigures

from .conftest import NOW, build_market

VALUE_CELL = re.compile(r'<td class="rk-value[^"]*">(.*?)</td>', re.S)
CHOICE_CODES = set(KeyField.values) | set(RDInstitution.values)


@pytest.fixture
def ranked(categories):
    suppliers = build_market(categories, 12, seed=11)
    # Figures with gaps: a missing R&D spend (both of its inputs) and no high-value IP must read "not reported".
    SupplierFigures.objects.filter(supplier=suppliers[0]).update(rd_spend_cny=None, key_field="six_foundations")
    services.leaderboard_generate_all(now=NOW)
    services.leaderboard_generate_all(now=NOW + datetime.timedelta(days=7))
    return suppliers


def _assert_readable(cell):
    assert cell.strip(), "an empty value cell"
    for internal in ("[", "]", "None", "True", "False", "(", "{"):
        if internal == "(" and "recent orders weigh more" in cell:
            continue
        assert internal not in cell, cell
    assert not re.search(r"\d\.\d{5,}", cell), cell
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", cell), cell  # input names and snake_case codes
    assert cell.strip() not in CHOICE_CODES, cell  # a choice shows its label ("Below municipal level"), not "lower"


def test_supplier_ranks_value_column_has_no_python_values(client, ranked):
    supplier_ids = set(Entry.objects.values_list("supplier_id", flat=True))
    boards_seen, cells_seen = set(), 0
    for supplier in ranked:
        if supplier.pk not in supplier_ids:
            continue
        response = client.get(reverse("rankings:supplier_ranks", args=[supplier.slug]))
        assert response.status_code == 200
        html = response.content.decode()
        for position in response.context["positions"]:
            boards_seen.add(position["snapshot"].leaderboard.board)
        cells = VALUE_CELL.findall(html)
        cells_seen += len(cells)
        for cell in cells:
            _assert_readable(cell)
    # Every board kind, so pairs (on time, ratings), flags and choices were all on a page.
    assert boards_seen == set(BoardKind.values)
    assert cells_seen > 50


def test_supplier_ranks_shows_missing_as_not_reported_and_codes_as_labels(client, ranked):
    html = client.get(reverse("rankings:supplier_ranks", args=[ranked[0].slug])).content.decode()
    cells = VALUE_CELL.findall(html)
    assert "not reported" in cells  # R&D spend: neither the amount nor its share of revenue
    assert escape(str(KeyField.SIX_FOUNDATIONS.label)) in cells
    assert any(cell.endswith("% on time") for cell in cells)
    assert "ISO 9001-type certificate: " in html and "standards drafted: " in html
    assert "shrunk toward the category" not in html  # indicator labels name the thing measured, not the statistics
    assert "Source" in html and "self-declared: stated by the supplier" in html  # the legend under the first table


@pytest.mark.parametrize("board", BoardKind.values)
def test_board_page_explains_itself_before_the_table(client, ranked, categories, board):
    _root, leaf = categories
    response = client.get(reverse("rankings:board", args=[board, leaf.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    summary = escape(display.board_summary(board))
    assert summary and summary in html
    assert "Rank 1 is best." in html
    if "<table" in html:
        assert html.index(summary) < html.index("<table")
        legend = html.index('class="rk-key"')
        assert html.index("</table>") < legend  # the columns are explained under the table, not in titles only
        assert "Likely range" in html[legend:] and "Coverage" in html[legend:]
    assert "Beta-binomial" not in html and "Σ" not in html and "percentile" not in html


def test_specialized_board_says_it_is_not_a_government_title(client, ranked, categories):
    _root, leaf = categories
    html = client.get(reverse("rankings:board", args=[BoardKind.SPECIALIZED_INNOVATIVE, leaf.slug])).content.decode()
    assert "MIIT 2022 No. 63" in html and "not a government certification" in html
    gates = re.findall(r'<span class="rk-gate-[a-z]+" title="([^"]*)"', html)
    assert gates and not any("_" in title for title in gates)  # gate labels, not gate keys


@pytest.mark.parametrize(
    ("board", "version"),
    [
        (BoardKind.SPECIALIZED_INNOVATIVE, "miit-2022-63"),
        (BoardKind.TOP_SUPPLIERS, "platform-activity-v1"),
        (BoardKind.TOP_FACTORIES, "factories-v1"),
        (BoardKind.FASTEST_RESPONDERS, "responders-v1"),
    ],
)
def test_methodology_page_puts_the_plain_summary_first_and_formulas_behind_details(client, ranked, board, version):
    html = client.get(reverse("rankings:methodology_detail", args=[board, version])).content.decode()
    details = html.index('<details class="rk-details">')
    summary = escape(display.board_summary(board))
    assert html.index(summary) < html.index("<table") < details
    assert "How the score is computed" in html[details:]
    plain, technical = html[:details], html[details:]
    for formula in ("Σ", "Beta-binomial", "percentile(", "× weight", "[70, 80)", "main_business_share"):
        assert formula not in plain, formula
    assert "Σ" in technical
    if board == BoardKind.SPECIALIZED_INNOVATIVE:
        assert "80% or more → 5 points" in plain
        assert "main_business_share ≥ 80 → 5 pts" in technical
    else:
        assert "Compared with the other suppliers in the category" in plain


def test_methodology_list_keeps_band_edges_behind_details(client, ranked):
    html = client.get(reverse("rankings:methodology_list")).content.decode()
    details = html.index('<details class="rk-details">')
    assert "[min, max)" in html[details:] and "[min, max)" not in html[:details]


def test_history_chart_tooltips_read_as_sentences(client, ranked):
    html = client.get(reverse("rankings:supplier_ranks", args=[ranked[0].slug])).content.decode()
    titles = re.findall(r"<circle[^>]*><title>(.*?)</title>", html)
    assert titles and all("week of " in title and ": rank " in title for title in titles)
