"""Every write of the sourcing flow: a buyer's request and its requirements, the plan, RFQs, quotes.

Views, the API, the admin and tasks all call these. Each raises django.core.exceptions.ValidationError with
a message a person can act on, and writes nothing when it does. AI calls happen outside transactions (see
ai.calls), so a model that thinks for a minute holds no lock. Tasks are imported inside the services that queue
them, because sourcing.tasks imports this module.
"""

from __future__ import annotations

import base64
import logging
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from ai.client import active_provider
from ai.exceptions import AIError
from ai.models import Provider
from conversations.models import Conversation, ConversationKind
from conversations.services import topic_message_send
from core.languages import base_language
from marketplace.models import Product, ProductStatus
from marketplace.signals import buyer_contacted_suppliers
from suppliers.models import Supplier

from . import matching, selectors
from .ai import extract_requirements
from .countries import country_name
from .extraction import extract_offline
from .models import (
    RFQ,
    Answer,
    AttachmentKind,
    PlanOption,
    PlanStatus,
    Quote,
    QuoteAnswer,
    QuoteLine,
    QuoteStatus,
    QuoteTier,
    RecipientStatus,
    RequestStatus,
    RequirementsSource,
    RequirementsVersion,
    RFQAttachment,
    RFQLine,
    RFQRecipient,
    RFQStatus,
    SourcingAttachment,
    SourcingPlan,
    SourcingRequest,
)
from .reference import rates_load
from .requirements import requirement_items, unit_words
from .schema import INCOTERMS_2020, MAX_QUANTITY, Requirements
from .signals import quote_accepted
from .spec_sheets import spec_sheet_requirements_text, spec_sheet_text

log = logging.getLogger(__name__)

MAX_REQUEST_CHARS = 20_000
MAX_ATTACHMENTS = 5
MAX_PHOTOS_ANALYSED = 3
# Leads are shared fairly: an RFQ reaches at most this many suppliers, chosen by fit (never by payment).
RFQ_MAX_RECIPIENTS = 10
RFQ_MAX_LINES = 50
# The error code of a currency with no exchange rate: the currencies Silkway can convert are data, not schema.
NO_EXCHANGE_RATE = "no_exchange_rate"
QUOTE_MAX_TIERS = 10
# Database ids are 64-bit: a larger number from a form is an unknown id, not an overflow error.
MAX_ID = 2**63 - 1
# A plan stuck in "running" longer than this was lost with its worker; a new request may take it over.
PLAN_LEASE = timedelta(minutes=10)


def _errors_from_pydantic(error: PydanticValidationError) -> ValidationError:
    """Field messages a form or the API can show, from pydantic's list."""
    by_field: dict[str, list[str]] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "__all__"
        by_field.setdefault(field, []).append(item["msg"])
    return ValidationError(by_field)


# --- requests and requirements ----------------------------------------------------------------------------------


def _extract(text: str, language: str | None, images: list[str]) -> tuple[Requirements, dict]:
    """Requirements from the configured provider; when a model fails, the offline rules still read the request
    (the provenance says so), because a buyer should never lose their request to an outage.

    A person is waiting for the page or the API answer: the model gets AI_REQUEST_TIMEOUT_SECONDS and one try (no
    retries, no backoff), so a rate-limited, failing, garbled or hanging server costs at most that long."""

    try:
        result = extract_requirements(
            text, language=language, images=images, retries=0, timeout=settings.AI_REQUEST_TIMEOUT_SECONDS
        )
        return result.value, result.provenance.as_dict()
    except AIError as error:
        log.warning("extract_requirements failed, using the offline rules: %s", error)
        value = extract_offline(text, language=language)
        return value, {"provider": "offline", "fallback_reason": str(error)[:300]}


def _data_url(uploaded) -> str:
    """An uploaded photo as a data URL for a vision model (the type from its content, checked on upload)."""
    from PIL import Image

    uploaded.seek(0)
    with Image.open(uploaded) as image:
        mime = Image.MIME.get(image.format or "", "image/jpeg")
    uploaded.seek(0)
    return f"data:{mime};base64,{base64.b64encode(uploaded.read()).decode()}"


def _read_attachments(files) -> list[tuple[Any, Any]]:
    """Validate and read every file first, so one bad file refuses the whole request before anything is saved."""

    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}})
    read = []
    for uploaded in files:
        try:
            read.append((uploaded, spec_sheet_text(uploaded)))
        except ValidationError as error:
            raise ValidationError(
                {
                    "attachments": [
                        ValidationError(f"{uploaded.name}: {m}", code=error.code or "invalid") for m in error.messages
                    ]
                }
            ) from error
    return read


