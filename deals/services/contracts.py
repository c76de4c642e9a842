"""Contracts: opened when a quote is accepted, drafted by the AI task, negotiated in versions, signed by both sides.

Every function takes keyword arguments, writes in one transaction and records a DealEvent. Locks are taken in one
order, always: the contract row, then its versions. The AI runs outside any transaction and lock (see ai.calls),
and its result is written only if the contract is still waiting for it. Tasks are imported inside the services that
queue them, because deals.tasks imports this module.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from ai.exceptions import AIError
from sourcing.models import FreightRate, Quote, QuoteLine, QuoteStatus
from sourcing.reference import destination_keys

from ..ai import DraftContext, RequirementAnswer, clean_context, draft_contract
from ..contract_terms import DELIVERED_AT_DESTINATION, quote_basis, terms_hash, terms_json, terms_reword, with_source
from ..models import Contract, ContractStatus, ContractVersion, Side
from ..schema import WORDED_FROM_TERMS, ContractTerms, Source
from .audit import event_record, idempotency_claim
from .orders import is_supplier_member

PARTY_SIDES = (Side.BUYER, Side.SUPPLIER)
CHANGE_KEYS = {"clauses", "lines", "delivery_date", "incoterm_place", "milestones"}
MAX_QUANTITY = 100_000_000


# --- who is acting ----------------------------------------------------------------------------------------------


def contract_side(*, contract: Contract, user) -> str | None:
    """The side `user` acts for on this contract: "buyer", "supplier", or None for anyone else."""
    if user is None or not user.is_authenticated:
        return None
    if user.pk == contract.buyer_id:
        return Side.BUYER
    if is_supplier_member(user, contract.supplier_id):
        return Side.SUPPLIER
    return None


def _check_side(contract: Contract, actor, side: str) -> None:
    if side not in PARTY_SIDES:
        raise ValidationError({"side": _("Act as the buyer or as the supplier.")})
    if side == Side.BUYER and (actor is None or contract.buyer_id != actor.pk):
        raise PermissionDenied(_("Only the buyer of this contract can do that."))
    if side == Side.SUPPLIER and not is_supplier_member(actor, contract.supplier_id):
        raise PermissionDenied(_("Only the supplier of this contract can do that."))


def _lock(contract: Contract) -> Contract:
    """The contract row first, always; its versions after it."""
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _latest_version(contract: Contract) -> ContractVersion | None:
    return ContractVersion.objects.select_for_update().filter(contract=contract).order_by("-number").first()


def _errors_from_pydantic(error: PydanticValidationError) -> ValidationError:
    by_field: dict[str, list[str]] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "__all__"
        where = " ".join(str(part) for part in item["loc"][1:])
        by_field.setdefault(field, []).append(f"{where}: {item['msg']}" if where else item["msg"])
    return ValidationError(by_field)


# --- opening and drafting ---------------------------------------------------------------------------------------


def contract_open(*, quote: Quote) -> Contract:
    """The contract of an accepted quote, drafted after the commit. Called inside quote_accept's transaction (the
    quote_accepted signal); a second call returns the same contract."""
    from ..tasks import contract_draft_task

    with transaction.atomic():
        existing = Contract.objects.filter(quote_id=quote.pk).first()
        if existing is not None:
            return existing
        quote = Quote.objects.select_related("rfq").get(pk=quote.pk)
        if quote.status != QuoteStatus.ACCEPTED:
            raise ValidationError(_("A contract is opened for an accepted quote only."))
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    quote=quote, buyer_id=quote.rfq.buyer_id, supplier_id=quote.supplier_id, title=quote.rfq.title[:200]
                )
        except IntegrityError:  # opened by a concurrent call between our check and insert
            return Contract.objects.get(quote_id=quote.pk)
        event_record(
            contract=contract, action="contract_opened", side=Side.SYSTEM, to_status=contract.status, quote=quote.pk
        )
        transaction.on_commit(lambda: contract_draft_task.delay(contract.pk))
    return contract


def _transit_days(quote: Quote) -> int | None:
    """Sea transit from the supplier's country to the destination, from the freight reference; only D-terms use it."""
    if quote.incoterm not in DELIVERED_AT_DESTINATION or not quote.rfq.destination_country:
        return None
    keys = destination_keys(quote.rfq.destination_country)
    rows = {
        row.destination: row.transit_days
        for row in FreightRate.objects.filter(origin_country=quote.supplier.country, destination__in=keys, mode="sea")
    }
    return next((rows[key] for key in keys if key in rows), None)


