# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""Every URL the seller site mounts that takes an id refuses another supplier's object.

The URL patterns are read from `seller_site.urls` (Django's site-wide views, each registered ModelAdmin's views
and every custom `get_urls`), not listed by hand: a new registered model or a new URL that takes an id fails
here until this file knows how to build the object it points to. Seller B then asks for each of them with the
ids of seller A's objects (GET, and a POST that would delete or change it), and must get a plain 404 or 403
without a word of A's data; seller A, asking the same URLs, reaches its own objects.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from ads import services as ads
from ads.models import AdCampaign, AdRecommendation, AdTuningRun
from conversations.models import Conversation, QuickReply
from conversations.services import message_send
from core.models import AdminAuditEntry
from deals.models import Contract, Order, OrderDocument
from live import services as live
from live.models import LiveSession
from marketplace.listings import services as listings
from marketplace.listings.models import BatchKind, ListingOptimizationBatch, ListingSuggestion
from marketplace.models import Product
from marketplace.services import inquiry_create
from rankings.models import OfficialDesignation, SupplierFigures
from sourcing import services as sourcing
from sourcing.models import Quote, RFQRecipient
from suppliers import onboarding
from suppliers.admin_scoping import seller_site
from suppliers.models import (
    Certification,
    ProductionCapacity,
    Supplier,
    SupplierInvitation,
    SupplierMembership,
)
from tests.ai.fake_openai import use_offline  # noqa: F401
from tests.deals.builders import PDF_BYTES, accepted_quote, order_at
from tests.factories import (
    AdminAuditEntryFactory,
    CategoryFactory,
    CertificationFactory,
    MembershipFactory,
    OfficialDesignationFactory,
    ProductFactory,
    SupplierFiguresFactory,
    UserFactory,
)

# Routes with parameters that do not name an object: the app index (one pattern naming every app with a model on
# the site, in registration order, as AdminSite.get_urls builds it) and Django's append-slash catch-all.
APP_INDEX_ROUTE = (
    "^(?P<app_label>" + "|".join(dict.fromkeys(model._meta.app_label for model in seller_site._registry)) + ")/$"
)
# The seller's catalog export takes a file format, not an id (it exports only the seller's own products).
NOT_OBJECT_ROUTES = {APP_INDEX_ROUTE, "(?P<url>.*)$", "marketplace/product/export/<str:kind>/"}
VIEW_ON_SITE_ROUTE = "r/<path:content_type_id>/<path:object_id>/"
# core.admin_files.PrivateFileAdminMixin: a ModelAdmin's private uploads, one URL per object and file field.
PRIVATE_FILE_SUFFIX = "<path:object_id>/file/<str:field_name>/"
# Custom get_urls views that take more than the object's id: how to fill them with seller A's objects.
CUSTOM_ROUTES = {
    "sourcing/rfqrecipient/<int:recipient_pk>/attachments/<int:pk>/": lambda a: {
        "recipient_pk": a["attachment_recipient"].pk,
        "pk": a["attachment"].pk,
    },
    "deals/contract/<int:contract_pk>/versions/<int:number>/pdf/": lambda a: {
        "contract_pk": a[Contract].pk,
        "number": a[Contract].versions.order_by("-number").first().number,
    },
    "deals/order/<int:order_pk>/documents/<int:pk>/": lambda a: {
        "order_pk": a[Order].pk,
        "pk": a["document"].pk,
    },
    "marketplace/listingsuggestion/optimize/<int:product_id>/": lambda a: {"product_id": a[Product].pk},
    "conversations/conversation/<int:object_id>/updates/": lambda a: {"object_id": a[Conversation].pk},
    "conversations/conversation/<int:object_id>/translate/": lambda a: {"object_id": a[Conversation].pk},
    "conversations/conversation/<int:object_id>/files/<int:message_id>/": lambda a: {
        "object_id": a[Conversation].pk,
        "message_id": a["message_with_file"].pk,
    },
}
# Custom views that only act on a POST: the owner's GET is sent back to the object's page (B's is a 404).
# Invitations have no page of their own: the owner is sent to the team list where they are shown.
OWNER_GET_REDIRECTS = {
    "conversations/conversation/<int:object_id>/translate/",
    "suppliers/supplierinvitation/<path:object_id>/change/",
}
# Custom views that only answer a POST: the owner's GET is refused as a method (B's is a 404).
OWNER_GET_NOT_ALLOWED = {"marketplace/listingsuggestion/optimize/<int:product_id>/"}


