"""Give the demo suppliers what the leaderboards read, then publish this week's boards.

    python manage.py seed_demo              # first: suppliers, products, buyers, inquiries
    python manage.py seed_rankings_demo     # then: figures, designations, order/rating activity, snapshots

For every demo supplier (slug "demo-…"), from its own RNG (f"{seed}-figures-{slug}", …-activity-…):

* SupplierFigures for the last two fiscal years, consistent with the storefront profile (staff, R&D share,
  patents, main-business share) and with each other (the older year's revenue follows from the growth rate).
  Factories invest more in R&D and hold more patents than trading companies; some suppliers declare only a few
  inputs. Inputs become document-verified only where the supplier uploaded evidence and the operator checked it
  (more often for on-site-checked and assessed suppliers), through the same services the admin uses.
* An OfficialDesignation for a handful of the strongest factories; most of them verified by the demo operator.
* Completed orders and ratings from the demo buyers over the last year, recorded through
  services.supplier_activity_record, for most suppliers.
* The boards of the past few weeks, then this week's: each supplier's rank has a history and a movement.

Re-running creates nothing twice: a supplier's fiscal year, a supplier's activity and a supplier's designation are
each skipped when they already exist, and publishing a period that is already published is a no-op.
"""

import math
import random
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from demo.documents import ensure_document
from rankings import services
from rankings.models import (
    ActivityKind,
    BoardKind,
    DesignationLevel,
    Entry,
    KeyField,
    OfficialDesignation,
    RDInstitution,
    Snapshot,
    SupplierActivity,
    SupplierFigures,
)
from suppliers.models import Supplier, SupplierKind, VerificationLevel

OPERATOR_EMAIL = "operator@demo.silkway.test"
BUYER_EMAILS = Q(email__startswith="buyer-", email__endswith="@demo.silkway.test")
EVIDENCE_FILE = "demo/ranking-evidence.pdf"
CERTIFICATE_FILE = "demo/designation-certificate.pdf"
CENT = Decimal("0.01")
# Weekly boards published, this week's included: the past ones give every rank a history (and a movement).
HISTORY_WEEKS = 6
PUBLISHED_AT = dtime(6, 0)  # boards are generated early on the Monday after their week

# Which inputs one kind of evidence proves.
FINANCIAL = [
    "revenue_cny",
    "main_business_share",
    "main_business_growth_2y",
    "net_profit_margin",
    "debt_asset_ratio",
    "rd_spend_cny",
]
INTELLECTUAL_PROPERTY = [
    "class1_ip_high_value",
    "class1_ip_self_developed",
    "class1_ip_total",
    "class2_ip_total",
    "rd_institution",
]
CERTIFICATES = ["quality_award", "digitalization_level", "standards_drafted", "own_brand"]
# Inputs a seller may leave blank (revenue, growth and margin are the minimum anyone declares).
OPTIONAL = [
    "main_business_share",
    "niche_since_year",
    "key_field",
    "digitalization_level",
    "quality_award",
    "own_brand",
    "standards_drafted",
    "debt_asset_ratio",
    "class1_ip_high_value",
    "class1_ip_self_developed",
    "class1_ip_total",
    "class2_ip_total",
    "rd_spend_cny",
    "rd_institution",
    "equity_financing_2y_cny",
]
# Share of suppliers at each verification level that uploaded audited statements and had them checked.
EVIDENCE_CHECKED = {
    VerificationLevel.UNVERIFIED: 0.05,
    VerificationLevel.BUSINESS_LICENSE: 0.2,
    VerificationLevel.ONSITE: 0.5,
    VerificationLevel.ASSESSED: 0.75,
}
INSTITUTION_STEPS = [
    RDInstitution.NONE,
    RDInstitution.LOWER,
    RDInstitution.MUNICIPAL,
    RDInstitution.PROVINCIAL,
    RDInstitution.NATIONAL,
]


def money(value):
    return Decimal(str(round(value, 2))).quantize(CENT)


def percent(value, low, high):
    return money(min(high, max(low, value)))


