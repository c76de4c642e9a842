"""Reads for AI listing optimization: the listing as the optimizer and the review page see it, the review diff,
and runs with their progress. Shared by the services, the admin, the command and the tasks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.languages import language_codes
from marketplace.models import Product, TranslationSource
from suppliers.models import Supplier, is_manufacturer

from .ai.schema import ListingInput
from .models import ListingOptimizationBatch, ListingSuggestion, SuggestionStatus

DONE_STATUSES = [
    SuggestionStatus.PENDING,
    SuggestionStatus.APPLIED,
    SuggestionStatus.PARTIALLY_APPLIED,
    SuggestionStatus.REJECTED,
    SuggestionStatus.FAILED,
    SuggestionStatus.SUPERSEDED,
]
ACTIVE_STATUSES = [SuggestionStatus.QUEUED, SuggestionStatus.RUNNING]


# --- reading a listing ---------------------------------------------------------------------------------------------


def listing_product_get(*, product_id: int) -> Product | None:
    return (
        Product.objects.select_related("category", "supplier")
        .prefetch_related("attributes", "translations", "certifications")
        .filter(pk=product_id)
        .first()
    )


def listing_snapshot(*, product: Product) -> dict:
    """The seller-editable text of a listing: what a suggestion is compared against and guarded by."""
    return {
        "title": product.title,
        "description": product.description,
        "keywords": product.keywords,
        "attributes": [{"name": a.name, "value": a.value, "unit": a.unit} for a in product.attributes.all()],
        "translations": {
            t.language: {"title": t.title, "description": t.description, "keywords": t.keywords, "source": t.source}
            for t in product.translations.all()
        },
    }


def listing_fingerprint(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def listing_input(*, product: Product) -> ListingInput:
    today = timezone.localdate()
    category = product.category
    customization = [
        name
        for name, enabled in (
            ("logo", product.custom_logo),
            ("packaging", product.custom_packaging),
            ("color", product.custom_color),
            ("oem", product.oem),
            ("odm", product.odm),
        )
        if enabled
    ]
    certifications = [
        f"{c.type} ({c.issuer}, {c.number})" if c.issuer else f"{c.type} ({c.number})"
        for c in product.certifications.all()
        if c.is_valid_on(today)
    ]
    return ListingInput(
        title=product.title,
        description=product.description,
        keywords=product.keywords,
        language=product.language,
        category_slug=category.slug,
        category_names={"en": category.name, **(category.names or {})},
        attributes=[(a.name, a.value, a.unit) for a in product.attributes.all()],
        moq=product.moq,
        unit=product.unit,
        lead_time_days=product.lead_time_days,
        customization=customization,
        samples_available=product.samples_available,
        certifications=certifications,
        supplier_is_factory=is_manufacturer(product.supplier.kind),
        protected_languages={t.language for t in product.translations.all() if t.source != TranslationSource.AI},
    )


# --- reviewing -----------------------------------------------------------------------------------------------------


@dataclass
class FieldDiff:
    key: str
    label: str
    before: str  # when the suggestion was made
    after: str  # suggested
    now: str = ""  # the product's current value (listing_suggestion_diff with `current`)
    note: str = ""  # e.g. "trade-term gloss, not a full translation"

    @property
    def changed(self) -> bool:
        return self.before.strip() != self.after.strip()

    @property
    def changed_since(self) -> bool:
        """The product's value is no longer the one the suggestion was made from."""
        return self.now.strip() != self.before.strip()


def _attribute_key(attribute: dict) -> str:
    return f"attribute:{attribute['replaces'] or attribute['name']}"


def _attribute_text(attribute: dict | None) -> str:
    return f"{attribute['name']}: {attribute['value']} {attribute['unit']}".strip() if attribute else ""


def _translation_text(translation: dict | None) -> str:
    if not translation:
        return ""
    return "\n\n".join(filter(None, [translation["title"], translation["description"], translation["keywords"]]))


