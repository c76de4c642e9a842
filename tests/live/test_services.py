"""The rules on sessions, registrations, questions and reminders (live.services), and status by the clock."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conversations.models import ConversationKind
from conversations.selectors import conversation_list_for_buyer
from live import selectors, services
from live.models import LiveRegistration, LiveSession, LiveStatus
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _create(supplier, now, **overrides):
    data = {
        "supplier": supplier,
        "title": "Drill line tour",
        "starts_at": now + timedelta(hours=1),
        "ends_at": now + timedelta(hours=2),
        "stream_url": "https://vimeo.com/event/1",
        "now": now,
    }
    data.update(overrides)
    return services.session_create(**data)


def test_a_session_that_ends_before_it_starts_is_refused_on_the_end_field(supplier_a, now):
    with pytest.raises(ValidationError) as raised:
        _create(supplier_a, now, ends_at=now + timedelta(minutes=30))
    assert raised.value.message_dict == {"ends_at": ["The session must end after it starts."]}
    assert not LiveSession.objects.exists()


def test_the_database_refuses_it_too(supplier_a, now):
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveSession.objects.create(
            supplier=supplier_a, title="x", starts_at=now, ends_at=now, stream_url="https://vimeo.com/1"
        )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at_hours": 13}, "ends_at", "A session lasts at most 12 hours."),
        ({"stream_url": "http://vimeo.com/event/1"}, "stream_url", "https://"),
        ({"stream_url": "javascript:alert(1)"}, "stream_url", "https://"),
        ({"start_hours": -3}, "ends_at", "already over"),
    ],
)
def test_bad_input_gets_a_clear_field_error(supplier_a, now, overrides, field, message):
    data = {}
    if "ends_at_hours" in overrides:
        data["ends_at"] = now + timedelta(hours=1 + overrides["ends_at_hours"])
    if "start_hours" in overrides:
        data["starts_at"] = now + timedelta(hours=overrides["start_hours"])
        data["ends_at"] = data["starts_at"] + timedelta(hours=1)
    if "stream_url" in overrides:
        data["stream_url"] = overrides["stream_url"]
    with pytest.raises(ValidationError) as raised:
        _create(supplier_a, now, **data)
    assert message in " ".join(raised.value.message_dict[field])
    assert not LiveSession.objects.exists()


def test_only_the_suppliers_own_products_can_be_shown(supplier_a, product_a, product_b, now):
    with pytest.raises(ValidationError) as raised:
        _create(supplier_a, now, products=[product_a, product_b])
    assert "Beta Vacuum Tumbler" in raised.value.message_dict["products"][0]
    session = _create(supplier_a, now, products=[product_a])
    with pytest.raises(ValidationError):
        services.session_update(session=session, products=[product_b])
    assert list(session.products.all()) == [product_a]


def test_status_follows_the_clock_and_cancelled_sessions_are_hidden(supplier_a, make_session, now):
    live = make_session(supplier_a, start_in=timedelta(minutes=-10))
    upcoming = make_session(supplier_a, start_in=timedelta(days=1))
    ended = make_session(supplier_a, start_in=timedelta(hours=-3))
    cancelled = make_session(supplier_a, start_in=timedelta(minutes=-5))
    services.session_cancel(session=cancelled, now=now)
    assert [live.status(now), upcoming.status(now), ended.status(now)] == ["live", "upcoming", "ended"]
    assert upcoming.status(now + timedelta(days=1)) == LiveStatus.LIVE
    for status, expected in (("live", live), ("upcoming", upcoming), ("ended", ended)):
        assert list(selectors.session_list_public(status=status, now=now)) == [expected]
    listing = selectors.session_listing(now=now)
    assert (listing.live, listing.upcoming, listing.ended) == ([live], [upcoming], [ended])
    with pytest.raises(LiveSession.DoesNotExist):
        selectors.session_get_public(pk=cancelled.pk)
    assert live.watch_open(now) and not upcoming.watch_open(now) and not ended.watch_open(now)
    assert upcoming.watch_open(upcoming.starts_at - timedelta(minutes=5))


def test_registration_toggles_and_the_suppliers_staff_cannot_register(supplier_a, make_session, buyer, seller_a, now):
    session = make_session(supplier_a)
    assert services.registration_toggle(session=session, buyer=buyer, now=now) is True
    assert services.registration_set(session=session, buyer=buyer, registered=True, now=now) is True
    assert LiveRegistration.objects.filter(session=session).count() == 1
    assert services.registration_toggle(session=session, buyer=buyer, now=now) is False
    assert not LiveRegistration.objects.exists()
    with pytest.raises(ValidationError, match="your own company"):
        services.registration_toggle(session=session, buyer=seller_a, now=now)
    with pytest.raises(ValidationError, match="ended"):
        services.registration_set(session=session, buyer=buyer, registered=True, now=session.ends_at)


def test_reminder_is_sent_once_shortly_before_the_start(supplier_a, make_session, buyer, other_buyer, now):
    soon = make_session(supplier_a, start_in=timedelta(minutes=12), title="Tumbler printing live")
    later = make_session(supplier_a, start_in=timedelta(hours=3))
    for session in (soon, later):
        services.registration_set(session=session, buyer=buyer, registered=True, now=now)
    inactive = UserFactory(is_active=False)
    LiveRegistration.objects.create(session=soon, buyer=inactive)
    assert services.reminders_send(now=now) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [buyer.email] and "Tumbler printing live" in message.subject
    assert soon.get_absolute_url() in message.body and "UTC" in message.body
    assert services.reminders_send(now=now + timedelta(minutes=5)) == 0  # once
    assert len(mail.outbox) == 1
    assert services.reminders_send(now=later.starts_at - timedelta(minutes=10)) == 1


def test_a_question_opens_then_continues_the_buyers_live_thread(supplier_a, make_session, buyer, other_buyer):
    session = make_session(supplier_a)
    first = services.live_question_ask(buyer=buyer, session=session, body="Can you show the gearbox?")
    again = services.live_question_ask(buyer=buyer, session=session, body="And the battery?")
    assert again.pk == first.pk
    assert first.kind == ConversationKind.LIVE and first.topic == session and first.subject == session.title
    assert first.supplier_id == supplier_a.pk and first.messages.count() == 2
    assert list(conversation_list_for_buyer(buyer=buyer)) == [first]
    assert selectors.question_thread_for(buyer=buyer, session=session) == first
    assert selectors.question_thread_for(buyer=other_buyer, session=session) is None
    assert not conversation_list_for_buyer(buyer=other_buyer).exists()
    theirs = services.live_question_ask(buyer=other_buyer, session=session, body="MOQ for the drill?")
    assert theirs.pk != first.pk


def test_staff_cannot_ask_their_own_session(supplier_a, make_session):
    staff = MembershipFactory(supplier=supplier_a).user
    session = make_session(supplier_a)
    with pytest.raises(ValidationError):
        services.live_question_ask(buyer=staff, session=session, body="Hello?")
