"""AI listing optimization: the writes. Views, the admin, the command and the tasks all come through here.

The flow: a request creates a queued ListingSuggestion (at most one open per product); a task runs the optimizer
and stores the result as a pending suggestion with before/after quality; the seller applies fields, all at once or
one after another, and the suggestion stays open until they close it (or apply the last field). The product
changes only in `listing_suggestion_apply`, and only fields whose current value is still the one the suggestion
was made from: a seller's later edit is never overwritten. Applying a title or description queues a follow-up
suggestion (kind "translations") that re-translates it into the product's existing translation languages; the
translations change only when the seller applies that one too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ai.exceptions import AIError
from marketplace.models import PriceTier, Product, ProductAttribute, ProductImage, ProductTranslation, TranslationSource
from marketplace.quality import listing_quality
from marketplace.services import product_refresh_derived
from suppliers.models import Supplier

from .ai import optimize_listing
from .ai.assembly import render_description
from .ai.schema import ListingOptimization
from .models import (
    OPEN_SUGGESTION_STATUSES,
    BatchKind,
    ListingOptimizationBatch,
    ListingSuggestion,
    SuggestionKind,
    SuggestionStatus,
)
from .selectors import (
    ACTIVE_STATUSES,
    listing_batch_progress,
    listing_batch_stuck_list,
    listing_fingerprint,
    listing_input,
    listing_product_get,
    listing_snapshot,
    listing_suggestion_diff,
    listing_suggestion_stuck_list,
)

log = logging.getLogger(__name__)


def suggestion_lease() -> timedelta:
    """How long a worker holds a running suggestion (from its started_at). Twice the hard time limit: a worker still
    alive past it has been killed by Celery, so a redelivered or re-requested task may take the suggestion over."""
    return timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)


def _lease_expired(suggestion: ListingSuggestion, *, now=None) -> bool:
    """A running suggestion whose worker is gone, or a queued one whose message is lost (nothing sent it within
    the lease)."""
    cutoff = (now or timezone.now()) - suggestion_lease()
    if suggestion.status == SuggestionStatus.RUNNING:
        return suggestion.started_at is None or suggestion.started_at < cutoff
    if suggestion.status == SuggestionStatus.QUEUED:
        return (suggestion.dispatched_at or suggestion.created_at) < cutoff
    return False


def _quality(product: Product, *, title, description, keywords, attribute_count, translation_count):
    return listing_quality(
        title=title,
        description=description,
        keywords=keywords,
        attribute_count=attribute_count,
        tier_count=product.price_tiers.count(),
        image_count=product.images.count(),
        translation_count=translation_count,
        certification_count=product.certifications.count(),
    )


# --- requesting ----------------------------------------------------------------------------------------------------


def listing_suggestion_request(
    *, product: Product, requested_by=None, batch=None, dispatch: bool = True
) -> ListingSuggestion:
    """The open suggestion for this product, or a new queued one. Safe to call twice.

    An open suggestion is reused while the listing is unchanged; a pending one made for an older version of
    the listing is superseded.
    """
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)  # serialises requests per product
        fingerprint = listing_fingerprint(listing_snapshot(product=product))
        current = (
            ListingSuggestion.objects.select_for_update()
            .filter(product=product, kind=SuggestionKind.LISTING, status__in=OPEN_SUGGESTION_STATUSES)
            .first()
        )
        if current and (current.status != SuggestionStatus.PENDING or current.source_hash == fingerprint):
            if batch is not None and current.batch_id != batch.pk:
                current.batch = batch
                current.save(update_fields=["batch"])
            if _lease_expired(current):
                # Its worker was killed (or its message lost): start it again rather than hand back a stuck row.
                # Back to queued: sent now, or (in a run) left waiting for the run's dispatcher.
                current.status = SuggestionStatus.QUEUED
                current.dispatched_at = timezone.now() if dispatch else None
                current.save(update_fields=["status", "dispatched_at"])
                if dispatch:
                    from .tasks import listing_optimize_task

                    transaction.on_commit(lambda: listing_optimize_task.delay(current.pk))
            return current
        if current:
            # One the seller already applied part of keeps that on record as partially applied.
            current.status = (
                SuggestionStatus.PARTIALLY_APPLIED if current.applied_fields else SuggestionStatus.SUPERSEDED
            )
            current.save(update_fields=["status"])
        suggestion = ListingSuggestion.objects.create(
            product=product, batch=batch, requested_by=requested_by, source_hash=fingerprint
        )
        if dispatch:
            from .tasks import listing_optimize_task

            transaction.on_commit(lambda: listing_optimize_task.delay(suggestion.pk))
    return suggestion


def listing_batch_create(*, supplier: Supplier, products, kind: str, requested_by=None) -> ListingOptimizationBatch:
    """Queue an optimization run over `products` (only this supplier's are taken) and start dispatching it."""
    if kind not in BatchKind.values:
        raise ValidationError(_("Unknown kind of optimization run."))
    product_ids = list(
        Product.objects.filter(supplier=supplier, pk__in=[getattr(p, "pk", p) for p in products])
        .order_by("quality_score", "pk")
        .values_list("pk", flat=True)
    )
    if not product_ids:
        raise ValidationError(_("There are no products to optimize."))
    with transaction.atomic():
        batch = ListingOptimizationBatch.objects.create(supplier=supplier, kind=kind, requested_by=requested_by)
        for product_id in product_ids:
            listing_suggestion_request(
                product=Product(pk=product_id), requested_by=requested_by, batch=batch, dispatch=False
            )
        batch.total = batch.suggestions.count()
        batch.save(update_fields=["total"])
        from .tasks import listing_batch_dispatch_task

        transaction.on_commit(lambda: listing_batch_dispatch_task.delay(batch.pk))
    return batch


def listing_batch_dispatch(*, batch_id: int, poll_every: float | None = None) -> dict | None:
    """Send the next suggestions of a run to the workers, keeping at most AI_BATCH_CONCURRENCY in flight.

    Returns the progress, with `waiting` (not yet sent) and `in_flight`; None when the run is gone.
    A suggestion sent but not finished within its lease (twice the task time limit) is considered lost and sent
    again (the task is idempotent and takes over only an expired lease). `poll_every`: the task's interval, for
    collapsing duplicate poll chains (see `polling` in the result).
    """
    from .tasks import listing_optimize_task

    batch = ListingOptimizationBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return None
    now = timezone.now()
    # The poll's heartbeat, and one poll chain per run: when the sweeper re-sent a poll that was only late, the
    # chain that polls within half an interval of the other one stops (`polling` False) instead of doubling.
    claim = ListingOptimizationBatch.objects.filter(pk=batch_id)
    if poll_every is not None:
        claim = claim.filter(Q(polled_at__isnull=True) | Q(polled_at__lte=now - timedelta(seconds=poll_every / 2)))
    polling = bool(claim.update(polled_at=now))
    stale = now - timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    active = batch.suggestions.filter(status__in=ACTIVE_STATUSES)
    with transaction.atomic():
        in_flight = active.filter(dispatched_at__gt=stale).count()
        free = max(0, settings.AI_BATCH_CONCURRENCY - in_flight)
        # Queued and never sent or sent long ago (message lost), or running past its lease (worker killed).
        ids = list(
            active.filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=stale))
            .filter(
                Q(status=SuggestionStatus.QUEUED)
                | Q(status=SuggestionStatus.RUNNING, started_at__lt=now - suggestion_lease())
                | Q(status=SuggestionStatus.RUNNING, started_at__isnull=True)
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:free]
        )
        ListingSuggestion.objects.filter(pk__in=ids).update(dispatched_at=now)
    for suggestion_id in ids:
        listing_optimize_task.delay(suggestion_id)
    progress = {**listing_batch_progress(batch=batch), "sent": len(ids), "polling": polling}
    if not progress["waiting"] and not progress["in_flight"] and batch.finished_at is None:
        batch.finished_at = timezone.now()
        batch.save(update_fields=["finished_at"])
    return progress


