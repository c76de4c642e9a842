"""One error shape everywhere; throttling; CORS; the tenancy mixin cannot be bypassed."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets

from conversations.models import Conversation
from marketplace import services
from suppliers.api.scoping import TenantScopedViewMixin

from .helpers import client_for, error_fields

pytestmark = pytest.mark.django_db


def test_unknown_api_address_is_a_json_404(api):
    for url in ["/api/v1/nothing-here/", "/api/v1/products/abc/", "/api/v1/no/slash"]:
        response = api.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert error_fields(response) == {(None, "not_found")}


def test_unknown_addresses_answer_json_for_every_method(buyer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/conversations/null,null/messages/")
        assert response.status_code == 404, method
        assert error_fields(response) == {(None, "not_found")}
    assert client.get("/api/v1/suppliers/%0AP/products/").status_code == 404


def test_malformed_json_is_a_400(buyer_api, catalog):
    response = buyer_api.post("/api/v1/inquiries/", '{"product": 1, "body": ', content_type="application/json")
    assert response.status_code == 400
    assert error_fields(response) == {(None, "parse_error")}


def test_json_that_is_not_an_object_is_a_400(buyer_api, catalog):
    response = buyer_api.post("/api/v1/inquiries/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert {code for _field, code in error_fields(response)} == {"invalid"}


def test_non_json_bodies_are_415(buyer_api, catalog):
    response = buyer_api.post(
        "/api/v1/inquiries/", "product=1&body=hi", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert error_fields(response) == {(None, "unsupported_media_type")}


def test_wrong_method_is_405(api, catalog):
    response = api.delete(f"/api/v1/products/{catalog['drill'].pk}/")
    assert response.status_code == 405
    assert error_fields(response) == {(None, "method_not_allowed")}


def test_anonymous_requests_are_throttled(api, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute", "auth": "1000/minute"},
    }
    statuses = [api.get("/api/v1/categories/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/categories/")
    assert error_fields(response) == {(None, "throttled")}
    assert int(response["Retry-After"]) > 0


def test_signed_in_users_have_their_own_budget(buyer, other_buyer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "2/minute", "auth": "1000/minute"},
    }
    first, second = client_for(buyer), client_for(other_buyer)
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/v1/me/").status_code == 200


def test_auth_endpoints_have_a_stricter_limit(api, buyer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "1000/minute", "auth": "2/minute"},
    }
    credentials = {"email": "buyer@example.com", "password": "wrong"}
    statuses = [api.post("/api/v1/auth/token/", credentials, format="json").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    # The same scope covers registration; the catalog is not affected.
    assert api.post("/api/v1/auth/register/", {}, format="json").status_code == 429
    assert api.get("/api/v1/categories/").status_code == 200


def test_cors_allows_only_configured_origins(api, settings, db):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.silkway.example"]
    allowed = api.options(
        "/api/v1/products/",
        HTTP_ORIGIN="https://app.silkway.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://app.silkway.example"
    assert "authorization" in allowed["Access-Control-Allow-Headers"]
    plain = api.get("/api/v1/categories/", HTTP_ORIGIN="https://app.silkway.example")
    assert "ETag" in plain["Access-Control-Expose-Headers"]

    other = api.get("/api/v1/categories/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    # Pages outside /api/ never get CORS headers.
    page = api.get("/", HTTP_ORIGIN="https://app.silkway.example")
    assert "Access-Control-Allow-Origin" not in page


def test_tenant_mixin_refuses_get_queryset_overrides():
    with pytest.raises(ImproperlyConfigured, match="safely_get_queryset"):

        class Leaky(TenantScopedViewMixin, viewsets.GenericViewSet):
            tenant = "buyer"

            def get_queryset(self):
                return Conversation.objects.all()

    with pytest.raises(ImproperlyConfigured, match="class-level queryset"):

        class AlsoLeaky(TenantScopedViewMixin, viewsets.GenericViewSet):
            tenant = "supplier"
            queryset = Conversation.objects.all()

    with pytest.raises(ImproperlyConfigured, match="tenant must be"):

        class Confused(TenantScopedViewMixin, viewsets.GenericViewSet):
            tenant = "everyone"


def test_tenant_mixin_fails_closed(rf, buyer, seller_a, catalog):
    services.inquiry_create(buyer=buyer, product=catalog["drill"], body="Hi")

    class Undeclared(TenantScopedViewMixin, viewsets.GenericViewSet):
        def safely_get_queryset(self):
            return Conversation.objects.all()

    class SupplierSide(TenantScopedViewMixin, viewsets.GenericViewSet):
        tenant = "supplier"

        def safely_get_queryset(self):
            return Conversation.objects.all()

    request = rf.get("/")
    request.user = buyer
    assert not Undeclared(request=request).get_queryset().exists()
    # A buyer (no supplier membership) sees no supplier's rows.
    assert not SupplierSide(request=request).get_queryset().exists()
    request = rf.get("/")  # the supplier is cached per request
    request.user = seller_a
    assert SupplierSide(request=request).get_queryset().count() == 1


def test_a_string_padded_past_its_max_length_is_refused(api):
    """The schema promises maxLength on what is sent; whitespace trimmed afterwards does not make it fit."""
    response = api.post(
        "/api/v1/auth/register/",
        {
            "email": "padded@example.com",
            "password": "a-long-Passphrase-77",
            "first_name": "Ana",
            "last_name": "\u00a0" + "x" * 150,
            "company_name": "Padded Ltd",
            "country": "DE",
        },
        format="json",
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("last_name", "max_length")]
