"""The welcome e-mail at sign-up, and the buyer's e-mail when a supplier answers an inquiry: queued after commit,
written in the buyer's language, linking to the right page, and sent to that buyer only."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import BuyerProfile
from conversations.models import Message
from conversations.services import message_send
from marketplace.services import inquiry_create
from tests.factories import ProductFactory

from .helpers import html_body, link_path, links
from .test_accounts import SIGNUP

pytestmark = pytest.mark.django_db

FOOTER = "Silkway is an open-source B2B sourcing marketplace."


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_sign_up_sends_a_welcome_in_the_chosen_language(client, committed, mailoutbox):
    with committed():
        client.post(reverse("accounts:signup"), {**SIGNUP, "preferred_language": "es"})  # from an English page
    assert len(mailoutbox) == 2  # the verification link, then the welcome
    [welcome] = [m for m in mailoutbox if "/accounts/verify/" not in m.body]
    assert welcome.to == ["ana@importadora.example"]
    assert "Importadora Souza Ltda" in welcome.body
    html = html_body(welcome)
    assert '<html lang="es"' in html
    assert in_language("es", FOOTER) in html and in_language("es", FOOTER) != FOOTER
    assert link_path(welcome, "/accounts/account/") == reverse("accounts:account")
    assert f"{settings.SITE_URL}{reverse('sourcing:home')}" in links(welcome)


def test_nothing_is_sent_before_commit_or_for_a_failed_sign_up(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("accounts:signup"), SIGNUP)
    assert len(callbacks) == 2 and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("accounts:signup"), {**SIGNUP, "email": "x@example.com", "preferred_currency": "XYZ"})
    assert callbacks == [] and mailoutbox == []


@pytest.fixture
def product(supplier_a):
    return ProductFactory(supplier=supplier_a, title="Alpha Cordless Drill 18V")


@pytest.fixture
def threads(buyer, other_buyer, product):
    BuyerProfile.objects.filter(user=buyer).update(preferred_language="fr")
    mine = inquiry_create(buyer=buyer, product=product, body="Lead time for 500 pcs?")
    theirs = inquiry_create(buyer=other_buyer, product=product, body="Our target price is 9 USD")
    return mine, theirs


def test_a_suppliers_answer_mails_that_buyer_only_in_their_language(threads, buyer, seller_a, committed, mailoutbox):
    mine, _theirs = threads
    with committed():
        message_send(conversation=mine, sender=seller_a, body="25 days, FOB Ningbo.", from_supplier=True)
    [message] = mailoutbox
    assert message.to == [buyer.email]
    assert link_path(message, "/messages/") == mine.get_absolute_url()
    assert "Alpha Tools Co., Ltd." in message.subject and "Alpha Cordless Drill 18V" in message.body
    assert "25 days" not in message.body  # the answer itself stays on the platform
    html = html_body(message)
    assert '<html lang="fr"' in html
    assert in_language("fr", FOOTER) in html and in_language("fr", FOOTER) != FOOTER
    assert mine.get_absolute_url() in html


def test_answers_in_another_buyers_thread_never_reach_this_buyer(
    threads, buyer, other_buyer, seller_a, committed, mailoutbox
):
    _mine, theirs = threads
    with committed():
        message_send(conversation=theirs, sender=seller_a, body="9 USD is possible.", from_supplier=True)
    [message] = mailoutbox
    assert message.to == [other_buyer.email]
    assert link_path(message, "/messages/") == theirs.get_absolute_url()
    assert buyer.email not in message.to + message.cc + message.bcc


def test_the_buyers_own_messages_send_nothing(threads, buyer, committed, mailoutbox):
    mine, _theirs = threads
    with committed():
        message_send(conversation=mine, sender=buyer, body="Any news?", from_supplier=False)
    assert mailoutbox == []


def test_an_answer_through_the_supplier_api_mails_the_buyer(threads, buyer, seller_a_api, committed, mailoutbox):
    mine, _theirs = threads
    with committed():
        response = seller_a_api.post(
            f"/api/v1/supplier/conversations/{mine.pk}/messages/", {"body": "Yes."}, format="json"
        )
    assert response.status_code == 201
    assert [m.to for m in mailoutbox] == [[buyer.email]]


def test_the_task_is_quiet_when_the_message_is_gone(threads, seller_a, mailoutbox):
    from conversations.tasks import message_reply_notify_task

    mine, _theirs = threads
    message = message_send(conversation=mine, sender=seller_a, body="Soon.", from_supplier=True)
    Message.objects.filter(pk=message.pk).delete()
    assert message_reply_notify_task(message.pk) == 0
    assert mailoutbox == []
