"""seed_sourcing_demo walks the demo buyers through the whole flow with the services, and never duplicates."""

import io

import pytest
from django.core.management import call_command

from sourcing.models import RFQ, PlanStatus, Quote, QuoteStatus, RFQRecipient, RFQStatus, SourcingPlan, SourcingRequest

pytestmark = pytest.mark.django_db


def counts():
    return {
        "requests": SourcingRequest.objects.count(),
        "plans": SourcingPlan.objects.count(),
        "rfqs": RFQ.objects.count(),
        "recipients": RFQRecipient.objects.count(),
        "quotes": Quote.objects.count(),
    }


def test_seed_sourcing_demo_shows_every_step_and_is_idempotent(django_capture_on_commit_callbacks):
    call_command("seed_demo", "--suppliers", "120", "--products", "1200", "--seed", "7", stdout=io.StringIO())
    # The plans and e-mails run on commit, as they do outside a test's transaction.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_sourcing_demo", stdout=io.StringIO())
    first = counts()
    assert first["requests"] == 5
    assert set(SourcingPlan.objects.values_list("status", flat=True)) == {PlanStatus.DONE}
    assert {r.language for r in SourcingRequest.objects.all()} >= {"de", "en", "pt", "es", "zh-hans"}
    assert first["rfqs"] >= 3 and not RFQ.objects.filter(status=RFQStatus.DRAFT).exists()
    assert first["quotes"] >= 3
    assert RFQRecipient.objects.filter(status="declined").exists()
    assert Quote.objects.filter(status__in=[QuoteStatus.ACCEPTED, QuoteStatus.SHORTLISTED]).exists()
    # Every RFQ went only to suppliers its plan ranked.
    for rfq in RFQ.objects.select_related("plan"):
        ranked = set(rfq.plan.options.values_list("supplier_id", flat=True))
        assert set(rfq.recipients.values_list("supplier_id", flat=True)) <= ranked

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_sourcing_demo", stdout=io.StringIO())
    assert counts() == first
