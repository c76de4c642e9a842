"""Build a realistic, multilingual demo marketplace, deterministically.

    python manage.py seed_demo                      # ~40 categories, ~200 suppliers, ~3,000 products, buyers
    python manage.py seed_demo --products 100000    # scale the catalog for benchmarks (bulk inserts)

Re-running never duplicates: categories, suppliers and users are keyed by slug/email, products by
external_id "demo-<n>", and product n is generated from its own seeded RNG, so the same n always
yields the same product whatever else exists.
"""

import random
import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import BuyerProfile, User
from conversations.metrics import supplier_metrics_recompute
from conversations.models import Conversation, ConversationKind, Message
from conversations.services import conversation_translate, supplier_reading_language
from demo import catalog
from demo.documents import ensure_document
from marketplace.models import (
    PriceTier,
    Product,
    ProductAttribute,
    ProductImage,
    ProductStatus,
    ProductTranslation,
    TranslationSource,
)
from marketplace.quality import listing_quality
from search.services import search_index_rebuild
from suppliers.models import (
    Certification,
    ProductionCapacity,
    Supplier,
    SupplierKind,
    SupplierMembership,
    VerificationLevel,
)
from taxonomy.models import Category

DEMO_PASSWORD = "silkway-demo"
OPERATOR_EMAIL = "operator@demo.silkway.test"
CHUNK = 2000
CENT = Decimal("0.01")
PRICE_STEP = Decimal("0.0001")  # fasteners and cable sell for fractions of a cent
CERTIFICATE_DOCUMENT = "demo/certificate.pdf"
# Share of trading companies that deal in several trades (their names carry none).
GENERAL_TRADER_SHARE = 0.35
# Attribute values that say nothing in a title ("Glass Water Bottle 500 ml None").
NOT_IN_TITLES = {"Yes", "No", "None"}

# Labels for the generated descriptions in each buyer language.
DESCRIPTION_LABELS = {
    "en": ("Specifications", "Minimum order", "Lead time", "days", "Customization"),
    "zh-hans": ("规格参数", "最小起订量", "交货期", "天", "可定制"),
    "es": ("Especificaciones", "Pedido mínimo", "Plazo de entrega", "días", "Personalización"),
    "fr": ("Caractéristiques", "Commande minimum", "Délai de livraison", "jours", "Personnalisation"),
    "de": ("Technische Daten", "Mindestbestellmenge", "Lieferzeit", "Tage", "Anpassung"),
    "pt": ("Especificações", "Pedido mínimo", "Prazo de entrega", "dias", "Personalização"),
    "ru": ("Характеристики", "Минимальный заказ", "Срок поставки", "дней", "Кастомизация"),
    "ar": ("المواصفات", "الحد الأدنى للطلب", "مدة التسليم", "يوم", "التخصيص"),
    "ja": ("仕様", "最小発注数量", "納期", "日", "カスタマイズ"),
}
CUSTOMIZATION_FIELDS = {
    "logo": "custom_logo",
    "packaging": "custom_packaging",
    "color": "custom_color",
    "oem": "oem",
    "odm": "odm",
}
EXPORT_MARKETS = [
    "EU",
    "US",
    "UK",
    "Middle East",
    "Southeast Asia",
    "Africa",
    "Latin America",
    "Russia & CIS",
    "Japan & Korea",
    "Oceania",
]


def leaf_categories():
    for top in catalog.CATEGORIES:
        for leaf in top["children"]:
            yield top, leaf


def money(value, step=CENT):
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


class Command(BaseCommand):
    help = "Create (or top up) the demo marketplace: categories, suppliers, products, buyers, inquiries."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="RNG seed; the same seed gives the same data.")
        parser.add_argument("--suppliers", type=int, default=200)
        parser.add_argument("--products", type=int, default=3000)
        parser.add_argument("--no-inquiries", action="store_true", help="Skip demo inquiries and metrics.")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Leave the search index alone (run rebuild_search_index later, e.g. with --workers).",
        )

    def handle(self, *args, seed, suppliers, products, no_inquiries, no_index, **options):
        if suppliers < 1 or products < 0:
            raise CommandError("--suppliers must be at least 1 and --products at least 0.")
        started = time.monotonic()
        self.seed = seed
        self.now = timezone.now()
        self.password_hash = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 per user would take minutes
        self.operator = self.seed_operator()  # first: the suppliers' and certificates' checks are in its name
        categories = self.seed_categories()
        self.stdout.write(f"categories: {len(categories)}")
        supplier_rows = self.seed_suppliers(suppliers, categories)
        self.stdout.write(f"suppliers: {len(supplier_rows)}")
        self.seed_certifications(supplier_rows)
        sellers = self.seed_users(supplier_rows)
        created = self.seed_products(products, supplier_rows, categories)
        self.stdout.write(f"products: {created} created, {Product.objects.count()} in all")
        if not no_inquiries:
            self.seed_inquiries(supplier_rows)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics for the rows just loaded (autovacuum may be off or late)
        catalog_seconds = time.monotonic() - started
        if no_index:
            self.stdout.write(f"catalog written in {catalog_seconds:.1f}s; search index not rebuilt (--no-index)")
        else:
            indexed = search_index_rebuild()  # one bulk pass; indexing product by product would take minutes
            self.stdout.write(
                f"catalog written in {catalog_seconds:.1f}s; search index: {indexed} published "
                f"products in {time.monotonic() - started - catalog_seconds:.1f}s"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo marketplace ready in {time.monotonic() - started:.1f}s."))
        self.print_logins(sellers)

    # --- categories ---------------------------------------------------------------------------------------------

    def seed_categories(self):
        by_slug = {}
        for position, top in enumerate(catalog.CATEGORIES):
            parent = self.upsert_category(top, None, top["sector"], position)
            by_slug[parent.slug] = parent
            for child_position, leaf in enumerate(top["children"]):
                by_slug[leaf["slug"]] = self.upsert_category(leaf, parent, top["sector"], child_position)
        self.write_category_images()
        return by_slug

    def upsert_category(self, data, parent, sector, position):
        names = {lang: name for lang, name in data["names"].items() if lang != "en"}
        category, _ = Category.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "parent": parent,
                "name": data["names"]["en"],
                "names": names,
                "sector": sector,
                "position": position,
            },
        )
        return category

    def write_category_images(self):
        """One generated picture per leaf category, so cards are not blank (real sellers upload photos)."""
        from PIL import Image, ImageDraw

        folder = Path(settings.MEDIA_ROOT) / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        for top, leaf in leaf_categories():
            path = folder / f"{leaf['slug']}.png"
            if path.exists():
                continue
            rng = random.Random(f"{self.seed}-image-{leaf['slug']}")
            base = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
            image = Image.new("RGB", (640, 480), base)
            draw = ImageDraw.Draw(image)
            for step in range(12):
                shade = tuple(min(255, c + step * 8) for c in base)
                draw.ellipse(
                    [320 - 300 + step * 22, 240 - 200 + step * 15, 320 + 300 - step * 22, 240 + 200 - step * 15],
                    fill=shade,
                )
            draw.text((24, 440), f"{top['names']['en']} / {leaf['names']['en']}", fill=(255, 255, 255))
            image.save(path, "PNG")

    # --- suppliers ----------------------------------------------------------------------------------------------

    def seed_suppliers(self, count, categories):
        leaf_slugs = [leaf["slug"] for _, leaf in leaf_categories()]
        existing = {s.slug: s for s in Supplier.objects.filter(slug__startswith="demo-")}
        rows, new = [], []
        for n in range(count):
            rng = random.Random(f"{self.seed}-supplier-{n}")
            # Every leaf category gets suppliers even if no cluster lists it: supplier n < leaves starts in leaf n,
            # in a cluster known for it where there is one.
            primary = leaf_slugs[n] if n < len(leaf_slugs) else None
            cluster = catalog.CLUSTERS[n % len(catalog.CLUSTERS)]
            if primary is not None and primary not in cluster["categories"]:
                known_for = [c for c in catalog.CLUSTERS if primary in c["categories"]]
                cluster = known_for[n % len(known_for)] if known_for else cluster
            local = [s for s in cluster["categories"] if s in categories] or leaf_slugs
            primary = primary or rng.choice(local)
            kind = rng.choices(
                [SupplierKind.FACTORY, SupplierKind.TRADING_COMPANY, SupplierKind.BOTH], weights=[45, 45, 10]
            )[0]
            specialties, trade = plan_specialties(rng, primary, local, kind)
            slug = f"demo-{n:05d}"
            rows.append((slug, specialties))
            if slug in existing:
                continue
            new.append(self.build_supplier(rng, n, slug, kind, cluster, specialties, trade))
        Supplier.objects.bulk_create(new, batch_size=CHUNK)
        suppliers = {s.slug: s for s in Supplier.objects.filter(slug__in=[slug for slug, _ in rows])}
        unit_by_leaf = {leaf["slug"]: leaf["products"][0]["unit"] for _, leaf in leaf_categories()}
        capacities = []
        for supplier in new:
            saved = suppliers[supplier.slug]
            specialties = dict(rows)[supplier.slug]
            rng = random.Random(f"{self.seed}-capacity-{saved.slug}")
            for slug in specialties:
                capacities.append(
                    ProductionCapacity(
                        supplier=saved,
                        category=categories[slug],
                        product_line=categories[slug].name,
                        quantity=rng.choice([5000, 20000, 50000, 100000, 300000]),
                        unit=unit_by_leaf[slug].replace("_", " "),
                        period=ProductionCapacity.Period.MONTH,
                        production_lines=rng.randint(2, 24) if saved.is_manufacturer else None,
                    )
                )
        ProductionCapacity.objects.bulk_create(capacities, batch_size=CHUNK)
        return [(suppliers[slug], specialties) for slug, specialties in rows]

    def build_supplier(self, rng, n, slug, kind, cluster, specialties, trade):
        word = catalog.COMPANY_WORDS[n % len(catalog.COMPANY_WORDS)]
        suffixes = catalog.TRADING_SUFFIXES if kind == SupplierKind.TRADING_COMPANY else catalog.FACTORY_SUFFIXES
        trade_name = trade["name"] if trade else ""
        name = " ".join(part for part in [cluster["city"], word, trade_name, rng.choice(suffixes)] if part)
        founded = rng.randint(1993, 2021)
        staff = rng.randint(15, 60) if kind == SupplierKind.TRADING_COMPANY else rng.randint(50, 1800)
        is_factory = kind != SupplierKind.TRADING_COMPANY
        verification = rng.choices(list(VerificationLevel.values), weights=[25, 35, 25, 15])[0]
        markets = rng.sample(EXPORT_MARKETS, k=rng.randint(2, 6))
        about_kind = {
            SupplierKind.FACTORY: "manufacturer",
            SupplierKind.TRADING_COMPANY: "export trading company working with audited partner factories",
            SupplierKind.BOTH: "manufacturer with its own export department",
        }[kind]
        return Supplier(
            slug=slug,
            name=name,
            kind=kind,
            country="CN",
            region=f"{cluster['city']}, {cluster['province']}",
            city=cluster["city"],
            about=(
                f"{name} is a {about_kind} in {cluster['city']}, {cluster['province']}, founded in {founded}. "
                f"Main products: {', '.join(supplier_category_names(specialties))}. "
                f"We export to {', '.join(markets)} and answer inquiries in English"
                f"{' and Spanish' if rng.random() < 0.3 else ''}."
            ),
            founded_year=founded,
            staff_count=staff,
            rd_staff_count=max(1, staff // rng.randint(8, 25)) if is_factory else None,
            factory_area_m2=rng.choice([3000, 8000, 12000, 20000, 45000, 80000]) if is_factory else None,
            export_markets=markets,
            years_exporting=rng.randint(1, max(1, 2026 - founded)),
            languages=[
                "en",
                "zh-hans",
                *(["es"] if rng.random() < 0.3 else []),
                *(["ru"] if rng.random() < 0.15 else []),
            ],
            offers_oem=rng.random() < (0.8 if is_factory else 0.4),
            offers_odm=is_factory and rng.random() < 0.5,
            offers_custom_packaging=rng.random() < 0.7,
            offers_samples=rng.random() < 0.85,
            trade_assurance=rng.random() < 0.6,
            invention_patents=rng.choice([0, 0, 0, 1, 2, 5]) if is_factory else 0,
            utility_patents=rng.choice([0, 2, 5, 12, 30]) if is_factory else 0,
            design_patents=rng.choice([0, 1, 3, 8]) if is_factory else 0,
            rd_spend_share=money(rng.uniform(1.0, 9.0)) if is_factory else None,
            main_business_revenue_share=money(rng.uniform(55, 98)),
            verification_level=verification,
            # A verification is an operator's check, on a date: recorded as supplier_verify records it.
            verified_at=self.now - timedelta(days=rng.randint(10, 700)) if verification != "unverified" else None,
            verified_by=self.operator if verification != "unverified" else None,
        )

    def seed_certifications(self, supplier_rows):
        """Each supplier's certificates for what it makes. Some come with the certificate's scan (the demo's one
        stand-in PDF), and an operator has checked about two in three of those that are still valid (as
        certification_verify would: never without a document, never once lapsed); the rest are self-declared."""
        if Certification.objects.filter(supplier__slug__startswith="demo-").exists():
            return
        ensure_document(CERTIFICATE_DOCUMENT, "Certificate (Silkway demo)", model=Certification, field="document")
        templates_by_leaf = {leaf["slug"]: leaf["products"] for _, leaf in leaf_categories()}
        today = timezone.localdate()
        certifications = []
        for supplier, specialties in supplier_rows:
            rng = random.Random(f"{self.seed}-certs-{supplier.slug}")
            codes = {code for slug in specialties for t in templates_by_leaf[slug] for code in t["certifications"]}
            if supplier.is_manufacturer and rng.random() < 0.7:
                codes.add("ISO9001")
            for code in sorted(codes):
                if rng.random() < 0.25:
                    continue  # not every supplier holds every certificate its products could have
                issued = today - timedelta(days=rng.randint(60, 1400))
                # About one in ten certificates has lapsed: the pages must not show them as valid.
                lapsed = rng.random() < 0.1
                until = (
                    today - timedelta(days=rng.randint(5, 200))
                    if lapsed
                    else today + timedelta(days=rng.randint(90, 1100))
                )
                valid_from = min(issued, until - timedelta(days=30))
                uploaded = rng.random() < 0.7
                verified_at = None
                if uploaded and not lapsed and rng.random() < 0.7:
                    checked_days_ago = rng.randint(1, min(300, (today - valid_from).days))
                    verified_at = self.now - timedelta(days=checked_days_ago)
                certifications.append(
                    Certification(
                        supplier=supplier,
                        type=code,
                        number=f"{code}-{supplier.pk:05d}-{rng.randint(10000, 99999)}",
                        issuer=rng.choice(catalog.CERT_ISSUERS[code]),
                        scope=", ".join(supplier_category_names(specialties)),
                        valid_from=valid_from,
                        valid_until=until,
                        document=CERTIFICATE_DOCUMENT if uploaded else "",
                        verified_at=verified_at,
                    )
                )
        Certification.objects.bulk_create(certifications, batch_size=CHUNK)

    # --- users --------------------------------------------------------------------------------------------------

    def seed_operator(self):
        operator, _ = User.objects.get_or_create(
            email=OPERATOR_EMAIL,
            defaults={
                "first_name": "Olga",
                "last_name": "Operator",
                "is_staff": True,
                "is_superuser": True,
                "password": self.password_hash,
            },
        )
        return operator

    def seed_users(self, supplier_rows):
        buyers = []
        for data in catalog.BUYERS:
            user, created = User.objects.get_or_create(
                email=data["email"],
                defaults={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "password": self.password_hash,
                },
            )
            if created:
                BuyerProfile.objects.create(
                    user=user,
                    company_name=data["company"],
                    country=data["country"],
                    preferred_language=data["language"],
                    preferred_currency=data["currency"],
                )
            buyers.append(user)
        self.buyers = buyers
        # Every demo supplier gets one seller login: seller-00000@demo.silkway.test, ...
        sellers = []
        existing = set(
            User.objects.filter(email__endswith="@demo.silkway.test", email__startswith="seller-").values_list(
                "email", flat=True
            )
        )
        new_users = []
        for supplier, _ in supplier_rows:
            email = f"seller-{supplier.slug.removeprefix('demo-')}@demo.silkway.test"
            sellers.append((email, supplier))
            if email not in existing:
                new_users.append(
                    User(email=email, first_name="Seller", last_name=supplier.city, password=self.password_hash)
                )
        User.objects.bulk_create(new_users, batch_size=CHUNK)
        users = {u.email: u for u in User.objects.filter(email__in=[email for email, _ in sellers])}
        have_membership = set(
            SupplierMembership.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
        )
        SupplierMembership.objects.bulk_create(
            [
                SupplierMembership(user=users[email], supplier=supplier, role="owner")
                for email, supplier in sellers
                if users[email].pk not in have_membership
            ],
            batch_size=CHUNK,
        )
        return sellers

    # --- products -----------------------------------------------------------------------------------------------

    def seed_products(self, count, supplier_rows, categories):
        suppliers_by_leaf = {}
        for supplier, specialties in supplier_rows:
            for slug in specialties:
                suppliers_by_leaf.setdefault(slug, []).append(supplier)
        leaves = [(top, leaf) for top, leaf in leaf_categories() if leaf["slug"] in suppliers_by_leaf]
        certs_by_supplier = {}
        today = timezone.localdate()
        for cert in Certification.objects.filter(supplier__slug__startswith="demo-", valid_until__gte=today):
            certs_by_supplier.setdefault(cert.supplier_id, {})[cert.type] = cert.pk
        existing = set(Product.objects.filter(external_id__startswith="demo-").values_list("external_id", flat=True))
        created = 0
        for start in range(0, count, CHUNK):
            numbers = [n for n in range(start, min(count, start + CHUNK)) if f"demo-{n:06d}" not in existing]
            if numbers:
                created += self.create_product_chunk(numbers, leaves, suppliers_by_leaf, categories, certs_by_supplier)
                self.stdout.write(f"  products {start + len(numbers):>8}/{count}", ending="\r")
        self.stdout.write("")
        return created

    @transaction.atomic
    def create_product_chunk(self, numbers, leaves, suppliers_by_leaf, categories, certs_by_supplier):
        plans = [self.plan_product(n, leaves, suppliers_by_leaf, categories, certs_by_supplier) for n in numbers]
        products = Product.objects.bulk_create([plan["product"] for plan in plans], batch_size=CHUNK)
        tiers, attributes, translations, images, links = [], [], [], [], []
        through = Product.certifications.through
        for product, plan in zip(products, plans, strict=True):
            tiers += [PriceTier(product=product, **tier) for tier in plan["tiers"]]
            attributes += [ProductAttribute(product=product, **attr) for attr in plan["attributes"]]
            translations += [ProductTranslation(product=product, **tr) for tr in plan["translations"]]
            images.append(ProductImage(product=product, image=plan["image"], alt_text=product.title[:200]))
            links += [through(product_id=product.pk, certification_id=pk) for pk in plan["certifications"]]
        PriceTier.objects.bulk_create(tiers, batch_size=CHUNK)
        ProductAttribute.objects.bulk_create(attributes, batch_size=CHUNK)
        ProductTranslation.objects.bulk_create(translations, batch_size=CHUNK)
        ProductImage.objects.bulk_create(images, batch_size=CHUNK)
        through.objects.bulk_create(links, batch_size=CHUNK)
        return len(products)

    def plan_product(self, n, leaves, suppliers_by_leaf, categories, certs_by_supplier):
        """Everything about product n, from its own RNG."""
        rng = random.Random(f"{self.seed}-product-{n}")
        top, leaf = leaves[n % len(leaves)]
        # The first rounds over the leaves make each of a leaf's products once, so even a small catalog shows every
        # kind of product (a buyer asking for tumblers finds tumblers); then they are drawn.
        round_number = n // len(leaves)
        templates = leaf["products"]
        template = templates[round_number] if round_number < len(templates) else rng.choice(templates)
        supplier = rng.choice(suppliers_by_leaf[leaf["slug"]])
        noun = template["noun"]["en"]
        # Each attribute value, then the variant, is drawn among those that contradict nothing drawn before.
        described = [noun]
        attributes = []
        for attr in template["attributes"]:
            options = [v for v in attr["values"] if catalog.compatible(attribute_text(attr, v), described)]
            if not options:
                continue
            value = rng.choice(options)
            described.append(attribute_text(attr, value))
            attributes.append(
                {"name": attr["name"], "value": str(value), "unit": attr.get("unit", ""), "position": len(attributes)}
            )
        spec = title_spec(noun, attributes)
        taken = set(catalog.title_words(f"{noun} {spec}"))
        variants = [
            v
            for v in template["variants"]
            if not taken & set(catalog.title_words(v)) and catalog.compatible(v, described)
        ]
        variant = rng.choice(variants) if variants else ""
        title = f"{titled(variant, noun)} {spec}".strip()[:200]
        moq = rng.choice(template["moq"])
        lead = rng.randint(*template["lead_time"])
        price = rng.uniform(*template["price"])
        tiers = [
            {"min_quantity": moq, "unit_price": money(price, PRICE_STEP), "lead_time_days": lead},
            {"min_quantity": moq * 5, "unit_price": money(price * 0.92, PRICE_STEP), "lead_time_days": lead + 5},
            {"min_quantity": moq * 20, "unit_price": money(price * 0.85, PRICE_STEP), "lead_time_days": lead + 12},
        ]
        keywords = rng.sample(template["keywords"], k=min(len(template["keywords"]), rng.randint(3, 5)))
        customization = [c for c in template["customization"] if rng.random() < 0.75]
        descriptions = {
            lang: self.describe(lang, template["noun"][lang], attributes, moq, template["unit"], lead, customization)
            for lang in catalog.LANGUAGES
        }
        translations = [
            {
                "language": lang,
                "title": f"{template['noun'][lang]} {title_spec(template['noun'][lang], attributes)}".strip()[:200],
                "description": descriptions[lang],
                "keywords": template["noun"][lang],
                "source": TranslationSource.SELLER,
            }
            for lang in catalog.LANGUAGES
            if lang != "en"
        ]
        certifications = [
            pk for code, pk in certs_by_supplier.get(supplier.pk, {}).items() if code in template["certifications"]
        ]
        description = descriptions["en"]
        report = listing_quality(
            title=title,
            description=description,
            keywords=", ".join(keywords),
            attribute_count=len(attributes),
            tier_count=len(tiers),
            image_count=1,
            translation_count=len(translations),
            certification_count=len(certifications),
        )
        published = rng.random() < 0.95
        product = Product(
            supplier=supplier,
            category=categories[leaf["slug"]],
            external_id=f"demo-{n:06d}",
            title=title,
            slug=slugify(title)[:200] or "product",
            description=description,
            keywords=", ".join(keywords),
            language="en",
            moq=moq,
            unit=template["unit"],
            currency="USD",
            lead_time_days=lead,
            samples_available=supplier.offers_samples,
            sample_price=money(price * 2 + 10) if supplier.offers_samples else None,
            status=ProductStatus.PUBLISHED if published else ProductStatus.DRAFT,
            published_at=self.now - timedelta(days=rng.randint(1, 720)) if published else None,
            price_min=min(t["unit_price"] for t in tiers),
            price_max=max(t["unit_price"] for t in tiers),
            quality_score=report.score,
            **{CUSTOMIZATION_FIELDS[c]: True for c in customization},
        )
        return {
            "product": product,
            "tiers": tiers,
            "attributes": attributes,
            "translations": translations,
            "certifications": certifications,
            "image": f"demo/{leaf['slug']}.png",
        }

    def describe(self, lang, noun, attributes, moq, unit, lead, customization):
        specs_label, moq_label, lead_label, days, custom_label = DESCRIPTION_LABELS[lang]
        lines = [f"{noun}.", "", f"{specs_label}:"]
        lines += [f"- {a['name']}: {a['value']} {a['unit']}".rstrip() for a in attributes]
        lines += ["", f"{moq_label}: {moq} {unit}", f"{lead_label}: {lead} {days}"]
        if customization:
            lines.append(f"{custom_label}: {', '.join(c.upper() if len(c) == 3 else c for c in customization)}")
        if lang == "en":
            lines += [
                "",
                "Packed in export cartons; FOB, CIF and DDP quotes on request. "
                "Samples can be shipped by express within 7 days.",
            ]
        return "\n".join(lines)

    # --- inquiries and derived metrics -------------------------------------------------------------------------

    def seed_inquiries(self, supplier_rows):
        """Product inquiries from demo buyers, each written in the buyer's language, answered (or not) the way the
        supplier usually answers; the first supplier's threads are translated for its seller (the demo login)."""
        buyers = self.buyers
        if not buyers or Conversation.objects.filter(buyer__in=buyers).exists():
            return
        products_by_supplier = {}
        for pk, supplier_id, title in Product.objects.filter(
            external_id__startswith="demo-", status=ProductStatus.PUBLISHED
        ).values_list("pk", "supplier_id", "title"):
            products_by_supplier.setdefault(supplier_id, []).append((pk, title))
        language_of = dict(BuyerProfile.objects.filter(user__in=buyers).values_list("user_id", "preferred_language"))
        product_type = ContentType.objects.get_for_model(Product)
        conversations, messages = [], []
        for supplier, _ in supplier_rows:
            rng = random.Random(f"{self.seed}-inquiries-{supplier.slug}")
            owned = products_by_supplier.get(supplier.pk)
            if not owned:
                continue
            # Suppliers differ: some answer within the hour, some take days, some often not at all.
            typical_minutes = rng.choice([15, 45, 120, 360, 1500])
            answer_probability = rng.choice([0.98, 0.9, 0.75, 0.5])
            for _ in range(rng.randint(4, 16)):
                product_pk, title = rng.choice(owned)
                buyer = rng.choice(buyers)
                language = language_of.get(buyer.pk, "en")
                created = self.now - timedelta(days=rng.uniform(1.5, 45))
                answered = None
                if rng.random() < answer_probability:
                    answered = created + timedelta(minutes=max(2, rng.expovariate(1 / typical_minutes)))
                conversation = Conversation(
                    buyer=buyer,
                    supplier=supplier,
                    kind=ConversationKind.INQUIRY,
                    topic_type=product_type,
                    topic_id=product_pk,
                    subject=title[:200],
                    quantity=rng.choice([200, 500, 1000, 2000, 5000]),
                    created_at=created,
                    first_response_at=answered,
                    last_message_at=answered or created,
                    buyer_read_at=answered or created,
                    supplier_read_at=answered,
                    status="answered" if answered else "open",
                )
                conversations.append(conversation)
                body = rng.choice(catalog.INQUIRY_MESSAGES_BY_LANGUAGE.get(language, catalog.INQUIRY_MESSAGES))
                messages.append((conversation, buyer, False, body, language, created))
                if answered:
                    # The sender is the supplier's seller account, looked up in bulk below.
                    messages.append((conversation, None, True, rng.choice(catalog.REPLY_MESSAGES), "en", answered))
        Conversation.objects.bulk_create(conversations, batch_size=CHUNK)
        seller_by_supplier = dict(
            SupplierMembership.objects.filter(supplier__slug__startswith="demo-").values_list("supplier_id", "user_id")
        )
        Message.objects.bulk_create(
            [
                Message(
                    conversation=conversation,
                    sender_id=seller_by_supplier[conversation.supplier_id] if from_supplier else buyer.pk,
                    from_supplier=from_supplier,
                    body=body,
                    language=language,
                    created_at=at,
                    notified_at=at,  # the demo mails nobody about its history
                )
                for conversation, buyer, from_supplier, body, language, at in messages
            ],
            batch_size=CHUNK,
        )
        first = supplier_rows[0][0] if supplier_rows else None
        if first is not None:
            for conversation in Conversation.objects.filter(supplier=first):
                conversation_translate(conversation=conversation, language=supplier_reading_language(first))
        for supplier, _ in supplier_rows:
            supplier_metrics_recompute(supplier_id=supplier.pk)
        self.stdout.write(
            f"conversations: {len(conversations)} with {len(messages)} messages; supplier metrics computed"
        )

    def print_logins(self, sellers):
        lines = [
            "",
            f"Logins (password for all: {DEMO_PASSWORD})",
            f"  operator  {OPERATOR_EMAIL:<38} http://127.0.0.1:8000/admin/",
        ]
        if self.buyers:
            lines.append(f"  buyer     {self.buyers[0].email:<38} http://127.0.0.1:8000/")
        for email, supplier in sellers[:4]:
            lines.append(f"  seller    {email:<38} http://127.0.0.1:8000/seller/  ({supplier.name})")
        lines.append(f"  ... and one seller login per demo supplier ({len(sellers)} in all).")
        self.stdout.write("\n".join(lines))


def supplier_category_names(slugs):
    names = {leaf["slug"]: leaf["names"]["en"] for _, leaf in leaf_categories()}
    return [names[slug] for slug in slugs]


def plan_specialties(rng, primary, local, kind):
    """A supplier's leaf categories and the trade its name will carry (None: it deals in several trades).

    A specialized supplier picks a trade that sells `primary`, and adds some of that trade's other categories its
    cluster (`local`) is known for; a general trading company adds categories of other top-level categories.
    """
    top_of = {leaf["slug"]: top["slug"] for top, leaf in leaf_categories()}
    elsewhere = [s for s in local if top_of[s] != top_of[primary]]
    if kind == SupplierKind.TRADING_COMPANY and elsewhere and rng.random() < GENERAL_TRADER_SHARE:
        return [primary, *rng.sample(elsewhere, k=min(len(elsewhere), rng.randint(1, 2)))], None
    trade = rng.choice(catalog.trades_for(primary))
    siblings = [s for s in local if s != primary and s in trade["categories"]]
    return [primary, *rng.sample(siblings, k=rng.randint(0, min(2, len(siblings))))], trade


def attribute_text(attr, value):
    """An attribute as the contradiction check reads it: "Name: value unit"."""
    return f"{attr['name']}: {value} {attr.get('unit', '')}".strip()


def title_spec(head, attributes, limit=2):
    """The first `limit` attributes ("value unit") worth a place in a title after `head`: none that repeats a word
    already there, and no bare yes/no."""
    seen = set(catalog.title_words(head))
    parts = []
    for attribute in attributes:
        if attribute["value"] in NOT_IN_TITLES:
            continue
        text = f"{attribute['value']} {attribute['unit']}".strip()
        words = catalog.title_words(text)
        if seen.intersection(words) or len(set(words)) < len(words):
            continue
        parts.append(text)
        seen.update(words)
        if len(parts) == limit:
            break
    return " ".join(parts)


def titled(variant, noun):
    """The variant before the noun ("Leak-proof Glass Water Bottle"), or after it when it reads "with ..."."""
    if not variant:
        return noun
    if variant.casefold().startswith("with "):
        return f"{noun} with {variant[5:]}"
    return f"{variant} {noun}"
