"""The seller's guided setup: what a new supplier still has to do before buyers find it, in the order it helps.

One selector, `setup_steps(supplier)`, read by the dashboard (which renders templates/sellercentre/_setup_steps.html).
Everything it needs comes from one query: the supplier row annotated with whether each step's rows exist.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.models import Product, ProductStatus
from suppliers.models import (
    ApplicationStatus,
    Certification,
    Supplier,
    SupplierApplication,
    SupplierInvitation,
    SupplierMembership,
)

# The storefront fields a buyer reads first; the profile step is done when every one is filled in.
PROFILE_FIELDS = ("about", "region", "founded_year", "staff_count", "export_markets", "languages")


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    done: bool
    url: str
    help: str
    optional: bool = False
    # The company-documents step only: "pending", "approved" or "rejected", and the operator's reason if rejected.
    state: str = ""
    note: str = ""


def _annotated(supplier: Supplier) -> Supplier:
    own = {"supplier": OuterRef("pk")}
    application = SupplierApplication.objects.filter(**own)
    return (
        Supplier.objects.filter(pk=supplier.pk)
        .only("pk", "response_commitment_minutes", *PROFILE_FIELDS)
        .annotate(
            application_status=Subquery(application.values("status")[:1]),
            application_note=Subquery(application.values("review_note")[:1]),
            has_product=Exists(Product.objects.filter(**own)),
            has_published=Exists(Product.objects.filter(**own, status=ProductStatus.PUBLISHED)),
            has_certificate=Exists(Certification.objects.filter(**own)),
            has_invitation=Exists(SupplierInvitation.objects.filter(**own)),
            members=Subquery(
                SupplierMembership.objects.filter(**own).values("supplier").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .get()
    )


def _documents_step(status: str | None, note: str) -> SetupStep:
    title = _("Company documents reviewed")
    if status == ApplicationStatus.SUBMITTED:
        return SetupStep(
            "documents",
            title,
            False,
            "",
            _(
                "Silkway is reviewing your company documents, usually within two working days. You can prepare your "
                "storefront and products meanwhile; they can be published once the documents are approved."
            ),
            state="pending",
        )
    if status == ApplicationStatus.REJECTED:
        return SetupStep(
            "documents",
            title,
            False,
            "",
            _("Silkway could not approve your company documents. Write to Silkway support with corrected documents."),
            state="rejected",
            note=note,
        )
    # Approved, or a supplier that sold before applications existed: counted as approved.
    return SetupStep("documents", title, True, "", _("Your company documents are approved."), state="approved")


def setup_steps(supplier: Supplier) -> list[SetupStep]:
    """The setup checklist for `supplier` (one query)."""
    row = _annotated(supplier)
    profile_done = all(getattr(row, name) for name in PROFILE_FIELDS)
    storefront = reverse("seller:suppliers_supplier_change", args=[row.pk])
    return [
        _documents_step(row.application_status, row.application_note or ""),
        SetupStep(
            "profile",
            _("Complete your company profile"),
            profile_done,
            storefront,
            _("About, region, founding year, staff, export markets and languages: buyers compare suppliers on them."),
        ),
        SetupStep(
            "first_product",
            _("Add your first product"),
            row.has_product,
            reverse("seller:marketplace_product_add"),
            _("Title, category, photos, price tiers and MOQ."),
        ),
        SetupStep(
            "first_published",
            _("Publish your first product"),
            row.has_published,
            reverse("seller:marketplace_product_changelist"),
            _("Select it in your product list and choose “Publish”; buyers find it in search at once."),
        ),
        SetupStep(
            "certificate",
            _("Upload a certificate"),
            row.has_certificate,
            reverse("seller:suppliers_certification_add"),
            _("CE, ISO 9001, BSCI…: buyers filter on them, and Silkway checks the document."),
        ),
        SetupStep(
            "response_commitment",
            _("Promise a response time"),
            row.response_commitment_minutes is not None,
            storefront,
            _("Buyers see how fast you promise to answer, and how well you keep it."),
        ),
        SetupStep(
            "colleague",
            _("Invite a colleague"),
            row.has_invitation or (row.members or 0) > 1,
            reverse("seller:suppliers_supplierinvitation_add"),
            _("Sales staff answer inquiries in the same seller centre, each with their own sign-in."),
            optional=True,
        ),
    ]


def setup_progress(steps: list[SetupStep]) -> tuple[int, int]:
    """Done and total of the required steps."""
    required = [step for step in steps if not step.optional]
    return sum(step.done for step in required), len(required)