def sourcing_request_create(*, buyer, text: str, language: str | None = None, files=()) -> SourcingRequest:
    """A buyer describes a need (and may attach spec sheets or photos); the requirements are read from it as
    version 1, for the buyer to review before a plan is computed."""

    text = (text or "").strip()
    if not text and not files:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("Describe what you need: the product, the quantity and where it goes."), code="empty"
                )
            }
        )
    if len(text) > MAX_REQUEST_CHARS:
        raise ValidationError(
            {
                "text": _("Keep the request under %(max)s characters (it has %(n)s); attach long specs as a file.")
                % {"max": f"{MAX_REQUEST_CHARS:,}", "n": f"{len(text):,}"}
            }
        )
    sheets = _read_attachments(files)
    readable = "\n".join([text, *[spec_sheet_requirements_text(sheet) for _f, sheet in sheets]]).strip()
    photos = [uploaded for uploaded, sheet in sheets if sheet.kind == AttachmentKind.IMAGE]
    # A configured model sees the photos (vision); the offline rules cannot, and the buyer is told so.
    sees_photos = active_provider() != Provider.OFFLINE
    images = [_data_url(photo) for photo in photos[:MAX_PHOTOS_ANALYSED]] if sees_photos else []
    requirements, provenance = _extract(readable, base_language(language) if language else None, images)
    unread = list(requirements.unread)
    for index, photo in enumerate(photos):
        if not images or index >= len(images) or provenance.get("fallback_reason"):
            unread.append(
                _("The photo %(name)s was not analysed; suppliers will see it with your RFQ.") % {"name": photo.name}
            )
    requirements = requirements.model_copy(update={"unread": unread[:50]})
    with transaction.atomic():
        request = SourcingRequest.objects.create(
            buyer=buyer,
            text=text,
            language=requirements.language,
            title=(requirements.product or text)[:200],
        )
        for uploaded, sheet in sheets:
            SourcingAttachment.objects.create(
                request=request,
                file=uploaded,
                original_name=uploaded.name[:255],
                kind=sheet.kind,
                extracted_text=sheet.text[:MAX_REQUEST_CHARS],
                note="; ".join(sheet.notes)[:300],
            )
        RequirementsVersion.objects.create(
            request=request,
            number=1,
            data=requirements.model_dump(mode="json"),
            source=RequirementsSource.EXTRACTED,
            provenance=provenance,
        )
    return request


def requirements_validate(data: dict) -> Requirements:
    """The buyer's edited requirements, checked against the schema and the reference data."""
    try:
        requirements = Requirements.model_validate(data)
    except PydanticValidationError as error:
        raise _errors_from_pydantic(error) from error
    errors: dict[str, str | ValidationError] = {}
    if requirements.currency and not rates_load().knows(requirements.currency):
        errors["currency"] = ValidationError(
            _("Silkway has no exchange rate for %(code)s; choose another currency.") % {"code": requirements.currency},
            code=NO_EXCHANGE_RATE,
        )
    if requirements.destination_country and not country_name(requirements.destination_country):
        errors["destination_country"] = _("%(code)s is not a country code (ISO 3166-1, e.g. DE).") % {
            "code": requirements.destination_country
        }
    low, high = requirements.min_operating_temp_c, requirements.max_operating_temp_c
    if low is not None and high is not None and low > high:
        errors["max_operating_temp_c"] = _("The highest temperature is below the lowest.")
    if errors:
        raise ValidationError(errors)
    return requirements


@transaction.atomic
def requirements_edit(*, request: SourcingRequest, data: dict, user) -> RequirementsVersion:
    """The buyer corrects or completes the requirements: a new version; earlier plans keep the one they used."""
    requirements = requirements_validate(data)
    request = SourcingRequest.objects.select_for_update().get(pk=request.pk)
    latest = request.requirement_versions.order_by("-number").first()
    if latest is not None and latest.data == requirements.model_dump(mode="json"):
        return latest  # nothing changed: no new version
    version = RequirementsVersion.objects.create(
        request=request,
        number=(latest.number if latest else 0) + 1,
        data=requirements.model_dump(mode="json"),
        source=RequirementsSource.EDITED,
        created_by=user,
    )
    if request.status != RequestStatus.PLANNING:
        request.status = RequestStatus.REVIEW
        request.save(update_fields=["status", "updated_at"])
    return version


# --- plans ------------------------------------------------------------------------------------------------------


def sourcing_plan_request(*, request: SourcingRequest) -> SourcingPlan:
    """Queue a plan for the latest requirements. Asking twice gives the same plan while it is queued or running,
    and the same finished plan while the requirements have not changed."""
    from .tasks import sourcing_plan_compute_task

    with transaction.atomic():
        request = SourcingRequest.objects.select_for_update().get(pk=request.pk)
        version = request.requirement_versions.order_by("-number").first()
        if version is None:
            raise ValidationError(_("This request has no requirements yet."))
        existing = (
            SourcingPlan.objects.filter(requirements=version)
            .exclude(status=PlanStatus.FAILED)
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            if _plan_lapsed(existing):
                # Its worker died or its message was lost: run it again (the lease lets the new run take over).
                transaction.on_commit(lambda: sourcing_plan_compute_task.delay(existing.pk))
            return existing
        plan = SourcingPlan.objects.create(request=request, requirements=version, status=PlanStatus.QUEUED)
        request.status = RequestStatus.PLANNING
        request.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda: sourcing_plan_compute_task.delay(plan.pk))
    plan.refresh_from_db()  # eager mode: the task has already run on commit
    return plan


