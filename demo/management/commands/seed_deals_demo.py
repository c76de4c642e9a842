"""Demo deals in every state: contracts negotiated and signed, escrow orders paid, produced, shipped, delivered,
completed and rated, disputed, refunded and settled, spread over the demo buyers and suppliers.

    python manage.py seed_demo && python manage.py seed_rankings_demo && python manage.py seed_sourcing_demo  # first
    python manage.py seed_deals_demo

Everything goes through the services, as the people would do it: the buyer sends an RFQ for a real product of a
supplier whose catalog (and name) fits, the supplier quotes from its own price tiers, the buyer accepts; the contract
is drafted offline, edited by either side where noted, signed by both with typed names; the operator confirms the
payment; the supplier starts production, books the shipment, uploads the bill of lading and the inspection report
(small PDFs written here); the buyer confirms delivery, releases milestones, disputes, rates; the operator decides.
The quote seed_sourcing_demo accepted for buyer-de becomes the contract still under negotiation.

The services stamp every step with now(). After a deal is built, its timestamps are moved back to the days the
story happened on (QuerySet.update on timestamp fields only: never a status, an amount or a contract term), so the
pages read like a real timeline. The contract dates themselves (delivery date, quote validity) stay as the services
computed them from today.

Re-running adds nothing: a deal whose RFQ title the buyer already has is skipped (and the negotiation on buyer-de's
contract is skipped once the supplier's version exists).
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from deals.models import (
    Contract,
    ContractStatus,
    ContractVersion,
    DealEvent,
    Dispute,
    DocumentKind,
    LedgerTransaction,
    MilestoneStatus,
    Order,
    OrderDocument,
    OrderStatus,
    PaymentMilestone,
    Review,
    Shipment,
    ShipmentEvent,
    ShipmentStage,
    Side,
)
from deals.services import contracts, disputes, orders
from deals.services.ledger import ledger_imbalances
from demo import catalog
from marketplace.models import Product, ProductStatus
from rankings.models import SupplierActivity
from rankings.services import supplier_order_metrics_recompute
from sourcing import services as sourcing
from sourcing.models import RFQ, Quote, QuoteStatus, RFQRecipient
from suppliers.models import Supplier

OPERATOR_EMAIL = "operator@demo.silkway.test"
DEMO_PASSWORD = "silkway-demo"

# Where the goods leave China from, by the supplier's city (the demo clusters).
PORTS = {
    "Yiwu": "Ningbo",
    "Yongkang": "Ningbo",
    "Ningbo": "Ningbo",
    "Taizhou": "Ningbo",
    "Wenzhou": "Ningbo",
    "Hangzhou": "Shanghai",
    "Suzhou": "Shanghai",
    "Shenzhen": "Shenzhen (Yantian)",
    "Dongguan": "Shenzhen (Yantian)",
    "Guangzhou": "Guangzhou (Nansha)",
    "Foshan": "Guangzhou (Nansha)",
    "Zhongshan": "Guangzhou (Nansha)",
    "Xiamen": "Xiamen",
    "Jinjiang": "Xiamen",
    "Qingdao": "Qingdao",
    "Jinan": "Qingdao",
    "Tianjin": "Tianjin (Xingang)",
    "Handan": "Tianjin (Xingang)",
}
SIGNATORIES = ["Chen Jing", "Wang Lei", "Li Na", "Zhang Wei", "Liu Yang", "Huang Min", "Zhao Qiang", "Wu Xiaoli"]


@dataclass
class Deal:
    """One demo deal: who buys what from which kind of supplier, and how far the story goes."""

    state: str  # an order status, or "negotiating" / "ready_to_sign" for a contract not signed yet
    buyer: str
    category: str  # leaf category slug: the supplier is picked among those whose catalog and name fit it
    title: str  # the RFQ title, also the marker that the deal exists
    destination: str  # ISO country
    place: str  # the Incoterm place for C/D terms (the port of loading is used for FOB)
    city: str  # where the buyer receives the goods
    incoterm: str = "FOB"
    payment_terms: str = "T/T 30% deposit, 70% against B/L copy"
    lead_time_days: int = 30  # used when the story never ships; otherwise set from the departure day below
    ships_early_by: int = 2  # days the goods leave before the contract's date (negative: late)
    tier: int = 1  # the catalog price tier whose minimum quantity the buyer orders
    message: str = ""
    requirements: list[dict] = field(default_factory=list)
    start: int = 30  # days ago the RFQ was sent; the rest of the story is dated from it
    days: dict[str, int] = field(default_factory=dict)  # step -> days after the RFQ
    carrier: tuple[str, str, int] = ("COSCO Shipping Lines", "COSU", 28)  # name, B/L prefix, days at sea
    supplier_edit: tuple[dict, str] | None = None  # (changes, note) proposed by the supplier before signing
    buyer_edit: tuple[dict, str] | None = None
    cancel_reason: str = ""
    dispute: dict | None = None
    review: tuple[int, int, str] | None = None


# Steps every walked deal shares (days after the RFQ); a deal overrides what its story needs.
DEFAULT_DAYS = {"quote": 1, "accept": 2, "supplier_edit": 3, "buyer_edit": 4, "sign": 5, "pay": 7, "production": 9}

DEALS = [
    Deal(
        state="awaiting_payment",
        buyer="buyer-ae@demo.silkway.test",
        category="ceramic-tiles",
        title="Wall tiles for the Al Barsha villas project",
        destination="AE",
        incoterm="CIF",
        place="Jebel Ali",
        city="Dubai",
        tier=1,
        message="Tiles for 14 villas; please quote with pallets suitable for containers and 2% spare stock.",
        start=9,
        days={"quote": 1, "accept": 2, "sign": 4},
    ),
    Deal(
        state="cancelled",
        buyer="buyer-mx@demo.silkway.test",
        category="fitness",
        title="Gym equipment for the Monterrey franchise opening",
        destination="MX",
        place="",
        city="Monterrey",
        start=45,
        days={"quote": 2, "accept": 4, "sign": 6, "cancel": 13},
        cancel_reason=(
            "Our franchise partner postponed the Monterrey opening to next year; we cancel before paying and will "
            "send a new RFQ when the date is fixed."
        ),
    ),
    Deal(
        state="funded",
        buyer="buyer-kz@demo.silkway.test",
        category="refrigeration",
        title="Cold rooms for the Almaty distribution centre",
        destination="KZ",
        place="",
        city="Almaty",
        lead_time_days=40,
        tier=1,
        message="Rail freight from your port to Almaty is arranged by our forwarder; please quote FOB.",
        start=15,
        days={"quote": 2, "accept": 4, "sign": 6, "pay": 10},
    ),
    Deal(
        state="in_production",
        buyer="buyer-es@demo.silkway.test",
        category="fasteners",
        title="Anchors for the Valencia warehouse racking",
        destination="ES",
        incoterm="CIF",
        place="Valencia",
        city="Valencia",
        lead_time_days=35,
        start=28,
        days={"quote": 1, "accept": 3, "sign": 5, "pay": 8, "production": 10, "deposit": 12},
    ),
    Deal(
        state="shipped",
        buyer="buyer-de@demo.silkway.test",
        category="power-tools",
        title="Cordless drills for the spring catalogue",
        destination="DE",
        incoterm="CIF",
        place="Hamburg",
        city="Hamburg",
        lead_time_days=35,
        message="Our logo on the housing and the case, German manual, CE and GS marks.",
        requirements=[{"key": "cert:CE", "label": "CE certificate"}, {"key": "custom:logo", "label": "Logo"}],
        start=56,
        days={
            "quote": 1,
            "accept": 3,
            "supplier_edit": 4,
            "sign": 6,
            "pay": 8,
            "production": 10,
            "deposit": 11,
            "booked": 47,
            "departed": 50,
            "bl": 52,
        },
        supplier_edit=(
            {
                "clauses": {
                    "packaging": (
                        "Each drill in a colour box with the buyer's logo and a German manual, 6 boxes per export "
                        "carton, cartons on fumigation-free plastic pallets, shrink-wrapped; shipping marks as the "
                        "buyer's artwork."
                    )
                }
            },
            "Packaging as agreed on the phone: colour boxes with your logo, German manual, plastic pallets.",
        ),
        carrier=("COSCO Shipping Lines", "COSU", 30),
    ),
    Deal(
        state="delivered",
        buyer="buyer-gb@demo.silkway.test",
        category="cookware",
        title="Cast iron cookware for the autumn range",
        destination="GB",
        incoterm="CIF",
        place="Felixstowe",
        city="Manchester",
        payment_terms="T/T 30/60/10",
        message="Retail-ready gift boxes, UKCA and LFGB test reports for food contact.",
        start=76,
        days={
            "pay": 7,
            "production": 9,
            "deposit": 10,
            "booked": 33,
            "departed": 35,
            "bl": 36,
            "release_bl": 39,
            "arrived": 63,
            "customs": 65,
            "delivered": 66,
            "confirm": 67,
        },
        carrier=("Evergreen Line", "EGLV", 28),
    ),
    Deal(
        state="released",
        buyer="buyer-us@demo.silkway.test",
        category="outdoor-camping",
        title="Camping gear for the summer outdoor line",
        destination="US",
        place="",
        city="Houston",
        message="Our logo on the carry bags, custom hang tags, shipping to our Houston warehouse.",
        requirements=[
            {"key": "custom:logo", "label": "Logo"},
            {"key": "custom:packaging", "label": "Custom packaging"},
        ],
        start=112,
        days={
            "quote": 2,
            "accept": 4,
            "supplier_edit": 5,
            "buyer_edit": 6,
            "sign": 7,
            "pay": 9,
            "production": 11,
            "deposit": 12,
            "booked": 42,
            "departed": 44,
            "bl": 45,
            "release_bl": 47,
            "arrived": 74,
            "customs": 76,
            "delivered": 78,
            "confirm": 79,
            "review": 82,
        },
        supplier_edit=(
            {
                "clauses": {
                    "packaging": (
                        "Each tent in its printed carry bag, 4 per export carton (5-ply, 60 x 40 x 45 cm), cartons "
                        "marked with the buyer's PO number, item code, quantity and carton number, and palletised "
                        "for the 40' container; the carry bag print is approved on a pre-production sample."
                    )
                }
            },
            "Our fabric supplier prints the carry bags: we add an approval of the printed pre-production sample to "
            "the packing clause.",
        ),
        buyer_edit=(
            {
                "quantity_factor": Decimal("1.2"),
                "clauses": {
                    "inspection": (
                        "Before shipment the buyer's inspector checks the goods at the supplier's premises under "
                        "ISO 2859-1, general inspection level II, AQL 2.5 major / 4.0 minor, including a pitching "
                        "test of 5 units and a check of the logo print on every carry bag sampled. The supplier "
                        "gives five working days' notice that production is finished."
                    )
                },
            },
            "20% more units for our second store, and the pitching test and logo check we discussed in the inspection "
            "clause.",
        ),
        carrier=("Maersk", "MAEU", 30),
        review=(5, 5, "Well packed, every tent complete, logo print sharp. Shipped two days early. We will reorder."),
    ),
    Deal(
        state="released",
        buyer="buyer-sg@demo.silkway.test",
        category="pet-supplies",
        title="Pet accessories for the Lion City stores",
        destination="SG",
        incoterm="CIF",
        place="Singapore",
        city="Singapore",
        payment_terms="30% deposit, 70% after inspection before shipment",
        lead_time_days=25,
        ships_early_by=-4,
        start=80,
        days={
            "quote": 1,
            "accept": 3,
            "sign": 4,
            "pay": 6,
            "production": 8,
            "deposit": 9,
            "inspection": 30,
            "release_inspection": 31,
            "booked": 32,
            "departed": 34,
            "arrived": 41,
            "customs": 42,
            "delivered": 43,
            "confirm": 44,
            "review": 47,
        },
        carrier=("ONE (Ocean Network Express)", "ONEY", 7),
        review=(
            4,
            4,
            "Good quality and the inspection report was clear. Shipped four days late; two cartons had dented corners.",
        ),
    ),
    Deal(
        state="disputed",
        buyer="buyer-sa@demo.silkway.test",
        category="low-voltage",
        title="Circuit protection for the Riyadh substation retrofit",
        destination="SA",
        incoterm="CIF",
        place="Dammam",
        city="Riyadh",
        payment_terms="T/T 30/60/10",
        message="SASO / IEC 60898 compliant, Arabic and English labels.",
        start=72,
        days={
            "pay": 6,
            "production": 8,
            "deposit": 9,
            "booked": 31,
            "departed": 33,
            "bl": 34,
            "release_bl": 36,
            "arrived": 55,
            "customs": 58,
            "delivered": 60,
            "confirm": 61,
            "dispute": 70,
        },
        carrier=("Hapag-Lloyd", "HLCU", 22),
        dispute={
            "reason": "quantity",
            "description": (
                "Two of the cartons listed on the packing list were not in the container: we counted the pallets "
                "at our Riyadh warehouse with the forwarder's surveyor present. The seal number matched the B/L."
            ),
            "share": Decimal("0.05"),
            "evidence": "Warehouse tally and surveyor's note",
        },
    ),
    Deal(
        state="disputed",
        buyer="buyer-br@demo.silkway.test",
        category="solar-panels",
        title="Solar equipment for the Campinas installations",
        destination="BR",
        incoterm="CIF",
        place="Santos",
        city="São Paulo",
        tier=2,
        payment_terms="30% deposit, 40% against B/L copy, 30% on delivery",
        message="INMETRO registration required; flash test report per panel.",
        start=84,
        days={
            "pay": 7,
            "production": 9,
            "deposit": 10,
            "booked": 36,
            "departed": 38,
            "bl": 39,
            "release_bl": 41,
            "arrived": 71,
            "customs": 74,
            "delivered": 76,
            "confirm": 77,
            "dispute": 79,
            "answer": 81,
        },
        carrier=("MSC", "MEDU", 33),
        dispute={
            "reason": "quality",
            "description": (
                "Our electroluminescence test on arrival shows micro-cracks in 9% of the units. The damage pattern "
                "points to the packing: no corner protectors on the pallets. EL images and the test log attached."
            ),
            "share": Decimal("0.09"),
            "evidence": "EL test on arrival",
            "answer": (
                "Our flash and EL tests before loading showed no cracks (report attached). The pallets were packed "
                "as in every shipment; we offer to replace the cracked units in the next container, or refund half of "
                "their price."
            ),
            "answer_evidence": "Pre-loading EL test and packing photos",
        },
    ),
    Deal(
        state="refunded",
        buyer="buyer-jp@demo.silkway.test",
        category="drinkware",
        title="Insulated drinkware for the Osaka gift catalogue",
        destination="JP",
        incoterm="CIF",
        place="Osaka",
        city="Osaka",
        tier=2,
        message="The goods must pass the Japanese Food Sanitation Act test; the test report before shipment.",
        requirements=[{"key": "cert:JFSL", "label": "Food Sanitation Act (Japan) test report"}],
        start=50,
        days={"quote": 1, "accept": 3, "sign": 5, "pay": 7, "production": 9, "dispute": 14, "answer": 16, "decide": 18},
        dispute={
            "reason": "other",
            "description": (
                "The supplier told us the lids failed the Food Sanitation Act migration test and cannot be remade "
                "before our catalogue date. Without that test the goods cannot be sold in Japan; we ask for a refund."
            ),
            "share": Decimal("1"),
            "evidence": "Lab's failed test notice",
            "answer": (
                "We confirm the silicone seal of the lids failed the migration test at the lab. A compliant seal "
                "needs eight more weeks; we accept a full refund of what is held."
            ),
            "decision": "refund",
            "note": (
                "The supplier confirms the goods cannot meet the test required by the contract in time. What escrow "
                "holds is refunded to the buyer in full."
            ),
        },
    ),
    Deal(
        state="partially_released",
        buyer="buyer-fr@demo.silkway.test",
        category="home-textiles",
        title="Bed linen for the Dubois Maison spring collection",
        destination="FR",
        incoterm="CIF",
        place="Le Havre",
        city="Lyon",
        payment_terms="30% deposit, 40% against B/L copy, 30% on delivery",
        message="OEKO-TEX Standard 100, colours matched to our Pantone references.",
        start=95,
        days={
            "buyer_edit": 3,
            "sign": 5,
            "pay": 7,
            "production": 9,
            "deposit": 10,
            "booked": 36,
            "departed": 38,
            "bl": 39,
            "release_bl": 42,
            "arrived": 68,
            "customs": 70,
            "delivered": 72,
            "confirm": 73,
            "dispute": 76,
            "answer": 78,
            "decide": 82,
            "review": 84,
        },
        buyer_edit=(
            {
                "clauses": {
                    "inspection": (
                        "Before shipment the buyer's inspector checks the goods at the supplier's premises under "
                        "ISO 2859-1, level II, AQL 2.5 major / 4.0 minor. Colours are checked in a light box (D65) "
                        "against the buyer's Pantone references; a visible deviation is a major defect."
                    )
                }
            },
            "We add the colour check against our Pantone references to the inspection clause.",
        ),
        carrier=("CMA CGM", "CMDU", 30),
        dispute={
            "reason": "quality",
            "description": (
                "About a quarter of the sets in 'sage green' are visibly lighter than the approved Pantone reference "
                "under D65 light. We can sell them only at a discount; photos in the light box attached."
            ),
            "share": Decimal("0.15"),
            "evidence": "Light-box colour comparison",
            "answer": (
                "The dye lot of the sage green sets differs slightly, within the usual tolerance of 1 shade. We agree "
                "to a discount on the affected sets, but not on the whole order."
            ),
            "decision": "partial",
            "refund_share": Decimal("0.6"),
            "note": (
                "The photos show a deviation beyond the contract's colour check on the sage green sets only. "
                "The buyer is refunded 60% of the amount claimed; the rest of what escrow holds goes to the supplier."
            ),
        },
        review=(3, 3, "Most of the order was fine, the sage green was off. The claim was settled fairly."),
    ),
    Deal(
        state="ready_to_sign",
        buyer="buyer-gb@demo.silkway.test",
        category="storage",
        title="Storage boxes for the Clarke & Hale home range",
        destination="GB",
        incoterm="CIF",
        place="Felixstowe",
        city="Manchester",
        start=4,
        days={"quote": 1, "accept": 2, "sign": 3},
    ),
]

# The contract still under negotiation: the quote seed_sourcing_demo accepted for buyer-de.
NEGOTIATION_BUYER = "buyer-de@demo.silkway.test"
NEGOTIATION_NOTE = (
    "Laser engraving of your logo on 3,000 mugs takes ten more days; we propose a later delivery date and pack each "
    "mug in its own gift box."
)
NEGOTIATION_PACKAGING = (
    "Each mug in a white gift box with the buyer's logo, 24 boxes per 5-ply export carton, cartons marked with the "
    "contract number, the product, the quantity and the gross and net weight; a packing list with every shipment."
)


def _money(value: Decimal) -> Decimal:
    step = Decimal("0.01") if value >= 1 else Decimal("0.0001")
    return value.quantize(step, rounding=ROUND_HALF_UP)


# --- documents: small, valid PDFs written here (no binary files in the repository) ------------------------------


def _latin1(text: str) -> str:
    """What the PDF's standard Helvetica font can show: Latin-1, other characters spelled without their accents."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A one-page PDF (1.4) with a title and lines of text in Helvetica: a real document any reader opens."""

    def escape(text: str) -> str:
        return _latin1(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 15 Tf 56 790 Td ({escape(title)}) Tj ET", "BT /F1 10 Tf 14 TL 56 760 Td"]
    for line in lines[:48]:
        text.append(f"({escape(line[:110])}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + escape(title).encode("latin-1") + b") /Producer (Silkway demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_upload(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_document(title, lines), content_type="application/pdf")


# --- dating the story -------------------------------------------------------------------------------------------


class Timeline:
    """Runs each step of a deal and remembers when it really ran and when the story says it happened, so the
    timestamps the services wrote (now()) can be moved to the story's days afterwards."""

    def __init__(self, start_days_ago: int):
        self.day0 = timezone.localdate() - timedelta(days=start_days_ago)
        self.spans: list[tuple[datetime, datetime, datetime]] = []
        self.latest = timezone.now() - timedelta(hours=1)

    def when(self, day: int, hour: int = 10, minute: int = 0) -> datetime:
        planned = timezone.make_aware(datetime.combine(self.day0 + timedelta(days=day), clock_time(hour, minute)))
        return min(planned, self.latest)

    @contextmanager
    def at(self, day: int, hour: int = 10, minute: int = 0):
        planned = self.when(day, hour, minute)
        started = timezone.now()
        yield planned
        self.spans.append((started, timezone.now(), planned))

    def moved(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        for started, ended, planned in self.spans:
            if started <= value <= ended:
                return planned + (value - started)
        return None

    def apply(self, querysets, derived: dict[tuple[type, str], timedelta]) -> None:
        """Move every timestamp a step wrote to the step's day. `derived` fields were computed as now() + a period
        (a deadline): they move with the step that set them."""
        for queryset in querysets:
            model = queryset.model
            names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
            for row in queryset.values("pk", *names):
                changes = {}
                for name in names:
                    value, period, moved = row[name], derived.get((model, name)), None
                    if value is None:
                        continue
                    if period is not None:
                        base = self.moved(value - period)
                        moved = base + period if base is not None else None
                    moved = moved or self.moved(value)
                    if moved is not None and moved != value:
                        changes[name] = moved
                if changes:
                    model.objects.filter(pk=row["pk"]).update(**changes)


DERIVED = {
    (Order, "confirm_delivery_by"): timedelta(days=settings.DEALS_CONFIRM_DELIVERY_DAYS),
    (Dispute, "answer_due"): timedelta(days=settings.DEALS_DISPUTE_ANSWER_DAYS),
}


class Command(BaseCommand):
    help = "Demo deals in every state, through the deals services (run after seed_sourcing_demo)."

    # The services' e-mails would flood the console; the contract is drafted by the offline rules, as in the demo.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", AI_PROVIDER="offline")
    def handle(self, *args, **options):
        started = time.monotonic()
        users = get_user_model().objects
        self.operator = users.filter(email=OPERATOR_EMAIL, is_staff=True).first()
        if self.operator is None:
            raise CommandError(f"{OPERATOR_EMAIL} does not exist: run seed_demo first.")
        self.used_suppliers: set[int] = set(
            Contract.objects.filter(buyer__email__endswith="@demo.silkway.test").values_list("supplier_id", flat=True)
        )
        created = skipped = 0
        for deal in DEALS:
            buyer = users.filter(email=deal.buyer).first()
            if buyer is None:
                raise CommandError(f"{deal.buyer} does not exist: run seed_demo first.")
            if RFQ.objects.filter(buyer=buyer, title=deal.title).exists():
                skipped += 1
                continue
            with transaction.atomic():
                made = self._deal(deal, buyer)
            created += made
        negotiated = self._negotiation()
        created += negotiated
        problems = ledger_imbalances()
        if problems:
            raise CommandError(f"The ledger does not balance: {problems[:3]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Deals demo: {created} deals created, {skipped} already there, in {time.monotonic() - started:.1f}s."
            )
        )
        self._summary()

    # --- one deal -----------------------------------------------------------------------------------------------

    def _pick(self, deal: Deal) -> Product | None:
        """A published product of a supplier whose catalog and name fit the category, preferring suppliers no
        other demo deal uses yet."""
        products = Product.objects.filter(category__slug=deal.category, status=ProductStatus.PUBLISHED).select_related(
            "supplier"
        )
        rows = list(products.filter(price_tiers__isnull=False).distinct().order_by("supplier__slug", "pk"))
        named = [p for p in rows if catalog.name_fits(p.supplier.name, deal.category)]
        for candidates in (named, rows):
            fresh = [p for p in candidates if p.supplier_id not in self.used_suppliers]
            if fresh or candidates:
                return (fresh or candidates)[0]
        return None

    def _seller(self, supplier: Supplier):
        email = f"seller-{supplier.slug.removeprefix('demo-')}@demo.silkway.test"
        user = get_user_model().objects.filter(email=email, supplier_membership__supplier=supplier).first()
        if user is None:
            user = get_user_model().objects.filter(supplier_membership__supplier=supplier).order_by("pk").first()
        return user

    def _deal(self, deal: Deal, buyer) -> int:
        product = self._pick(deal)
        if product is None:
            self.stdout.write(self.style.WARNING(f"  no published {deal.category} product: {deal.title} skipped"))
            return 0
        supplier = product.supplier
        seller = self._seller(supplier)
        if seller is None:
            self.stdout.write(self.style.WARNING(f"  {supplier} has no seller login: {deal.title} skipped"))
            return 0
        self.used_suppliers.add(supplier.pk)
        days = {**DEFAULT_DAYS, **deal.days}
        clock = Timeline(deal.start)
        port = PORTS.get(supplier.city, "Shanghai")
        place = deal.place if deal.incoterm != "FOB" else port
        tiers = list(product.price_tiers.order_by("min_quantity"))
        tier = tiers[min(deal.tier, len(tiers) - 1)]
        quantity = tier.min_quantity
        attributes = list(product.attributes.order_by("position", "pk")[:5])
        # The quoted lead time is what the story needs: under these C-terms delivery is the departure, so it sets
        # whether the order counts as on time (the contract counts from the day the quote is accepted).
        lead_time_days = deal.lead_time_days
        if "departed" in days:
            lead_time_days = days["departed"] - days["accept"] + deal.ships_early_by

        # The buyer's RFQ for this product, sent to its supplier; the supplier quotes from its catalog tiers.
        with clock.at(0, 9, 30):
            rfq = sourcing.rfq_create(
                buyer=buyer,
                title=deal.title,
                lines=[
                    {
                        "product_name": product.title,
                        "reference_product_id": product.pk,
                        "quantity": quantity,
                        "unit": product.unit,
                        "specs": [
                            {"name": a.name, "value": f"{a.value} {a.unit}".strip()} for a in attributes if a.value
                        ],
                    }
                ],
                quote_deadline=timezone.localdate() + timedelta(days=10),
                currency=product.currency,
                incoterm=deal.incoterm,
                incoterm_place=place,
                destination_country=deal.destination,
                message=deal.message,
                requirements=deal.requirements,
            )
            rfq = sourcing.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier.pk])
        recipient = RFQRecipient.objects.get(rfq=rfq, supplier=supplier)
        with clock.at(days["quote"], 8, 40):
            sourcing.rfq_recipient_mark_viewed(recipient=recipient)
        with clock.at(days["quote"], 15, 10):
            line = rfq.lines.get()
            low = _money(tiers[0].unit_price * Decimal("0.98"))
            price = min(low, _money(tier.unit_price * Decimal("0.97")))
            quote_tiers = [{"min_quantity": tiers[0].min_quantity, "unit_price": low}]
            if quantity > tiers[0].min_quantity:
                quote_tiers.append({"min_quantity": quantity, "unit_price": price})
            quote = sourcing.quote_submit(
                recipient=recipient,
                currency=product.currency,
                incoterm=deal.incoterm,
                incoterm_place=place,
                lead_time_days=lead_time_days,
                payment_terms=deal.payment_terms,
                valid_until=timezone.localdate() + timedelta(days=30),
                lines=[{"rfq_line": line.pk, "offered_product": product.title, "tiers": quote_tiers}],
                answers=[{"key": item["key"], "answer": "meets"} for item in rfq.requirements],
                notes=f"Quoted from our catalog price for {product.title}; shipping from {port}.",
                samples_available=bool(product.samples_available),
                sample_price=product.sample_price if product.samples_available else None,
            )
        # The buyer accepts: sourcing opens the contract (deals listens); the draft is written by the offline rules.
        with clock.at(days["accept"], 11, 0):
            sourcing.quote_accept(quote=quote, buyer=buyer)
            contract = Contract.objects.get(quote=quote)
            # Dated before drafting: the contract counts the lead time from the day the quote was accepted.
            Contract.objects.filter(pk=contract.pk).update(created_at=clock.when(days["accept"], 11, 0))
            contract = contracts.contract_draft(contract_id=contract.pk)
        if contract is None or contract.status != ContractStatus.NEGOTIATING:
            raise CommandError(f"The contract for {deal.title} was not drafted: {getattr(contract, 'error', '')}")
        buyer_name = f"{buyer.first_name} {buyer.last_name}".strip()
        supplier_name = SIGNATORIES[supplier.pk % len(SIGNATORIES)]
        if deal.supplier_edit:
            with clock.at(days["supplier_edit"], 14, 20):
                self._propose(contract, seller, Side.SUPPLIER, *deal.supplier_edit)
        if deal.buyer_edit:
            with clock.at(days["buyer_edit"], 9, 50):
                self._propose(contract, buyer, Side.BUYER, *deal.buyer_edit)
        latest = contract.versions.order_by("-number").first()
        with clock.at(days["sign"], 10, 5):
            contracts.contract_accept(
                contract=contract, version=latest, actor=seller, side=Side.SUPPLIER, signatory=supplier_name
            )
        if deal.state == "ready_to_sign":
            clock.apply(self._rows(rfq), DERIVED)
            return 1
        with clock.at(days["sign"], 16, 45):
            contracts.contract_accept(
                contract=contract, version=latest, actor=buyer, side=Side.BUYER, signatory=buyer_name
            )
        order = Order.objects.get(contract=contract)
        if deal.state == "awaiting_payment":
            pass
        elif deal.state == "cancelled":
            with clock.at(days["cancel"], 12, 0):
                orders.order_cancel(order=order, actor=buyer, reason=deal.cancel_reason)
        else:
            self._fulfil(deal, order, days, clock, buyer, seller, port)
        clock.apply(self._rows(rfq), DERIVED)
        order.refresh_from_db()
        if order.delivered_at is not None:
            # The protection window runs from the (moved) delivery confirmation, as the service computed it.
            Order.objects.filter(pk=order.pk).update(
                protection_until=order.delivered_at + timedelta(days=order.protection_days)
            )
        if order.closed_at is not None:
            # The service judged "on time" by the real clock; with the story's dates in place, judge again by its rule.
            SupplierActivity.objects.filter(kind="order", source_ref=f"deals.order:{order.pk}").update(
                delivered_on_time=orders.order_delivered_on_time(order)
            )
        supplier_order_metrics_recompute(supplier_id=supplier.pk)
        order.refresh_from_db()
        if order.status != deal.state:
            raise CommandError(f"{deal.title} ended {order.status}, not {deal.state}.")
        return 1

    def _propose(self, contract: Contract, actor, side: str, changes: dict, note: str) -> ContractVersion:
        latest = contract.versions.order_by("-number").first()
        terms = latest.parsed
        changes = dict(changes)
        if "lead_time" in changes:
            changes["delivery_date"] = terms.delivery_date + timedelta(days=changes.pop("lead_time"))
        if "quantity_factor" in changes:
            factor = changes.pop("quantity_factor")
            changes["lines"] = [
                {"position": line.position, "quantity": int(line.quantity * factor)} for line in terms.lines
            ]
        return contracts.contract_propose(contract=contract, actor=actor, side=side, changes=changes, note=note)

    def _fulfil(self, deal: Deal, order: Order, days: dict, clock: Timeline, buyer, seller, port: str) -> None:
        """Payment, production, shipment, delivery, releases, disputes and the review, as far as the deal goes."""
        state = deal.state
        with clock.at(days["pay"], 11, 30):
            order = orders.order_confirm_payment(
                order=order,
                operator=self.operator,
                amount=order.total,
                currency=order.currency,
                provider_reference=f"BANK-{order.payment_reference}",
            )
        if state == "funded":
            return
        with clock.at(days["production"], 8, 15):
            order = orders.order_start_production(order=order, actor=seller)
        if "deposit" in days:
            with clock.at(days["deposit"], 17, 0):
                self._release(order, buyer, "production_start")
        if state == "in_production":
            return
        if state == "refunded":
            self._dispute(deal, order, days, clock, buyer, seller)
            return
        if "inspection" in days:
            with clock.at(days["inspection"], 16, 0):
                orders.document_upload(
                    order=order,
                    actor=seller,
                    side=Side.SUPPLIER,
                    kind=DocumentKind.INSPECTION_REPORT,
                    file=self._inspection_report(order, clock.when(days["inspection"] - 1)),
                    note="Pre-shipment inspection by the buyer's appointed inspector: passed.",
                )
            with clock.at(days["release_inspection"], 10, 0):
                self._release(order, buyer, "inspection_report")
        carrier, prefix, sea_days = deal.carrier
        digest = int(hashlib.sha256(f"{order.payment_reference}{carrier}".encode()).hexdigest(), 16)
        tracking = f"{prefix}{digest % 10**10:010d}"
        with clock.at(days["booked"], 10, 0) as when:
            mode = "sea"
            shipment = orders.shipment_add(
                order=order, actor=seller, mode=mode, carrier=carrier, tracking_number=tracking
            )
            orders.shipment_event_record(
                shipment=shipment,
                actor=seller,
                stage=ShipmentStage.BOOKED,
                occurred_at=when,
                location=port,
                note=f"Space booked with {carrier}; container stuffing at the factory.",
            )
        document = None
        if "bl" in days:
            with clock.at(days["bl"], 15, 30):
                document = orders.document_upload(
                    order=order,
                    actor=seller,
                    side=Side.SUPPLIER,
                    kind=DocumentKind.BILL_OF_LADING,
                    file=self._bill_of_lading(order, carrier, tracking, port, clock.when(days["departed"])),
                    note="Copy of the original bill of lading; originals released by telex.",
                )
        with clock.at(days["bl"] if document is not None else days["departed"], 15, 45):
            orders.shipment_event_record(
                shipment=shipment,
                actor=seller,
                stage=ShipmentStage.DEPARTED,
                occurred_at=clock.when(days["departed"], 18, 0),
                location=port,
                note="Loaded on board; vessel sailed.",
                document=document,
            )
        if "release_bl" in days:
            with clock.at(days["release_bl"], 9, 20):
                self._release(order, buyer, "bill_of_lading")
        if state == "shipped":
            return
        destination = deal.place or deal.city
        for stage, key, where, note in (
            (ShipmentStage.ARRIVED, "arrived", destination, "Discharged at the port of destination."),
            (ShipmentStage.CUSTOMS_CLEARED, "customs", destination, "Import customs cleared by the buyer's broker."),
            (ShipmentStage.DELIVERED, "delivered", deal.city, "Delivered to the buyer's warehouse; POD signed."),
        ):
            with clock.at(days[key], 14, 0) as when:
                orders.shipment_event_record(
                    shipment=shipment, actor=seller, stage=stage, occurred_at=when, location=where, note=note
                )
        with clock.at(days["confirm"], 9, 0):
            order = orders.order_confirm_delivery(order=order, actor=buyer)
        if state in ("disputed", "partially_released"):
            self._dispute(deal, order, days, clock, buyer, seller)
        if deal.review:
            supplier_rating, product_rating, comment = deal.review
            with clock.at(days["review"], 20, 15):
                disputes.review_create(
                    order=order,
                    buyer=buyer,
                    supplier_rating=supplier_rating,
                    product_rating=product_rating,
                    comment=comment,
                )

    def _release(self, order: Order, buyer, evidence: str) -> None:
        for milestone in order.milestones.filter(status=MilestoneStatus.HELD, evidence=evidence):
            orders.milestone_release(milestone=milestone, actor=buyer)

    def _dispute(self, deal: Deal, order: Order, days: dict, clock: Timeline, buyer, seller) -> None:
        spec = deal.dispute or {}
        order.refresh_from_db()
        held = orders.escrow_held(order=order)
        requested = min(held, (order.total * spec["share"]).quantize(Decimal("0.01")))
        with clock.at(days["dispute"], 11, 10) as when:
            dispute = disputes.dispute_open(
                order=order,
                buyer=buyer,
                reason=spec["reason"],
                description=spec["description"],
                requested_refund=requested,
                files=[self._evidence(order, spec["evidence"], spec["description"], when, by_buyer=True)],
            )
        if "answer" not in spec:
            return
        with clock.at(days["answer"], 10, 40) as when:
            dispute = disputes.dispute_answer(
                dispute=dispute,
                actor=seller,
                answer=spec["answer"],
                files=[self._evidence(order, spec["answer_evidence"], spec["answer"], when, by_buyer=False)]
                if spec.get("answer_evidence")
                else [],
            )
        if "decision" not in spec:
            return
        refund = None
        if spec["decision"] == "partial":
            refund = (requested * spec["refund_share"]).quantize(Decimal("0.01"))
        with clock.at(days["decide"], 15, 0):
            disputes.dispute_decide(
                dispute=dispute,
                operator=self.operator,
                decision=spec["decision"],
                note=spec["note"],
                refund_amount=refund,
            )

    # --- the documents ------------------------------------------------------------------------------------------

    def _parties(self, order: Order) -> tuple[list[str], str]:
        terms = order.version.parsed
        line = terms.lines[0]
        goods = f"{line.quantity:,} {line.unit.replace('_', ' ')} {line.product}"
        return [
            f"Contract {order.contract.number}    Order {order.number}    Escrow reference {order.payment_reference}",
            f"Seller: {terms.supplier.name}, {order.supplier.city}, China",
            f"Buyer: {terms.buyer.name} ({terms.buyer.country})",
        ], goods

    def _bill_of_lading(self, order: Order, carrier: str, number: str, port: str, on_board: datetime):
        head, goods = self._parties(order)
        terms = order.version.parsed
        line = terms.lines[0]
        cartons = max(1, line.quantity // 20)
        freight = "PREPAID" if terms.incoterm in ("CIF", "CFR", "CPT", "CIP", "DAP", "DDP") else "COLLECT"
        return pdf_upload(
            f"bill-of-lading-{number}.pdf",
            f"BILL OF LADING  No. {number}",
            [
                f"Carrier: {carrier}",
                f"Shipper: {terms.supplier.name}",
                f"Consignee: {terms.buyer.name}, {terms.buyer.country}",
                "Notify party: same as consignee",
                f"Port of loading: {port}    Port of discharge: {terms.incoterm_place or 'as per booking'}",
                f"Shipped on board: {timezone.localtime(on_board):%Y-%m-%d}",
                "",
                f"Description of goods: {goods}",
                f"Packages: {cartons:,} export cartons on pallets, said to contain",
                f"Container: 1 x 40' HC, seal SW{int(number[-6:]):06d}",
                f"Freight {freight}    Incoterms 2020: {terms.incoterm} {terms.incoterm_place}",
                "",
                *head,
                "",
                "Number of original B/L: 3 (three). Copy not negotiable.",
                f"Signed for the carrier {carrier} as carrier.",
            ],
        )

    def _inspection_report(self, order: Order, inspected: datetime):
        head, goods = self._parties(order)
        line = order.version.parsed.lines[0]
        sample = 125 if line.quantity >= 1200 else 80
        return pdf_upload(
            f"inspection-report-{order.number}.pdf",
            "PRE-SHIPMENT INSPECTION REPORT",
            [
                f"Report {order.number}-PSI    Date of inspection: {timezone.localtime(inspected):%Y-%m-%d}",
                "Inspection company: Pearl River Quality Services Ltd. (appointed by the buyer)",
                *head,
                "",
                f"Goods: {goods}",
                f"Place: the supplier's warehouse, {order.supplier.city}",
                f"Standard: ISO 2859-1, general inspection level II; sample size {sample}",
                "AQL: critical 0 / major 2.5 / minor 4.0",
                "",
                "Findings: critical 0, major 1, minor 3 (within the acceptance numbers)",
                "Quantity: 100% of the order packed; cartons counted and sealed",
                "Workmanship, function, packing and shipping marks: conform",
                "",
                "RESULT: PASSED",
            ],
        )

    def _evidence(self, order: Order, title: str, text: str, when: datetime, *, by_buyer: bool):
        head, goods = self._parties(order)
        words = text.split()
        wrapped, current = [], ""
        for word in words:
            if len(current) + len(word) > 95:
                wrapped.append(current)
                current = ""
            current = f"{current} {word}".strip()
        wrapped.append(current)
        return pdf_upload(
            f"{'buyer' if by_buyer else 'supplier'}-evidence-{order.number}.pdf",
            title,
            [
                f"Prepared by the {'buyer' if by_buyer else 'supplier'} on {timezone.localtime(when):%Y-%m-%d}",
                *head,
                f"Goods: {goods}",
                "",
                *wrapped,
            ],
        )

    # --- the contract under negotiation ---------------------------------------------------------------------------

    def _negotiation(self) -> int:
        """buyer-de's accepted quote (from seed_sourcing_demo): the supplier proposes version 2, the buyer has not
        answered yet. Skipped when that quote is missing or the proposal is already there."""
        quote = (
            Quote.objects.filter(
                status=QuoteStatus.ACCEPTED, rfq__buyer__email=NEGOTIATION_BUYER, rfq__plan__isnull=False
            )
            .select_related("rfq", "supplier")
            .order_by("pk")
            .first()
        )
        if quote is None:
            self.stdout.write(self.style.WARNING("  no accepted quote from seed_sourcing_demo: no negotiation shown"))
            return 0
        contract = contracts.contract_open(quote=quote)
        if contract.versions.filter(note=NEGOTIATION_NOTE).exists():
            return 0
        if contract.status == ContractStatus.DRAFTING:
            contract = contracts.contract_draft(contract_id=contract.pk)
        if contract is None or contract.status != ContractStatus.NEGOTIATING or contract.versions.count() != 1:
            return 0
        seller = self._seller(quote.supplier)
        self._propose(
            contract,
            seller,
            Side.SUPPLIER,
            {"lead_time": 10, "clauses": {"packaging": NEGOTIATION_PACKAGING}},
            NEGOTIATION_NOTE,
        )
        return 1

    # --- which rows a deal wrote ----------------------------------------------------------------------------------

    def _rows(self, rfq: RFQ) -> list:
        contract = Contract.objects.filter(quote__rfq=rfq)
        order = Order.objects.filter(contract__in=contract)
        refs = [f"deals.order:{pk}" for pk in order.values_list("pk", flat=True)] + [
            f"deals.review:{pk}" for pk in Review.objects.filter(order__in=order).values_list("pk", flat=True)
        ]
        return [
            RFQ.objects.filter(pk=rfq.pk),
            RFQRecipient.objects.filter(rfq=rfq),
            Quote.objects.filter(rfq=rfq),
            contract,
            ContractVersion.objects.filter(contract__in=contract),
            DealEvent.objects.filter(contract__in=contract),
            order,
            PaymentMilestone.objects.filter(order__in=order),
            LedgerTransaction.objects.filter(order__in=order),
            OrderDocument.objects.filter(order__in=order),
            Shipment.objects.filter(order__in=order),
            ShipmentEvent.objects.filter(shipment__order__in=order),
            Dispute.objects.filter(order__in=order),
            Review.objects.filter(order__in=order),
            SupplierActivity.objects.filter(source_ref__in=refs),
        ]

    # --- what to try ----------------------------------------------------------------------------------------------

    def _summary(self) -> None:
        demo = Order.objects.filter(buyer__email__endswith="@demo.silkway.test").select_related("buyer", "supplier")
        counts = Counter(demo.values_list("status", flat=True))
        lines = ["", "Orders by state:"]
        for status in OrderStatus:
            lines.append(f"  {status.value:<20} {counts.get(status.value, 0)}")
        unsigned = Contract.objects.filter(
            buyer__email__endswith="@demo.silkway.test", status=ContractStatus.NEGOTIATING
        ).select_related("buyer", "supplier")
        lines.append(f"  {'contracts unsigned':<20} {unsigned.count()}")
        lines += ["", f"Logins (password for all: {DEMO_PASSWORD}):"]
        for order in demo.order_by("buyer__email", "pk"):
            dispute = getattr(order, "dispute", None) if order.status == OrderStatus.DISPUTED else None
            detail = f" ({dispute.get_status_display().lower()})" if dispute else ""
            seller = self._seller(order.supplier)
            lines.append(
                f"  {order.buyer.email:<28} {order.number} {order.status + detail:<42} "
                f"seller {seller.email if seller else '-'} ({order.supplier.name})"
            )
        for contract in unsigned.order_by("buyer__email", "pk"):
            latest = contract.versions.order_by("-number").first()
            waiting = "waits for the buyer's signature" if latest and latest.supplier_signatory else "under negotiation"
            waiting += f" (v{latest.number if latest else 0})"
            seller = self._seller(contract.supplier)
            lines.append(
                f"  {contract.buyer.email:<28} {contract.number} {waiting:<42} "
                f"seller {seller.email if seller else '-'} ({contract.supplier.name})"
            )
        lines.append(f"  operator {OPERATOR_EMAIL}: /admin/ (payments to confirm, disputes to decide, the ledger)")
        self.stdout.write("\n".join(lines))
