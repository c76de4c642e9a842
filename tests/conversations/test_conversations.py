"""Conversations: what a message may be, who may read and write a thread (pages, seller admin, API), read receipts,
translations beside originals, new messages without a reload, and e-mails about unanswered messages."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyerProfile
from conversations import services
from conversations.models import Conversation, ConversationStatus, Message, MessageTranslation, QuickReply
from marketplace.services import inquiry_create
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def product(supplier_a):
    return ProductFactory(supplier=supplier_a, title="Alpha Cordless Drill 18V")


@pytest.fixture
def thread(buyer, product, committed):
    with committed():
        return inquiry_create(buyer=buyer, product=product, body="Price for 500 pcs FOB Ningbo?", quantity=500)


def _file(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _thread_url(conversation):
    return reverse("seller:conversations_conversation_change", args=[conversation.pk])


# --- what a message may be -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "attachment", "field", "code"),
    [
        ("   ", None, "body", "empty"),
        ("x" * 1_000_000, None, "body", "too_long"),
        ('Hello <script>alert("x")</script>', None, "body", "markup"),
        ("see file", _file("quote.pdf", b"MZ\x90\x00 this is a windows program"), "attachment", "content_mismatch"),
        ("see file", _file("photo.jpg", PDF), "attachment", "content_mismatch"),
        ("see file", _file("tool.exe", b"MZ\x90\x00"), "attachment", "extension"),
        ("see file", _file("empty.pdf", b""), "attachment", "empty"),
    ],
)
def test_bad_messages_are_refused_and_change_nothing(thread, buyer, body, attachment, field, code):
    before = (Message.objects.count(), Conversation.objects.get().last_message_at)
    with pytest.raises(ValidationError) as refused:
        services.message_send(conversation=thread, sender=buyer, body=body, attachment=attachment, from_supplier=False)
    assert [e.code for e in refused.value.error_dict[field]] == [code]
    assert (Message.objects.count(), Conversation.objects.get().last_message_at) == before


def test_an_attachment_too_large_is_refused(thread, buyer, settings):
    settings.MESSAGE_ATTACHMENT_MAX_MB = 1
    big = _file("spec.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        services.message_send(conversation=thread, sender=buyer, body="", attachment=big, from_supplier=False)
    assert refused.value.error_dict["attachment"][0].code == "too_large"


def test_only_the_threads_buyer_and_its_suppliers_staff_may_write(thread, other_buyer, seller_b, seller_a):
    for outsider, as_supplier in ((other_buyer, False), (seller_b, True), (seller_a, False)):
        with pytest.raises(ValidationError) as refused:
            services.message_send(conversation=thread, sender=outsider, body="hi", from_supplier=as_supplier)
        assert refused.value.code == "not_participant"
    assert thread.messages.count() == 1


def test_a_closed_thread_takes_no_message(thread, buyer):
    services.conversation_close(conversation=thread)
    with pytest.raises(ValidationError):
        services.message_send(conversation=thread, sender=buyer, body="hello?", from_supplier=False)


def test_a_supplier_answer_records_the_first_response_once(thread, seller_a, buyer):
    first = services.message_send(conversation=thread, sender=seller_a, body="USD 4.10", from_supplier=True)
    services.message_send(conversation=thread, sender=buyer, body="And for 1000?", from_supplier=False)
    services.message_send(conversation=thread, sender=seller_a, body="USD 3.90", from_supplier=True)
    thread.refresh_from_db()
    assert thread.first_response_at == first.created_at and thread.status == ConversationStatus.ANSWERED


def test_a_message_may_be_just_a_file_and_only_participants_download_it(
    client, thread, buyer, other_buyer, seller_a, seller_b
):
    message = services.message_send(
        conversation=thread, sender=buyer, body="", attachment=_file("drawing.pdf", PDF), from_supplier=False
    )
    assert (message.attachment_name, message.attachment_type, message.attachment_size) == (
        "drawing.pdf",
        "application/pdf",
        len(PDF),
    )
    buyer_url = reverse("conversations:attachment", args=[thread.pk, message.pk])
    seller_url = reverse("seller:conversations_conversation_attachment", args=[thread.pk, message.pk])
    client.force_login(buyer)
    assert b"".join(client.get(buyer_url).streaming_content) == PDF
    client.force_login(other_buyer)
    assert client.get(buyer_url).status_code == 404
    client.force_login(seller_a)
    assert client.get(seller_url).status_code == 200
    client.force_login(seller_b)
    assert client.get(seller_url).status_code == 404


# --- buyer pages -------------------------------------------------------------------------------------------------


def test_buyer_reads_and_answers_in_the_thread_and_nobody_else_can(client, thread, buyer, other_buyer):
    client.force_login(other_buyer)
    for name in ("conversations:detail", "conversations:updates"):
        assert client.get(reverse(name, args=[thread.pk])).status_code == 404
    assert client.post(reverse("conversations:translate", args=[thread.pk])).status_code == 404
    assert client.post(thread.get_absolute_url(), {"body": "intruder"}).status_code == 404
    assert thread.subject not in client.get(reverse("conversations:list")).content.decode()

    client.force_login(buyer)
    assert thread.subject in client.get(reverse("conversations:list")).content.decode()
    response = client.post(thread.get_absolute_url(), {"body": "Can you ship DDP Hamburg?"})
    assert response.status_code == 302
    assert list(thread.messages.values_list("body", flat=True))[-1] == "Can you ship DDP Hamburg?"


def test_a_refused_message_is_a_form_error_on_the_thread_page(client, thread, buyer):
    client.force_login(buyer)
    response = client.post(thread.get_absolute_url(), {"body": "<script>x</script>"})
    assert response.status_code == 400
    assert "Messages are plain text" in response.content.decode() and thread.messages.count() == 1


def test_old_inquiry_links_lead_to_the_conversation(client, thread, buyer):
    client.force_login(buyer)
    response = client.get(f"/inquiries/{thread.pk}/")
    assert response.status_code == 301 and response.url == thread.get_absolute_url()


def test_the_list_page_reads_a_bounded_number_of_queries(client, buyer, supplier_a, django_assert_max_num_queries):
    for n in range(12):
        services.conversation_start(buyer=buyer, supplier=supplier_a, body=f"Question {n}")
    client.force_login(buyer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("conversations:list"))
    assert response.content.decode().count("Question ") >= 12


def test_new_messages_and_read_receipts_arrive_without_a_reload(client, thread, buyer, seller_a):
    client.force_login(buyer)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Sent" in page and 'data-last-id="' in page
    last = thread.messages.get().pk
    updates = reverse("conversations:updates", args=[thread.pk])
    assert client.get(updates, {"after": last}).json()["html"] == ""

    services.message_send(conversation=thread, sender=seller_a, body="USD 4.10 FOB", from_supplier=True)
    data = client.get(updates, {"after": last}).json()
    assert "USD 4.10 FOB" in data["html"] and data["last_id"] > last
    # The seller answered, so the seller had read the buyer's message by then.
    assert data["read_up_to"] >= thread.messages.first().created_at.timestamp()
    assert client.get(updates, {"after": "x"}).status_code == 400


def test_reading_the_thread_marks_it_read_for_the_other_side(client, thread, buyer, seller_a):
    services.message_send(conversation=thread, sender=seller_a, body="Hello", from_supplier=True)
    client.force_login(buyer)
    listing = client.get(reverse("conversations:list")).content.decode()
    assert "1 new" in listing
    client.get(thread.get_absolute_url())
    assert "1 new" not in client.get(reverse("conversations:list")).content.decode()


# --- translations --------------------------------------------------------------------------------------------


def test_a_message_is_shown_in_the_readers_language_with_the_original_kept(
    client, buyer, supplier_a, seller_a, committed
):
    supplier_a.languages = ["en"]
    supplier_a.save(update_fields=["languages"])
    with committed():
        conversation = services.conversation_start(
            buyer=buyer, supplier=supplier_a, body="Wie hoch ist Ihre Mindestbestellmenge? Können Sie Muster schicken?"
        )
    message = conversation.messages.get()
    assert message.language == "de"
    translation = MessageTranslation.objects.get(message=message, language="en")
    assert translation.provider and translation.status in {"translated", "partial", "not_translated"}
    message.refresh_from_db()
    assert message.body.startswith("Wie hoch"), "a translation never replaces the original"

    client.force_login(seller_a)
    page = client.get(_thread_url(conversation)).content.decode()
    assert "Wie hoch ist Ihre Mindestbestellmenge?" in page  # the original, one click away (or shown as such)
    if translation.status != "not_translated":
        assert translation.text in page and "show the original" in page
    else:
        assert "not machine-translated" in page


def test_translate_button_translates_what_is_missing_once(client, thread, seller_a):
    answer = services.message_send(conversation=thread, sender=seller_a, body="最小起订量是500件。", from_supplier=True)
    MessageTranslation.objects.all().delete()
    assert answer.language == "zh-hans"
    client.force_login(thread.buyer)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Translate into English" in page
    client.post(reverse("conversations:translate", args=[thread.pk]))
    # Only the supplier's Chinese message needed one; a second click makes none.
    assert list(MessageTranslation.objects.values_list("message_id", "language")) == [(answer.pk, "en")]
    assert services.conversation_translate(conversation=thread, language="en") == 0


# --- seller admin --------------------------------------------------------------------------------------------


def test_sellers_see_and_answer_only_their_own_threads(client, thread, seller_a, seller_b, buyer):
    client.force_login(seller_b)
    changelist = reverse("seller:conversations_conversation_changelist")
    assert thread.subject not in client.get(changelist).content.decode()
    for url in (
        _thread_url(thread),
        reverse("seller:conversations_conversation_updates", args=[thread.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_thread_url(thread), {"body": "B's offer"}).status_code == 404
    assert client.post(reverse("seller:conversations_conversation_translate", args=[thread.pk])).status_code == 404

    client.force_login(seller_a)
    assert thread.subject in client.get(changelist).content.decode()
    page = client.get(_thread_url(thread)).content.decode()
    assert page.index("Price for 500 pcs") < page.index('name="body"'), "the reply box sits below the thread"
    response = client.post(_thread_url(thread), {"body": "USD 4.10 FOB Ningbo, 25 days."}, follow=True)
    assert "Reply sent to" in response.content.decode() and "changed successfully" not in response.content.decode()
    assert thread.messages.last().from_supplier and thread.messages.last().sender == seller_a


def test_the_inbox_lists_threads_awaiting_an_answer_first(client, seller_a, supplier_a, buyer, other_buyer):
    old = services.conversation_start(buyer=buyer, supplier=supplier_a, body="Oldest waiting")
    answered = services.conversation_start(buyer=other_buyer, supplier=supplier_a, body="Answered one")
    services.message_send(conversation=answered, sender=seller_a, body="Done", from_supplier=True)
    newer = services.conversation_start(buyer=other_buyer, supplier=supplier_a, body="Newer waiting")
    Conversation.objects.filter(pk=old.pk).update(last_message_at=timezone.now() - datetime.timedelta(hours=5))
    client.force_login(seller_a)
    page = client.get(reverse("seller:conversations_conversation_changelist")).content.decode()
    assert page.index("Oldest waiting") < page.index("Newer waiting") < page.index("Answered one")
    assert newer.status == "open"


def test_quick_replies_are_the_sellers_own(client, thread, seller_a, seller_b, supplier_b):
    theirs = QuickReply.objects.create(supplier=supplier_b, title="B prices", body="B's secret price list")
    ours = QuickReply.objects.create(supplier=thread.supplier, title="Samples", body="Samples ship in 3 days.")
    client.force_login(seller_a)
    page = client.get(_thread_url(thread), {"quick": ours.pk}).content.decode()
    assert "Samples ship in 3 days." in page
    page = client.get(_thread_url(thread), {"quick": theirs.pk}).content.decode()
    assert "B&#x27;s secret price list" not in page and "B prices" not in page
    listing = client.get(reverse("seller:conversations_quickreply_changelist")).content.decode()
    assert "Samples" in listing and "B prices" not in listing
    assert client.get(reverse("seller:conversations_quickreply_change", args=[theirs.pk])).status_code == 404


def test_an_ai_draft_fills_the_reply_box_and_sends_nothing(client, thread, seller_a):
    client.force_login(seller_a)
    page = client.get(_thread_url(thread), {"suggest": 1}).content.decode()
    assert "Nothing is sent until you click Send reply" in page
    assert thread.messages.count() == 1


def test_the_seller_thread_page_reads_a_bounded_number_of_queries(
    client, thread, seller_a, buyer, django_assert_max_num_queries
):
    for n in range(10):
        services.message_send(conversation=thread, sender=buyer, body=f"More {n}", from_supplier=False)
    client.force_login(seller_a)
    with django_assert_max_num_queries(25):
        client.get(_thread_url(thread))


# --- API -----------------------------------------------------------------------------------------------------


def test_api_threads_belong_to_their_buyer_and_supplier(thread, buyer_api, other_buyer_api, seller_a_api, seller_b_api):
    assert [c["id"] for c in buyer_api.get("/api/v1/conversations/").json()["results"]] == [thread.pk]
    assert other_buyer_api.get("/api/v1/conversations/").json()["results"] == []
    assert other_buyer_api.get(f"/api/v1/conversations/{thread.pk}/").status_code == 404
    assert other_buyer_api.post(f"/api/v1/conversations/{thread.pk}/messages/", {"body": "x"}).status_code == 404
    assert seller_b_api.get(f"/api/v1/supplier/conversations/{thread.pk}/").status_code == 404
    assert seller_b_api.post(f"/api/v1/supplier/conversations/{thread.pk}/messages/", {"body": "x"}).status_code == 404
    assert thread.messages.count() == 1

    detail = buyer_api.get(f"/api/v1/conversations/{thread.pk}/").json()
    assert detail["kind"] == "inquiry" and detail["topic"]["type"] == "marketplace.product"
    assert detail["messages"][0]["body"] == "Price for 500 pcs FOB Ningbo?"
    answer = seller_a_api.post(
        f"/api/v1/supplier/conversations/{thread.pk}/messages/",
        {"body": "Quote attached", "attachment": _file("quote.pdf", PDF)},
        format="multipart",
    )
    assert answer.status_code == 201 and answer.json()["attachment"]["name"] == "quote.pdf"
    file_url = answer.json()["attachment"]["url"]
    assert seller_b_api.get(file_url.replace("/conversations/", "/supplier/conversations/", 1)).status_code in (
        403,
        404,
    )
    buyer_file = f"/api/v1/conversations/{thread.pk}/files/{answer.json()['id']}/"
    assert buyer_api.get(buyer_file).status_code == 200 and other_buyer_api.get(buyer_file).status_code == 404


def test_api_refuses_bad_messages_with_field_errors(thread, buyer_api):
    response = buyer_api.post(
        f"/api/v1/conversations/{thread.pk}/messages/",
        {"body": "", "attachment": _file("x.png", PDF)},
        format="multipart",
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("attachment", "content_mismatch")]
    assert buyer_api.post(f"/api/v1/conversations/{thread.pk}/messages/", {"body": ""}).status_code == 400
    assert thread.messages.count() == 1


def test_api_lists_read_a_bounded_number_of_queries(buyer, buyer_api, supplier_a, django_assert_max_num_queries):
    for n in range(8):
        services.conversation_start(buyer=buyer, supplier=supplier_a, body=f"Question {n}")
    with django_assert_max_num_queries(8):
        assert len(buyer_api.get("/api/v1/conversations/").json()["results"]) == 8


# --- e-mails about unanswered messages ------------------------------------------------------------------------


def test_an_unanswered_message_is_mailed_once_to_the_suppliers_staff(thread, seller_a, settings):
    settings.UNANSWERED_NOTIFY_MINUTES = 30
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert services.unanswered_notify(now=timezone.now()) == 0  # not yet
    assert services.unanswered_notify(now=later) == 1
    assert mail.outbox[-1].to == [seller_a.email] and thread.subject in mail.outbox[-1].subject
    assert services.unanswered_notify(now=later) == 0  # once


def test_an_answered_message_is_not_mailed(thread, seller_a):
    services.message_send(conversation=thread, sender=seller_a, body="Answer", from_supplier=True)
    mail.outbox.clear()
    BuyerProfile.objects.filter(user=thread.buyer).update(preferred_language="en")
    Conversation.objects.filter(pk=thread.pk).update(buyer_read_at=timezone.now() + datetime.timedelta(hours=1))
    assert services.unanswered_notify(now=timezone.now() + datetime.timedelta(hours=1)) == 0


def test_the_unanswered_batch_reads_a_bounded_number_of_queries(
    buyer, other_buyer, supplier_a, supplier_b, seller_a, seller_b, django_assert_max_num_queries
):
    for who in (buyer, other_buyer):
        for supplier in (supplier_a, supplier_b):
            services.conversation_start(buyer=who, supplier=supplier, body="Anyone there?")
    later = timezone.now() + datetime.timedelta(hours=1)
    # The batch read (messages, then every supplier's staff at once), then per message its claim and the recipient's
    # e-mail language (accounts.services.user_language); nothing per staff member listed.
    with django_assert_max_num_queries(3 + 2 * 4):
        assert services.unanswered_notify(now=later) == 4