def _plan_lapsed(plan: SourcingPlan) -> bool:
    cutoff = timezone.now() - PLAN_LEASE
    if plan.status == PlanStatus.QUEUED:
        return plan.created_at < cutoff
    return plan.status == PlanStatus.RUNNING and plan.started_at is not None and plan.started_at < cutoff


def sourcing_plan_sweep() -> int:
    """Beat: re-queue plans whose worker died or whose message was lost. Returns how many were re-queued."""
    from .tasks import sourcing_plan_compute_task

    lapsed = [
        plan.pk
        for plan in SourcingPlan.objects.filter(status__in=[PlanStatus.QUEUED, PlanStatus.RUNNING]).only(
            "pk", "status", "created_at", "started_at"
        )
        if _plan_lapsed(plan)
    ]
    for plan_id in lapsed:
        sourcing_plan_compute_task.delay(plan_id)
    return len(lapsed)


def _plan_progress(plan_id: int):
    def report(percent: int, note: str) -> None:
        SourcingPlan.objects.filter(pk=plan_id, status=PlanStatus.RUNNING).update(
            progress=max(0, min(99, int(percent))), progress_note=str(note)[:200]
        )

    return report


def sourcing_plan_compute(*, plan_id: int) -> SourcingPlan | None:
    """The task's work: take the plan (or a lapsed lease on it), compute, store the result in one transaction.
    Runs twice safely: a done plan is returned as it is. A failure leaves nothing half-written and says why."""
    now = timezone.now()
    taken = (
        SourcingPlan.objects.filter(pk=plan_id)
        .filter(status__in=[PlanStatus.QUEUED, PlanStatus.RUNNING])
        .exclude(status=PlanStatus.RUNNING, started_at__gt=now - PLAN_LEASE)
        .update(status=PlanStatus.RUNNING, started_at=now, progress=1, progress_note=_("Reading the requirements"))
    )
    plan = SourcingPlan.objects.select_related("request", "requirements").filter(pk=plan_id).first()
    if plan is None or not taken:
        return plan  # gone, finished, or another worker holds a live lease
    buyer_profile = getattr(plan.request.buyer, "buyer_profile", None)
    requirements = Requirements.model_validate(plan.requirements.data)
    # The plan's sentences (evidence, risks, questions, summary) are stored in the language its buyer reads.
    language = getattr(buyer_profile, "preferred_language", None) or plan.request.language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            built = matching.plan_build(
                requirements,
                buyer_country=getattr(buyer_profile, "country", None),
                progress=_plan_progress(plan_id),
            )
            result = built.as_dict()
    except OperationalError:
        # The database went away: hand the plan back so the task's retry can take it again at once.
        SourcingPlan.objects.filter(pk=plan_id, status=PlanStatus.RUNNING).update(status=PlanStatus.QUEUED)
        raise
    except Exception as error:
        # A bug or bad data, not a passing fault: retrying would fail the same way. Record it for the buyer, log
        # the traceback for us, and keep the page (or the eager task in the embedded default) from failing.
        log.exception("Plan %s could not be computed", plan_id)
        sourcing_plan_fail(
            plan_id=plan_id,
            error=_(
                "The plan could not be computed (%(kind)s); nothing was saved. Try again, or edit the requirements."
            )
            % {"kind": type(error).__name__},
        )
        return SourcingPlan.objects.get(pk=plan_id)
    with transaction.atomic():
        plan = SourcingPlan.objects.select_for_update().get(pk=plan_id)
        if plan.status != PlanStatus.RUNNING:
            return plan
        PlanOption.objects.bulk_create(
            PlanOption(plan=plan, supplier_id=supplier_id, product_id=product_id, rank=rank, score=score)
            for supplier_id, product_id, rank, score in built.option_rows()
        )
        plan.inputs = {
            "requirements_version": plan.requirements.number,
            "requirements": plan.requirements.data,
            "buyer_country": getattr(buyer_profile, "country", None),
            "buyer_currency": getattr(buyer_profile, "preferred_currency", None),
            "query": result.get("query", {}),
            "reference": result.get("reference", {}),
        }
        plan.result = result
        plan.summary = result.get("summary", "")
        plan.progress, plan.progress_note = 100, _("Done")
        plan.status = PlanStatus.DONE
        plan.finished_at = timezone.now()
        plan.save()
        SourcingRequest.objects.filter(pk=plan.request_id).update(
            status=RequestStatus.PLANNED, updated_at=timezone.now()
        )
    return plan


def sourcing_plan_fail(*, plan_id: int, error: str) -> None:
    """Record why a plan failed; the request goes back to review so the buyer can try again."""
    with transaction.atomic():
        updated = (
            SourcingPlan.objects.filter(pk=plan_id)
            .exclude(status=PlanStatus.DONE)
            .update(status=PlanStatus.FAILED, error=error[:2000], finished_at=timezone.now())
        )
        if updated:
            plan = SourcingPlan.objects.get(pk=plan_id)
            SourcingRequest.objects.filter(pk=plan.request_id).update(
                status=RequestStatus.FAILED, updated_at=timezone.now()
            )


