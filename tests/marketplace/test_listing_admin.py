# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""The seller admin flow for AI suggestions: optimize a selection, review the diff, apply some/all or reject,
optimize the whole catalog with progress; two tenants; bounded queries on the list pages."""

import pytest
from django.urls import reverse

from marketplace.listings.models import BatchKind, ListingOptimizationBatch, ListingSuggestion, SuggestionStatus
from marketplace.models import Product
from tests.ai.fake_openai import use_offline  # noqa: F401
from tests.factories import CategoryFactory, ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_offline")]

DESCRIPTION = "Brushless cordless drill, voltage 18V, max torque 60 N.m. Working temperature -10 to 40 °C."


@pytest.fixture
def catalogs(supplier_a, supplier_b):
    category = CategoryFactory(slug="power-tools", name="Power Tools", names={"es": "Herramientas eléctricas"})
    return {
        "a": [
            ProductFactory(supplier=supplier_a, category=category, title=f"cordless drill {n}", description=DESCRIPTION)
            for n in range(3)
        ],
        "b": ProductFactory(
            supplier=supplier_b, category=category, title="cordless drill beta", description=DESCRIPTION
        ),
    }


def optimize_selection(client, products, capture):
    with capture(execute=True):
        return client.post(
            reverse("seller:marketplace_product_changelist"),
            {"action": "optimize_with_ai", "_selected_action": [p.pk for p in products]},
        )


def b_suggestion(catalogs, capture):
    from marketplace.listings import services

    with capture(execute=True):
        suggestion = services.listing_suggestion_request(product=catalogs["b"])
    suggestion.refresh_from_db()
    return suggestion


def test_optimize_selection_then_review_and_apply_some(seller_a_client, catalogs, django_capture_on_commit_callbacks):
    product = catalogs["a"][0]
    response = optimize_selection(seller_a_client, [product], django_capture_on_commit_callbacks)
    batch = ListingOptimizationBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "seller:marketplace_listingoptimizationbatch_change", args=[batch.pk]
    )
    page = seller_a_client.get(response.url)
    assert "100%" in page.content.decode() and "Review" in page.content.decode()

    suggestion = ListingSuggestion.objects.get(product=product)
    url = reverse("seller:marketplace_listingsuggestion_change", args=[suggestion.pk])
    review = seller_a_client.get(url).content.decode()
    assert "<ins>" in review and 'value="title"' in review and "Apply all" in review
    assert f"{suggestion.score_before} → <strong>{suggestion.score_after}</strong>" in review

    response = seller_a_client.post(
        url, {"_action": "apply_selected", "fields": ["title", "attribute:Max Torque"]}, follow=True
    )
    assert "Applied 2 fields." in response.content.decode()
    product.refresh_from_db()
    assert product.title == suggestion.payload["title"] and product.description == DESCRIPTION
    assert product.attributes.filter(name="Max Torque").exists()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING  # still open for the other fields
    seller_a_client.post(url, {"_action": "close"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PARTIALLY_APPLIED


def test_apply_all_and_reject(seller_a_client, catalogs, django_capture_on_commit_callbacks):
    first, second = catalogs["a"][:2]
    optimize_selection(seller_a_client, [first, second], django_capture_on_commit_callbacks)
    one, two = (ListingSuggestion.objects.get(product=p) for p in (first, second))
    seller_a_client.post(
        reverse("seller:marketplace_listingsuggestion_change", args=[one.pk]), {"_action": "apply_all"}
    )
    seller_a_client.post(reverse("seller:marketplace_listingsuggestion_change", args=[two.pk]), {"_action": "reject"})
    one.refresh_from_db(), two.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert one.status == SuggestionStatus.APPLIED and first.title == one.payload["title"]
    assert first.translations.filter(language="es").exists()
    assert two.status == SuggestionStatus.REJECTED and second.title == "cordless drill 1"


def test_crafted_posts_change_nothing(seller_a_client, catalogs, django_capture_on_commit_callbacks):
    product = catalogs["a"][0]
    optimize_selection(seller_a_client, [product], django_capture_on_commit_callbacks)
    suggestion = ListingSuggestion.objects.get(product=product)
    url = reverse("seller:marketplace_listingsuggestion_change", args=[suggestion.pk])
    for data in (
        {"_action": "apply_selected", "fields": ["supplier"]},
        {"_action": "apply_selected"},
        {"_action": "delete"},
        {"_action": "apply_selected", "fields": ["title", "status"]},
    ):
        response = seller_a_client.post(url, data, follow=True)
        assert response.status_code == 200
    product.refresh_from_db()
    suggestion.refresh_from_db()
    assert product.title == "cordless drill 0" and suggestion.status == SuggestionStatus.PENDING


def test_seller_a_cannot_see_or_apply_sellers_b_suggestions(
    seller_a_client, catalogs, django_capture_on_commit_callbacks
):
    theirs = b_suggestion(catalogs, django_capture_on_commit_callbacks)
    url = reverse("seller:marketplace_listingsuggestion_change", args=[theirs.pk])
    assert seller_a_client.get(url).status_code == 404
    assert seller_a_client.post(url, {"_action": "apply_all"}).status_code == 404
    assert seller_a_client.post(url, {"_action": "reject"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SuggestionStatus.PENDING
    assert Product.objects.get(pk=catalogs["b"].pk).title == "cordless drill beta"
    listing = seller_a_client.get(reverse("seller:marketplace_listingsuggestion_changelist")).content.decode()
    assert "cordless drill beta" not in listing
    their_batch = ListingOptimizationBatch.objects.create(supplier=catalogs["b"].supplier, kind=BatchKind.SELECTION)
    assert (
        seller_a_client.get(
            reverse("seller:marketplace_listingoptimizationbatch_change", args=[their_batch.pk])
        ).status_code
        == 404
    )
    # Selecting another supplier's product id in the action does not reach it either.
    optimize_selection(seller_a_client, [catalogs["b"]], django_capture_on_commit_callbacks)
    assert ListingSuggestion.objects.filter(product=catalogs["b"]).count() == 1


def test_optimize_whole_catalog_with_progress(seller_a_client, catalogs, django_capture_on_commit_callbacks):
    url = reverse("seller:marketplace_listingoptimizationbatch_add")
    confirm = seller_a_client.get(url).content.decode()
    assert "all 3 of your listings" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = seller_a_client.post(url)
    batch = ListingOptimizationBatch.objects.get(kind=BatchKind.CATALOG)
    assert batch.total == 3 and batch.supplier == catalogs["a"][0].supplier
    assert response.url == reverse("seller:marketplace_listingoptimizationbatch_change", args=[batch.pk])
    changelist = seller_a_client.get(reverse("seller:marketplace_listingoptimizationbatch_changelist"))
    assert 'value="100"' in changelist.content.decode() and "Optimize my whole catalog" in changelist.content.decode()


def test_list_pages_run_a_bounded_number_of_queries(
    seller_a_client, supplier_a, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    products = [ProductFactory(supplier=supplier_a, category=category, title=f"drill {n}") for n in range(12)]
    optimize_selection(seller_a_client, products[:6], django_capture_on_commit_callbacks)
    optimize_selection(seller_a_client, products[6:], django_capture_on_commit_callbacks)
    batch = ListingOptimizationBatch.objects.first()
    for name, args in (
        ("seller:marketplace_listingsuggestion_changelist", []),
        ("seller:marketplace_listingoptimizationbatch_changelist", []),
        ("seller:marketplace_listingoptimizationbatch_change", [batch.pk]),
    ):
        with django_assert_max_num_queries(12):
            assert seller_a_client.get(reverse(name, args=args)).status_code == 200


def test_operator_pages(client, operator, catalogs, django_capture_on_commit_callbacks):
    b_suggestion(catalogs, django_capture_on_commit_callbacks)
    client.force_login(operator)
    for name in (
        "admin:marketplace_listingsuggestion_changelist",
        "admin:marketplace_listingoptimizationbatch_changelist",
        "admin:ai_aicall_changelist",
        "admin:ai_aiusageday_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200