# --- running -------------------------------------------------------------------------------------------------------


def listing_optimize(*, suggestion_id: int) -> ListingSuggestion | None:
    """Run the optimizer for a queued suggestion and store the result for review. Idempotent.

    AI errors: permanent ones mark the suggestion failed (with the reason) and are not raised; transient ones
    put it back in the queue and are raised, so the task retries. The product itself is never written here.
    """
    with transaction.atomic():
        suggestion = ListingSuggestion.objects.select_for_update().filter(pk=suggestion_id).first()
        if suggestion is None:
            return None
        if suggestion.status != SuggestionStatus.QUEUED and not (
            suggestion.status == SuggestionStatus.RUNNING and _lease_expired(suggestion)
        ):
            # Done, decided, or running under a live lease: a duplicate delivery changes nothing. A running one
            # whose lease expired lost its worker (killed): this delivery takes it over.
            return suggestion
        suggestion.status = SuggestionStatus.RUNNING
        suggestion.started_at = timezone.now()
        suggestion.attempts += 1
        suggestion.save(update_fields=["status", "started_at", "attempts"])

    product = listing_product_get(product_id=suggestion.product_id)
    if product is None:
        return None
    snapshot = listing_snapshot(product=product)
    if suggestion.kind == SuggestionKind.TRANSLATIONS:
        return _translate_follow_up(suggestion=suggestion, product=product, snapshot=snapshot)
    listing = listing_input(product=product)
    try:
        # Outside any transaction: the model may take a while, and its cost record must survive our rollback.
        # retries=0: the task (listings.tasks) is the one retry layer, with backoff between attempts.
        result = optimize_listing(
            listing, supplier_id=product.supplier_id, subject=f"marketplace.product:{product.pk}", retries=0
        )
    except AIError as error:
        if error.transient:
            # Back in the queue for the task's retry; dispatched now, so a run's poll and the sweeper see it alive.
            ListingSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.RUNNING).update(
                status=SuggestionStatus.QUEUED,
                error=_("Retrying after: %(error)s") % {"error": error},
                dispatched_at=timezone.now(),
            )
            raise
        return listing_suggestion_fail(suggestion_id=suggestion.pk, error=str(error))

    payload = suggestion_payload(
        result.value, snapshot, certifications=listing.certifications, language=product.language
    )
    before = _quality(
        product,
        title=product.title,
        description=product.description,
        keywords=product.keywords,
        attribute_count=len(snapshot["attributes"]),
        translation_count=len(snapshot["translations"]),
    )
    after_languages = set(snapshot["translations"]) | set(payload["translations"])
    after = _quality(
        product,
        title=payload["title"],
        description=payload["description"],
        keywords=payload["keywords"],
        attribute_count=len(payload["all_attributes"]),
        translation_count=len(after_languages),
    )
    provenance = result.provenance
    with transaction.atomic():
        suggestion = ListingSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.RUNNING:
            return suggestion  # superseded meanwhile
        suggestion.status = SuggestionStatus.PENDING
        suggestion.before = snapshot
        suggestion.source_hash = listing_fingerprint(snapshot)
        suggestion.payload = payload
        suggestion.score_before, suggestion.reasons_before = before.score, before.missing
        suggestion.score_after, suggestion.reasons_after = after.score, after.missing
        suggestion.provider, suggestion.model = provenance.provider, provenance.model
        suggestion.prompt_version = provenance.prompt_version
        suggestion.ai_call_id = provenance.call_id
        suggestion.error = ""
        suggestion.finished_at = timezone.now()
        suggestion.save()
    return suggestion