# --- RFQs -------------------------------------------------------------------------------------------------------


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1e10"):
        raise ValidationError({field: _("Enter an amount above zero.")})
    return number


def _clean_lines(lines: list[dict]) -> list[dict]:
    if not lines:
        raise ValidationError({"lines": _("Add at least one product line.")})
    if len(lines) > RFQ_MAX_LINES:
        raise ValidationError({"lines": _("An RFQ has at most %(n)d lines.") % {"n": RFQ_MAX_LINES}})
    cleaned = []
    for index, line in enumerate(lines, start=1):
        name = str(line.get("product_name") or "").strip()
        if not name:
            raise ValidationError({"lines": _("Line %(n)d: name the product.") % {"n": index}})
        try:
            quantity = int(line.get("quantity") or 0)
        except (TypeError, ValueError):
            quantity = 0
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValidationError(
                {
                    "lines": _("Line %(n)d: the quantity must be between 1 and %(max)s.")
                    % {"n": index, "max": f"{MAX_QUANTITY:,}"}
                }
            )
        specs = [
            {"name": str(s.get("name", "")).strip()[:80], "value": str(s.get("value", "")).strip()[:200]}
            for s in (line.get("specs") or [])
            if isinstance(s, dict) and str(s.get("name", "")).strip() and str(s.get("value", "")).strip()
        ][:30]
        reference = line.get("reference_product_id")
        if reference is not None and not (
            isinstance(reference, int)
            and 1 <= reference <= MAX_ID
            and Product.objects.filter(pk=reference, status=ProductStatus.PUBLISHED).exists()
        ):
            raise ValidationError({"lines": _("Line %(n)d: no published product has this id.") % {"n": index}})
        cleaned.append(
            {
                "position": index,
                "product_name": name[:200],
                "reference_product_id": line.get("reference_product_id"),
                "specs": specs,
                "quantity": quantity,
                "unit": (str(line.get("unit") or "piece").strip() or "piece")[:20],
                "target_unit_price": _decimal(line.get("target_unit_price"), "lines"),
            }
        )
    return cleaned


@transaction.atomic
def rfq_create(
    *,
    buyer,
    title: str,
    lines: list[dict],
    quote_deadline: date,
    currency: str = "USD",
    incoterm: str = "",
    incoterm_place: str = "",
    destination_country: str = "",
    message: str = "",
    requirements: list[dict] | None = None,
    sourcing_request: SourcingRequest | None = None,
    plan: SourcingPlan | None = None,
    drafted_by_agent: str = "",
) -> RFQ:
    """A draft RFQ: spec-first lines and terms. Nothing reaches a supplier until `rfq_send`. An RFQ a buyer's AI
    assistant drafted names it (`drafted_by_agent`), for the suppliers who receive it."""
    errors: dict[str, str | ValidationError] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the RFQ a title.")
    currency = (currency or "").upper()
    if not rates_load().knows(currency):
        errors["currency"] = ValidationError(
            _("Choose a currency Silkway has an exchange rate for."), code=NO_EXCHANGE_RATE
        )
    if incoterm and incoterm not in INCOTERMS_2020:
        errors["incoterm"] = _("Choose an Incoterms 2020 rule (EXW, FOB, CIF, DAP, DDP, ...).")
    destination_country = (destination_country or "").upper()
    if destination_country and not country_name(destination_country):
        errors["destination_country"] = _("Enter the destination as an ISO country code, e.g. DE.")
    if quote_deadline is None or quote_deadline <= timezone.localdate():
        errors["quote_deadline"] = ValidationError(
            _("The quote deadline must be after today."), code="date_out_of_range"
        )
    elif quote_deadline > timezone.localdate() + timedelta(days=180):
        errors["quote_deadline"] = ValidationError(
            _("Give suppliers at most 180 days to quote."), code="date_out_of_range"
        )
    if errors:
        raise ValidationError(errors)
    for owned in (sourcing_request, plan.request if plan else None):
        if owned is not None and owned.buyer_id != buyer.pk:
            raise ValidationError(_("That sourcing request is not yours."))
    cleaned = _clean_lines(lines)
    source = sourcing_request or (plan.request if plan else None)
    if requirements is None and source is not None:
        # Suppliers answer the buyer's requirements: the plan's version, else the request's latest.
        version = plan.requirements if plan else source.requirement_versions.order_by("-number").first()
        requirements = requirement_items(Requirements.model_validate(version.data)) if version else []
    rfq = RFQ.objects.create(
        buyer=buyer,
        sourcing_request=source,
        plan=plan,
        title=title[:200],
        message=(message or "").strip()[:5000],
        incoterm=incoterm,
        incoterm_place=(incoterm_place or "").strip()[:100],
        destination_country=destination_country,
        currency=currency,
        quote_deadline=quote_deadline,
        requirements=requirements or [],
        drafted_by_agent=drafted_by_agent[:255],
    )
    RFQLine.objects.bulk_create(RFQLine(rfq=rfq, **line) for line in cleaned)
    if source is not None:
        RFQAttachment.objects.bulk_create(
            RFQAttachment(rfq=rfq, source=attachment) for attachment in source.attachments.all()
        )
    return rfq


