"""Two buyers' clicks at once, on PostgreSQL with two real connections: one RFQ gets one accepted quote."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sourcing import services
from sourcing.models import RFQ, Quote, QuoteStatus, RFQRecipient, RFQStatus

from .test_rfq_quotes import make_rfq, quote_fields

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_acceptances_at_once_give_one_accepted_quote(buyer, supplier_a, supplier_b, seller_a, seller_b):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks and concurrent writers")
    rfq = services.rfq_send(rfq=make_rfq(buyer), buyer=buyer, supplier_ids=[supplier_a.pk, supplier_b.pk])
    quotes = [services.quote_submit(**quote_fields(r)) for r in RFQRecipient.objects.filter(rfq=rfq)]
    barrier = threading.Barrier(len(quotes))
    outcomes: list[str] = []

    def accept(quote):
        try:
            barrier.wait(timeout=10)
            services.quote_accept(quote=quote, buyer=buyer)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=accept, args=(quote,)) for quote in quotes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("accepted") == 1, outcomes
    assert any("closed" in outcome or "first" in outcome for outcome in outcomes), outcomes
    assert Quote.objects.filter(status=QuoteStatus.ACCEPTED).count() == 1
    assert RFQ.objects.get(pk=rfq.pk).status == RFQStatus.CLOSED