def walk(patterns, prefix=""):
    """(route, name, parameter names) of every pattern below `patterns`, includes followed."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route, pattern.name, tuple(pattern.pattern.regex.groupindex)


def seller_routes():
    return list(walk(seller_site.urls[0]))


def model_prefixes():
    return {f"{model._meta.app_label}/{model._meta.model_name}/": model for model in seller_site._registry}


def classify(route, params):
    """What an id route points to: ("model", Model) for a ModelAdmin view of one object, ("custom", route),
    ("view_on_site", None), ("none", None) for routes without an object, or ("unknown", None)."""
    if not params or route in NOT_OBJECT_ROUTES:
        return "none", None
    if route == VIEW_ON_SITE_ROUTE:
        return "view_on_site", None
    if route in CUSTOM_ROUTES:
        return "custom", route
    for prefix, model in model_prefixes().items():
        if route.startswith(prefix) and params == ("object_id",):
            return "model", model
        if route == prefix + PRIVATE_FILE_SUFFIX and params == ("object_id", "field_name"):
            return "model_file", model
    return "unknown", None


def test_every_seller_route_with_a_parameter_is_known():
    routes = seller_routes()
    unknown = [route for route, _name, params in routes if classify(route, params)[0] == "unknown"]
    assert not unknown, f"Seller URLs that take an id but are not exercised by this file: {unknown}"
    kinds = [classify(route, params)[0] for route, _name, params in routes]
    # Every registered model has its change, delete, history and bare-id URLs (a new "<id>/something/" view is
    # exercised like them); plus view on site and the customs.
    assert kinds.count("model") >= 4 * len(seller_site._registry)
    with_files = [
        m for m, model_admin in seller_site._registry.items() if getattr(model_admin, "private_file_fields", ())
    ]
    assert kinds.count("model_file") == len(with_files)
    assert kinds.count("view_on_site") == 1
    assert {route for route, _n, params in routes if classify(route, params)[0] == "custom"} == set(CUSTOM_ROUTES)
    assert {route for route, _n, params in routes if route in NOT_OBJECT_ROUTES} == NOT_OBJECT_ROUTES


def _sheet():
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Item", "Qty"], ["alpha secret prototype", "2000"]])
    return SimpleUploadedFile("alpha-secret-bom.csv", buffer.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def a_objects(db, use_offline, supplier_a, seller_a, buyer, operator):
    """One object of every model registered on the seller site, all belonging to supplier A, built with the
    factories and the services; the "secrets" are strings of A's that seller B must never see."""
    category = CategoryFactory()
    draft = ProductFactory(supplier=supplier_a, category=category, title="Alpha Secret Prototype Drill", status="draft")
    published = ProductFactory(supplier=supplier_a, category=category, title="Alpha Hidden Impact Wrench")
    inquiry = inquiry_create(buyer=buyer, product=published, body="Alpha-only inquiry about 900 wrenches")
    with_file = message_send(
        conversation=inquiry,
        sender=seller_a,
        body="Alpha secret price list attached",
        from_supplier=True,
        attachment=SimpleUploadedFile("alpha-secret-prices.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    starts_at = timezone.now() + timedelta(days=2)
    session = live.session_create(
        supplier=supplier_a,
        title="Alpha secret live tour",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        stream_url="https://www.youtube.com/live/alpha-secret",
        products=[published],
    )
    quick_reply = QuickReply.objects.create(
        supplier=supplier_a, title="Alpha secret quick reply", body="Alpha secret canned answer"
    )
    suggestion = listings.listing_suggestion_request(product=published, dispatch=False)
    batch = listings.listing_batch_create(supplier=supplier_a, products=[draft], kind=BatchKind.CATALOG)
    capacity = ProductionCapacity.objects.create(
        supplier=supplier_a, category=category, product_line="Alpha secret drill line", quantity=5000
    )
    order = order_at("shipped", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)

    request = sourcing.sourcing_request_create(buyer=buyer, text="Alpha secret prototypes", files=[_sheet()])
    rfq = sourcing.rfq_create(
        buyer=buyer,
        title="Alpha secret RFQ",
        lines=[{"product_name": "Alpha secret prototype", "quantity": 2000}],
        quote_deadline=timezone.localdate() + timedelta(days=5),
        currency="EUR",
        sourcing_request=request,
    )
    sourcing.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk])

    # An ad campaign promoting the published product, tuned once (a run with a headline recommendation).
    campaign = ads.campaign_create(
        supplier=supplier_a, name="Alpha Secret Ad Campaign", daily_budget="20", target_cost_per_inquiry="8"
    )
    ads.promoted_product_add(campaign=campaign, product=published)
    run = ads.campaign_tune(campaign_id=campaign.pk)

    colleague = MembershipFactory(
        supplier=supplier_a, user=UserFactory(email="alpha-secret-colleague@example.com"), role="staff"
    )
    invitation, _token = onboarding.supplier_invitation_create(
        supplier=supplier_a, email="alpha-secret-invitee@example.com", role="staff", invited_by=seller_a
    )

    objects = {
        Supplier: supplier_a,
        SupplierMembership: colleague,
        SupplierInvitation: invitation,
        Certification: CertificationFactory(supplier=supplier_a, number="CE-ALPHA-SECRET-42"),
        ProductionCapacity: capacity,
        Product: draft,
        Conversation: inquiry,
        "message_with_file": with_file,
        QuickReply: quick_reply,
        LiveSession: session,
        ListingSuggestion: suggestion,
        ListingOptimizationBatch: batch,
        SupplierFigures: SupplierFiguresFactory(supplier=supplier_a),
        OfficialDesignation: OfficialDesignationFactory(supplier=supplier_a, certificate_number="XJR-ALPHA-SECRET"),
        RFQRecipient: RFQRecipient.objects.get(rfq=order.contract.quote.rfq, supplier=supplier_a),
        # Quote, Contract and Order from the same deal.
        Quote: order.contract.quote,
        Contract: order.contract,
        Order: order,
        "attachment_recipient": RFQRecipient.objects.get(rfq=rfq, supplier=supplier_a),
        "attachment": request.attachments.get(),
        "document": OrderDocument.objects.filter(order=order).first(),
        AdCampaign: campaign,
        AdTuningRun: run,
        AdRecommendation: run.recommendations.first(),
        # The activity log (core.audit): an entry of A's seller-site acts.
        AdminAuditEntry: AdminAuditEntryFactory(
            supplier_id=supplier_a.pk,
            user=seller_a,
            user_email=seller_a.email,
            object_repr="Alpha audited secret drill",
            changes={"fields": {"title": {"before": "Alpha audit before", "after": "Alpha audit after"}}},
        ),
    }
    objects["secrets"] = [
        supplier_a.name,
        supplier_a.slug,
        draft.title,
        draft.slug,
        published.title,
        inquiry.subject,
        "Alpha-only inquiry",
        "Alpha secret price list",
        "alpha-secret-prices",
        "Alpha secret quick reply",
        "Alpha secret canned answer",
        "Alpha secret live tour",
        "CE-ALPHA-SECRET-42",
        "XJR-ALPHA-SECRET",
        "Alpha secret drill line",
        "Alpha secret RFQ",
        "Alpha secret prototype",
        order.contract.quote.rfq.title,
        order.title,
        order.contract.title,
        "Alpha audited secret drill",
        "Alpha audit before",
        campaign.name,
        "alpha-secret-colleague",
        "alpha-secret-invitee",
    ]
    assert all(objects.values())
    # A file in every private upload field of A's objects, so that the owner's download works.
    for model, model_admin in seller_site._registry.items():
        for field_name in getattr(model_admin, "private_file_fields", ()):
            getattr(objects[model], field_name).save("alpha-secret.pdf", ContentFile(PDF_BYTES))
    return objects