def listing_suggestion_fail(*, suggestion_id: int, error: str) -> ListingSuggestion | None:
    """Record why a suggestion could not be made; the listing stays as it is."""
    with transaction.atomic():
        suggestion = ListingSuggestion.objects.select_for_update().filter(pk=suggestion_id).first()
        if suggestion is None or suggestion.status not in (SuggestionStatus.QUEUED, SuggestionStatus.RUNNING):
            return suggestion
        suggestion.status = SuggestionStatus.FAILED
        suggestion.error = error[:2000]
        suggestion.finished_at = timezone.now()
        suggestion.save(update_fields=["status", "error", "finished_at"])
    return suggestion


def suggestion_payload(
    result: ListingOptimization, snapshot: dict, *, certifications: list[str], language: str
) -> dict:
    """What is stored for review: the product's fields as they would read after applying everything."""
    replaced = {a.replaces.lower() for a in result.attributes if a.replaces}
    all_attributes = [
        (a["name"], a["value"], a["unit"]) for a in snapshot["attributes"] if a["name"].lower() not in replaced
    ]
    all_attributes += [
        (a.name, a.value, a.unit)
        for a in result.attributes
        if a.replaces or a.name.lower() not in {n.lower() for n, _v, _u in all_attributes}
    ]
    return {
        "title": result.title,
        "description": render_description(result.description, all_attributes, certifications, language),
        "keywords": ", ".join(result.keywords),
        "attributes": [a.model_dump() for a in result.attributes],
        "all_attributes": [list(a) for a in all_attributes],
        "translations": {
            t.language: {"title": t.title, "description": t.description, "keywords": ", ".join(t.keywords)}
            for t in result.translations
        },
        "flags": result.flags,
    }


