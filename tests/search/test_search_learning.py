"""The search log learns: result clicks are recorded per product, mining proposes the words search could not connect
to the clicked products as synonym candidates, operators approve or reject them in /admin/, and approved synonyms
join the glossary of every process. Runs on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.models import ProductStatus
from search import glossary
from search.engine import product_search
from search.models import CandidateStatus, SearchClick, SearchLog, SearchSynonym, SynonymCandidate
from search.services import (
    search_click_record,
    search_log_record,
    search_synonym_save,
    synonym_candidate_approve,
    synonym_candidate_reject,
    synonym_candidates_mine,
)
from suppliers.admin_scoping import seller_site
from tests.factories import CategoryFactory, SupplierFactory

from .conftest import make_product

pytestmark = pytest.mark.django_db

CLICK = reverse("search:click")
QUERY = "charge brick"  # a buyer's words no listing uses and the vocabulary does not know


@pytest.fixture(autouse=True)
def _glossary_without_this_tests_synonyms():
    """Approved synonyms enter this process's glossary; rows roll back with the test, so reload the (empty)
    dictionary before they do, and no later test sees them."""
    yield
    SearchSynonym.objects.all().delete()
    glossary.operator_synonyms_changed()
    glossary.operator_synonyms_check()


@pytest.fixture
def power_banks(db):
    storage = CategoryFactory(slug="power-banks", name="Power Banks")
    supplier = SupplierFactory(name="Shenzhen Cells Factory", kind="factory", country="CN")
    return [
        make_product(supplier=supplier, category=storage, title=f"Power Bank {size}mAh with USB-C", keywords="")
        for size in (10000, 20000, 30000)
    ]


def _search(query, *, language="en"):
    return search_log_record(query=query, language=language, tab="products", filters={}, result_count=0)


def _clicks(query, products_per_search, *, language="en"):
    """One search per entry, each clicking the given products through the beacon."""
    for products in products_per_search:
        log = _search(query, language=language)
        for position, product in enumerate(products, 1):
            assert search_click_record(log_id=log.pk, product_id=product.pk, position=position)


# --- the beacon ------------------------------------------------------------------------------------------------


def test_beacon_records_the_clicked_product_once_per_search(client, power_banks):
    log = _search(QUERY)
    product = power_banks[0]
    assert client.post(CLICK, {"log": log.pk, "product": product.pk, "position": 3}).status_code == 200
    assert client.post(CLICK, {"log": log.pk, "product": product.pk, "position": 3}).status_code == 200
    click = SearchClick.objects.get()
    assert (click.log_id, click.product_id, click.position) == (log.pk, product.pk, 3)
    log.refresh_from_db()
    assert log.clicks == 2  # the counter still counts every click
    assert client.post(CLICK, {"log": log.pk}).status_code == 200  # a supplier result or a sponsored one
    field_names = {f.name for f in SearchClick._meta.fields}
    assert not field_names & {"user", "ip", "session", "user_agent"}


@pytest.mark.parametrize(
    "data,reason",
    [
        ({"log": None}, "log"),
        ({"log": "junk"}, "log"),
        ({"log": "999999"}, "log"),
        ({"product": "junk"}, "product"),
        ({"product": "-3"}, "product"),
        ({"product": "999999"}, "product"),
        ({"product": "DRAFT"}, "product"),
        ({"product": "OK", "position": "0"}, "position"),
        ({"product": "OK", "position": "abc"}, "position"),
        ({"product": "OK", "position": "5000"}, "position"),
        ({"position": "2"}, "position"),
    ],
)
def test_beacon_refuses_bad_input_and_writes_nothing(client, power_banks, data, reason):
    log = _search(QUERY)
    draft = power_banks[1]
    draft.status = ProductStatus.DRAFT
    draft.save(update_fields=["status"])
    names = {"OK": power_banks[0].pk, "DRAFT": draft.pk}
    posted = {"log": log.pk, **{k: names.get(v, v) for k, v in data.items()}}
    response = client.post(CLICK, {k: v for k, v in posted.items() if v is not None})
    assert response.status_code == 400
    assert reason in response.content.decode()
    log.refresh_from_db()
    assert log.clicks == 0 and not SearchClick.objects.exists()


def test_beacon_refuses_a_product_click_on_a_supplier_search(client, power_banks):
    log = search_log_record(query="factory", language="en", tab="suppliers", filters={}, result_count=1)
    assert client.post(CLICK, {"log": log.pk, "product": power_banks[0].pk}).status_code == 400
    assert not SearchClick.objects.exists()


def test_search_page_cards_carry_what_the_beacon_sends(client, power_banks):
    response = client.get(reverse("search:search"), {"q": "power bank"})
    html = response.content.decode()
    assert f'data-product="{power_banks[0].pk}"' in html
    assert 'data-search-log="' in html and "data-offset=" in html
    assert 'data.append("product"' in html


# --- mining ----------------------------------------------------------------------------------------------------


def test_mining_proposes_the_words_clicks_do_not_contain(power_banks):
    assert product_search(q=QUERY).page.total == 0  # nothing connects the words to the listings yet
    _clicks(QUERY, [power_banks[:2], power_banks[1:]])
    summary = synonym_candidates_mine()
    assert summary["created"] == 1
    candidate = SynonymCandidate.objects.get()
    assert (candidate.term, candidate.language) == ("charge brick", "en")
    assert candidate.canonical.casefold() == "power bank"  # the vocabulary's product noun in the titles
    assert candidate.category.slug == "power-banks"
    assert (candidate.searches, candidate.clicks, candidate.products) == (2, 4, 3)
    assert power_banks[1].pk == candidate.example_product_ids[0]  # most clicked first
    assert candidate.status == CandidateStatus.PENDING


def test_mining_ignores_clicks_on_products_that_match_the_query(power_banks):
    _clicks("power bank 20000mah", [power_banks, power_banks])
    _clicks("usb-c power bank", [power_banks[:2], power_banks[1:]])
    assert synonym_candidates_mine()["proposals"] == 0
    assert not SynonymCandidate.objects.exists()


def test_mining_respects_the_thresholds(power_banks, settings):
    _clicks(QUERY, [power_banks])  # three clicks, one search
    assert synonym_candidates_mine()["proposals"] == 0
    _clicks(QUERY, [power_banks[:1]])
    settings.SEARCH_LEARNING_MIN_CLICKS = 5
    assert synonym_candidates_mine()["proposals"] == 0
    settings.SEARCH_LEARNING_MIN_CLICKS = 4
    assert synonym_candidates_mine()["created"] == 1
    # Only the last days count.
    SearchClick.objects.update(created_at=timezone.now() - timedelta(days=40))
    assert synonym_candidates_mine(days=30)["proposals"] == 0


def test_mining_is_idempotent_and_never_reopens_a_decision(power_banks, operator):
    _clicks(QUERY, [power_banks[:2], power_banks[1:]])
    synonym_candidates_mine()
    synonym_candidates_mine()
    candidate = SynonymCandidate.objects.get()
    assert candidate.clicks == 4
    _clicks(QUERY, [power_banks[:1]])
    assert synonym_candidates_mine()["updated"] == 1
    candidate.refresh_from_db()
    assert (candidate.searches, candidate.clicks) == (3, 5)
    synonym_candidate_reject(candidate_id=candidate.pk, user=operator)
    _clicks(QUERY, [power_banks])
    assert synonym_candidates_mine()["skipped"] == 1
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED and candidate.clicks == 5
    assert SynonymCandidate.objects.count() == 1


def test_mine_command(power_banks):
    _clicks(QUERY, [power_banks[:2], power_banks[1:]])
    call_command("mine_synonym_candidates", "--days", "7")
    assert SynonymCandidate.objects.filter(term="charge brick").exists()


def test_demo_seed_command_leaves_candidates_to_approve(power_banks):
    call_command("seed_search_learning_demo")
    call_command("seed_search_learning_demo")  # a re-run replaces its searches
    candidate = SynonymCandidate.objects.get(term="charge brick")
    assert (candidate.searches, candidate.clicks) == (3, 6)


# --- approval and the glossary ---------------------------------------------------------------------------------


def _mined(power_banks):
    _clicks(QUERY, [power_banks[:2], power_banks[1:]])
    synonym_candidates_mine()
    return SynonymCandidate.objects.get()


def test_approving_makes_search_find_the_clicked_products(power_banks, operator, committed):
    candidate = _mined(power_banks)
    with committed():
        synonym = synonym_candidate_approve(candidate_id=candidate.pk, user=operator)
    assert (synonym.key, synonym.language, synonym.active, synonym.created_by) == ("charge brick", "en", True, operator)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.APPROVED and candidate.synonym == synonym
    found = {p.pk for p in product_search(q="Charge  Brick").hits}
    assert found == {p.pk for p in power_banks}
    # Deactivated by an operator: gone again, in this process at once.
    synonym.active = False
    with committed():
        search_synonym_save(synonym=synonym, user=operator)
    assert product_search(q=QUERY).page.total == 0


def test_rejecting_changes_nothing_in_search(power_banks, operator, committed):
    candidate = _mined(power_banks)
    with committed():
        synonym_candidate_reject(candidate_id=candidate.pk, user=operator)
    assert not SearchSynonym.objects.exists()
    assert product_search(q=QUERY).page.total == 0


def test_other_processes_reload_when_the_version_changes(power_banks, operator, committed):
    """Another process: its loaded version differs from the cache's one once its check interval has passed."""
    candidate = _mined(power_banks)
    glossary.table()  # this "process" has a table already
    with committed():
        synonym_candidate_approve(candidate_id=candidate.pk, user=operator)
    # Simulate a process that loaded before the change and checked a moment ago: it keeps its table...
    glossary._operator.update(loaded=True, version="old", entries=(), checked=float("inf"))
    glossary._derived_caches_clear(())
    assert product_search(q=QUERY).page.total == 0
    # ...until its next check (at most SYNONYMS_CHECK_SECONDS later) sees the new version.
    glossary._operator["checked"] = float("-inf")
    assert product_search(q=QUERY).page.total == 3