def object_urls(a):
    """(route, url, owner_should_reach) for every seller URL that takes an id, filled with A's objects."""
    urls = []
    for route, name, params in seller_routes():
        kind, target = classify(route, params)
        if kind == "model":
            prefix = f"{target._meta.app_label}/{target._meta.model_name}/"
            path = route.removeprefix(prefix).replace("<path:object_id>", str(a[target].pk))
            urls.append((route, f"/seller/{prefix}{path}", name is not None and name.endswith(("_change", "_history"))))
        elif kind == "model_file":
            fields = seller_site._registry[target].private_file_fields
            assert fields, target
            for field_name in fields:
                url = reverse(f"seller:{name}", kwargs={"object_id": a[target].pk, "field_name": field_name})
                urls.append((route, url, True))
        elif kind == "custom":
            urls.append((route, reverse(f"seller:{name}", kwargs=CUSTOM_ROUTES[route](a)), True))
        elif kind == "view_on_site":
            for model in seller_site._registry:
                content_type = ContentType.objects.get_for_model(model)
                urls.append((route, reverse("seller:view_on_site", args=[content_type.pk, a[model].pk]), False))
    return urls


def test_seller_b_gets_404_for_every_id_url_with_seller_a_objects(client, seller_a, seller_b, a_objects):
    urls = object_urls(a_objects)
    exercised = {route for route, _url, _own in urls}
    expected = {route for route, _n, params in seller_routes() if classify(route, params)[0] not in ("none",)}
    assert exercised == expected and len(urls) > 50

    client.force_login(seller_b)
    problems = []
    for route, url, _own in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"post": "yes"} if method == "post" else None)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace") + response.get("Location", "")
            if response.status_code not in (403, 404) or response.has_header("Location"):
                problems.append(f"{method.upper()} {url} ({route}): {response.status_code}")
            leaked = [secret for secret in a_objects["secrets"] if secret and secret in text]
            if leaked:
                problems.append(f"{method.upper()} {url} ({route}) shows {leaked}")
    assert not problems, "\n".join(problems)

    # Nothing of A's was deleted or changed by B's POSTs.
    for model in seller_site._registry:
        assert model._default_manager.filter(pk=a_objects[model].pk).exists(), model

    # The same URLs reach A's own objects: B's 404s are about ownership, not about ids that do not exist.
    client.force_login(seller_a)
    reached = 0
    for route, url, own in urls:
        if own:
            response = client.get(url)
            expected = 302 if route in OWNER_GET_REDIRECTS else 405 if route in OWNER_GET_NOT_ALLOWED else 200
            assert response.status_code == expected, (url, response.status_code)
            reached += 1
    assert reached == 2 * len(seller_site._registry) + len(CUSTOM_ROUTES) + sum(
        len(getattr(model_admin, "private_file_fields", ())) for model_admin in seller_site._registry.values()
    )


