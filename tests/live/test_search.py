"""The "Live now" search facet on the current backend (page and API)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory
from tests.search.conftest import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def drills(supplier_a, supplier_b, make_session):
    category = CategoryFactory(slug="power-tools", name="Power Tools")
    shown = make_product(supplier=supplier_a, category=category, title="Brushless Cordless Drill")
    later = make_product(supplier=supplier_b, category=category, title="Cordless Drill Driver 12V")
    plain = make_product(supplier=supplier_b, category=category, title="Cordless Impact Drill")
    make_session(supplier_a, start_in=timedelta(minutes=-5), products=[shown])
    make_session(supplier_b, start_in=timedelta(days=1), products=[later])
    return shown, later, plain


def test_live_now_facet_counts_and_filters(client, drills):
    shown, _later, _plain = drills
    response = client.get(reverse("search:search"), {"q": "cordless drill"})
    assert response.context["result"].facets["live"] == 1
    assert response.context["links"]["live"][0] == 1
    assert "?q=cordless+drill&amp;live=1" in response.content.decode()
    response = client.get(reverse("search:search"), {"q": "cordless drill", "live": "1"})
    assert [hit.pk for hit in response.context["result"].hits] == [shown.pk]
    assert any(chip["label"] == "Live now" for chip in response.context["chips"])


def test_live_now_facet_in_the_api(api, drills):
    shown, _later, _plain = drills
    data = api.get("/api/v1/search/", {"q": "cordless drill"}).json()
    assert data["facets"]["live"] == 1
    data = api.get("/api/v1/search/", {"q": "cordless drill", "live": "true"}).json()
    assert [row["id"] for row in data["results"]] == [shown.pk]


def test_no_session_live_means_no_facet(client, supplier_a):
    make_product(supplier=supplier_a, category=CategoryFactory(), title="Cordless Drill")
    response = client.get(reverse("search:search"), {"q": "cordless drill"})
    assert response.context["result"].facets["live"] == 0
    assert "live=1" not in response.content.decode()