def test_synonym_rules_hold_in_the_service(operator):
    search_synonym_save(synonym=SearchSynonym(term="Charge Brick", language="en", canonical="power bank"))

    for term, canonical, field in [
        ("", "power bank", "term"),
        ("  ", "power bank", "term"),
        ("juice pack", "", "canonical"),
        ("Power-Bank", "power bank", "canonical"),
        ("charge  BRICK", "battery", "term"),
    ]:
        with pytest.raises(ValidationError) as error:
            search_synonym_save(synonym=SearchSynonym(term=term, language="en", canonical=canonical))
        assert field in error.value.message_dict
    assert SearchSynonym.objects.count() == 1
    # The same words in another language are another entry.
    search_synonym_save(synonym=SearchSynonym(term="charge brick", language="fr", canonical="power bank"))


# --- the operators' admin --------------------------------------------------------------------------------------


def test_admin_lists_candidates_pending_first_with_bounded_queries(
    client, operator, power_banks, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(12):
        SynonymCandidate.objects.create(
            term=f"word {n}",
            language="en",
            canonical="power bank",
            category=power_banks[0].category,
            status=CandidateStatus.REJECTED if n % 3 == 0 else CandidateStatus.PENDING,
            searches=2,
            clicks=n,
            products=1,
            example_product_ids=[p.pk for p in power_banks],
            mined_at=now,
        )
    client.force_login(operator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:search_synonymcandidate_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [r.status for r in rows[:8]] == [CandidateStatus.PENDING] * 8
    html = response.content.decode()
    assert reverse("admin:marketplace_product_change", args=[power_banks[0].pk]) in html
    assert reverse("admin:search_synonymcandidate_decide", args=[rows[0].pk]) in html


def test_admin_approves_with_an_edited_english_phrase(client, operator, power_banks, committed):
    candidate = _mined(power_banks)
    client.force_login(operator)
    url = reverse("admin:search_synonymcandidate_decide", args=[candidate.pk])
    assert client.get(url).status_code == 200
    with committed():
        response = client.post(url, {"approve": "1", "term": "charge brick", "canonical": "power banks"})
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get()
    assert (synonym.term, synonym.canonical, synonym.created_by) == ("charge brick", "power banks", operator)
    assert {p.pk for p in product_search(q=QUERY).hits} == {p.pk for p in power_banks}


@pytest.mark.parametrize(
    "term,canonical,field",
    [("charge brick", "", "canonical"), ("charge brick", "Charge Brick", "canonical"), ("", "power bank", "term")],
)
def test_admin_approval_errors_save_nothing(client, operator, power_banks, term, canonical, field):
    candidate = _mined(power_banks)
    client.force_login(operator)
    url = reverse("admin:search_synonymcandidate_decide", args=[candidate.pk])
    response = client.post(url, {"approve": "1", "term": term, "canonical": canonical})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING and not SearchSynonym.objects.exists()


def test_admin_approval_of_a_duplicate_term_is_a_form_error(client, operator, power_banks):
    candidate = _mined(power_banks)
    search_synonym_save(synonym=SearchSynonym(term="Charge-Brick", language="en", canonical="battery pack"))
    client.force_login(operator)
    url = reverse("admin:search_synonymcandidate_decide", args=[candidate.pk])
    response = client.post(url, {"approve": "1", "term": "charge brick", "canonical": "power bank"})
    assert response.status_code == 200 and response.context["form"].errors["term"]
    assert SearchSynonym.objects.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_admin_rejects_and_bulk_actions(client, operator, power_banks):
    candidate = _mined(power_banks)
    client.force_login(operator)
    url = reverse("admin:search_synonymcandidate_decide", args=[candidate.pk])
    assert client.post(url, {"reject": "1", "term": "x", "canonical": "y"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED and not SearchSynonym.objects.exists()

    now = timezone.now()
    others = [
        SynonymCandidate.objects.create(term=t, language="en", canonical="power bank", mined_at=now)
        for t in ("juice pack", "battery brick")
    ]
    changelist = reverse("admin:search_synonymcandidate_changelist")
    response = client.post(
        changelist, {"action": "approve_selected", "_selected_action": [o.pk for o in others] + [candidate.pk]}
    )
    assert response.status_code == 302
    assert set(SearchSynonym.objects.values_list("key", flat=True)) == {"juice pack", "battery brick"}
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED  # a decided one stays decided


def test_admin_mine_now(client, operator, power_banks):
    _clicks(QUERY, [power_banks[:2], power_banks[1:]])
    client.force_login(operator)
    changelist = reverse("admin:search_synonymcandidate_changelist")
    assert reverse("admin:search_synonymcandidate_mine") in client.get(changelist).content.decode()
    assert client.post(reverse("admin:search_synonymcandidate_mine")).status_code == 302
    assert SynonymCandidate.objects.filter(term="charge brick").exists()


def test_admin_edits_the_dictionary_with_validation(client, operator, committed):
    client.force_login(operator)
    add = reverse("admin:search_searchsynonym_add")
    data = {"term": "charge brick", "language": "en", "canonical": "power bank", "category": "", "active": "on"}
    with committed():
        assert client.post(add, data).status_code == 302
    synonym = SearchSynonym.objects.get()
    assert synonym.created_by == operator and synonym.key == "charge brick"
    for bad in (
        {"term": "Charge Brick!"},  # a duplicate of the same words
        {"term": ""},
        {"canonical": ""},
        {"term": "power bank", "canonical": "Power  Bank"},
    ):
        response = client.post(add, {**data, **bad})
        assert response.status_code == 200 and response.context["adminform"].form.errors
    assert SearchSynonym.objects.count() == 1
    change = reverse("admin:search_searchsynonym_change", args=[synonym.pk])
    with committed():
        assert client.post(change, {**data, "canonical": "battery pack", "active": ""}).status_code == 302
    synonym.refresh_from_db()
    assert (synonym.canonical, synonym.active) == ("battery pack", False)


def test_sellers_never_reach_the_learning_admin(client, seller_a, power_banks):
    for model in (SynonymCandidate, SearchSynonym, SearchClick, SearchLog):
        assert model not in seller_site._registry
    candidate = _mined(power_banks)
    client.force_login(seller_a)
    for url in (
        reverse("admin:search_synonymcandidate_changelist"),
        reverse("admin:search_synonymcandidate_decide", args=[candidate.pk]),
        reverse("admin:search_searchsynonym_changelist"),
        "/seller/search/synonymcandidate/",
        "/seller/search/searchsynonym/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert response.status_code == 404 or "/login/" in response.url
    response = client.post(reverse("admin:search_synonymcandidate_decide", args=[candidate.pk]), {"reject": "1"})
    assert response.status_code == 302 and "/login/" in response.url
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING
