"""The public cache (core/public_cache.py): what every visitor sees alike is served from the cache, per language,
with nothing personal in it, and a committed change to the catalog shows on the next request."""

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.services import product_refresh_derived
from search.engine import product_result_cacheable, product_search
from search.models import SearchLog
from tests.factories import BuyerFactory, CategoryFactory, ProductFactory, SupplierFactory, TranslationFactory


@pytest.fixture
def public_cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drill(db):
    category = CategoryFactory(slug="power-tools", name="Power Tools", names={"de": "Elektrowerkzeuge"})
    product = ProductFactory(
        title="Cordless Drill Falcon", category=category, supplier=SupplierFactory(name="Falcon Tools Co.")
    )
    TranslationFactory(product=product, language="de", title="Akku-Bohrschrauber Falke")
    return product_refresh_derived(product=product)


def test_a_product_page_is_served_from_the_cache_until_the_product_changes(
    client, drill, public_cache_on, committed, django_assert_max_num_queries
):
    url = drill.get_absolute_url()
    assert "Cordless Drill Falcon" in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # where the URL leads; the page itself comes from the cache
        page = client.get(url).content.decode()
    assert "Cordless Drill Falcon" in page and "Falcon Tools Co." in page and "12.50" in page

    with committed():
        drill.title = "Cordless Drill Hawk"
        drill.save()
    page = client.get(url).content.decode()
    assert "Cordless Drill Hawk" in page and "Cordless Drill Falcon" not in page


def test_each_language_has_its_own_cached_page(client, drill, public_cache_on):
    url = drill.get_absolute_url()
    assert "Cordless Drill Falcon" in client.get(url).content.decode()
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Akku-Bohrschrauber Falke" in german and "Elektrowerkzeuge" in german


def test_nothing_personal_is_cached(client, drill, public_cache_on):
    buyer = BuyerFactory(email="first-visitor@example.com")
    client.force_login(buyer)
    signed_in = client.get(drill.get_absolute_url()).content.decode()
    assert 'name="quantity" value="100"' in signed_in  # the inquiry form starts at the MOQ, cached or not
    client.logout()
    anonymous = client.get(drill.get_absolute_url()).content.decode()
    assert "first-visitor" not in anonymous
    assert "Sign out" not in anonymous
    # The inquiry form is open to everyone (a visitor signs in when sending); the signed-out note is the visitor's own.
    assert "You sign in or join before it is sent" in anonymous and "sign in or join before" not in signed_in
    home = client.get("/").content.decode()
    assert "first-visitor" not in home


def test_a_product_taken_down_is_gone_at_once(client, drill, public_cache_on, committed):
    url = drill.get_absolute_url()
    assert client.get(url).status_code == 200
    with committed():
        drill.status = "draft"
        drill.save()
    assert client.get(url).status_code == 404


def test_home_and_category_pages_cost_no_catalog_query_once_cached(
    client, drill, public_cache_on, committed, django_assert_max_num_queries
):
    assert "Cordless Drill Falcon" in client.get("/").content.decode()
    with django_assert_max_num_queries(0):
        assert "Cordless Drill Falcon" in client.get("/").content.decode()
    category_url = drill.category.get_absolute_url()
    client.get(category_url)
    with django_assert_max_num_queries(2):  # the category of the URL (title, 404) and its children
        assert "Cordless Drill Falcon" in client.get(category_url).content.decode()
    assert "Cordless Drill Falcon" not in client.get(category_url + "?kind=trading_company").content.decode()

    with committed():
        ProductFactory(title="Cordless Drill Osprey", category=drill.category)
    assert "Cordless Drill Osprey" in client.get(category_url).content.decode()


def test_search_results_are_cached_but_every_search_is_still_logged(client, drill, public_cache_on):
    first = client.get("/search/", {"q": "cordless drill"}).content.decode()
    second = client.get("/search/", {"q": "cordless drill"}).content.decode()
    assert "Cordless Drill Falcon" in first and "Cordless Drill Falcon" in second
    assert SearchLog.objects.filter(query="cordless drill").count() == 2
    # Each page carries its own log id for the click beacon, cached results or not.
    logs = list(SearchLog.objects.order_by("pk").values_list("pk", flat=True))
    assert f'data-search-log="{logs[0]}"' in first and f'data-search-log="{logs[1]}"' in second


def test_reindexing_drops_cached_search_results(client, drill, public_cache_on, committed):
    assert "Cordless Drill" not in client.get("/search/", {"q": "hawk"}).content.decode()
    with committed():
        drill.title = "Cordless Drill Hawk"
        drill.save()
        product_refresh_derived(product=drill)
    assert "Cordless Drill Hawk" in client.get("/search/", {"q": "hawk"}).content.decode()


def test_the_api_product_list_is_cached_per_url_and_refused_filters_are_not(
    client, drill, public_cache_on, committed, django_assert_max_num_queries
):
    url = "/api/v1/products/"
    assert [item["title"] for item in client.get(url).json()["results"]] == ["Cordless Drill Falcon"]
    with django_assert_max_num_queries(0):
        assert client.get(url).json()["results"][0]["title"] == "Cordless Drill Falcon"
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").json()
    assert german["results"][0]["title"] == "Akku-Bohrschrauber Falke"
    assert client.get(url, {"category": "no-such-category"}).status_code == 400
    assert client.get(url, {"category": "no-such-category"}).status_code == 400

    with committed():
        ProductFactory(title="Cordless Drill Osprey", category=drill.category)
    assert len(client.get(url).json()["results"]) == 2


def test_off_means_computed_every_time(client, drill, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    assert any("marketplace_product" in query["sql"] for query in captured.captured_queries)


def test_turned_off_it_serves_nothing_stored_while_it_was_on(client, drill, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    client.get(drill.get_absolute_url())
    settings.PUBLIC_CACHE_SECONDS = 0
    drill.title = "Cordless Drill Kestrel"  # saved without a commit: no invalidation, only "off" can show it
    drill.save()
    assert "Cordless Drill Kestrel" in client.get(drill.get_absolute_url()).content.decode()


def test_a_repeated_search_loads_no_product(client, drill, public_cache_on):
    assert "Cordless Drill Falcon" in client.get("/search/", {"q": "cordless drill"}).content.decode()
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/search/", {"q": "cordless drill"}).content.decode()
    assert "Cordless Drill Falcon" in page  # from the cached fragments
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if 'FROM "marketplace_product"' in sql]
    assert any('INTO "marketplace_searchlog"' in sql for sql in statements)  # still logged


def test_cached_hits_travel_as_ids_and_load_in_rank_order_when_read(drill, django_assert_max_num_queries):
    other = product_refresh_derived(product=ProductFactory(title="Cordless Drill Osprey", category=drill.category))
    result = product_search(q="cordless drill", ui_language="en")
    cacheable = product_result_cacheable(result, ui_language="en")
    ranked = [hit.pk for hit in cacheable.hits]
    assert sorted(ranked) == sorted([drill.pk, other.pk])

    stored = pickle.loads(pickle.dumps(cacheable))
    assert len(pickle.dumps(cacheable)) < 2000 and not stored.hits.loaded and len(stored.hits) == 2
    with django_assert_max_num_queries(3):  # products, their translations and images
        assert [hit.pk for hit in stored.hits] == ranked
    assert stored.hits.loaded and stored.hits[0].search_score == cacheable.hits[0].search_score