def rfq_draft_from_plan(
    *, plan: SourcingPlan, buyer, message: str = "", quote_deadline: date | None = None, drafted_by_agent: str = ""
) -> RFQ:
    """A draft RFQ filled from the plan's requirements: one line, the terms, the requirements to answer. The message
    to suppliers is the buyer's request unless one is given; quotes are due in a week unless a date is given."""
    if plan.request.buyer_id != buyer.pk:
        raise ValidationError(_("That plan is not yours."))
    if plan.status != PlanStatus.DONE:
        raise ValidationError(_("The plan is not ready yet."))
    requirements = Requirements.model_validate(plan.requirements.data)
    best = plan.options.select_related("product").order_by("rank").first()
    return rfq_create(
        buyer=buyer,
        plan=plan,
        title=(requirements.product or plan.request.title or _("Request for quotation"))[:200],
        lines=[
            {
                "product_name": requirements.product or plan.request.title,
                "reference_product_id": best.product_id if best else None,
                "quantity": requirements.quantity or 1,
                "unit": requirements.quantity_unit or "piece",
                "target_unit_price": requirements.target_unit_price,
                "specs": [],
            }
        ],
        quote_deadline=quote_deadline or timezone.localdate() + timedelta(days=7),
        currency=requirements.currency or "USD",
        incoterm=requirements.incoterm or "",
        incoterm_place=requirements.incoterm_place or requirements.destination_place or "",
        destination_country=requirements.destination_country or "",
        message=(message or plan.request.text)[:5000],
        requirements=requirement_items(requirements),
        drafted_by_agent=drafted_by_agent,
    )


def rfq_send(*, rfq: RFQ, buyer, supplier_ids: list[int] | None = None, broadcast: bool = False) -> RFQ:
    """Send a draft RFQ to chosen suppliers, or broadcast it to the plan's best matches, capped at
    RFQ_MAX_RECIPIENTS. Suppliers are told by e-mail after the commit."""
    from .tasks import rfq_notify_recipients_task

    with transaction.atomic():
        rfq = RFQ.objects.select_for_update().get(pk=rfq.pk)
        if rfq.buyer_id != buyer.pk:
            raise ValidationError(_("That RFQ is not yours."))
        if rfq.status != RFQStatus.DRAFT:
            raise ValidationError(_("This RFQ was already sent."))
        if rfq.quote_deadline <= timezone.localdate():
            raise ValidationError({"quote_deadline": _("The quote deadline has passed; set a new one first.")})
        chosen = list(dict.fromkeys(int(pk) for pk in (supplier_ids or [])))
        if any(not 1 <= pk <= MAX_ID for pk in chosen):
            raise ValidationError({"suppliers": _("Unknown supplier.")})
        if broadcast and not chosen:
            chosen = selectors.plan_best_supplier_ids(plan_id=rfq.plan_id, limit=RFQ_MAX_RECIPIENTS)
        if not chosen:
            raise ValidationError({"suppliers": _("Choose at least one supplier, or send to the best matches.")})
        if len(chosen) > RFQ_MAX_RECIPIENTS:
            raise ValidationError(
                {"suppliers": _("An RFQ goes to at most %(n)d suppliers.") % {"n": RFQ_MAX_RECIPIENTS}}
            )
        suppliers = Supplier.objects.in_bulk(chosen)
        missing = [pk for pk in chosen if pk not in suppliers]
        if missing:
            raise ValidationError(
                {"suppliers": _("Unknown supplier: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
            )
        own = getattr(getattr(buyer, "supplier_membership", None), "supplier_id", None)
        if own in suppliers:
            raise ValidationError({"suppliers": _("You cannot send an RFQ to your own company.")})
        ranks = {}
        if rfq.plan_id:
            ranks = {o.supplier_id: o for o in PlanOption.objects.filter(plan_id=rfq.plan_id, supplier_id__in=chosen)}
        now = timezone.now()
        RFQRecipient.objects.bulk_create(
            RFQRecipient(
                rfq=rfq,
                supplier_id=pk,
                invited_at=now,
                fit_score=ranks[pk].score if pk in ranks else None,
                reason=(
                    _("Rank %(rank)d of %(n)d in the sourcing plan") % {"rank": ranks[pk].rank, "n": len(ranks)}
                    if pk in ranks
                    else _("Chosen by the buyer")
                ),
            )
            for pk in chosen
        )
        rfq.status, rfq.sent_at = RFQStatus.SENT, now
        rfq.save(update_fields=["status", "sent_at", "updated_at"])
        buyer_contacted_suppliers.send(
            sender=RFQ,
            buyer=buyer,
            supplier_ids=chosen,
            product_ids=[pk for pk in rfq.lines.values_list("reference_product_id", flat=True) if pk],
            kind="rfq",
            reference=rfq.pk,
            at=now,
        )
        transaction.on_commit(lambda: rfq_notify_recipients_task.delay(rfq.pk))
    return rfq


@transaction.atomic
def rfq_cancel(*, rfq: RFQ, buyer) -> RFQ:
    rfq = RFQ.objects.select_for_update().get(pk=rfq.pk)
    if rfq.buyer_id != buyer.pk:
        raise ValidationError(_("That RFQ is not yours."))
    if rfq.status in (RFQStatus.CLOSED, RFQStatus.CANCELLED):
        raise ValidationError(_("This RFQ is already closed."))
    rfq.status = RFQStatus.CANCELLED
    rfq.save(update_fields=["status", "updated_at"])
    return rfq


def rfq_recipient_mark_viewed(*, recipient: RFQRecipient) -> None:
    """The supplier opened the RFQ (the buyer sees it as "viewed"); only the first view counts."""
    RFQRecipient.objects.filter(pk=recipient.pk, status=RecipientStatus.INVITED).update(
        status=RecipientStatus.VIEWED, viewed_at=timezone.now()
    )


@transaction.atomic
def rfq_decline(*, recipient: RFQRecipient, reason: str) -> RFQRecipient:
    """The supplier says it will not quote: the buyer sees a decline, not a silence."""
    recipient = RFQRecipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.status == RecipientStatus.QUOTED:
        raise ValidationError(_("You already quoted; withdraw the quote instead."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Tell the buyer why, in a few words.")})
    recipient.status, recipient.decline_reason = RecipientStatus.DECLINED, reason[:300]
    recipient.save(update_fields=["status", "decline_reason"])
    return recipient


# --- quotes -----------------------------------------------------------------------------------------------------


def _clean_tiers(tiers: list[dict], *, line_number: int) -> list[tuple[int, Decimal]]:
    if not tiers:
        raise ValidationError({"lines": _("Line %(n)d: give at least one price.") % {"n": line_number}})
    if len(tiers) > QUOTE_MAX_TIERS:
        raise ValidationError(
            {"lines": _("Line %(n)d: at most %(max)d price tiers.") % {"n": line_number, "max": QUOTE_MAX_TIERS}}
        )
    cleaned = []
    for tier in tiers:
        try:
            quantity = int(tier.get("min_quantity") or 0)
        except (TypeError, ValueError):
            quantity = 0
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValidationError(
                {"lines": _("Line %(n)d: each tier needs a quantity of at least 1.") % {"n": line_number}}
            )
        price = _decimal(tier.get("unit_price"), "lines")
        if price is None:
            raise ValidationError({"lines": _("Line %(n)d: each tier needs a unit price.") % {"n": line_number}})
        cleaned.append((quantity, price))
    quantities = [q for q, _p in cleaned]
    if quantities != sorted(quantities) or len(set(quantities)) != len(quantities):
        raise ValidationError(
            {
                "lines": _("Line %(n)d: list tiers from the smallest quantity up, each quantity once.")
                % {"n": line_number}
            }
        )
    prices = [p for _q, p in cleaned]
    if any(later > earlier for earlier, later in zip(prices, prices[1:], strict=False)):
        raise ValidationError(
            {"lines": _("Line %(n)d: a larger quantity cannot cost more per unit.") % {"n": line_number}}
        )
    return cleaned


def quote_submit(
    *,
    recipient: RFQRecipient,
    currency: str,
    incoterm: str,
    lead_time_days: int,
    payment_terms: str,
    valid_until: date,
    lines: list[dict],
    answers: list[dict] | None = None,
    incoterm_place: str = "",
    samples_available: bool = False,
    sample_price=None,
    notes: str = "",
) -> Quote:
    """A supplier answers an RFQ it received. While the buyer has not decided, submitting again revises the
    quote (its lines and answers are replaced). The recipient row is the proof the RFQ was sent to this supplier."""
    from .tasks import quote_notify_buyer_task

    errors: dict[str, str | ValidationError] = {}
    currency = (currency or "").upper()
    if not rates_load().knows(currency):
        errors["currency"] = ValidationError(
            _("Choose a currency Silkway has an exchange rate for."), code=NO_EXCHANGE_RATE
        )
    if incoterm not in INCOTERMS_2020:
        errors["incoterm"] = _("Choose an Incoterms 2020 rule.")
    try:
        lead_time_days = int(lead_time_days)
    except (TypeError, ValueError):
        lead_time_days = 0
    if not 1 <= lead_time_days <= 730:
        errors["lead_time_days"] = _("Lead time must be between 1 and 730 days.")
    payment_terms = (payment_terms or "").strip()
    if not payment_terms:
        errors["payment_terms"] = _("State the payment terms, e.g. T/T 30% deposit, 70% against B/L copy.")
    if valid_until is None or valid_until < timezone.localdate():
        errors["valid_until"] = _("A quote must be valid until today or later.")
    if errors:
        raise ValidationError(errors)
    sample_price = _decimal(sample_price, "sample_price") if samples_available else None

    with transaction.atomic():
        recipient = RFQRecipient.objects.select_for_update().select_related("rfq").get(pk=recipient.pk)
        rfq = recipient.rfq
        if rfq.status != RFQStatus.SENT:
            raise ValidationError(_("This RFQ is closed to quotes."))
        if rfq.quote_deadline < timezone.localdate():
            raise ValidationError(_("Quotes were due by %(date)s.") % {"date": rfq.quote_deadline.isoformat()})
        if recipient.status == RecipientStatus.DECLINED:
            raise ValidationError(_("You declined this RFQ."))
        rfq_lines = {line.pk: line for line in rfq.lines.all()}
        by_line = {}
        for number, line in enumerate(lines or [], start=1):
            try:
                line_id = int(line.get("rfq_line") or 0)
            except (TypeError, ValueError):
                line_id = None
            if line_id not in rfq_lines or line_id in by_line:
                raise ValidationError({"lines": _("Line %(n)d does not match a line of this RFQ.") % {"n": number}})
            by_line[line_id] = (line, _clean_tiers(line.get("tiers") or [], line_number=number))
        if set(by_line) != set(rfq_lines):
            raise ValidationError({"lines": _("Quote every line of the RFQ.")})
        keys = {item["key"] for item in rfq.requirements}
        cleaned_answers = {}
        for item in answers or []:
            key, answer = str(item.get("key") or ""), item.get("answer")
            if key not in keys or answer not in Answer.values:
                raise ValidationError({"answers": _("Answer each requirement with meets, alternative or no.")})
            cleaned_answers[key] = (answer, str(item.get("note") or "").strip()[:300])
        if any(answer == Answer.ALTERNATIVE and not note for answer, note in cleaned_answers.values()):
            raise ValidationError({"answers": _("Describe the alternative you offer.")})

        quote = Quote.objects.filter(recipient=recipient).first()
        if quote is not None and quote.status not in (QuoteStatus.SUBMITTED, QuoteStatus.WITHDRAWN):
            raise ValidationError(_("The buyer has already decided on your quote; it can no longer be changed."))
        fields = {
            "currency": currency,
            "incoterm": incoterm,
            "incoterm_place": (incoterm_place or "").strip()[:100],
            "lead_time_days": lead_time_days,
            "payment_terms": payment_terms[:100],
            "valid_until": valid_until,
            "samples_available": bool(samples_available),
            "sample_price": sample_price,
            "notes": (notes or "").strip()[:5000],
            "status": QuoteStatus.SUBMITTED,
            "submitted_at": timezone.now(),
        }
        if quote is None:
            quote = Quote.objects.create(rfq=rfq, recipient=recipient, supplier_id=recipient.supplier_id, **fields)
        else:
            for name, value in fields.items():
                setattr(quote, name, value)
            quote.save()
            quote.lines.all().delete()
            quote.answers.all().delete()
        for line_id, (line, tiers) in by_line.items():
            quote_line = QuoteLine.objects.create(
                quote=quote,
                rfq_line_id=line_id,
                offered_product=str(line.get("offered_product") or "").strip()[:200],
                moq=max(1, int(line.get("moq") or tiers[0][0])),
            )
            QuoteTier.objects.bulk_create(
                QuoteTier(line=quote_line, min_quantity=quantity, unit_price=price) for quantity, price in tiers
            )
        QuoteAnswer.objects.bulk_create(
            QuoteAnswer(quote=quote, key=key, answer=answer, note=note)
            for key, (answer, note) in cleaned_answers.items()
        )
        recipient.status = RecipientStatus.QUOTED
        recipient.save(update_fields=["status"])
        transaction.on_commit(lambda: quote_notify_buyer_task.delay(quote.pk))
    return quote


@transaction.atomic
def quote_withdraw(*, quote: Quote) -> Quote:
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != QuoteStatus.SUBMITTED:
        raise ValidationError(_("Only a quote the buyer has not decided on can be withdrawn."))
    quote.status = QuoteStatus.WITHDRAWN
    quote.save(update_fields=["status"])
    return quote


def _buyer_quote(quote: Quote, buyer) -> Quote:
    """Lock the RFQ first, then the quote (always this order), and check the buyer owns it."""
    rfq = RFQ.objects.select_for_update().get(pk=quote.rfq_id)
    if rfq.buyer_id != buyer.pk:
        raise ValidationError(_("That quote is not for your RFQ."))
    return Quote.objects.select_for_update().select_related("rfq").get(pk=quote.pk)


@transaction.atomic
def quote_shortlist(*, quote: Quote, buyer) -> Quote:
    quote = _buyer_quote(quote, buyer)
    if quote.status not in (QuoteStatus.SUBMITTED, QuoteStatus.DECLINED):
        raise ValidationError(_("Only a submitted quote can be shortlisted."))
    quote.status, quote.decided_at = QuoteStatus.SHORTLISTED, timezone.now()
    quote.save(update_fields=["status", "decided_at"])
    return quote


@transaction.atomic
def quote_decline(*, quote: Quote, buyer, note: str = "") -> Quote:
    quote = _buyer_quote(quote, buyer)
    if quote.status not in (QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED):
        raise ValidationError(_("Only an open quote can be declined."))
    quote.status, quote.decided_at, quote.decision_note = QuoteStatus.DECLINED, timezone.now(), (note or "")[:300]
    quote.save(update_fields=["status", "decided_at", "decision_note"])
    return quote


def quote_accept(*, quote: Quote, buyer) -> Quote:
    """Accept one quote: the RFQ closes. A second acceptance (another tab, a double click, a race) is refused."""
    from .tasks import quote_notify_accepted_task

    try:
        with transaction.atomic():
            quote = _buyer_quote(quote, buyer)
            if quote.rfq.status != RFQStatus.SENT:
                raise ValidationError(_("This RFQ is closed: a quote was already accepted or the RFQ was cancelled."))
            if quote.status not in (QuoteStatus.SUBMITTED, QuoteStatus.SHORTLISTED):
                raise ValidationError(_("Only an open quote can be accepted."))
            if quote.valid_until < timezone.localdate():
                raise ValidationError(_("This quote expired on %(date)s.") % {"date": quote.valid_until.isoformat()})
            quote.status, quote.decided_at = QuoteStatus.ACCEPTED, timezone.now()
            quote.save(update_fields=["status", "decided_at"])
            RFQ.objects.filter(pk=quote.rfq_id).update(status=RFQStatus.CLOSED, updated_at=timezone.now())
            quote_accepted.send(sender=Quote, quote=quote, buyer=buyer)
            transaction.on_commit(lambda: quote_notify_accepted_task.delay(quote.pk))
    except IntegrityError as error:  # the one-accepted-quote constraint caught a race the lock did not
        raise ValidationError(_("Another quote on this RFQ was accepted first.")) from error
    return quote


# --- e-mail -----------------------------------------------------------------------------------------------------


def _send(subject: str, body: str, recipients: list[str]) -> int:
    from django.core.mail import send_mail

    recipients = [r for r in recipients if r]
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def rfq_notify_recipients(*, rfq_id: int) -> int:
    """E-mail each invited supplier's staff once: the RFQ's title, quantity and deadline, and where to answer."""
    rfq = RFQ.objects.filter(pk=rfq_id).prefetch_related("lines", "recipients__supplier__memberships__user").first()
    if rfq is None:
        return 0
    sent = 0
    lines = "; ".join(f"{line.quantity:,} {unit_words(line.unit)} {line.product_name}" for line in rfq.lines.all())
    for recipient in rfq.recipients.all():
        emails = [m.user.email for m in recipient.supplier.memberships.all()]
        sent += _send(
            _("New RFQ: %(title)s") % {"title": rfq.title},
            _(
                "A buyer invited %(supplier)s to quote.\n\n%(lines)s\nQuotes due by %(deadline)s.\n\n"
                "Answer in the seller centre: %(url)s"
            )
            % {
                "supplier": recipient.supplier.name,
                "lines": lines,
                "deadline": rfq.quote_deadline.isoformat(),
                "url": f"{settings.SITE_URL}/seller/sourcing/rfqrecipient/{recipient.pk}/change/",
            },
            emails,
        )
    return sent


def quote_notify_buyer(*, quote_id: int) -> int:
    quote = Quote.objects.select_related("rfq__buyer", "supplier").filter(pk=quote_id).first()
    if quote is None:
        return 0
    return _send(
        _("New quote on %(title)s") % {"title": quote.rfq.title},
        _("%(supplier)s quoted on your RFQ. Compare the quotes: %(url)s")
        % {"supplier": quote.supplier.name, "url": f"{settings.SITE_URL}/sourcing/rfqs/{quote.rfq_id}/"},
        [quote.rfq.buyer.email],
    )


def quote_notify_accepted(*, quote_id: int) -> int:
    quote = (
        Quote.objects.select_related("rfq", "supplier")
        .prefetch_related("supplier__memberships__user")
        .filter(pk=quote_id)
        .first()
    )
    if quote is None:
        return 0
    return _send(
        _("Your quote was accepted: %(title)s") % {"title": quote.rfq.title},
        _("The buyer accepted your quote on %(title)s. The contract step follows.") % {"title": quote.rfq.title},
        [m.user.email for m in quote.supplier.memberships.all()],
    )


def rfq_message_send(*, rfq: RFQ, buyer, supplier_id: int, body: str, attachment=None) -> Conversation:
    """The buyer writes to a supplier the RFQ went to (a question about its quote, a counter-offer), in their
    thread about the RFQ. Only the RFQ's buyer, only to its recipients."""
    if rfq.buyer_id != buyer.pk:
        raise ValidationError(_("You are not part of this conversation."), code="not_participant")
    recipient = RFQRecipient.objects.select_related("supplier").filter(rfq=rfq, supplier_id=supplier_id).first()
    if recipient is None:
        raise ValidationError({"supplier": _("This RFQ was not sent to that supplier.")}, code="not_recipient")
    return topic_message_send(
        buyer=buyer,
        supplier=recipient.supplier,
        kind=ConversationKind.RFQ,
        topic=rfq,
        subject=rfq.title,
        body=body,
        attachment=attachment,
    )
