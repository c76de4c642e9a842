"""Sourcing requests, plans, RFQs and quotes for the demo buyers, so a newcomer sees the whole flow.

    python manage.py seed_demo && python manage.py seed_rankings_demo   # first
    python manage.py seed_sourcing_demo

Everything goes through the sourcing services, as a buyer and the suppliers would: each request is read into
requirements, planned against the demo catalog, turned into an RFQ sent to the plan's best matches; most
invited suppliers quote from their own price tiers, one declines, one stays silent; one buyer shortlists a quote
and another accepts one. A request already seeded for a buyer (same text) is skipped, so re-running adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from marketplace.models import PriceTier
from sourcing import services
from sourcing.models import RFQ, Answer, PlanStatus, QuoteStatus, SourcingRequest

# (buyer, request as the buyer would write it, what the buyer does with the quotes)
REQUESTS = [
    (
        "buyer-de@demo.silkway.test",
        "Wir suchen einen Hersteller für 3.000 Vakuum-Isolierbecher aus Edelstahl mit unserem Logo, LFGB, "
        "Lieferung nach Hamburg, CIF, Zielpreis 4 EUR pro Stück, innerhalb 45 Tagen.",
        "accept",
    ),
    (
        "buyer-us@demo.silkway.test",
        "Need 1,200 cordless drills 20V brushless with our logo and custom packaging, FCC and UL, "
        "FOB Ningbo, ship to Houston, target USD 28 per piece, within 60 days, samples first.",
        "shortlist",
    ),
    (
        "buyer-br@demo.silkway.test",
        "Precisamos de 500 painéis solares monocristalinos 450W, CE, CIF Santos, Brasil, em 40 dias.",
        "compare",
    ),
    (
        "buyer-es@demo.silkway.test",
        "Necesito 2.000 esterillas de yoga TPE 6 mm con logo, destino Valencia, España, FOB Xiamen, "
        "precio objetivo 5 USD por pieza.",
        "compare",
    ),
    (
        "buyer-ae@demo.silkway.test",
        "采购800台便携式储能电源,需要UN38.3和CE认证,工厂优先,DDP发往迪拜,交期35天。",
        "plan",
    ),
]
SILENT_SHARE = 0.2
PAYMENT_TERMS = ["T/T 30% deposit, 70% against B/L copy", "T/T 30/70", "L/C at sight", "T/T 50/50"]


class Command(BaseCommand):
    help = "Demo sourcing requests, plans, RFQs sent to the best matches, and quotes (run after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7)

    # The invitations and quote e-mails the services send would flood the console in the embedded default.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def handle(self, *args, seed, **options):
        rng = random.Random(seed)
        users = get_user_model().objects
        created = skipped = 0
        for email, text, outcome in REQUESTS:
            buyer = users.filter(email=email).first()
            if buyer is None:
                raise CommandError(f"{email} does not exist: run seed_demo first.")
            if SourcingRequest.objects.filter(buyer=buyer, text=text).exists():
                skipped += 1
                continue
            self._one(rng, buyer, text, outcome)
            created += 1
        self.stdout.write(self.style.SUCCESS(f"Sourcing demo: {created} requests created, {skipped} already there."))

    def _one(self, rng, buyer, text, outcome):
        request = services.sourcing_request_create(buyer=buyer, text=text)
        plan = services.sourcing_plan_request(request=request)
        if not plan.is_finished:
            # The task is queued on commit; inside an outer transaction (tests) that is too late for this command,
            # so compute here. The task, when it runs, finds the plan done and leaves it.
            plan = services.sourcing_plan_compute(plan_id=plan.pk)
        if plan.status != PlanStatus.DONE:
            self.stdout.write(self.style.WARNING(f"  plan for {request} is {plan.status}: {plan.error}"))
            return
        self.stdout.write(f"  {buyer.email}: {request} → {plan.options.count()} options")
        if outcome == "plan" or not plan.options.exists():
            return
        rfq = services.rfq_draft_from_plan(plan=plan, buyer=buyer)
        top = list(plan.options.order_by("rank").values_list("supplier_id", flat=True)[:4])
        rfq = services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=top)
        quotes = self._quotes(rng, rfq)
        if quotes and outcome in ("accept", "shortlist"):
            cheapest = min(quotes, key=lambda q: q.lines.first().tiers.first().unit_price)
            if outcome == "accept":
                services.quote_accept(quote=cheapest, buyer=buyer)
            else:
                services.quote_shortlist(quote=cheapest, buyer=buyer)

    def _quotes(self, rng, rfq: RFQ):
        """Each invited supplier answers from its own catalog prices, as a seller would."""
        quotes = []
        recipients = list(rfq.recipients.select_related("supplier").order_by("pk"))
        line = rfq.lines.get()
        option_products = dict(rfq.plan.options.values_list("supplier_id", "product_id"))
        for index, recipient in enumerate(recipients):
            if index == len(recipients) - 1 and len(recipients) >= 2:
                services.rfq_decline(recipient=recipient, reason="Fully booked until next quarter.")
                continue
            if rng.random() < SILENT_SHARE and index > 0:
                continue  # silence: the buyer sees a gap, not a missing column
            services.rfq_recipient_mark_viewed(recipient=recipient)
            product_id = option_products.get(recipient.supplier_id)
            tiers = list(
                PriceTier.objects.filter(product_id=product_id).select_related("product").order_by("min_quantity")
            )
            base = tiers[-1].unit_price if tiers else Decimal(rng.uniform(2, 40))
            currency = tiers[0].product.currency if tiers else "USD"
            factor = Decimal(str(round(rng.uniform(0.9, 1.08), 3)))
            prices = [
                (base * factor * m).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for m in (Decimal("1.06"), 1)
            ]
            quantities = [max(1, line.quantity // 2), line.quantity]
            answers = [
                {"key": item["key"], "answer": rng.choice([Answer.MEETS, Answer.MEETS, Answer.MEETS, Answer.NO])}
                for item in rfq.requirements
            ]
            try:
                quote = services.quote_submit(
                    recipient=recipient,
                    currency=currency,
                    incoterm=rfq.incoterm or "FOB",
                    incoterm_place=rfq.incoterm_place,
                    lead_time_days=rng.choice([25, 30, 35, 45]),
                    payment_terms=rng.choice(PAYMENT_TERMS),
                    valid_until=timezone.localdate() + timedelta(days=30),
                    samples_available=True,
                    sample_price=(base * 2).quantize(Decimal("0.01")),
                    lines=[
                        {
                            "rfq_line": line.pk,
                            "moq": quantities[0],
                            "tiers": [
                                {"min_quantity": q, "unit_price": p} for q, p in zip(quantities, prices, strict=True)
                            ],
                        }
                    ],
                    answers=answers,
                    notes="Price includes custom logo; carton marking as per buyer's artwork.",
                )
            except ValidationError as error:
                self.stdout.write(self.style.WARNING(f"  quote by {recipient.supplier} refused: {error.messages}"))
                continue
            quotes.append(quote)
        return [q for q in quotes if q.status == QuoteStatus.SUBMITTED]