def listing_suggestion_diff(*, suggestion: ListingSuggestion, current: dict | None = None) -> list[FieldDiff]:
    """Field-by-field before/after for the review page; only fields the suggestion would change.

    `current`: the product's listing_snapshot now, to fill each row's `now` (the review page's "Now" column)."""
    before, payload = suggestion.before, suggestion.payload
    if not payload:
        return []
    current = current if current is not None else before
    rows = [
        FieldDiff(key, label, before.get(key, ""), payload[key], now=current.get(key, ""))
        for key, label in (("title", _("Title")), ("description", _("Description")), ("keywords", _("Keywords")))
        if key in payload
    ]
    existing = {a["name"].lower(): a for a in before.get("attributes", [])}
    present = {a["name"].lower(): a for a in current.get("attributes", [])}
    for attribute in payload.get("attributes", []):
        old = existing.get((attribute["replaces"] or attribute["name"]).lower())
        now = present.get((attribute["replaces"] or attribute["name"]).lower()) or present.get(
            attribute["name"].lower()
        )
        rows.append(
            FieldDiff(
                _attribute_key(attribute),
                _("Specification"),
                _attribute_text(old),
                _attribute_text(attribute),
                now=_attribute_text(now),
            )
        )
    names = dict(settings.LANGUAGES)
    for language in language_codes():
        translation = payload.get("translations", {}).get(language)
        if not translation:
            continue
        rows.append(
            FieldDiff(
                f"translation:{language}",
                _("Translation: %(language)s") % {"language": names.get(language, language)},
                _translation_text(before.get("translations", {}).get(language)),
                _translation_text(translation),
                now=_translation_text(current.get("translations", {}).get(language)),
                note=_("machine gloss of the trade terms, not a full translation") if translation.get("gloss") else "",
            )
        )
    return [row for row in rows if row.changed]


# --- runs ----------------------------------------------------------------------------------------------------------


def listing_suggestion_list(*, supplier: Supplier | None = None) -> QuerySet:
    queryset = ListingSuggestion.objects.select_related("product", "batch")
    return queryset.filter(product__supplier=supplier) if supplier is not None else queryset


def batch_progress_annotations() -> dict:
    return {
        "n_done": Count("suggestions", filter=Q(suggestions__status__in=DONE_STATUSES)),
        "n_failed": Count("suggestions", filter=Q(suggestions__status=SuggestionStatus.FAILED)),
        "n_ready": Count("suggestions", filter=Q(suggestions__status=SuggestionStatus.PENDING)),
    }


def listing_batch_list(*, supplier: Supplier | None = None) -> QuerySet:
    """Runs with their progress counted in the same query."""
    queryset = ListingOptimizationBatch.objects.annotate(**batch_progress_annotations())
    return queryset.filter(supplier=supplier) if supplier is not None else queryset


def listing_batch_progress(*, batch: ListingOptimizationBatch) -> dict:
    counts = dict(batch.suggestions.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    done = sum(counts.get(status, 0) for status in DONE_STATUSES)
    waiting = batch.suggestions.filter(status=SuggestionStatus.QUEUED, dispatched_at__isnull=True).count()
    return {
        "total": total,
        "done": done,
        "failed": counts.get(SuggestionStatus.FAILED, 0),
        "ready": counts.get(SuggestionStatus.PENDING, 0),
        "waiting": waiting,
        "in_flight": total - done - waiting,
        "percent": round(100 * done / total) if total else 100,
        "by_status": counts,
    }


def listing_suggestion_stuck_list(*, idle_since: datetime) -> QuerySet:
    """Queued or running suggestions outside any run that nothing has sent or started since `idle_since`."""
    created = F("created_at")
    last_touch = Greatest(created, Coalesce("dispatched_at", created), Coalesce("started_at", created))
    return (
        ListingSuggestion.objects.filter(batch__isnull=True, status__in=ACTIVE_STATUSES)
        .annotate(last_touch=last_touch)
        .filter(last_touch__lt=idle_since)
        .order_by("pk")
    )


def listing_batch_stuck_list(*, idle_since: datetime) -> QuerySet:
    """Unfinished runs in which no suggestion was sent, started or finished since `idle_since`.

    A live run touches one of these at least every retry backoff, so an idle one has lost its poll.
    """
    created = F("created_at")
    last_activity = Greatest(
        created,
        # SQLite's MAX() of a NULL is NULL, so every term falls back to created_at.
        Coalesce(Max("suggestions__dispatched_at"), created),
        Coalesce(Max("suggestions__started_at"), created),
        Coalesce(Max("suggestions__finished_at"), created),
    )
    return (
        ListingOptimizationBatch.objects.filter(finished_at__isnull=True)
        .annotate(last_activity=last_activity)
        .filter(last_activity__lt=idle_since)
        .order_by("pk")
    )