# --- reviewing -----------------------------------------------------------------------------------------------------


@dataclass
class ApplyResult:
    applied: list[str]
    skipped: list[tuple[str, str]]  # (field key, why)
    follow_up: ListingSuggestion | None = None  # the queued re-translation of an applied title/description


def listing_suggestion_apply(*, suggestion: ListingSuggestion, fields: list[str], user=None) -> ApplyResult:
    """Copy the chosen fields of a pending suggestion onto the product.

    The suggestion stays open for the fields not applied yet, until the seller closes it or applies the last one.
    A field is skipped, with the reason, when the seller has changed it since the suggestion was made, or when it
    was applied already. Applying a title or description queues the translation follow-up.
    """
    available = [row.key for row in listing_suggestion_diff(suggestion=suggestion)]
    fields = list(dict.fromkeys(fields))
    if not fields:
        raise ValidationError(_("Choose at least one field to apply."), code="no_fields")
    unknown = [key for key in fields if key not in available]
    if unknown:
        raise ValidationError(
            _("This suggestion has no field %(fields)s.") % {"fields": ", ".join(unknown)}, code="unknown_field"
        )
    with transaction.atomic():
        suggestion = ListingSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.PENDING:
            raise ValidationError(
                _("This suggestion was already %(status)s.") % {"status": suggestion.get_status_display().lower()},
                code="closed",
            )
        product = Product.objects.select_for_update().get(pk=suggestion.product_id)
        before, payload = suggestion.before, suggestion.payload
        applied, skipped, changed_fields = [], [], []
        changed_elsewhere = _("you changed it after the suggestion was made")
        for key in fields:
            if key in suggestion.applied_fields:
                skipped.append((key, _("it is applied already")))
            elif key in ("title", "description", "keywords"):
                if getattr(product, key) != before[key]:
                    skipped.append((key, changed_elsewhere))
                    continue
                setattr(product, key, payload[key])
                changed_fields.append(key)
                applied.append(key)
            elif key.startswith("attribute:"):
                reason = _apply_attribute(product, payload, before, key)
                (skipped.append((key, reason)) if reason else applied.append(key))
            elif key.startswith("translation:"):
                reason = _apply_translation(
                    product, payload, before, key.split(":", 1)[1], overwrite_seller=suggestion.is_follow_up
                )
                (skipped.append((key, reason)) if reason else applied.append(key))
        if changed_fields:
            product.full_clean(exclude=["slug", "category", "supplier", "certifications"], validate_unique=False)
            product.save(update_fields=[*changed_fields, "updated_at"])
        suggestion.applied_fields = [*suggestion.applied_fields, *applied]
        remaining = [key for key in available if key not in suggestion.applied_fields]
        update = ["applied_fields"]
        if applied and not remaining:
            suggestion.status = SuggestionStatus.APPLIED  # nothing left to decide: closed by itself
            suggestion.decided_at, suggestion.decided_by = timezone.now(), user
            update += ["status", "decided_at", "decided_by"]
        if applied:
            # The listing now differs from the suggestion's snapshot only by what the seller took from it: a new
            # "Optimize with AI" on this product reuses this suggestion instead of superseding it.
            fresh = listing_product_get(product_id=product.pk) or product  # just saved: always there
            suggestion.source_hash = listing_fingerprint(listing_snapshot(product=fresh))
            update.append("source_hash")
        suggestion.save(update_fields=update)
        product_refresh_derived(product=product)
        follow_up = None
        if suggestion.kind == SuggestionKind.LISTING and {"title", "description"} & set(applied):
            follow_up = _queue_translation_follow_up(origin=suggestion, product=product, user=user)
    return ApplyResult(applied=applied, skipped=skipped, follow_up=follow_up)


def listing_suggestion_close(*, suggestion: ListingSuggestion, user=None) -> ListingSuggestion:
    """The seller is done with a suggestion: what they applied stays, the rest is discarded."""
    with transaction.atomic():
        suggestion = ListingSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.PENDING:
            raise ValidationError(_("Only a suggestion waiting for review can be closed."), code="closed")
        suggestion.status = (
            SuggestionStatus.PARTIALLY_APPLIED if suggestion.applied_fields else SuggestionStatus.REJECTED
        )
        suggestion.decided_at, suggestion.decided_by = timezone.now(), user
        suggestion.save(update_fields=["status", "decided_at", "decided_by"])
    return suggestion


def listing_suggestion_reject(*, suggestion: ListingSuggestion, user=None) -> ListingSuggestion:
    """Close without applying anything (or keeping what was applied already)."""
    return listing_suggestion_close(suggestion=suggestion, user=user)


# --- the translation follow-up -------------------------------------------------------------------------------------


def _queue_translation_follow_up(*, origin: ListingSuggestion, product: Product, user=None) -> ListingSuggestion | None:
    """A queued follow-up that re-translates the applied title/description into the product's existing
    translation languages (inside the caller's transaction). Languages whose translation the seller just took
    from `origin` already carry the new text and are left out. An open follow-up not yet acted on is replaced."""
    source_fields = [key for key in ("title", "description") if key in origin.applied_fields]
    taken = {key.split(":", 1)[1] for key in origin.applied_fields if key.startswith("translation:")}
    languages = sorted(
        set(ProductTranslation.objects.filter(product=product).values_list("language", flat=True)) - taken
    )
    if not source_fields or not languages:
        return None
    previous = (
        ListingSuggestion.objects.select_for_update()
        .filter(product=product, kind=SuggestionKind.TRANSLATIONS, status__in=OPEN_SUGGESTION_STATUSES)
        .first()
    )
    if previous:
        previous.status = SuggestionStatus.PARTIALLY_APPLIED if previous.applied_fields else SuggestionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    follow_up = ListingSuggestion.objects.create(
        product=product,
        kind=SuggestionKind.TRANSLATIONS,
        follows=origin,
        requested_by=user,
        source_hash=origin.source_hash,
        payload={},
        before={"languages": languages, "fields": source_fields},
    )
    from .tasks import listing_optimize_task

    transaction.on_commit(lambda: listing_optimize_task.delay(follow_up.pk))
    return follow_up


def _translate_follow_up(
    *, suggestion: ListingSuggestion, product: Product, snapshot: dict
) -> ListingSuggestion | None:
    """Translate the product's current title/description (those the seller applied) into each requested language,
    through conversations' translator: a model when one is configured, else the offline trade-term gloss, which is
    marked as such and never passes the English off as a translation."""
    from conversations.ai import translate_message
    from conversations.models import TranslationStatus

    request = suggestion.before or {}
    fields = request.get("fields") or ["title", "description"]
    names = dict(settings.LANGUAGES)
    translations, flags, providers = {}, [], set()
    for language in request.get("languages", []):
        current = snapshot["translations"].get(language)
        if current is None:
            continue  # removed meanwhile
        row = {"title": current["title"], "description": current["description"], "keywords": current["keywords"]}
        statuses = {}
        for field in fields:
            text = getattr(product, field)
            if not text.strip():
                continue
            result = translate_message(text, source=product.language, target=language)
            providers.add(result.model or result.provider)
            translated = result.text.strip()
            if result.status == TranslationStatus.NOT_TRANSLATED or not translated or translated == text.strip():
                statuses[field] = "missing"
                continue
            row[field] = translated[:200] if field == "title" else translated
            statuses[field] = result.status
        language_name = names.get(language, language)
        if "title" in fields and statuses.get("title") == "missing":
            flags.append(
                _(
                    "%(language)s: the new title could not be translated without a model; "
                    "write this translation yourself."
                )
                % {"language": language_name}
            )
            continue
        if any(status == "missing" for status in statuses.values()):
            flags.append(
                _("%(language)s: the new description could not be translated without a model; the old one is kept.")
                % {"language": language_name}
            )
        if TranslationStatus.PARTIAL in statuses.values():
            row["gloss"] = True
        if row != {k: current[k] for k in ("title", "description", "keywords")}:
            translations[language] = row
    if any(t.get("gloss") for t in translations.values()):
        flags.append(
            _(
                "No translation model is configured: these are machine glosses of the trade terms (product names, "
                "specifications, numbers), not full translations. Review them before applying."
            )
        )
    if not translations:
        return listing_suggestion_fail(
            suggestion_id=suggestion.pk,
            error=" ".join(flags) or _("The translations already match your new text; nothing to suggest."),
        )
    with transaction.atomic():
        suggestion = ListingSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.RUNNING:
            return suggestion
        suggestion.status = SuggestionStatus.PENDING
        suggestion.before = {**snapshot, "languages": request.get("languages", []), "fields": fields}
        suggestion.payload = {"translations": translations, "attributes": [], "flags": flags, "fields": fields}
        suggestion.provider = "offline" if providers <= {"offline"} else "openai"
        suggestion.model = ", ".join(sorted(providers - {"offline"}))[:100]
        suggestion.prompt_version = "listing-translate/1"
        suggestion.error = ""
        suggestion.finished_at = timezone.now()
        suggestion.save()
    return suggestion


def _apply_attribute(product: Product, payload: dict, before: dict, key: str) -> str | None:
    target = key.split(":", 1)[1].lower()
    attribute = next(a for a in payload["attributes"] if (a["replaces"] or a["name"]).lower() == target)
    rows = {row.name.lower(): row for row in ProductAttribute.objects.select_for_update().filter(product=product)}
    if attribute["replaces"]:
        row = rows.get(attribute["replaces"].lower())
        old = next((a for a in before["attributes"] if a["name"].lower() == attribute["replaces"].lower()), None)
        if row is None or old is None or (row.value, row.unit) != (old["value"], old["unit"]):
            return _("you changed or removed this specification after the suggestion was made")
        clash = rows.get(attribute["name"].lower())
        if clash is not None and clash.pk != row.pk:
            return _("another specification already has this name")
        row.name, row.value, row.unit = attribute["name"], attribute["value"], attribute["unit"]
        row.save(update_fields=["name", "value", "unit"])
        return None
    if attribute["name"].lower() in rows:
        return _("you added this specification yourself after the suggestion was made")
    ProductAttribute.objects.create(
        product=product, name=attribute["name"], value=attribute["value"], unit=attribute["unit"], position=len(rows)
    )
    return None