def clamp(value, low, high):
    return min(high, max(low, value))


class Command(BaseCommand):
    help = (
        "Give the demo suppliers ranking figures, designations and order/rating activity, then publish this "
        "week's leaderboards. Run after seed_demo; re-running creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="RNG seed; the same seed gives the same data.")
        parser.add_argument(
            "--history-weeks",
            type=int,
            default=HISTORY_WEEKS,
            help="Weeks of boards to publish, this one included (at least 1).",
        )

    def handle(self, *args, seed, history_weeks, **options):
        started = time.monotonic()
        self.seed = seed
        self.history_weeks = max(1, history_weeks)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        suppliers = list(Supplier.objects.filter(slug__startswith="demo-").order_by("slug"))
        if not suppliers:
            raise CommandError("No demo suppliers: run `manage.py seed_demo` first.")
        user_model = get_user_model()
        self.operator = user_model.objects.filter(email=OPERATOR_EMAIL).first()
        self.buyers = list(user_model.objects.filter(BUYER_EMAILS).order_by("email"))

        plans = {supplier.pk: self.plan_figures(supplier) for supplier in suppliers}
        figures, verified = self.seed_figures(suppliers, plans)
        designations, designations_verified = self.seed_designations(suppliers, plans)
        orders, ratings = self.seed_activity(suppliers, plans)
        # The storefront's delivery, dispute and rating figures come from the same activity as the boards.
        services.supplier_order_metrics_recompute_all()
        self.stdout.write(
            f"{len(suppliers)} demo suppliers: {figures} fiscal-year figures created ({verified} with "
            f"document-verified inputs), {designations} official designations ({designations_verified} verified), "
            f"{orders} orders and {ratings} ratings recorded."
        )

        try:
            history = self.publish_history()
            run = services.leaderboard_generate_all(trigger="seed_rankings_demo")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if history:
            self.stdout.write(
                f"{self.history_weeks - 1} past weeks' boards published first ({history} snapshots): ranks have a "
                "history."
            )
        self.stdout.write(
            f"Week of {run.period}: {run.snapshots_created} snapshots published, {run.boards_skipped} already "
            "published."
        )
        if run.boards_skipped and (figures or orders):
            self.stdout.write(
                self.style.WARNING(
                    "This week's boards were published before these inputs existed and snapshots never change: the "
                    "new figures and activity show in next week's snapshots."
                )
            )
        self.report_boards(run.period)
        self.stdout.write(self.style.SUCCESS(f"Ranking demo data ready in {time.monotonic() - started:.1f}s."))

    def publish_history(self):
        """The boards of the past history_weeks - 1 weeks, oldest first, each as it was published on the Monday after
        its week (inputs as of the end of that week: the orders, ratings and inquiries up to then), so a supplier's
        rank history has points and this week's entries a previous rank. Weeks already published are skipped."""
        created = 0
        this_week = services.period_start(self.today)
        for weeks_ago in range(self.history_weeks - 1, 0, -1):
            period = this_week - timedelta(weeks=weeks_ago)
            published = datetime.combine(
                period + timedelta(days=7), PUBLISHED_AT, tzinfo=timezone.get_current_timezone()
            )
            run = services.leaderboard_generate_all(
                period=period, trigger="seed_rankings_demo", now=min(self.now, published)
            )
            created += run.snapshots_created
        return created

    # --- figures ------------------------------------------------------------------------------------------------

    def plan_figures(self, supplier):
        """Both fiscal years of one supplier's figures, and how strong it is, from its own RNG."""
        rng = random.Random(f"{self.seed}-figures-{supplier.slug}")
        factory = supplier.kind != SupplierKind.TRADING_COMPANY
        last_year = self.today.year - 1
        # One latent "capability" drives growth, margins, R&D and quality, so strong suppliers are strong throughout.
        if factory:
            capability = rng.gauss(0, 1) + 0.2 * min(supplier.invention_patents, 5) - 0.3
            if supplier.rd_spend_share is not None and supplier.rd_spend_share >= 5:
                capability += 0.3
        else:
            capability = rng.gauss(-0.5, 0.8)
        staff = supplier.staff_count or (40 if not factory else 150)
        if factory:
            revenue = staff * rng.lognormvariate(math.log(420_000) + 0.2 * capability, 0.5)
            growth = rng.gauss(6 + 4 * capability, 7)
            margin = rng.gauss(5.5 + 2.5 * capability, 4)
            rd_share = float(supplier.rd_spend_share or Decimal(3)) * rng.lognormvariate(0.1 * capability, 0.25)
            digitalization = round(2 + 0.6 * capability + rng.gauss(0, 0.7))
            institution = capability + rng.gauss(0, 0.6)
            institution = INSTITUTION_STEPS[sum(institution > step for step in (-0.3, 0.4, 1.2, 2.0))]
            key_field = rng.choices(
                [KeyField.GAP_FILLING, KeyField.SIX_FOUNDATIONS, KeyField.NONE],
                weights=[max(0.02, 0.1 + 0.1 * capability), 0.3, 0.6],
            )[0]
            class1 = supplier.invention_patents + (rng.randint(1, 4) if rng.random() < 0.35 else 0)
            self_developed = class1 - (rng.randint(0, class1 // 3) if class1 else 0)
            high_value = min(self_developed, rng.randint(1, 2)) if capability > 0.5 and rng.random() < 0.6 else 0
            class2 = supplier.utility_patents + supplier.design_patents
            quality_award = rng.random() < 0.05 + 0.12 * max(capability, 0)
            own_brand = rng.random() < 0.45 + 0.1 * capability
            standards = rng.randint(1, 4) if capability > 0.8 and rng.random() < 0.5 else 0
            equity = rng.randint(5, 80) * 1_000_000 if rng.random() < 0.05 + 0.05 * max(capability, 0) else 0
        else:
            revenue = staff * rng.lognormvariate(math.log(700_000) + 0.2 * capability, 0.7)
            growth = rng.gauss(3 + 3 * capability, 9)
            margin = rng.gauss(3.5 + capability, 2.5)
            rd_share = rng.uniform(0, 1.2) if rng.random() < 0.6 else None
            digitalization = round(1.6 + 0.4 * capability + rng.gauss(0, 0.7))
            institution = RDInstitution.LOWER if rng.random() < 0.1 else RDInstitution.NONE
            key_field = KeyField.SIX_FOUNDATIONS if rng.random() < 0.05 else KeyField.NONE
            class1 = self_developed = high_value = 0
            class2 = rng.randint(0, 3) if rng.random() < 0.3 else 0
            quality_award = rng.random() < 0.02
            own_brand = rng.random() < 0.3
            standards = 0
            equity = 0
        founded = supplier.founded_year or 2010
        niche_since = min(last_year, founded + rng.randint(0, 6))
        if rng.random() < 0.08:  # moved into this niche only recently
            niche_since = rng.randint(last_year - 1, last_year)
        latest = {
            "revenue_cny": money(revenue),
            "main_business_share": percent(
                float(supplier.main_business_revenue_share or 80) + rng.gauss(0, 2), 30, 100
            ),
            "main_business_growth_2y": percent(growth, -35, 120),
            "niche_since_year": niche_since,
            "key_field": key_field,
            "digitalization_level": clamp(digitalization, 1, 4),
            "quality_award": quality_award,
            "own_brand": own_brand,
            "standards_drafted": standards,
            "net_profit_margin": percent(margin, -25, 40),
            "debt_asset_ratio": percent(rng.gauss(50 - 5 * capability, 14), 8, 120),
            "class1_ip_high_value": high_value,
            "class1_ip_self_developed": self_developed,
            "class1_ip_total": class1,
            "class2_ip_total": class2,
            "rd_spend_cny": money(revenue * min(rd_share, 25) / 100) if rd_share is not None else None,
            "rd_institution": institution,
            "equity_financing_2y_cny": money(equity),
        }
        # The year before: revenue follows from last year's growth; IP and capabilities were a little behind.
        one_year_growth = max(-60.0, rng.gauss(growth, 4))
        previous_revenue = revenue / (1 + one_year_growth / 100)
        previous_class1 = max(0, class1 - (rng.random() < 0.3))
        previous_self = min(previous_class1, max(0, self_developed - (rng.random() < 0.3)))
        previous = {
            **latest,
            "revenue_cny": money(previous_revenue),
            "main_business_share": percent(float(latest["main_business_share"]) + rng.gauss(0, 1.5), 30, 100),
            "main_business_growth_2y": percent(rng.gauss(growth, 5), -35, 120),
            "digitalization_level": clamp(latest["digitalization_level"] - (rng.random() < 0.25), 1, 4),
            "standards_drafted": max(0, standards - (rng.random() < 0.3)),
            "net_profit_margin": percent(margin + rng.gauss(0, 1.5), -25, 40),
            "debt_asset_ratio": percent(float(latest["debt_asset_ratio"]) + rng.gauss(0, 3), 8, 120),
            "class1_ip_high_value": min(high_value, previous_self),
            "class1_ip_self_developed": previous_self,
            "class1_ip_total": previous_class1,
            "class2_ip_total": max(0, class2 - rng.randint(0, 3)),
            "rd_spend_cny": (
                money(previous_revenue * min(rd_share * rng.uniform(0.85, 1.1), 25) / 100)
                if rd_share is not None
                else None
            ),
        }
        if institution != RDInstitution.NONE and rng.random() < 0.15:  # the institution was upgraded last year
            previous["rd_institution"] = INSTITUTION_STEPS[INSTITUTION_STEPS.index(institution) - 1]
        # How much the supplier declared: most fill in everything, some a part, a few only the basics.
        thoroughness = rng.random()
        if thoroughness < 0.12:
            blank = set(OPTIONAL)
        elif thoroughness < 0.4:
            blank = set(rng.sample(OPTIONAL, k=rng.randint(2, 6)))
        else:
            blank = {"equity_financing_2y_cny"} if rng.random() < 0.5 else set()
        if not factory and rng.random() < 0.5:
            blank |= {"class1_ip_high_value", "class1_ip_self_developed", "class1_ip_total", "rd_institution"}
        for row in (latest, previous):
            for name in blank:
                row[name] = "" if name in ("key_field", "rd_institution") else None
        # Evidence: checked by the operator, uploaded and awaiting review, or none.
        draw = rng.random()
        # Stronger suppliers more often have audited statements to show.
        checked = draw < EVIDENCE_CHECKED.get(supplier.verification_level, 0.1) + 0.1 * max(capability, 0)
        pending = not checked and draw > 0.9
        verify = []
        if checked:
            verify = list(FINANCIAL)
            if rng.random() < 0.6:
                verify += INTELLECTUAL_PROPERTY
            if rng.random() < 0.4:
                verify += CERTIFICATES
        return {
            "capability": capability,
            "factory": factory,
            "years": {last_year: latest, last_year - 1: previous},
            "evidence": checked or pending,
            "verify": verify,
            # The latest year's audited statements are sometimes still with the operator.
            "verify_latest": checked and rng.random() > 0.2,
        }

    def seed_figures(self, suppliers, plans):
        years = sorted({year for plan in plans.values() for year in plan["years"]})
        existing = set(
            SupplierFigures.objects.filter(supplier__in=suppliers, fiscal_year__in=years).values_list(
                "supplier_id", "fiscal_year"
            )
        )
        if any(plan["evidence"] for plan in plans.values()):
            ensure_document(
                EVIDENCE_FILE, "Audited financial statements (Silkway demo)", model=SupplierFigures, field="evidence"
            )
        created = verified = 0
        last_year = max(years)
        with transaction.atomic():
            for supplier in suppliers:
                plan = plans[supplier.pk]
                for year, values in sorted(plan["years"].items()):
                    if (supplier.pk, year) in existing:
                        continue
                    figures = SupplierFigures(
                        supplier=supplier,
                        fiscal_year=year,
                        evidence=EVIDENCE_FILE if plan["evidence"] else "",
                        **values,
                    )
                    figures = services.supplier_figures_save(figures=figures)
                    figures.evidence.close()
                    created += 1
                    fields = [name for name in plan["verify"] if values.get(name) not in (None, "")]
                    if fields and (year != last_year or plan["verify_latest"]):
                        services.supplier_figures_verify(figures=figures, operator=self.operator, fields=fields)
                        verified += 1
        return created, verified

    # --- designations ------------------------------------------------------------------------------------------

    def seed_designations(self, suppliers, plans):
        """The state's designation for a handful of the strongest factories (about one in twenty)."""
        factories = [s for s in suppliers if plans[s.pk]["factory"]]
        strongest = sorted(factories, key=lambda s: (-plans[s.pk]["capability"], s.slug))
        strongest = [s for s in strongest[: max(1, round(len(factories) / 20))] if plans[s.pk]["capability"] > 0.5]
        have = set(OfficialDesignation.objects.filter(supplier__in=strongest).values_list("supplier_id", flat=True))
        created = verified = 0
        if not strongest:
            return created, verified
        ensure_document(
            CERTIFICATE_FILE,
            "Official designation certificate (Silkway demo)",
            model=OfficialDesignation,
            field="document",
        )
        with transaction.atomic():
            for position, supplier in enumerate(strongest):
                if supplier.pk in have:
                    continue
                rng = random.Random(f"{self.seed}-designation-{supplier.slug}")
                level = (
                    DesignationLevel.LITTLE_GIANT
                    if position < max(1, len(strongest) // 4)
                    else rng.choice([DesignationLevel.SPECIALIZED_SME, DesignationLevel.INNOVATIVE_SME])
                )
                province = supplier.region.rpartition(",")[2].strip() or "Provincial"
                issued = self.today - timedelta(days=rng.randint(60, 900))
                prefix, issuer = {
                    DesignationLevel.LITTLE_GIANT: ("MIIT-XJR", "Ministry of Industry and Information Technology"),
                    DesignationLevel.SPECIALIZED_SME: ("ZJTX", f"{province} Department of Industry and IT"),
                    DesignationLevel.INNOVATIVE_SME: ("CXX", f"{province} Department of Industry and IT"),
                }[level]
                designation = OfficialDesignation(
                    supplier=supplier,
                    level=level,
                    certificate_number=f"{prefix}-{issued.year}-{supplier.slug.removeprefix('demo-')}",
                    issuer=issuer,
                    issued_on=issued,
                    valid_until=issued + timedelta(days=3 * 365),
                    document=CERTIFICATE_FILE,
                )
                designation.full_clean()
                designation.save()
                designation.document.close()
                created += 1
                # Most have been checked (always the first "little giant"); the rest wait in the operator's queue.
                if self.operator is not None and (position == 0 or rng.random() < 0.7):
                    services.designation_verify(designation=designation, operator=self.operator)
                    verified += 1
        return created, verified

    # --- platform activity --------------------------------------------------------------------------------------

    def seed_activity(self, suppliers, plans):
        """Completed orders and ratings from the demo buyers over the last year, for most suppliers."""
        if not self.buyers:
            self.stdout.write(self.style.WARNING("No demo buyers (buyer-…@demo.silkway.test): no activity recorded."))
            return 0, 0
        active = set(
            SupplierActivity.objects.filter(supplier__in=suppliers).values_list("supplier_id", flat=True).distinct()
        )
        orders = ratings = 0
        with transaction.atomic():
            for supplier in suppliers:
                if supplier.pk in active:
                    continue
                rng = random.Random(f"{self.seed}-activity-{supplier.slug}")
                if rng.random() < 0.15:  # not every supplier has sold through the platform yet
                    continue
                for order in self.plan_orders(supplier, plans[supplier.pk], rng):
                    ref = f"{supplier.slug}-{order['n']:03d}"
                    services.supplier_activity_record(
                        supplier=supplier,
                        kind=ActivityKind.ORDER,
                        source_ref=f"order:{ref}",
                        occurred_at=order["at"],
                        buyer=order["buyer"],
                        order_value_usd=order["value"],
                        delivered_on_time=order["on_time"],
                        disputed=order["disputed"],
                    )
                    orders += 1
                    if order["rating"] is not None:
                        services.supplier_activity_record(
                            supplier=supplier,
                            kind=ActivityKind.RATING,
                            source_ref=f"review:{ref}",
                            occurred_at=order["rated_at"],
                            buyer=order["buyer"],
                            rating=order["rating"],
                        )
                        ratings += 1
        return orders, ratings

    def plan_orders(self, supplier, plan, rng):
        capability, factory = plan["capability"], plan["factory"]
        count = min(60, round(rng.lognormvariate(1.9 + 0.25 * capability, 0.8)))
        typical_value = rng.lognormvariate(math.log(14_000 if factory else 6_000), 0.6)
        on_time_rate = clamp(0.87 + 0.05 * capability + rng.gauss(0, 0.07), 0.45, 1.0)
        dispute_rate = rng.choices([0.0, 0.01, 0.03, 0.08], weights=[50, 25, 18, 7])[0]
        regulars = rng.sample(self.buyers, k=min(len(self.buyers), rng.randint(1, 4)))
        latest = self.now - timedelta(hours=2)
        for n in range(count):
            at = self.now - timedelta(days=rng.uniform(2, 358), minutes=rng.randint(0, 1439))
            disputed = rng.random() < dispute_rate
            on_time = rng.random() < (on_time_rate * (0.5 if disputed else 1))
            rating = rated_at = None
            if rng.random() < 0.55:  # about half the buyers leave a rating
                mean = 4.45 + 0.2 * capability - (0.7 if not on_time else 0) - (1.2 if disputed else 0)
                rating = int(clamp(round(rng.gauss(mean, 0.5)), 3, 5))
                rated_at = min(latest, at + timedelta(days=rng.uniform(3, 20)))
            yield {
                "n": n,
                "at": at,
                # Repeat buyers come back; the rest are spread over the demo buyers.
                "buyer": rng.choice(regulars) if rng.random() < 0.5 else rng.choice(self.buyers),
                "value": money(typical_value * rng.lognormvariate(0, 0.5)),
                "on_time": on_time,
                "disputed": disputed,
                "rating": rating,
                "rated_at": rated_at,
            }

    # --- summary ------------------------------------------------------------------------------------------------

    def report_boards(self, period):
        snapshots = (
            Snapshot.objects.filter(period=period)
            .values("leaderboard__board")
            .annotate(
                boards=Count("pk"),
                with_entries=Count("pk", filter=Q(entry_count__gt=0)),
                entries=Sum("entry_count"),
                top_level=Sum("entry_count", filter=Q(leaderboard__category__parent__isnull=True)),
            )
        )
        by_board = {row["leaderboard__board"]: row for row in snapshots}
        for board, label in BoardKind.choices:
            row = by_board.get(board)
            if row is None:
                self.stdout.write(f"  {label}: no snapshot for {period}")
                continue
            line = (
                f"  {label}: {row['with_entries']}/{row['boards']} boards ranked, {row['entries']} entries "
                f"({row['top_level']} on top-level category boards)"
            )
            if board == BoardKind.SPECIALIZED_INNOVATIVE:
                gates = Entry.objects.filter(
                    snapshot__period=period,
                    snapshot__leaderboard__board=board,
                    snapshot__leaderboard__category__parent__isnull=True,
                ).values_list("supplier_id", "gates")
                ranked = {supplier_id for supplier_id, _ in gates}
                clear = {supplier_id for supplier_id, met in gates if met and all(met.values())}
                line += f"; {len(clear)} of {len(ranked)} ranked suppliers clear every gate"
            self.stdout.write(line)
