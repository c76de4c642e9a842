# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""The activity log (core.audit, core.models.AdminAuditEntry): every act in either admin site is recorded by one
hook — form saves with each field's before and after, deletions, admin actions, custom views — with the site, the
acting seller's supplier, the request id and the client address; secrets are never stored; sellers see only their
own supplier's entries; nobody edits an entry."""

import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditedAdminMixin, form_field_changes, install
from core.models import AdminAuditEntry, AuditSite, ImmutableError
from marketplace.models import Product
from sourcing import services as sourcing
from suppliers.admin_scoping import seller_site
from suppliers.models import Supplier, VerificationLevel
from tests.ai.fake_openai import use_offline  # noqa: F401
from tests.factories import AdminAuditEntryFactory, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zebra-Orchid-7731-secret"


def change_form_data(response) -> dict:
    """The POST a browser sends when nothing is edited: every field and inline row as the page shows it."""
    data = {}

    def put(form, prefix=""):
        for name in form.fields:
            key = f"{prefix}{name}"
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        for form in formset.initial_forms:
            put(form, f"{form.prefix}-")
    return data


def errors(response) -> str:
    """The form and inline errors of an admin change page answered with 200."""
    if response.status_code != 200 or not response.context or "adminform" not in response.context:
        return str(response.status_code)
    found = [response.context["adminform"].form.errors]
    found += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
    found += [inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]]
    return repr(found)