def contract_draft_context(*, contract: Contract) -> DraftContext:
    """What the draft is made of, read in a few queries; no lock is held while the AI runs on it."""
    quote = (
        Quote.objects.select_related("rfq__buyer__buyer_profile", "supplier")
        .prefetch_related(
            Prefetch("lines", QuoteLine.objects.select_related("rfq_line").prefetch_related("tiers")), "answers"
        )
        .get(pk=contract.quote_id)
    )
    answers = {a.key: a for a in quote.answers.all()}
    requirements = [
        RequirementAnswer(
            key=item["key"],
            label=item["label"][:300],
            answer=answers[item["key"]].answer if item["key"] in answers else "",
            note=answers[item["key"]].note if item["key"] in answers else "",
        )
        for item in quote.rfq.requirement_items()
    ]
    basis = quote_basis(
        quote,
        # Lead times count from the day the quote was accepted (the contract opened), however late the draft runs.
        today=timezone.localdate(contract.created_at),
        transit_days=_transit_days(quote),
        protection_days=getattr(settings, "DEALS_PROTECTION_DAYS", 30),
    )
    return DraftContext(
        contract_number=contract.number,
        basis=basis,
        requirements=requirements,
        quote_notes=quote.notes,
        decision_note=quote.decision_note,
        rfq_message=quote.rfq.message,
        rfq_id=quote.rfq_id,
    )


def contract_draft(*, contract_id: int, retries: int | None = None) -> Contract | None:
    """Write version 1 of a contract being drafted, from the AI task's result. Safe to run twice: a contract that is
    no longer drafting, or already has a version, is returned as it is.

    AI errors mark the contract failed with the reason (nothing else is written), except a transient one when the
    caller is the retry layer (`retries=0`, contract_draft_task): that one is raised so the task tries again."""
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return None  # deleted meanwhile
    if contract.status != ContractStatus.DRAFTING:
        return contract
    # Sentences addressed to the software are taken out here, so the provenance can list them.
    try:
        # One contract language, whoever's request or worker runs this: the text both sides sign.
        with translation.override(settings.DEALS_CONTRACT_LANGUAGE):
            context = clean_context(contract_draft_context(contract=contract))
            # Outside any transaction: the model may take a while, and its cost record must survive our rollback.
            result = draft_contract(context, retries=retries)
    except AIError as error:
        if error.transient and retries == 0:
            raise
        return contract_draft_fail(
            contract_id=contract_id,
            error=_("The contract could not be drafted: %(error)s You can try again.") % {"error": error},
        )
    provenance = result.provenance.as_dict()
    if context.removed_instructions:
        provenance["ignored_instructions"] = context.removed_instructions[:10]
    with transaction.atomic():
        contract = _lock(contract)
        if contract.status != ContractStatus.DRAFTING or contract.versions.exists():
            return contract  # another run wrote it first
        terms = terms_json(result.value)
        version = ContractVersion.objects.create(
            contract=contract,
            number=1,
            terms=terms,
            content_hash=terms_hash(terms),
            author_side=Side.PLATFORM,
            provenance=provenance,
        )
        before = contract.status
        contract.status, contract.error = ContractStatus.NEGOTIATING, ""
        contract.save(update_fields=["status", "error", "updated_at"])
        event_record(
            contract=contract,
            action="contract_drafted",
            side=Side.PLATFORM,
            from_status=before,
            to_status=contract.status,
            version=version.number,
            provider=provenance["provider"],
            model=provenance["model"],
            content_hash=version.content_hash,
        )
    return contract