def _apply_translation(
    product: Product, payload: dict, before: dict, language: str, *, overwrite_seller: bool = False
) -> str | None:
    new = payload["translations"][language]
    old = before.get("translations", {}).get(language)
    row = ProductTranslation.objects.select_for_update().filter(product=product, language=language).first()
    if row is None and old is not None:
        return _("you removed this translation after the suggestion was made")
    if row is not None and (
        old is None or (row.title, row.description, row.keywords) != (old["title"], old["description"], old["keywords"])
    ):
        return _("you changed this translation after the suggestion was made")
    # A follow-up re-translates the seller's own translations on purpose (they asked by applying a new title).
    if row is not None and row.source != TranslationSource.AI and not overwrite_seller:
        return _("this translation was written by you, not by AI")
    ProductTranslation.objects.update_or_create(
        product=product,
        language=language,
        defaults={
            "title": new["title"][:200],
            "description": new["description"],
            "keywords": new["keywords"][:500],
            "source": TranslationSource.AI,
        },
    )
    return None


# --- nightly -------------------------------------------------------------------------------------------------------


def listing_rescore_all(*, chunk_size: int = 500) -> int:
    """Recompute every listing's quality score from its rows; returns how many scores changed."""

    def count_of(model, field="product"):
        return Coalesce(
            Subquery(
                model.objects.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    certification_count = count_of(Product.certifications.through)
    products = (
        Product.objects.annotate(
            n_attributes=count_of(ProductAttribute),
            n_tiers=count_of(PriceTier),
            n_images=count_of(ProductImage),
            n_translations=count_of(ProductTranslation),
            n_certifications=certification_count,
        )
        .only("pk", "title", "description", "keywords", "quality_score")
        .order_by("pk")
    )
    changed, batch = 0, []
    for product in products.iterator(chunk_size=chunk_size):
        score = listing_quality(
            title=product.title,
            description=product.description,
            keywords=product.keywords,
            attribute_count=product.n_attributes,
            tier_count=product.n_tiers,
            image_count=product.n_images,
            translation_count=product.n_translations,
            certification_count=product.n_certifications,
        ).score
        if score != product.quality_score:
            product.quality_score = score
            batch.append(product)
        if len(batch) >= chunk_size:
            changed += Product.objects.bulk_update(batch, ["quality_score"]) or len(batch)
            batch = []
    if batch:
        changed += Product.objects.bulk_update(batch, ["quality_score"]) or len(batch)
    return changed


def listing_queue_weakest(*, threshold: int | None = None, limit: int | None = None) -> list[int]:
    """Queue the weakest listings (below the threshold, not optimized recently) as one run per supplier."""
    threshold = settings.AI_RESCORE_THRESHOLD if threshold is None else threshold
    limit = settings.AI_RESCORE_MAX_PER_NIGHT if limit is None else limit
    recent = timezone.now() - timedelta(days=settings.AI_RESCORE_COOLDOWN_DAYS)
    weakest = list(
        Product.objects.filter(quality_score__lt=threshold)
        .exclude(ai_suggestions__created_at__gte=recent)
        .order_by("quality_score", "pk")
        .values_list("pk", "supplier_id")[:limit]
    )
    by_supplier: dict[int, list[int]] = {}
    for product_id, supplier_id in weakest:
        by_supplier.setdefault(supplier_id, []).append(product_id)
    batch_ids = []
    for supplier in Supplier.objects.filter(pk__in=by_supplier).order_by("pk"):
        try:
            batch = listing_batch_create(supplier=supplier, products=by_supplier[supplier.pk], kind=BatchKind.NIGHTLY)
        except (ValidationError, IntegrityError) as error:
            log.warning("Nightly optimization for supplier %s not queued: %s", supplier.pk, error)
            continue
        batch_ids.append(batch.pk)
    return batch_ids


def listing_rescore_nightly() -> dict:
    """Re-score every listing, then queue the weakest ones for optimization (one run per supplier)."""
    changed = listing_rescore_all()
    return {"rescored": changed, "batches": listing_queue_weakest()}


# --- lost runs -----------------------------------------------------------------------------------------------------


def _lost_reason() -> str:
    return _(
        "The optimization stopped responding, so this listing was not optimized; nothing was changed. "
        "Optimize it again."
    )


def listing_batch_sweep(*, idle_seconds: int | None = None) -> dict:
    """Finish the runs whose poll was lost: nothing sent, started or finished for `idle_seconds`.

    Their suggestions still queued or running are failed with the reason (a later request starts afresh); those
    already made stay as they are. A single suggestion outside any run, idle as long, is failed the same way:
    while it stays open, a new request for its product would reuse it and never run. The listings are not
    touched. Safe to run at any time, and twice.
    """
    idle_seconds = settings.AI_BATCH_IDLE_SECONDS if idle_seconds is None else idle_seconds
    idle_since = timezone.now() - timedelta(seconds=idle_seconds)
    lone_ids = list(listing_suggestion_stuck_list(idle_since=idle_since).values_list("pk", flat=True))
    for suggestion_id in lone_ids:
        listing_suggestion_fail(suggestion_id=suggestion_id, error=_lost_reason())
    swept = []
    for batch in listing_batch_stuck_list(idle_since=idle_since):
        lost_ids = list(batch.suggestions.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
        for suggestion_id in lost_ids:
            listing_suggestion_fail(suggestion_id=suggestion_id, error=_lost_reason())
        with transaction.atomic():
            batch = ListingOptimizationBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.finished_at is not None:
                continue  # its poll came back and finished it meanwhile
            batch.finished_at = timezone.now()
            batch.save(update_fields=["finished_at"])
        log.warning(
            "Listing optimization run %s had lost its poll; finished it, %d suggestion(s) failed",
            batch.pk,
            len(lost_ids),
        )
        swept.append({"batch_id": batch.pk, "failed": len(lost_ids)})
    return {"batches": swept, "lone_failed": len(lone_ids)}


# --- expired leases ------------------------------------------------------------------------------------------------


def listing_lease_sweep() -> dict:
    """Beat: send again what a killed worker or a lost message left behind. Safe to run at any time, and twice
    (the task takes over only an expired lease, so a second delivery does nothing).

    - running suggestions past their lease are sent again, or failed once they have used every attempt;
    - queued suggestions outside any run that nothing sent within the lease are sent again (a run's own are the
      dispatcher's);
    - unfinished runs whose poll has not come back within the lease get a new poll (one chain survives).
    """
    from .tasks import listing_batch_dispatch_task, listing_optimize_task

    now = timezone.now()
    cutoff = now - suggestion_lease()
    expired = ListingSuggestion.objects.filter(
        Q(status=SuggestionStatus.RUNNING)
        & (Q(started_at__lt=cutoff) | Q(started_at__isnull=True))
        & (Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True))
        | Q(status=SuggestionStatus.QUEUED, batch__isnull=True)
        & (Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True, created_at__lt=cutoff))
    )
    resent, failed = [], []
    for suggestion_id in expired.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            suggestion = ListingSuggestion.objects.select_for_update().filter(pk=suggestion_id).first()
            if suggestion is None or not _lease_expired(suggestion, now=now):
                continue  # finished or taken over meanwhile
            if suggestion.dispatched_at is not None and suggestion.dispatched_at >= cutoff:
                continue  # already sent again within the lease (by a sweep, the dispatcher or a request)
            if suggestion.attempts > settings.AI_TASK_MAX_RETRIES:
                failed.append(suggestion_id)
            else:
                ListingSuggestion.objects.filter(pk=suggestion_id).update(dispatched_at=now)
                resent.append(suggestion_id)
    for suggestion_id in failed:
        listing_suggestion_fail(suggestion_id=suggestion_id, error=_lost_reason())
    for suggestion_id in resent:
        listing_optimize_task.delay(suggestion_id)
    polls = list(
        ListingOptimizationBatch.objects.filter(finished_at__isnull=True)
        .filter(Q(polled_at__lt=cutoff) | Q(polled_at__isnull=True, created_at__lt=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for batch_id in polls:
        listing_batch_dispatch_task.delay(batch_id)
    if resent or failed or polls:
        log.warning(
            "Listing leases expired: %d suggestion(s) sent again, %d failed, %d run poll(s) sent again",
            len(resent),
            len(failed),
            len(polls),
        )
    return {"resent": resent, "failed": failed, "polls": polls}