def only_entry(**filters):
    entries = list(AdminAuditEntry.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


@pytest.fixture
def category():
    return CategoryFactory(name="Power tools")


@pytest.fixture
def a_product(supplier_a, category):
    return ProductFactory(supplier=supplier_a, category=category, title="Alpha Cordless Drill 18V")


# --- every admin is audited, without being edited ------------------------------------------------------------


def test_every_modeladmin_on_both_sites_is_audited():
    sites = {"admin": admin.site, "seller": seller_site}
    for name, site in sites.items():
        assert len(site._registry) > 3, name
        unaudited = [model for model, ma in site._registry.items() if not isinstance(ma, AuditedAdminMixin)]
        assert unaudited == [], name
    assert admin.site.audit_kind == AuditSite.OPERATOR
    assert seller_site.audit_kind == AuditSite.SELLER


def test_a_site_installed_later_audits_what_it_registers_before_and_after():
    site = AdminSite(name="late")
    site.register(Supplier)
    install(site)
    site.register(Product, admin.ModelAdmin)
    assert all(isinstance(ma, AuditedAdminMixin) for ma in site._registry.values())
    assert len(site._registry) == 2


# --- form saves -------------------------------------------------------------------------------------------------


def test_operator_change_records_before_and_after_with_request_id_and_address(client, operator, a_product):
    client.force_login(operator)
    url = reverse("admin:marketplace_product_change", args=[a_product.pk])
    data = change_form_data(client.get(url))
    data["title"] = "Alpha Cordless Drill 18V Brushless"
    response = client.post(url, data, HTTP_X_REQUEST_ID="audit-req-0001", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302, errors(response)

    entry = only_entry(action="changed")
    assert entry.site == AuditSite.OPERATOR and entry.supplier_id is None
    assert entry.user == operator and entry.user_email == "ops@example.com"
    assert entry.content_type.model_class() is Product and entry.object_id == str(a_product.pk)
    assert entry.object_repr == "Alpha Cordless Drill 18V Brushless"
    assert entry.changes == {
        "fields": {"title": {"before": "Alpha Cordless Drill 18V", "after": "Alpha Cordless Drill 18V Brushless"}}
    }
    assert entry.request_id == "audit-req-0001" == response["X-Request-ID"]
    assert entry.ip_address == "203.0.113.9"
    assert entry.created_at <= timezone.now()


def test_seller_change_records_site_supplier_and_inline_rows(client, seller_a, supplier_a, a_product, category):
    other = CategoryFactory(name="Garden tools")
    client.force_login(seller_a)
    url = reverse("seller:marketplace_product_change", args=[a_product.pk])
    data = change_form_data(client.get(url))
    data.update({"moq": "50", "category": str(other.pk)})
    # One more price tier, added in the inline.
    total = int(data["price_tiers-TOTAL_FORMS"])
    data.update(
        {
            "price_tiers-TOTAL_FORMS": str(total + 1),
            f"price_tiers-{total}-min_quantity": "2000",
            f"price_tiers-{total}-unit_price": "9.50",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)

    entry = only_entry(action="changed")
    assert entry.site == AuditSite.SELLER and entry.supplier_id == supplier_a.pk
    assert entry.user == seller_a
    fields = entry.changes["fields"]
    assert fields["moq"] == {"before": "100", "after": "50"}
    # A choice is named, before and after, not given as a bare id.
    assert fields["category"] == {"before": str(category), "after": str(other)}
    (tier,) = entry.changes["related"]
    assert tier["action"] == "added" and tier["fields"]["min_quantity"] == {"after": "2000"}


def test_saving_without_a_change_records_nothing(client, seller_a, a_product):
    client.force_login(seller_a)
    url = reverse("seller:marketplace_product_change", args=[a_product.pk])
    assert client.post(url, change_form_data(client.get(url))).status_code == 302
    assert not AdminAuditEntry.objects.exists()


def test_seller_add_records_the_new_values(client, seller_a, supplier_a):
    client.force_login(seller_a)
    data = {
        "type": "CE",
        "number": "CE-AUDIT-1",
        "issuer": "TÜV",
        "scope": "",
        "valid_from": "2025-01-01",
        "valid_until": "2099-01-01",
    }
    assert client.post(reverse("seller:suppliers_certification_add"), data).status_code == 302
    entry = only_entry(action="added")
    assert entry.supplier_id == supplier_a.pk and entry.object_repr.startswith("CE")
    assert entry.changes["fields"]["number"] == {"after": "CE-AUDIT-1"}
    assert entry.changes["fields"]["valid_until"] == {"after": "2099-01-01"}


def test_file_fields_are_stored_by_name_only(client, seller_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4\nSECRET-CERTIFICATE-CONTENT\n%%EOF\n"
    client.force_login(seller_a)
    data = {
        "type": "CE",
        "number": "CE-FILE-1",
        "issuer": "SGS",
        "valid_from": "2025-01-01",
        "valid_until": "2099-01-01",
        "document": SimpleUploadedFile("ce.pdf", content, content_type="application/pdf"),
    }
    assert client.post(reverse("seller:suppliers_certification_add"), data).status_code == 302
    entry = only_entry(action="added")
    stored = entry.changes["fields"]["document"]["after"]
    assert stored.endswith(".pdf") and "SECRET-CERTIFICATE-CONTENT" not in json.dumps(entry.changes)


def test_password_changes_and_new_users_never_store_the_password(client, operator):
    user = UserFactory(email="someone@example.com")
    client.force_login(operator)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, errors(response)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    changed = only_entry(action="changed")
    assert changed.object_repr == "someone@example.com"
    assert changed.changes == {"fields": {"password": {"redacted": True}}}

    for entry in AdminAuditEntry.objects.all():
        stored = json.dumps([entry.changes, entry.message, entry.object_repr, entry.action])
        assert NEW_PASSWORD not in stored and user.password not in stored


def test_secret_fields_are_redacted_whatever_the_form():
    from django import forms

    class SignupLikeForm(forms.Form):
        email = forms.EmailField()
        password1 = forms.CharField()
        pin = forms.CharField(widget=forms.PasswordInput)
        api_token = forms.CharField()
        client_secret = forms.CharField()

    data = {
        "email": "new@example.com",
        "password1": NEW_PASSWORD,
        "pin": NEW_PASSWORD,
        "api_token": NEW_PASSWORD,
        "client_secret": NEW_PASSWORD,
    }
    form = SignupLikeForm(data)
    assert form.is_valid()
    fields = form_field_changes(form, add=True)
    assert fields["email"] == {"after": "new@example.com"}
    assert {name for name, change in fields.items() if change == {"redacted": True}} == {
        "password1",
        "pin",
        "api_token",
        "client_secret",
    }
    assert NEW_PASSWORD not in json.dumps(fields)


# --- deletions and admin actions ----------------------------------------------------------------------------------


def test_delete_view_records_the_deleted_object(client, seller_a, supplier_a, a_product):
    client.force_login(seller_a)
    response = client.post(reverse("seller:marketplace_product_delete", args=[a_product.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Product.objects.filter(pk=a_product.pk).exists()
    entry = only_entry(action="deleted")
    assert entry.object_id == str(a_product.pk) and entry.object_repr == "Alpha Cordless Drill 18V"
    assert entry.site == AuditSite.SELLER and entry.supplier_id == supplier_a.pk


def test_bulk_delete_records_the_action_and_each_object(client, seller_a, supplier_a, category):
    products = [ProductFactory(supplier=supplier_a, category=category, title=f"Alpha bulk {n}") for n in range(3)]
    client.force_login(seller_a)
    url = reverse("seller:marketplace_product_changelist")
    selection = {"action": "delete_selected", "_selected_action": [p.pk for p in products]}
    # The confirmation page is not the act.
    assert client.post(url, selection).status_code == 200
    assert not AdminAuditEntry.objects.exists()
    assert client.post(url, {**selection, "post": "yes"}).status_code == 302
    assert AdminAuditEntry.objects.filter(action="deleted").count() == 3
    action = only_entry(action="action: delete_selected")
    assert sorted(action.changes["selected"]) == sorted(str(p.pk) for p in products)
    assert action.changes["count"] == 3 and action.supplier_id == supplier_a.pk


def test_admin_action_records_name_selected_ids_and_outcome(client, operator, supplier_a, supplier_b):
    client.force_login(operator)
    response = client.post(
        reverse("admin:suppliers_supplier_changelist"),
        {"action": "verify_onsite", "_selected_action": [supplier_a.pk, supplier_b.pk]},
    )
    assert response.status_code == 302
    supplier_a.refresh_from_db()
    assert supplier_a.verification_level == VerificationLevel.ONSITE
    entry = only_entry(action="action: verify_onsite")
    assert entry.site == AuditSite.OPERATOR and entry.user == operator
    assert sorted(entry.changes["selected"]) == sorted([str(supplier_a.pk), str(supplier_b.pk)])
    assert entry.changes["count"] == 2 and entry.changes["select_across"] is False
    assert entry.content_type.model_class() is Supplier
    assert "2 suppliers marked" in entry.message


def test_seller_action_records_own_supplier(client, seller_a, supplier_a, a_product):
    client.force_login(seller_a)
    response = client.post(
        reverse("seller:marketplace_product_changelist"),
        {"action": "unpublish_products", "_selected_action": [a_product.pk]},
    )
    assert response.status_code == 302
    entry = only_entry(action="action: unpublish_products")
    assert entry.supplier_id == supplier_a.pk and entry.object_id == str(a_product.pk)
    assert entry.object_repr == "Alpha Cordless Drill 18V"


def test_no_action_chosen_records_nothing(client, seller_a, a_product):
    client.force_login(seller_a)
    client.post(reverse("seller:marketplace_product_changelist"), {"action": "", "_selected_action": [a_product.pk]})
    client.post(reverse("seller:marketplace_product_changelist"), {"action": "unpublish_products", "index": "0"})
    assert not AdminAuditEntry.objects.exists()


# --- custom views ------------------------------------------------------------------------------------------------


def test_custom_view_log_change_is_recorded_as_the_view(client, buyer, seller_a, supplier_a):
    rfq = sourcing.rfq_create(
        buyer=buyer,
        title="Bamboo tumblers",
        lines=[{"product_name": "Bamboo tumbler", "quantity": 800}],
        quote_deadline=timezone.localdate() + timedelta(days=5),
        currency="EUR",
    )
    sourcing.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk])
    recipient = rfq.recipients.get(supplier=supplier_a)
    client.force_login(seller_a)
    response = client.post(
        reverse("seller:sourcing_rfqrecipient_change", args=[recipient.pk]),
        {"_action": "decline", "decline_reason": "No capacity"},
    )
    assert response.status_code == 302
    entry = only_entry(action="view: decline")
    assert entry.object_id == str(recipient.pk) and entry.message == "Declined to quote"
    assert entry.site == AuditSite.SELLER and entry.supplier_id == supplier_a.pk


def test_custom_view_that_logs_nothing_is_still_recorded(client, use_offline, seller_a, supplier_a, a_product):
    client.force_login(seller_a)
    response = client.post(reverse("seller:marketplace_listingoptimizationbatch_add"))
    assert response.status_code == 302
    entry = only_entry(action="view: add")
    assert entry.content_type.model_class().__name__ == "ListingOptimizationBatch"
    assert "AI is optimizing your catalog" in entry.message and entry.supplier_id == supplier_a.pk


def test_refused_custom_view_records_nothing(client, seller_a, supplier_a):
    client.force_login(seller_a)
    # No products: the service refuses, the view shows an error and redirects.
    response = client.post(reverse("seller:marketplace_listingoptimizationbatch_add"))
    assert response.status_code == 302
    assert not AdminAuditEntry.objects.exists()


# --- who sees what -------------------------------------------------------------------------------------------------


def test_seller_b_never_sees_seller_a_entries(client, seller_a, seller_b, supplier_a, supplier_b):
    a_entry = AdminAuditEntryFactory(supplier_id=supplier_a.pk, user=seller_a, object_repr="Alpha secret drill")
    b_entry = AdminAuditEntryFactory(supplier_id=supplier_b.pk, user=seller_b, object_repr="Beta own tumbler")
    operator_entry = AdminAuditEntryFactory(site=AuditSite.OPERATOR, supplier_id=None, object_repr="Ops-only change")

    client.force_login(seller_b)
    changelist = client.get(reverse("seller:core_adminauditentry_changelist"))
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert "Beta own tumbler" in body and "Alpha secret drill" not in body and "Ops-only change" not in body
    searched = client.get(reverse("seller:core_adminauditentry_changelist"), {"q": "Alpha"}).content.decode()
    assert "Alpha secret drill" not in searched
    for entry in (a_entry, operator_entry):
        for view in ("change", "history", "delete"):
            response = client.get(reverse(f"seller:core_adminauditentry_{view}", args=[entry.pk]))
            assert response.status_code in (403, 404), (view, response.status_code)
            assert "Alpha secret drill" not in response.content.decode()
        assert client.get(f"/seller/core/adminauditentry/{entry.pk}/").status_code == 404
    own = client.get(reverse("seller:core_adminauditentry_change", args=[b_entry.pk]))
    page = own.content.decode()
    assert own.status_code == 200 and "Beta own tumbler" in page
    # What changed, field by field, with the model's own labels.
    assert "<td>title</td><td>Old title</td><td>New title</td>" in page
    # The seller centre's index lists it as the activity log.
    assert "Activity log" in client.get(reverse("seller:index")).content.decode()


def test_operators_see_every_entry_and_filter_them(client, operator, supplier_a, supplier_b):
    AdminAuditEntryFactory(supplier_id=supplier_a.pk, object_repr="Alpha seller change")
    AdminAuditEntryFactory(
        site=AuditSite.OPERATOR, supplier_id=None, user=operator, user_email=operator.email, object_repr="Ops change"
    )
    client.force_login(operator)
    url = reverse("admin:core_adminauditentry_changelist")
    body = client.get(url).content.decode()
    assert "Alpha seller change" in body and "Ops change" in body
    by_site = client.get(url, {"site__exact": "seller"}).content.decode()
    assert "Alpha seller change" in by_site and "Ops change" not in by_site
    by_email = client.get(url, {"q": "ops@example.com"}).content.decode()
    assert "Ops change" in by_email and "Alpha seller change" not in by_email


# --- nobody edits an entry -----------------------------------------------------------------------------------------


def test_entries_cannot_be_edited_or_deleted(client, operator, seller_a, supplier_a):
    entry = AdminAuditEntryFactory(supplier_id=supplier_a.pk, object_repr="Alpha drill")
    entry.object_repr = "Rewritten"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        AdminAuditEntry.objects.all().delete()

    client.force_login(operator)
    change_url = reverse("admin:core_adminauditentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # readable
    assert client.post(change_url, {"object_repr": "Rewritten"}).status_code == 403
    assert client.post(reverse("admin:core_adminauditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code in (
        403,
        404,
    )
    assert client.get(reverse("admin:core_adminauditentry_add")).status_code == 403

    client.force_login(seller_a)
    own_url = reverse("seller:core_adminauditentry_change", args=[entry.pk])
    assert client.get(own_url).status_code == 200
    assert client.post(own_url, {"object_repr": "Rewritten"}).status_code == 403
    assert client.get(reverse("seller:core_adminauditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "Alpha drill" and AdminAuditEntry.objects.count() == 1


def test_deleting_a_user_keeps_their_entries(supplier_a):
    user = UserFactory(email="leaver@example.com")
    entry = AdminAuditEntryFactory(user=user, user_email=user.email, supplier_id=supplier_a.pk)
    user.delete()
    entry.refresh_from_db()
    assert entry.user is None and entry.user_email == "leaver@example.com"


# --- bounded queries -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 20])
def test_operator_list_runs_bounded_queries(client, operator, supplier_a, django_assert_max_num_queries, rows):
    users = [UserFactory() for _ in range(3)]
    for n in range(rows):
        AdminAuditEntryFactory(supplier_id=supplier_a.pk if n % 2 else None, user=users[n % 3])
    client.force_login(operator)
    url = reverse("admin:core_adminauditentry_changelist")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_seller_list_runs_bounded_queries(client, seller_a, supplier_a, django_assert_max_num_queries, rows):
    for _ in range(rows):
        AdminAuditEntryFactory(supplier_id=supplier_a.pk, user=seller_a)
    client.force_login(seller_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("seller:core_adminauditentry_changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count == rows
