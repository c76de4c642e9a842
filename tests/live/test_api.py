"""/api/v1/live-sessions/: the public list and detail, a buyer's registration and questions."""

from datetime import timedelta

import pytest

from conversations.models import Conversation, ConversationKind
from live.models import LiveRegistration
from tests.factories import ProductFactory, SupplierFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/live-sessions/"


def test_list_filters_by_status_supplier_and_product(api, supplier_a, supplier_b, product_a, make_session):
    live = make_session(supplier_a, start_in=timedelta(minutes=-5), products=[product_a])
    upcoming = make_session(supplier_b, start_in=timedelta(days=1))
    data = api.get(URL).json()
    assert [row["id"] for row in data["results"]] == [live.pk, upcoming.pk]
    row = data["results"][0]
    assert row["status"] == "live" and row["watch_url"] == "https://www.youtube.com/live/abc123"
    assert row["products"][0]["id"] == product_a.pk and row["supplier"]["slug"] == "alpha-tools"
    assert data["results"][1]["watch_url"] is None
    assert [r["id"] for r in api.get(URL, {"status": "upcoming"}).json()["results"]] == [upcoming.pk]
    assert [r["id"] for r in api.get(URL, {"supplier": "alpha-tools"}).json()["results"]] == [live.pk]
    assert [r["id"] for r in api.get(URL, {"product": product_a.pk}).json()["results"]] == [live.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "soon"}, "status"), ({"supplier": "nobody"}, "supplier"), ({"product": "x"}, "product")],
)
def test_bad_filters_are_field_errors(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_register_unregister_and_ask(api, buyer_api, supplier_a, make_session, buyer, seller_a_api):
    session = make_session(supplier_a)
    assert api.post(f"{URL}{session.pk}/register/").status_code == 401
    response = buyer_api.post(f"{URL}{session.pk}/register/")
    assert response.status_code == 200 and response.json() == {"registered": True}
    assert buyer_api.get(f"{URL}{session.pk}/").json()["registered"] is True
    assert api.get(f"{URL}{session.pk}/").json()["registered"] is None
    assert buyer_api.post(f"{URL}{session.pk}/unregister/").json() == {"registered": False}
    assert not LiveRegistration.objects.exists()
    response = seller_a_api.post(f"{URL}{session.pk}/register/")
    assert response.status_code == 400 and "own company" in response.json()["errors"][0]["message"]
    response = buyer_api.post(f"{URL}{session.pk}/questions/", {"body": "Show the chuck?"}, format="json")
    assert response.status_code == 201
    conversation = Conversation.objects.get(pk=response.json()["conversation_id"])
    assert conversation.kind == ConversationKind.LIVE and conversation.buyer == buyer
    response = buyer_api.post(f"{URL}{session.pk}/questions/", {"body": ""}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "body"
    assert buyer_api.post(f"{URL}{10**9}/register/").status_code == 404


@pytest.mark.parametrize("size", [1, 8])
def test_list_runs_bounded_queries(api, make_session, django_assert_max_num_queries, size):
    for n in range(size):
        supplier = SupplierFactory()
        make_session(supplier, start_in=timedelta(hours=n), products=[ProductFactory(supplier=supplier)])
    with django_assert_max_num_queries(4):
        response = api.get(URL)
    assert len(response.json()["results"]) == size
