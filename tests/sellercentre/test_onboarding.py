"""Applying to sell at /sell/, the operator's review, and publishing only once the documents are approved."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.documents import demo_pdf
from marketplace.services import product_publish, product_publish_many
from sellercentre.setup import setup_steps
from suppliers import onboarding
from suppliers.models import (
    ApplicationStatus,
    Supplier,
    SupplierApplication,
    SupplierMembership,
    VerificationLevel,
)
from tests.factories import ProductFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db


def licence(name="licence.pdf", content=None):
    return SimpleUploadedFile(name, content or demo_pdf("Business licence"), content_type="application/pdf")


def form_data(**overrides):
    data = {
        "email": "owner@newco.example",
        "password": "a-Good-passphrase-42",
        "company_name": "Yiwu Sunrise Crafts Co., Ltd.",
        "kind": "factory",
        "country": "CN",
        "region": "Yiwu, Zhejiang",
        "city": "Yiwu",
        "registration_number": "91330782 MA2E0X1Y2K",
        "contact_name": "Li Wei",
        "phone": "+86 579 1234 5678",
        "website": "",
        "business_licence": licence(),
    }
    data.update(overrides)
    return data


def submit(**overrides):
    data = form_data(**overrides)
    data.pop("website")
    return onboarding.supplier_application_submit(**data)


def test_apply_happy_path_signs_in_and_lands_in_the_seller_centre(client):
    response = client.post(reverse("sell:apply"), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("seller:index")
    application = SupplierApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.registration_key == "91330782MA2E0X1Y2K"
    membership = SupplierMembership.objects.get(supplier=application.supplier)
    assert membership.user.email == "owner@newco.example" and membership.role == "owner"
    assert application.supplier.verification_level == VerificationLevel.UNVERIFIED
    assert int(client.session["_auth_user_id"]) == membership.user.pk
    steps = {step.key: step for step in setup_steps(application.supplier)}
    assert steps["documents"].state == "pending" and not steps["documents"].done


def test_signed_in_seller_visiting_sell_goes_to_the_seller_centre(seller_a_client):
    assert seller_a_client.get(reverse("sell:apply"))["Location"] == reverse("seller:index")


def test_signed_in_buyer_applies_without_account_fields(client, buyer):
    client.force_login(buyer)
    page = client.get(reverse("sell:apply"))
    assert b'name="password"' not in page.content
    data = form_data()
    del data["email"], data["password"]
    assert client.post(reverse("sell:apply"), data).status_code == 302
    assert SupplierMembership.objects.get(user=buyer).role == "owner"


@pytest.mark.parametrize(
    "name", ["ALPHA TOOLS", "Alpha Tools Ltd", "alpha-tools inc.", "Alpha Tools Co Ltd", "Alpha  Tools GmbH"]
)
def test_duplicate_company_name_variants_are_refused(client, supplier_a, name):
    response = client.post(reverse("sell:apply"), form_data(company_name=name))
    assert response.status_code == 200
    assert "already sells on Silkway or has applied" in response.context["form"].errors["company_name"][0]
    assert not SupplierApplication.objects.exists()


def test_a_supplier_named_after_a_busy_city_is_still_found(client):
    """Existing suppliers are matched through their most selective word, so hundreds of others sharing the city in
    their names do not hide the duplicate."""
    Supplier.objects.bulk_create(
        SupplierFactory.build(name=f"Shenzhen Trading {n} Co., Ltd.", slug=f"shenzhen-trading-{n}") for n in range(600)
    )
    SupplierFactory(name="Shenzhen Brightway Electronics Co., Ltd.")
    response = client.post(reverse("sell:apply"), form_data(company_name="SHENZHEN BRIGHTWAY ELECTRONICS LIMITED"))
    assert "already sells on Silkway or has applied" in response.context["form"].errors["company_name"][0]


def test_chinese_legal_suffix_is_stripped():
    submit(company_name="宁波光明照明有限公司")
    with pytest.raises(ValidationError) as error:
        submit(company_name="宁波光明照明", email="x@y.example", registration_number="OTHER-1")
    assert error.value.error_dict["company_name"][0].code == "duplicate_name"


def test_duplicate_registration_number_in_the_same_country_is_refused(client):
    submit()
    response = client.post(
        reverse("sell:apply"),
        form_data(email="other@x.example", company_name="Totally Different", registration_number="91330782ma2e0x1y2k"),
    )
    assert "registration number has already applied" in response.context["form"].errors["registration_number"][0]
    assert SupplierApplication.objects.count() == 1
    # The same number in another country is another company.
    submit(email="third@x.example", company_name="Third One", country="VN", registration_number="91330782MA2E0X1Y2K")


def test_fake_pdf_is_refused(client):
    fake = licence(content=b"This is just text pretending to be a licence.\n")
    response = client.post(reverse("sell:apply"), form_data(business_licence=fake))
    assert response.status_code == 200
    assert "does not match a PDF, JPEG or PNG" in response.context["form"].errors["business_licence"][0]
    assert not SupplierApplication.objects.exists() and not SupplierMembership.objects.exists()


def test_fake_png_is_refused_by_content():
    with pytest.raises(ValidationError) as error:
        submit(business_licence=SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20))
    assert error.value.error_dict["business_licence"][0].code == "document_type"


def test_a_user_who_already_sells_is_refused(seller_a):
    with pytest.raises(ValidationError) as error:
        onboarding.supplier_application_submit(
            user=seller_a, **{k: v for k, v in form_data().items() if k not in ("email", "password")}
        )
    assert error.value.code == "already_seller"


def test_an_existing_account_email_must_sign_in_first(client, buyer):
    response = client.post(reverse("sell:apply"), form_data(email="buyer@example.com"))
    assert "sign in first" in response.context["form"].errors["email"][0]


def test_publish_is_refused_until_approved_then_allowed(operator, committed):
    application = submit()
    product = ProductFactory(supplier=application.supplier, status="draft", published_at=None)
    with pytest.raises(ValidationError) as error:
        product_publish(product=product)
    assert "Silkway is reviewing your company documents" in error.value.messages[0]
    assert product_publish_many(products=[product])[0] == 0
    with committed():
        onboarding.supplier_application_approve(
            application=application, reviewer=operator, evidence="Licence matches the credit register."
        )
    product_publish(product=product)
    product.refresh_from_db()
    assert product.is_published
    application.supplier.refresh_from_db()
    assert application.supplier.verification_level == VerificationLevel.BUSINESS_LICENSE
    assert application.supplier.verified_by == operator
    assert mail.outbox[-1].to == ["owner@newco.example"]
    assert "approved" in mail.outbox[-1].subject


def test_existing_suppliers_without_an_application_may_publish(supplier_a):
    product = ProductFactory(supplier=supplier_a, status="draft", published_at=None)
    product_publish(product=product)


def test_reject_mails_the_reason_and_keeps_publishing_closed(operator, committed):
    application = submit()
    with committed():
        onboarding.supplier_application_reject(
            application=application, reviewer=operator, reason="The licence scan is unreadable."
        )
    assert "The licence scan is unreadable." in mail.outbox[-1].body
    product = ProductFactory(supplier=application.supplier, status="draft", published_at=None)
    with pytest.raises(ValidationError):
        product_publish(product=product)
    steps = {step.key: step for step in setup_steps(application.supplier)}
    assert steps["documents"].state == "rejected" and steps["documents"].note == "The licence scan is unreadable."


def test_review_needs_evidence_and_an_operator(operator):
    application = submit()
    with pytest.raises(ValidationError) as error:
        onboarding.supplier_application_approve(application=application, reviewer=operator, evidence=" ")
    assert error.value.code == "evidence_required"
    with pytest.raises(ValidationError):
        onboarding.supplier_application_approve(application=application, reviewer=UserFactory(), evidence="ok")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_operator_admin_lists_pending_first_and_approves_through_the_service(client, operator, committed):
    first = submit()
    second = submit(email="b@x.example", company_name="Second Works", registration_number="R-2")
    onboarding.supplier_application_reject(application=first, reviewer=operator, reason="Blurry.")
    client.force_login(operator)
    changelist = client.get(reverse("admin:suppliers_supplierapplication_changelist"))
    assert [row.pk for row in changelist.context["cl"].result_list] == [second.pk, first.pk]
    change = client.get(reverse("admin:suppliers_supplierapplication_change", args=[second.pk]))
    download = reverse("admin:suppliers_supplierapplication_private_file", args=[second.pk, "business_licence"])
    assert download.encode() in change.content
    assert client.get(download).status_code == 200
    with committed():
        response = client.post(
            reverse("admin:suppliers_supplierapplication_review", args=[second.pk]),
            {"approve": "1", "review_note": "Register entry checked."},
        )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == ApplicationStatus.APPROVED and second.review_note == "Register entry checked."


def test_apply_page_renders_for_anonymous_visitors(client):
    page = client.get(reverse("sell:apply"))
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content


def test_setup_steps_run_one_query(supplier_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        steps = setup_steps(supplier_a)
    assert [step.key for step in steps][0] == "documents" and steps[0].done


def test_a_company_under_review_is_not_shown_to_buyers_until_approved(client, operator, committed):
    """Its storefront, the supplier list and the supplier search show it only once its documents are approved."""
    with committed():
        application = submit(company_name="Quiet Harbour Lighting Co., Ltd.")
    supplier = application.supplier
    storefront = reverse("marketplace:supplier_detail", args=[supplier.slug])
    assert client.get(storefront).status_code == 404
    assert client.get(f"/api/v1/suppliers/{supplier.slug}/").status_code == 404
    assert supplier.slug not in client.get("/api/v1/suppliers/").content.decode()
    found = client.get(reverse("search:search"), {"q": "Quiet Harbour", "tab": "suppliers"}).content.decode()
    assert storefront not in found  # no search result links to it

    with committed():
        onboarding.supplier_application_approve(
            application=application, reviewer=operator, evidence="Register checked."
        )
    assert client.get(storefront).status_code == 200
    assert client.get(f"/api/v1/suppliers/{supplier.slug}/").status_code == 200
    found = client.get(reverse("search:search"), {"q": "Quiet Harbour", "tab": "suppliers"}).content.decode()
    assert storefront in found
