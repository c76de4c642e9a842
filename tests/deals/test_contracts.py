"""Contracts through the services: opened by an accepted quote and drafted on commit, versions proposed by either
side (numbers and words kept in step), acceptance and signature creating one order, and every refusal."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from deals.contract_terms import terms_diff, terms_hash
from deals.models import Contract, ContractStatus, ContractVersion, DealEvent, ImmutableError, Order, Side
from deals.services import contracts as services
from tests.factories import BuyerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def actions(contract):
    return list(DealEvent.objects.filter(contract=contract).values_list("action", flat=True))


def latest(contract):
    return contract.versions.order_by("-number").first()


def sign_both(contract, buyer, seller, version=None):
    version = version or latest(contract)
    services.contract_accept(contract=contract, version=version, actor=buyer, side="buyer", signatory="Anna Schmidt")
    return services.contract_accept(
        contract=contract, version=version, actor=seller, side="supplier", signatory="Li Wei"
    )


def test_accepting_a_quote_opens_and_drafts_its_contract(contract, buyer, supplier_a):
    contract.refresh_from_db()
    assert contract.status == ContractStatus.NEGOTIATING and contract.error == ""
    assert contract.title == "Bamboo kitchen boards"
    assert (contract.buyer, contract.supplier) == (buyer, supplier_a)
    version = contract.versions.get()
    assert version.number == 1 and version.author_side == "platform" and version.author is None
    assert version.provenance["provider"] == "offline" and version.provenance["prompt_version"] == "draft_contract/1"
    assert version.content_hash == terms_hash(version.terms) and len(version.content_hash) == 64
    assert version.buyer_accepted_at is None and version.supplier_accepted_at is None
    assert actions(contract) == ["contract_opened", "contract_drafted"]


def test_opening_and_drafting_again_change_nothing(contract):
    quote = contract.quote
    assert services.contract_open(quote=quote).pk == contract.pk
    assert services.contract_draft(contract_id=contract.pk).pk == contract.pk
    assert Contract.objects.count() == 1 and ContractVersion.objects.count() == 1
    assert actions(contract) == ["contract_opened", "contract_drafted"]


def test_a_drafting_contract_is_drafted_once(open_contract, use_offline):
    assert open_contract.status == ContractStatus.DRAFTING and not open_contract.versions.exists()
    services.contract_draft(contract_id=open_contract.pk)
    services.contract_draft(contract_id=open_contract.pk)
    assert list(open_contract.versions.values_list("number", flat=True)) == [1]
    assert services.contract_draft(contract_id=10**9) is None


def test_terms_of_a_version_are_written_once(contract):
    version = contract.versions.get()
    version.terms = {**version.terms, "currency": "EUR"}
    with pytest.raises(ImmutableError):
        version.save()
    version.refresh_from_db()
    version.buyer_signatory = "Anna"
    version.save(update_fields=["buyer_signatory"])  # acceptance fields may change, terms never


def test_a_supplier_proposal_rewords_the_numbers_and_cites_the_edit(contract, seller_a):
    before = latest(contract)
    version = services.contract_propose(
        contract=contract,
        actor=seller_a,
        side="supplier",
        changes={
            "lines": [{"position": 1, "unit_price": "4.00", "quantity": 2500}],
            "clauses": {"warranty": "The supplier warrants the boards for 18 months from delivery."},
        },
        note="Bigger order at a lower price; warranty as we offer it",
    )
    assert version.number == 2 and version.author == seller_a and version.author_side == "supplier"
    assert version.supplier_accepted_at is not None and version.supplier_signatory == ""
    assert version.buyer_accepted_at is None
    terms = version.parsed
    assert (terms.lines[0].quantity, terms.lines[0].unit_price) == (2500, Decimal("4.00"))
    assert terms.total == Decimal("13625.00")  # 2,500 × 4.00 + 500 × 7.25
    price = terms.clause("price")
    assert "2,500 pieces at 4.00 USD per unit = 10,000.00 USD" in price.text
    assert "Total price: 13,625.00 USD" in price.text
    assert "13,625.00 USD" in terms.clause("payment").text
    assert price.sources[-1].kind == "edit" and price.sources[-1].ref == "version:2"
    assert price.sources[-1].label == "Changed by the Supplier in version 2"
    warranty = terms.clause("warranty")
    assert warranty.text == "The supplier warrants the boards for 18 months from delivery."
    assert warranty.sources[-1].kind == "edit" and "Bigger order" in warranty.sources[-1].excerpt
    # Untouched clauses keep their sources, with no edit.
    assert all(s.kind != "edit" for s in terms.clause("disputes").sources)
    changed = {(c["kind"], c["key"]) for c in terms_diff(before.parsed, terms)}
    assert {("field", "line:1"), ("clause", "price"), ("clause", "payment"), ("clause", "warranty")} <= changed
    assert ("clause", "disputes") not in changed
    assert actions(contract)[-1] == "contract_proposed"


def test_a_diff_is_escaped_word_by_word(contract, buyer):
    version = services.contract_propose(
        contract=contract,
        actor=buyer,
        side="buyer",
        changes={"clauses": {"governing_law": "Governed by the law of <b>Germany</b>."}},
    )
    [change] = terms_diff(contract.versions.get(number=1).parsed, version.parsed)
    assert change["key"] == "governing_law" and change["kind"] == "clause"
    assert change["html"].endswith(" by the law of <del>Singapore.</del><ins>&lt;b&gt;Germany&lt;/b&gt;.</ins>")
    assert "<b>" not in change["html"]
    assert {"op": "insert", "text": "<b>Germany</b>."} in change["segments"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "changes"),
        ({"currency": "EUR"}, "changes"),
        ({"lines": [{"position": 9, "quantity": 10}]}, "lines"),
        ({"lines": [{"position": 1, "quantity": 0}]}, "lines"),
        ({"lines": [{"position": 1, "unit_price": "-3"}]}, "lines"),
        ({"lines": [{"position": 1, "unit_price": "4.123456"}]}, "lines"),
        ({"delivery_date": "tomorrow"}, "delivery_date"),
        ({"delivery_date": "2001-01-01"}, "delivery_date"),
        ({"milestones": [{"label": "All", "percent": "90", "evidence": "delivery"}]}, "milestones"),
        ({"milestones": [{"label": "All", "percent": "100", "evidence": "whenever"}]}, "milestones"),
        ({"clauses": {"price": "Everything is free."}}, "clauses"),
        ({"clauses": {"nonsense": "text"}}, "clauses"),
        ({"clauses": {"warranty": "  "}}, "clauses"),
    ],
)
def test_bad_proposals_are_refused_with_a_field_message(contract, buyer, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.contract_propose(contract=contract, actor=buyer, side="buyer", changes=changes)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert contract.versions.count() == 1 and actions(contract)[-1] == "contract_drafted"


def test_a_proposal_that_changes_nothing_is_refused(contract, buyer):
    same = latest(contract).parsed.clause("warranty").text
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.contract_propose(contract=contract, actor=buyer, side="buyer", changes={"clauses": {"warranty": same}})


def test_milestones_and_dates_can_be_proposed(contract, buyer):
    due = timezone.localdate() + timedelta(days=90)
    version = services.contract_propose(
        contract=contract,
        actor=buyer,
        side="buyer",
        changes={
            "delivery_date": due.isoformat(),
            "incoterm_place": "Shanghai",
            "milestones": [
                {"label": "Deposit", "percent": "20", "evidence": "production_start"},
                {"label": "After inspection", "percent": "80", "evidence": "inspection_report"},
            ],
        },
    )
    terms = version.parsed
    assert terms.delivery_date == due and terms.incoterm_place == "Shanghai"
    assert f"delivered by {due.isoformat()}" in terms.clause("delivery").text
    assert "FOB Shanghai" in terms.clause("incoterm").text
    assert "After inspection: 80%, 9,460.00 USD" in terms.clause("payment").text
    assert version.buyer_accepted_at is not None and version.supplier_accepted_at is None


def test_strangers_cannot_propose_accept_or_redraft(contract, seller_b, other_buyer, buyer):
    version = latest(contract)
    with pytest.raises(PermissionDenied):
        services.contract_propose(contract=contract, actor=other_buyer, side="buyer", changes={"incoterm_place": "X"})
    with pytest.raises(PermissionDenied):
        services.contract_propose(contract=contract, actor=seller_b, side="supplier", changes={"incoterm_place": "X"})
    with pytest.raises(PermissionDenied):  # the buyer is not the supplier
        services.contract_accept(contract=contract, version=version, actor=buyer, side="supplier", signatory="Anna")
    with pytest.raises(ValidationError):
        services.contract_accept(contract=contract, version=version, actor=buyer, side="operator", signatory="Anna")
    assert services.contract_side(contract=contract, user=seller_b) is None
    assert services.contract_side(contract=contract, user=buyer) == "buyer"
    assert contract.versions.count() == 1 and not DealEvent.objects.filter(action="contract_accepted").exists()


def test_both_sides_accepting_signs_the_contract_and_creates_one_order(contract, buyer, seller_a):
    version = latest(contract)
    half = services.contract_accept(
        contract=contract, version=version, actor=buyer, side="buyer", signatory="  Anna   Schmidt "
    )
    assert half.status == ContractStatus.NEGOTIATING and not Order.objects.exists()
    signed = services.contract_accept(
        contract=contract, version=version, actor=seller_a, side="supplier", signatory="Li Wei"
    )
    assert signed.status == ContractStatus.SIGNED and signed.signed_version_id == version.pk and signed.signed_at
    version.refresh_from_db()
    assert (version.buyer_signatory, version.supplier_signatory) == ("Anna Schmidt", "Li Wei")
    order = Order.objects.get(contract=contract)
    assert order.total == Decimal("11825.00") and order.currency == "USD" and order.version_id == version.pk
    assert [(m.percent, m.evidence) for m in order.milestones.all()] == [
        (Decimal("30.00"), "production_start"),
        (Decimal("70.00"), "bill_of_lading"),
    ]
    # A repeated click, and any later change, change nothing.
    again = services.contract_accept(
        contract=contract, version=version, actor=seller_a, side="supplier", signatory="Li"
    )
    assert again.status == ContractStatus.SIGNED and Order.objects.count() == 1
    with pytest.raises(ValidationError, match="signed"):
        services.contract_propose(contract=contract, actor=buyer, side="buyer", changes={"incoterm_place": "Xiamen"})
    assert actions(contract).count("contract_signed") == 1 and actions(contract).count("contract_accepted") == 2


def test_a_proposal_is_its_authors_agreement_but_signing_takes_both_typed_names(contract, buyer, seller_a):
    version = services.contract_propose(
        contract=contract, actor=seller_a, side="supplier", changes={"incoterm_place": "Ningbo port"}
    )
    half = services.contract_accept(contract=contract, version=version, actor=buyer, side="buyer", signatory="Anna")
    assert half.status == ContractStatus.NEGOTIATING and not Order.objects.exists()
    agreed_at = ContractVersion.objects.get(pk=version.pk).supplier_accepted_at
    signed = services.contract_accept(
        contract=contract, version=version, actor=seller_a, side="supplier", signatory="Li Wei"
    )
    assert signed.status == ContractStatus.SIGNED and signed.signed_version_id == version.pk
    version.refresh_from_db()
    assert version.supplier_accepted_at == agreed_at  # agreeing was the proposal; the name is the signature
    assert Order.objects.get(contract=contract).version_id == version.pk


def test_only_the_latest_version_can_be_accepted_and_a_name_is_required(contract, buyer, seller_a):
    first = latest(contract)
    with pytest.raises(ValidationError) as caught:
        services.contract_accept(contract=contract, version=first, actor=buyer, side="buyer", signatory=" ")
    assert "signatory" in caught.value.message_dict
    services.contract_propose(
        contract=contract, actor=seller_a, side="supplier", changes={"incoterm_place": "Shanghai"}
    )
    with pytest.raises(ValidationError, match="no longer the latest"):
        services.contract_accept(contract=contract, version=first, actor=buyer, side="buyer", signatory="Anna")
    first.refresh_from_db()
    assert first.buyer_accepted_at is None


def test_nothing_can_be_proposed_or_accepted_while_drafting(open_contract, buyer):
    with pytest.raises(ValidationError, match="not drafted yet"):
        services.contract_propose(contract=open_contract, actor=buyer, side="buyer", changes={"incoterm_place": "X"})


def test_the_same_request_key_acts_once(contract, buyer):
    first = services.contract_propose(
        contract=contract, actor=buyer, side="buyer", changes={"incoterm_place": "Xiamen"}, idempotency_key="k-1"
    )
    again = services.contract_propose(
        contract=contract, actor=buyer, side="buyer", changes={"incoterm_place": "Xiamen"}, idempotency_key="k-1"
    )
    assert again.pk == first.pk and contract.versions.count() == 2
    with pytest.raises(ValidationError) as caught:
        services.contract_accept(
            contract=contract, version=first, actor=buyer, side="buyer", signatory="Anna", idempotency_key="k-1"
        )
    assert "idempotency_key" in caught.value.message_dict


def test_any_member_of_the_supplier_acts_for_it(contract, supplier_a, buyer):
    colleague = MembershipFactory(supplier=supplier_a, role="staff").user
    assert services.contract_side(contract=contract, user=colleague) == "supplier"
    signed = sign_both(contract, buyer, colleague)
    assert signed.status == ContractStatus.SIGNED


def test_a_contract_is_opened_only_for_an_accepted_quote(contract):
    from sourcing.models import Quote, QuoteStatus

    Contract.objects.filter(pk=contract.pk).delete()
    Quote.objects.filter(pk=contract.quote_id).update(status=QuoteStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="accepted quote"):
        services.contract_open(quote=Quote.objects.get(pk=contract.quote_id))


@pytest.mark.django_db(transaction=True)
def test_both_sides_accepting_at_once_give_one_signature_and_one_order(make_accepted_quote, buyer, seller_a, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks and concurrent writers")
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "offline", ""
    quote = make_accepted_quote()
    contract = Contract.objects.get(quote=quote)
    services.contract_draft(contract_id=contract.pk)
    version = latest(contract)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def accept(actor, side, name):
        try:
            barrier.wait(timeout=10)
            result = services.contract_accept(
                contract=contract, version=version, actor=actor, side=side, signatory=name
            )
            outcomes.append(result.status)
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(buyer, "buyer", "Anna Schmidt")),
        threading.Thread(target=accept, args=(seller_a, "supplier", "Li Wei")),
        threading.Thread(target=accept, args=(seller_a, "supplier", "Li Wei")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 3, outcomes
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert Order.objects.filter(contract=contract).count() == 1
    assert DealEvent.objects.filter(contract=contract, action="contract_signed").count() == 1
    assert DealEvent.objects.filter(contract=contract, action="contract_accepted").count() == 2


def test_a_buyer_of_another_contract_sees_no_side(contract):
    assert services.contract_side(contract=contract, user=BuyerFactory()) is None


def test_the_contract_is_worded_in_one_language_whoever_drafts_or_edits_it(open_contract, seller_a):
    from django.utils import translation

    with translation.override("zh-hans"):  # a Chinese-speaking seller's request runs the draft (eager Celery)
        services.contract_draft(contract_id=open_contract.pk)
    terms = open_contract.versions.get().parsed
    assert terms.clause("price").title == "Price" and "Total price" in terms.clause("price").text
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.contract_propose(
            contract=open_contract, actor=seller_a, side=Side.SUPPLIER, changes={"lines": [{"position": 9}]}
        )
    assert "9" in caught.value.message_dict["lines"][0] and "Line" not in caught.value.message_dict["lines"][0]
    with translation.override("zh-hans"):
        version = services.contract_propose(
            contract=open_contract,
            actor=seller_a,
            side=Side.SUPPLIER,
            changes={"lines": [{"position": 1, "quantity": 2500}]},
            note="更大的数量",
        )
    price = version.parsed.clause("price")
    assert "2,500" in price.text and price.sources[-1].label == "Changed by the Supplier in version 2"
