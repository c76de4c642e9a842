"""A small multilingual catalog, indexed through the product services (as every real write is)."""

from decimal import Decimal

import pytest

from marketplace.models import PriceTier, ProductAttribute, ProductTranslation
from marketplace.services import product_refresh_derived
from suppliers.models import VerificationLevel
from tests.factories import CategoryFactory, CertificationFactory, ProductFactory, SupplierFactory


def make_product(
    *,
    supplier,
    category,
    title,
    description="",
    keywords="",
    attributes=(),
    translations=None,
    price="10.00",
    moq=100,
    lead=20,
    certs=(),
    **extra,
):
    product = ProductFactory(
        supplier=supplier,
        category=category,
        title=title,
        description=description,
        keywords=keywords,
        moq=moq,
        lead_time_days=lead,
        tiers=[],
        **extra,
    )
    PriceTier.objects.create(product=product, min_quantity=moq, unit_price=Decimal(price))
    for i, (name, value, unit) in enumerate(attributes):
        ProductAttribute.objects.create(product=product, name=name, value=value, unit=unit, position=i)
    for language, (t_title, t_description) in (translations or {}).items():
        ProductTranslation.objects.create(product=product, language=language, title=t_title, description=t_description)
    if certs:
        product.certifications.set(certs)
    return product_refresh_derived(product=product)


@pytest.fixture
def catalog(db):
    tools = CategoryFactory(
        slug="power-tools",
        name="Power Tools",
        names={"de": "Elektrowerkzeuge", "zh-hans": "电动工具", "es": "Herramientas eléctricas"},
    )
    drinkware = CategoryFactory(
        slug="drinkware",
        name="Drinkware",
        names={"zh-hans": "水杯水壶", "ja": "タンブラー・水筒", "de": "Becher & Trinkflaschen"},
    )
    storage = CategoryFactory(slug="energy-storage", name="Energy Storage", names={"de": "Energiespeicher"})
    factory = SupplierFactory(
        name="Yongkang Tools Factory",
        kind="factory",
        trade_assurance=True,
        verification_level=VerificationLevel.ONSITE,
        response_rate=Decimal("95"),
        country="CN",
        region="Yongkang, Zhejiang",
    )
    trader = SupplierFactory(
        name="Ningbo Export Trading", kind="trading_company", country="CN", region="Ningbo, Zhejiang"
    )
    maker_vn = SupplierFactory(name="Saigon Drinkware Works", kind="factory", country="VN", region="Binh Duong")
    ce = CertificationFactory(supplier=factory, type="CE")
    products = {
        # English only: found by German, Spanish and Russian buyers through the glossary.
        "drill": make_product(
            supplier=factory,
            category=tools,
            title="18V Brushless Cordless Drill with 2 Batteries",
            description="Brushless motor, 60 N·m torque, two 2.0 Ah batteries.",
            keywords="drill driver, cordless",
            attributes=[("Voltage", "18", "V"), ("Max Torque", "60", "N·m")],
            price="24.50",
            certs=[ce],
        ),
        "drill_trader": make_product(
            supplier=trader,
            category=tools,
            title="12V Compact Cordless Drill Driver",
            description="Light 12 V drill for home use.",
            attributes=[("Voltage", "12", "V")],
            price="9.90",
            moq=500,
            lead=35,
        ),
        "grinder": make_product(
            supplier=factory,
            category=tools,
            title="Angle Grinder 900 W",
            description="Not a drill: a grinder with 115 mm discs.",
            attributes=[("Power", "900", "W")],
            price="14.00",
        ),
        "tumbler": make_product(
            supplier=maker_vn,
            category=drinkware,
            title="Stainless Steel Vacuum Insulated Tumbler 500 ml",
            description="Double wall 304 stainless steel.",
            attributes=[("Capacity", "500", "ml")],
            price="3.20",
            translations={
                "zh-hans": ("不锈钢真空保温杯 500毫升", "双层304不锈钢"),
                "ja": ("真空断熱タンブラー 500ml", "ステンレス製"),
                "es": ("Vaso térmico de acero inoxidable", "Doble pared, inalámbrico no aplica"),
            },
        ),
        "mug": make_product(
            supplier=trader,
            category=drinkware,
            title="Ceramic Coffee Mug 350 ml",
            description="Stoneware mug, dishwasher safe.",
            price="0.90",
            moq=1000,
            translations={
                "fr": ("Mug à café en céramique", "Grès, compatible lave-vaisselle"),
                "ru": ("Керамическая кофейная кружка", "Керамика"),
                "ar": ("كوب قهوة من السيراميك", "سيراميك"),
            },
        ),
        "cabinet_cold": make_product(
            supplier=factory,
            category=storage,
            title="Outdoor Battery Energy Storage Cabinet 100 kWh",
            description="LiFePO4 cabinet for commercial sites.",
            attributes=[("Operating Temperature", "-30 to 55", "°C"), ("Energy Capacity", "100", "kWh")],
            price="18000",
            moq=1,
            lead=45,
        ),
        "cabinet_mild": make_product(
            supplier=trader,
            category=storage,
            title="Indoor Battery Energy Storage Cabinet 50 kWh",
            description="LiFePO4 battery storage cabinet for indoor rooms.",
            attributes=[("Operating Temperature", "0 to 45", "°C"), ("Energy Capacity", "50", "kWh")],
            price="9000",
            moq=1,
            lead=40,
        ),
    }
    return {
        "products": products,
        "tools": tools,
        "drinkware": drinkware,
        "storage": storage,
        "factory": factory,
        "trader": trader,
        "maker_vn": maker_vn,
    }
