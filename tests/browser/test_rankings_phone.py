"""Leaderboard pages on a 390 px phone: no sideways page scroll, and links in tables and lists are easy to tap."""

import pytest

from rankings import services
from rankings.models import BoardKind, Entry
from tests.factories import CategoryFactory
from tests.rankings.conftest import NOW, build_market

from .conftest import PHONE, screenshot

# Links in tables and lists narrower than a fingertip (44 px tall), among the visible ones in <main>.
SMALL_TAP_TARGETS = """() => [...document.querySelectorAll('main table a, main li a')]
  .filter(a => a.offsetParent && a.getBoundingClientRect().height < 44).map(a => a.textContent.trim())"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rankings_pages_fit_a_phone(browser_page, live_server):
    root = CategoryFactory(slug="tools-hardware", name="Tools & Hardware")
    leaf = CategoryFactory(slug="power-tools", name="Power Tools", parent=root)
    build_market((root, leaf), 8, seed=3)
    services.leaderboard_generate_all(now=NOW)
    supplier = Entry.objects.order_by("rank").first().supplier
    page = browser_page
    page.set_viewport_size(PHONE)
    paths = [
        "/rankings/",
        *(f"/rankings/{board}/power-tools/" for board in BoardKind.values),
        f"/rankings/suppliers/{supplier.slug}/",
        "/rankings/methodology/",
        "/rankings/methodology/specialized_innovative/miit-2022-63/",
        "/rankings/methodology/top_suppliers/platform-activity-v1/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector("main h1")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert page.evaluate(SMALL_TAP_TARGETS) == [], path
    page.goto(f"{live_server.url}/rankings/specialized_innovative/power-tools/")
    screenshot(page, "rankings-board-phone")
