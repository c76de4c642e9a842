"""Contact up front: every product page and storefront has the contact form, for signed-out visitors too; what they
type is kept while they sign in; storefront inquiries reach only that supplier; badges open their evidence."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from suppliers.models import VerificationLevel
from tests.conftest import PASSWORD
from tests.factories import CertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(supplier_a):
    return ProductFactory(supplier=supplier_a, title="Alpha Cordless Drill 18V", moq=200)


def sign_in(client, user, next_url):
    return client.post(f"{reverse('accounts:login')}?next={next_url}", {"username": user.email, "password": PASSWORD})


def test_a_signed_out_visitor_sees_the_form_and_actions_up_front(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'name="body"' in html and 'id="inquiry"' in html
    # The actions come before the specifications, not below the description.
    assert html.index('class="contact-actions"') < html.index("Minimum order")
    assert 'value="200"' in html  # the quantity starts at the MOQ


def test_a_card_or_rfq_link_carries_the_quantity(client, product):
    html = client.get(product.get_absolute_url(), {"quantity": "1500"}).content.decode()
    assert 'value="1500"' in html
    assert 'value="200"' in client.get(product.get_absolute_url(), {"quantity": "-3"}).content.decode()


def test_what_a_signed_out_buyer_typed_is_kept_through_sign_in(client, buyer, product):
    url = product.get_absolute_url()
    response = client.post(url, {"quantity": 800, "body": "Best price for 800 sets, DDP Hamburg?"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Conversation.objects.exists()

    response = sign_in(client, buyer, url)
    assert response.status_code == 302 and response.url == url
    html = client.get(url).content.decode()
    assert "Best price for 800 sets, DDP Hamburg?" in html and 'value="800"' in html
    assert not Conversation.objects.exists(), "nothing is sent until the buyer clicks Send"

    client.post(url, {"quantity": 800, "body": "Best price for 800 sets, DDP Hamburg?"})
    inquiry = Conversation.objects.get()
    assert inquiry.buyer == buyer and inquiry.topic == product and inquiry.quantity == 800
    # Sent once: the draft is gone.
    assert "DDP Hamburg" not in client.get(url).content.decode()


def test_a_kept_draft_belongs_to_its_own_product(client, buyer, product, supplier_a):
    other = ProductFactory(supplier=supplier_a, title="Alpha Angle Grinder")
    client.post(product.get_absolute_url(), {"body": "About the drill"})
    sign_in(client, buyer, product.get_absolute_url())
    assert "About the drill" not in client.get(other.get_absolute_url()).content.decode()


def test_a_bad_message_from_a_signed_out_visitor_is_a_form_error_and_nothing_is_kept(client, product):
    response = client.post(product.get_absolute_url(), {"body": "", "quantity": 0})
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not any(key.startswith("inquiry_draft") for key, _value in client.session.items())


def test_a_buyer_writes_to_a_supplier_from_its_storefront(client, buyer, supplier_a, seller_a, seller_b):
    client.force_login(buyer)
    url = reverse("marketplace:supplier_detail", args=[supplier_a.slug])
    response = client.post(url, {"body": "Do you make 20 V drills with our logo?\nWe need 2,000 a year."})
    inquiry = Conversation.objects.get()
    assert response.status_code == 302 and response.url == inquiry.get_absolute_url()
    assert inquiry.supplier == supplier_a and inquiry.kind == "inquiry" and inquiry.topic is None
    assert inquiry.subject == "Do you make 20 V drills with our logo?"
    thread = client.get(inquiry.get_absolute_url())
    assert thread.status_code == 200 and "We need 2,000 a year." in thread.content.decode()

    # The supplier reads it in its seller centre; a competitor does not.
    change = reverse("seller:conversations_conversation_change", args=[inquiry.pk])
    client.force_login(seller_a)
    assert "with our logo" in client.get(change).content.decode()
    client.force_login(seller_b)
    assert client.get(change).status_code == 404
    changelist = client.get(reverse("seller:conversations_conversation_changelist"))
    assert changelist.status_code == 200 and "with our logo" not in changelist.content.decode()


def test_a_seller_cannot_write_to_its_own_storefront(client, seller_a, supplier_a):
    client.force_login(seller_a)
    url = reverse("marketplace:supplier_detail", args=[supplier_a.slug])
    response = client.post(url, {"body": "Hello me"})
    assert response.status_code == 200 and "your own company" in response.content.decode()
    assert not Conversation.objects.exists()


def test_the_verified_badge_opens_its_evidence(client, supplier_a, product):
    supplier_a.verification_level = VerificationLevel.ONSITE
    supplier_a.verified_at = timezone.now() - timedelta(days=30)
    supplier_a.trade_assurance = True
    supplier_a.save()
    CertificationFactory(supplier=supplier_a, type="CE", verified_at=timezone.now())
    card = client.get(reverse("marketplace:category_detail", args=[product.category.slug])).content.decode()
    assert f'href="{supplier_a.get_absolute_url()}#verification"' in card
    assert f'href="{reverse("marketplace:trust")}#protection"' in card

    storefront = client.get(supplier_a.get_absolute_url()).content.decode()
    assert 'id="verification"' in storefront and "A Silkway inspector visited the premises" in storefront
    assert "by Silkway staff on" in storefront and "document checked by Silkway on" in storefront


def test_the_trust_page_says_what_protection_covers(client):
    html = client.get(reverse("marketplace:trust")).content.decode()
    for anchor in ('id="verified"', 'id="protection"'):
        assert anchor in html
    assert "escrow" in html and "dispute" in html and "Not covered" in html
    assert "Trade Assurance" not in html


def test_storefront_query_count_is_bounded(client, supplier_a, django_assert_max_num_queries):
    for n in range(15):
        ProductFactory(supplier=supplier_a, title=f"Alpha tool {n}")
    with django_assert_max_num_queries(12):
        assert client.get(supplier_a.get_absolute_url()).status_code == 200


def test_a_visitor_who_joins_instead_comes_back_to_the_waiting_message(client, product):
    url = product.get_absolute_url()
    client.post(url, {"quantity": 400, "body": "Samples first, then 400 sets?"})
    login_page = client.get(f"{reverse('accounts:login')}?next={url}").content.decode()
    assert f"{reverse('accounts:signup')}?next=" in login_page
    response = client.post(
        f"{reverse('accounts:signup')}?next={url}",
        {
            "email": "new-importer@example.com",
            "first_name": "Ana",
            "last_name": "Silva",
            "company_name": "Silva Importadora",
            "country": "BR",
            "preferred_language": "en",
            "preferred_currency": "BRL",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "next": url,
        },
    )
    assert response.status_code == 302 and response.url == url
    assert "Samples first, then 400 sets?" in client.get(url).content.decode()
    assert not Conversation.objects.exists()


def test_signup_never_sends_a_buyer_to_another_site(client):
    html = client.get(f"{reverse('accounts:signup')}?next=https://evil.example/").content.decode()
    form = html[html.index("<main") :]
    assert 'value="https://evil.example/"' not in form and "next=https%3A//evil.example" not in form