def contract_draft_fail(*, contract_id: int, error: str) -> Contract | None:
    """Record why the draft could not be written; the parties see it and can ask for another try."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update().filter(pk=contract_id).first()
        if contract is None or contract.status != ContractStatus.DRAFTING:
            return contract
        contract.status, contract.error = ContractStatus.FAILED, str(error)[:2000]
        contract.save(update_fields=["status", "error", "updated_at"])
        event_record(
            contract=contract,
            action="contract_draft_failed",
            side=Side.SYSTEM,
            from_status=ContractStatus.DRAFTING,
            to_status=contract.status,
            error=contract.error[:300],
        )
    return contract


def contract_redraft(*, contract: Contract, actor) -> Contract:
    """Try the draft again after a failure; either party may ask."""
    from ..tasks import contract_draft_task

    with transaction.atomic():
        contract = _lock(contract)
        side = contract_side(contract=contract, user=actor)
        if side is None:
            raise PermissionDenied(_("Only the buyer or the supplier of this contract can do that."))
        if contract.status != ContractStatus.FAILED:
            raise ValidationError(_("Only a contract whose drafting failed can be drafted again."))
        contract.status, contract.error = ContractStatus.DRAFTING, ""
        contract.save(update_fields=["status", "error", "updated_at"])
        event_record(
            contract=contract,
            action="contract_redraft",
            side=side,
            actor=actor,
            from_status=ContractStatus.FAILED,
            to_status=contract.status,
        )
        transaction.on_commit(lambda: contract_draft_task.delay(contract.pk))
    return contract


# --- proposals --------------------------------------------------------------------------------------------------


def _quantity(value, position: int) -> int:
    try:
        quantity = int(str(value))
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(
            {
                "lines": _("Line %(n)d: the quantity must be a whole number from 1 to %(max)s.")
                % {"n": position, "max": f"{MAX_QUANTITY:,}"}
            }
        )
    return quantity


def _unit_price(value, position: int) -> Decimal:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        price = Decimal(0)
    if not price.is_finite() or price <= 0 or price >= Decimal("1e10") or price != price.quantize(Decimal("0.0001")):
        raise ValidationError(
            {"lines": _("Line %(n)d: enter a unit price above zero with at most four decimals.") % {"n": position}}
        )
    return price


def _delivery_date(value) -> date:
    parsed = value if isinstance(value, date) else parse_date(str(value or "").strip())
    if parsed is None:
        raise ValidationError({"delivery_date": _("Enter the delivery date as YYYY-MM-DD.")})
    if parsed <= timezone.localdate():
        raise ValidationError({"delivery_date": _("The delivery date must be after today.")})
    return parsed


def _proposed_terms(terms: ContractTerms, changes: dict, *, edit: Source) -> ContractTerms:
    """The latest terms with the changes applied, the commercial clauses worded again from the new numbers, and an
    edit source on every clause whose words changed. Raises ValidationError for anything a person must fix."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"changes": _("Nothing to change.")})
    unknown = set(changes) - CHANGE_KEYS
    if unknown:
        raise ValidationError(
            {"changes": _("These cannot be changed here: %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))}}
        )
    data: dict[str, Any] = terms.model_dump()
    if "lines" in changes:
        by_position = {line["position"]: line for line in data["lines"]}
        for change in changes["lines"] or []:
            try:
                position = int(change.get("position"))
            except (AttributeError, TypeError, ValueError):
                position = 0
            if position not in by_position:
                raise ValidationError({"lines": _("Line %(n)s is not in this contract.") % {"n": position}})
            if change.get("quantity") not in (None, ""):
                by_position[position]["quantity"] = _quantity(change["quantity"], position)
            if change.get("unit_price") not in (None, ""):
                by_position[position]["unit_price"] = _unit_price(change["unit_price"], position)
    if "delivery_date" in changes:
        data["delivery_date"] = _delivery_date(changes["delivery_date"])
    if "incoterm_place" in changes:
        place = str(changes["incoterm_place"] or "").strip()
        if len(place) > 100:
            raise ValidationError({"incoterm_place": _("Name the place in at most 100 characters.")})
        data["incoterm_place"] = place
    if "milestones" in changes:
        milestones = changes["milestones"]
        if not isinstance(milestones, list) or not milestones:
            raise ValidationError({"milestones": _("Give at least one payment milestone.")})
        data["milestones"] = milestones
    try:
        changed = ContractTerms.model_validate(data)
    except PydanticValidationError as error:
        raise _errors_from_pydantic(error) from None
    with translation.override(settings.DEALS_CONTRACT_LANGUAGE):  # the contract's words; errors stay the reader's
        changed = terms_reword(changed, edit_source=edit)

    texts = changes.get("clauses") or {}
    if not isinstance(texts, dict):
        raise ValidationError({"clauses": _("Send clause texts by clause key.")})
    clauses = []
    current = {clause.key for clause in changed.clauses}
    for key in texts:
        if key not in current:
            raise ValidationError({"clauses": _("This contract has no clause “%(key)s”.") % {"key": key}})
        if key in WORDED_FROM_TERMS:
            raise ValidationError(
                {
                    "clauses": _(
                        "The “%(key)s” clause is worded from the numbers; change the quantities, prices, dates or "
                        "milestones instead."
                    )
                    % {"key": key}
                }
            )
    for clause in changed.clauses:
        if clause.key in texts:
            text = str(texts[clause.key] or "").strip()
            if not text:
                raise ValidationError({"clauses": _("The “%(key)s” clause cannot be empty.") % {"key": clause.key}})
            if len(text) > 4000:
                raise ValidationError(
                    {"clauses": _("The “%(key)s” clause is longer than 4,000 characters.") % {"key": clause.key}}
                )
            if text != clause.text:
                clause = clause.model_copy(update={"text": text, "sources": with_source(clause.sources, edit)})
        clauses.append(clause)
    return ContractTerms.model_validate({**changed.model_dump(), "clauses": [c.model_dump() for c in clauses]})


def contract_propose(
    *,
    contract: Contract,
    actor,
    side: str,
    changes: dict,
    note: str = "",
    idempotency_key: str | None = None,
) -> ContractVersion:
    """A new version from one side's changes to the latest: free-clause texts by key, and the structured fields
    (per-line quantity and unit price, delivery date, Incoterm place, milestones). Proposing counts as the author's
    acceptance of the new version (without a signature); the other side accepts or proposes again."""
    _check_side(contract, actor, side)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Say what changed and why in at most 500 characters.")})
    with transaction.atomic():
        contract = _lock(contract)
        if not idempotency_claim(
            key=idempotency_key, actor=actor, action="contract_propose", target=f"contract:{contract.pk}"
        ):
            # The same request again: its version, not a second one.
            previous = contract.versions.filter(author=actor).order_by("-number").first()
            if previous is not None:
                return previous
        if contract.status == ContractStatus.SIGNED:
            raise ValidationError(_("This contract is signed; it can no longer be changed."))
        if contract.status != ContractStatus.NEGOTIATING:
            raise ValidationError(_("The contract is not drafted yet; there is nothing to change."))
        latest = _latest_version(contract)
        assert latest is not None  # negotiating means version 1 exists
        number = latest.number + 1
        with translation.override(settings.DEALS_CONTRACT_LANGUAGE):
            label = _("Changed by the %(side)s in version %(n)d") % {"side": Side(side).label, "n": number}
        edit = Source(kind="edit", ref=f"version:{number}", label=label[:300], excerpt=note[:1000])
        terms = _proposed_terms(latest.parsed, changes, edit=edit)
        content = terms_json(terms)
        content_hash = terms_hash(content)
        if content_hash == latest.content_hash:
            raise ValidationError({"changes": _("Nothing changed from version %(n)d.") % {"n": latest.number}})
        now = timezone.now()
        version = ContractVersion.objects.create(
            contract=contract,
            number=number,
            terms=content,
            content_hash=content_hash,
            author_side=side,
            author=actor,
            note=note,
            buyer_accepted_at=now if side == Side.BUYER else None,
            supplier_accepted_at=now if side == Side.SUPPLIER else None,
        )
        contract.save(update_fields=["updated_at"])
        event_record(
            contract=contract,
            action="contract_proposed",
            side=side,
            actor=actor,
            version=number,
            changed=sorted(changes),
            content_hash=content_hash,
        )
    return version


# --- acceptance and signature -----------------------------------------------------------------------------------


def contract_accept(
    *,
    contract: Contract,
    version: ContractVersion,
    actor,
    side: str,
    signatory: str,
    idempotency_key: str | None = None,
) -> Contract:
    """One side accepts the latest version and signs it with a typed full name. When both sides have accepted the
    same latest version, the contract is signed and its order created, in this transaction. Two accepts at once
    (a double click, both sides together) serialise on the contract row: one signature, one order."""
    from .orders import order_create_from_contract

    _check_side(contract, actor, side)
    signatory = " ".join((signatory or "").split())
    if len(signatory) < 2 or not any(ch.isalpha() for ch in signatory):
        raise ValidationError({"signatory": _("Type your full name to sign.")})
    if len(signatory) > 200:
        raise ValidationError({"signatory": _("The name is longer than 200 characters.")})
    with transaction.atomic():
        contract = _lock(contract)
        latest = _latest_version(contract)
        if latest is None or version.contract_id != contract.pk:
            raise ValidationError(_("The contract is not drafted yet; there is nothing to accept."))
        if not idempotency_claim(
            key=idempotency_key, actor=actor, action="contract_accept", target=f"contract_version:{version.pk}"
        ):
            return contract
        accepted_at, signed_by = f"{side}_accepted_at", f"{side}_signatory"
        if contract.status == ContractStatus.SIGNED:
            if contract.signed_version_id == version.pk and getattr(latest, signed_by):
                return contract  # already signed by this side: a repeated click changes nothing
            raise ValidationError(_("This contract is already signed."))
        if contract.status != ContractStatus.NEGOTIATING:
            raise ValidationError(_("The contract is not drafted yet; there is nothing to accept."))
        if version.pk != latest.pk:
            raise ValidationError(
                _("Version %(n)d is no longer the latest; read version %(latest)d and accept that one.")
                % {"n": version.number, "latest": latest.number}
            )
        if getattr(latest, signed_by):
            return contract  # this side already signed this version
        now = timezone.now()
        if getattr(latest, accepted_at) is None:
            setattr(latest, accepted_at, now)
        setattr(latest, signed_by, signatory)
        latest.save(update_fields=[accepted_at, signed_by])
        event_record(
            contract=contract,
            action="contract_accepted",
            side=side,
            actor=actor,
            version=latest.number,
            signatory=signatory,
            content_hash=latest.content_hash,
        )
        if latest.accepted_by_both:
            contract.status, contract.signed_version, contract.signed_at = ContractStatus.SIGNED, latest, now
            contract.save(update_fields=["status", "signed_version", "signed_at", "updated_at"])
            event_record(
                contract=contract,
                action="contract_signed",
                side=side,
                actor=actor,
                from_status=ContractStatus.NEGOTIATING,
                to_status=contract.status,
                version=latest.number,
                content_hash=latest.content_hash,
            )
            order_create_from_contract(contract=contract)
    return contract