def test_view_on_site_works_for_own_objects_and_never_for_other_suppliers(
    client, seller_a, seller_b, supplier_a, a_objects
):
    draft, inquiry = a_objects[Product], a_objects[Conversation]
    own = {
        reverse("seller:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk]): obj
        for obj in (supplier_a, draft, inquiry)
    }
    client.force_login(seller_a)
    for url, obj in own.items():
        response = client.get(url)
        assert response.status_code == 302 and response.url.endswith(obj.get_absolute_url()), url
    # The change forms still link there.
    page = client.get(reverse("seller:marketplace_product_change", args=[draft.pk])).content.decode()
    assert reverse("seller:view_on_site", args=[ContentType.objects.get_for_model(Product).pk, draft.pk]) in page

    client.force_login(seller_b)
    for url in own:
        response = client.get(url)
        assert response.status_code == 404 and draft.slug not in response.content.decode()


def test_view_on_site_refuses_models_not_on_the_seller_site_and_bad_ids(client, seller_b):
    from taxonomy.models import Category

    category = CategoryFactory(slug="alpha-secret-category")
    client.force_login(seller_b)
    for args in (
        [ContentType.objects.get_for_model(Category).pk, category.pk],
        ["not-a-number", "1"],
        [999999, 1],
        [ContentType.objects.get_for_model(Product).pk, "not-a-number"],
    ):
        response = client.get(reverse("seller:view_on_site", args=args))
        assert response.status_code == 404, args
        assert "alpha-secret-category" not in response.content.decode()


def test_bare_id_url_redirects_only_to_own_objects(client, seller_a, seller_b, supplier_a):
    product = ProductFactory(supplier=supplier_a, title="Alpha Bare Id Product")
    client.force_login(seller_a)
    response = client.get(f"/seller/marketplace/product/{product.pk}/")
    assert response.status_code == 302
    assert response.url == reverse("seller:marketplace_product_change", args=[product.pk])
    client.force_login(seller_b)
    assert client.get(f"/seller/marketplace/product/{product.pk}/").status_code == 404
