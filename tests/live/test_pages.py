"""Buyer pages: /live/, /live/<id>/ (watch, register, ask), and the live badges on marketplace pages and search
results (through marketplace's product and supplier slots)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conversations.models import Conversation, ConversationKind
from live import services
from live.models import LiveRegistration
from tests.factories import ProductFactory, SupplierFactory
from tests.search.conftest import make_product

pytestmark = pytest.mark.django_db


def test_session_page_shows_the_session_and_a_watch_link_only_while_live(client, supplier_a, product_a, make_session):
    live = make_session(supplier_a, start_in=timedelta(minutes=-5), products=[product_a], language="de")
    upcoming = make_session(supplier_a, start_in=timedelta(days=2), title="Next week: drills")
    page = client.get(live.get_absolute_url()).content.decode()
    assert live.title in page and supplier_a.name in page and "Alpha Cordless Drill 18V" in page
    assert "Watch on youtube.com" in page and 'href="https://www.youtube.com/live/abc123"' in page
    assert "Deutsch" in page and " UTC" in page and "Live now" in page
    page = client.get(upcoming.get_absolute_url()).content.decode()
    assert "Watch on" not in page and "youtube.com/live" not in page and "Upcoming" in page


def test_cancelled_or_missing_sessions_are_not_found(client, supplier_a, make_session):
    session = make_session(supplier_a)
    services.session_cancel(session=session)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(reverse("live:detail", args=[10**9])).status_code == 404


def test_register_button_toggles_for_a_signed_in_buyer(client, supplier_a, make_session, buyer):
    session = make_session(supplier_a)
    url = reverse("live:register", args=[session.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(buyer)
    client.post(url)
    assert LiveRegistration.objects.filter(session=session, buyer=buyer).exists()
    assert "Registered — cancel reminder" in client.get(session.get_absolute_url()).content.decode()
    client.post(url)
    assert not LiveRegistration.objects.exists()
    assert client.get(url).status_code == 405


def test_asking_needs_a_sign_in_then_opens_a_live_thread_only_the_buyer_sees(
    client, supplier_a, make_session, buyer, other_buyer
):
    session = make_session(supplier_a)
    response = client.post(session.get_absolute_url(), {"body": "Is the gearbox metal?"})
    assert response.status_code == 302 and "/accounts/login/" in response.url and "next=" in response.url
    assert "Sign in to ask a question" in client.get(session.get_absolute_url()).content.decode()
    client.force_login(buyer)
    response = client.post(session.get_absolute_url(), {"body": "Is the gearbox metal?"})
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert (conversation.buyer, conversation.kind, conversation.topic) == (buyer, ConversationKind.LIVE, session)
    assert client.post(session.get_absolute_url(), {"body": " "}).context["form"].errors
    client.force_login(other_buyer)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Your questions and the supplier" not in page


def test_badges_on_product_page_storefront_and_search_results(client, supplier_a, supplier_b, make_session):
    from tests.search.conftest import CategoryFactory

    category = CategoryFactory(slug="power-tools", name="Power Tools")
    drill = make_product(supplier=supplier_a, category=category, title="Brushless Cordless Drill")
    other = make_product(supplier=supplier_b, category=category, title="Cordless Drill Driver 12V")
    make_session(supplier_a, start_in=timedelta(minutes=-5), products=[drill])
    make_session(supplier_b, start_in=timedelta(days=1), products=[other])
    page = client.get(drill.get_absolute_url()).content.decode()
    assert "● Live now" in page
    page = client.get(supplier_a.get_absolute_url()).content.decode()
    assert "● Live now" in page and "Live sessions" in page
    page = client.get(supplier_b.get_absolute_url()).content.decode()
    assert "Upcoming" in page and "● Live now" not in page
    response = client.get(reverse("search:search"), {"q": "cordless drill"})
    hits = {hit.pk for hit in response.context["result"].hits}
    assert hits == {drill.pk, other.pk}
    page = response.content.decode()
    assert page.count("badge live-now") >= 1 and page.count("badge live-upcoming") >= 1


@pytest.mark.parametrize("size", [1, 6])
def test_list_page_runs_bounded_queries(client, make_session, django_assert_max_num_queries, size):
    for n in range(size):
        supplier = SupplierFactory()
        products = [ProductFactory(supplier=supplier) for _ in range(2)]
        make_session(supplier, start_in=timedelta(hours=n - 2), products=products)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("live:list"))
    listing = response.context["listing"]
    assert len(listing.live) + len(listing.upcoming) + len(listing.ended) == size
