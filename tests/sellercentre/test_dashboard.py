"""The seller dashboard at /seller/: to-dos with their age, figures with trends, weekly series, leaderboard places;
only the seller's own supplier's rows, in a fixed number of queries. And the product view counter behind it."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation, ConversationStatus
from marketplace.listings.models import ListingSuggestion, SuggestionStatus
from marketplace.models import Product, ProductViewDay
from marketplace.stats import product_view_record, product_views_add, product_views_flush
from sellercentre import selectors
from sourcing.models import RFQ, RecipientStatus, RFQRecipient, RFQStatus
from tests.factories import BuyerFactory, CertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/seller/"


def conversation(supplier, buyer, subject, *, age, answered_after=None, status=None):
    created = timezone.now() - age
    answered = created + answered_after if answered_after is not None else None
    return Conversation.objects.create(
        buyer=buyer,
        supplier=supplier,
        subject=subject,
        created_at=created,
        first_response_at=answered,
        last_message_at=answered or created,
        status=status or (ConversationStatus.ANSWERED if answered else ConversationStatus.OPEN),
    )


def rfq_to(supplier, buyer, title, *, days_ago=2):
    now = timezone.now()
    rfq = RFQ.objects.create(
        buyer=buyer,
        title=title,
        quote_deadline=timezone.localdate() + timedelta(days=10),
        status=RFQStatus.SENT,
        sent_at=now - timedelta(days=days_ago),
    )
    return RFQRecipient.objects.create(rfq=rfq, supplier=supplier, invited_at=now - timedelta(days=days_ago))


def suggestion_for(product):
    return ListingSuggestion.objects.create(
        product=product, status=SuggestionStatus.PENDING, source_hash="x" * 64, score_before=40, score_after=80
    )


def views(product, *, days_ago, count):
    ProductViewDay.objects.create(product=product, day=timezone.now().date() - timedelta(days=days_ago), views=count)


def catalog(supplier, buyer, prefix, *, certificate_days=20):
    """One of everything the dashboard shows, for one supplier, each carrying `prefix` in its name."""
    weak = ProductFactory(supplier=supplier, title=f"{prefix} weak listing")
    Product.objects.filter(pk=weak.pk).update(quality_score=35)
    good = ProductFactory(supplier=supplier, title=f"{prefix} good listing")
    Product.objects.filter(pk=good.pk).update(quality_score=90)
    conversation(supplier, buyer, f"{prefix} unanswered inquiry", age=timedelta(days=3))
    conversation(
        supplier, buyer, f"{prefix} answered inquiry", age=timedelta(days=5), answered_after=timedelta(hours=2)
    )
    rfq_to(supplier, buyer, f"{prefix} RFQ to quote")
    CertificationFactory(
        supplier=supplier, number=f"{prefix}-CERT", valid_until=timezone.localdate() + timedelta(days=certificate_days)
    )
    suggestion_for(good)
    views(good, days_ago=1, count=40)
    views(good, days_ago=40, count=10)
    return weak, good


@pytest.fixture
def both(supplier_a, supplier_b):
    buyer = BuyerFactory()
    return catalog(supplier_a, buyer, "Alpha"), catalog(supplier_b, buyer, "Beta")


def page(response):
    assert response.status_code == 200
    return response.content.decode()


def test_only_a_supplier_s_staff_get_in(client, buyer):
    assert client.get(DASHBOARD).status_code == 302
    client.force_login(buyer)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/seller/login/" in response.url


def test_the_seller_site_index_is_the_dashboard_with_the_app_list(seller_a_client):
    assert reverse("seller:index") == DASHBOARD
    body = page(seller_a_client.get(reverse("seller:index")))
    assert "Everything in your seller centre" in body
    # The admin's app list, with the seller's screens.
    assert "Activity log" in body and reverse("seller:marketplace_product_changelist") in body


def test_to_dos_show_the_seller_s_own_rows_with_age_and_link(seller_a_client, both):
    (a_weak, a_good), _ = both
    body = page(seller_a_client.get(DASHBOARD))
    for text in ("Alpha unanswered inquiry", "Alpha RFQ to quote", "Alpha-CERT", "Alpha weak listing"):
        assert text in body, text
    assert "Alpha good listing" in body  # its AI suggestion waits
    assert "Alpha answered inquiry" not in body  # answered: not a to-do
    assert "waiting 3\xa0days" in body  # the inquiry's age
    # Links to the screens where each is done.
    conversation_pk = Conversation.objects.get(subject="Alpha unanswered inquiry").pk
    assert reverse("seller:conversations_conversation_change", args=[conversation_pk]) in body
    assert reverse("seller:marketplace_product_change", args=[a_weak.pk]) in body
    assert reverse("seller:marketplace_product_changelist") + "?quality_score__lt=60" in body
    assert "Beta" not in body


def test_figures_and_series_count_only_the_seller_s_views_and_inquiries(supplier_a, both):
    stats = selectors.dashboard_stats(supplier=supplier_a)
    figures = {figure.key: figure for figure in stats.figures}
    assert (figures["views"].current, figures["views"].previous) == (40, 10)
    assert figures["views"].trend == "up" and figures["views"].change_percent == 300
    assert figures["inquiries"].current == 2  # B's two are not counted
    # Of A's threads old enough to judge, one was answered (in 2 hours) and one was not.
    assert figures["response_rate"].current == 50 and figures["median"].current == 120
    assert len(stats.series.starts) == selectors.WEEKS and sum(stats.series.views) == 50
    assert sum(stats.series.inquiries) == 2


def test_todos_count_only_the_seller_s_rows(supplier_a, both):
    todos = {todo.key: todo for todo in selectors.dashboard_todos(supplier=supplier_a)}
    assert {key: todo.count for key, todo in todos.items()} == {
        "conversations": 1,
        "rfqs": 1,
        "orders": 0,
        "suggestions": 1,
        "certificates": 1,
        "listings": 1,
    }
    shown = [item.label for todo in todos.values() for item in todo.items]
    assert shown and not [label for label in shown if "Beta" in label]


def test_answered_rfqs_and_far_certificates_are_not_to_dos(supplier_a):
    buyer = BuyerFactory()
    RFQRecipient.objects.filter(pk=rfq_to(supplier_a, buyer, "Quoted").pk).update(status=RecipientStatus.QUOTED)
    CertificationFactory(supplier=supplier_a, valid_until=timezone.localdate() + timedelta(days=200))
    expired = CertificationFactory(supplier=supplier_a, number="OLD-1")
    type(expired).objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - timedelta(days=3))
    todos = {todo.key: todo for todo in selectors.dashboard_todos(supplier=supplier_a)}
    assert todos["rfqs"].count == 0
    assert todos["certificates"].count == 1 and todos["certificates"].items[0].overdue


def test_leaderboard_places_are_the_seller_s_own(supplier_a):
    assert selectors.dashboard_positions(supplier=supplier_a) == []


def test_the_dashboard_runs_a_fixed_number_of_queries(seller_a_client, supplier_a, django_assert_max_num_queries):
    buyer = BuyerFactory()
    catalog(supplier_a, buyer, "First")
    seller_a_client.get(DASHBOARD)  # warm: sessions, content types
    with django_assert_max_num_queries(16) as small:
        page(seller_a_client.get(DASHBOARD))
    for n in range(12):
        product = ProductFactory(supplier=supplier_a, title=f"Many {n}", tiers=[])
        Product.objects.filter(pk=product.pk).update(quality_score=n)
        suggestion_for(product)
        conversation(supplier_a, buyer, f"Open {n}", age=timedelta(days=n + 1))
        rfq_to(supplier_a, buyer, f"RFQ {n}")
        CertificationFactory(supplier=supplier_a, valid_until=timezone.localdate() + timedelta(days=n))
        for day in range(0, 80, 3):
            views(product, days_ago=day, count=n + 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = page(seller_a_client.get(DASHBOARD))
    assert "Open 11" in body and "Many 0" in body


# --- counting product views ----------------------------------------------------------------------------------------


def test_product_page_views_are_counted_in_memory_and_added_to_the_day_in_batches(client, supplier_a, settings):
    settings.PRODUCT_VIEW_FLUSH_SECONDS = 3600
    product, other = ProductFactory(supplier=supplier_a), ProductFactory(supplier=supplier_a)
    for _ in range(3):
        assert client.get(product.get_absolute_url()).status_code == 200
    client.get(other.get_absolute_url())
    assert not ProductViewDay.objects.exists()  # no write per page view
    assert product_views_flush() == 2
    assert ProductViewDay.objects.get(product=product).views == 3
    client.get(product.get_absolute_url())
    product_views_flush()
    assert ProductViewDay.objects.get(product=product).views == 4  # added to the day's row


def test_a_batch_is_sent_once_enough_rows_wait(client, supplier_a, settings):
    settings.PRODUCT_VIEW_FLUSH_SECONDS = 3600
    settings.PRODUCT_VIEW_FLUSH_SIZE = 2
    first, second = ProductFactory(supplier=supplier_a), ProductFactory(supplier=supplier_a)
    client.get(first.get_absolute_url())
    assert not ProductViewDay.objects.exists()
    client.get(second.get_absolute_url())
    assert ProductViewDay.objects.count() == 2


def test_views_of_a_product_deleted_before_the_flush_are_dropped(supplier_a):
    product = ProductFactory(supplier=supplier_a)
    product_id = product.pk
    product.delete()
    assert product_views_add(rows=[[product_id, timezone.now().date().isoformat(), 5]]) == 0
    assert not ProductViewDay.objects.exists()


def test_prefetches_robots_and_posts_are_not_views(client, rf, supplier_a):
    product = ProductFactory(supplier=supplier_a)
    url = product.get_absolute_url()
    client.get(url, headers={"Sec-Purpose": "prefetch"})
    client.get(url, headers={"Purpose": "prefetch"})
    client.get(url, headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    product_view_record(product_id=product.pk, request=rf.post(url))
    assert not ProductViewDay.objects.filter(product=product).exists()
    product_view_record(product_id=product.pk, request=rf.get(url, headers={"User-Agent": "Mozilla/5.0 Firefox"}))
    product_views_flush()
    assert ProductViewDay.objects.get(product=product).views == 1


def test_the_demo_seed_gives_products_buyers_ask_about_more_views(supplier_a):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db.models import Sum

    type(supplier_a).objects.filter(pk=supplier_a.pk).update(slug="demo-00001")
    asked, quiet = ProductFactory(supplier=supplier_a), ProductFactory(supplier=supplier_a)
    buyer = BuyerFactory()
    for n in range(8):
        Conversation.objects.create(
            buyer=buyer,
            supplier=supplier_a,
            subject=f"About {n}",
            topic_type=ContentType.objects.get_for_model(Product),
            topic_id=asked.pk,
            created_at=timezone.now(),
            last_message_at=timezone.now(),
        )
    call_command("seed_dashboard_demo", stdout=io.StringIO())
    totals = dict(ProductViewDay.objects.values("product").annotate(n=Sum("views")).values_list("product", "n"))
    assert totals[asked.pk] > totals.get(quiet.pk, 0)
    rows = ProductViewDay.objects.count()
    call_command("seed_dashboard_demo", stdout=io.StringIO())
    assert ProductViewDay.objects.count() == rows  # idempotent
