"""Numbers and units in every script and language read as the quantities the index has (issue #11)."""

import pytest

from search.documents import title_quantities
from search.engine import product_search
from search.query import parse_query
from search.text import index_tokens, normalize_units
from tests.search.conftest import make_product


def ids(result):
    return [p.pk for p in result.hits]


def quantities(query):
    return [(q.unit, q.low, q.high) for q in parse_query(query).quantities]


# --- numbers and units across scripts and languages ------------------------------------------------------------


@pytest.mark.parametrize(
    "query,expected",
    [
        # Cyrillic, spaced and glued, single letters glued (200А with a Cyrillic А)
        ("прожектор 60 Вт", ("W", 60, 60)),
        ("компрессор 7,5 кВт", ("W", 7500, 7500)),
        ("контроллер 150А", ("A", 150, 150)),
        ("лента 24в", ("V", 24, 24)),
        ("аккумулятор 200 Ач", ("Ah", 200, 200)),
        ("бутылка 0,5 л", ("ml", 500, 500)),
        ("диск 230 мм", ("mm", 230, 230)),
        # Arabic words, and Arabic-Indic digits
        ("بطارية 24 فولت", ("V", 24, 24)),
        ("كشاف 300 واط", ("W", 300, 300)),
        ("مولد ٣ كيلووات", ("W", 3000, 3000)),
        ("قرص 180 ملم", ("mm", 180, 180)),
        # Chinese and Japanese units glued to the number and to the words around them
        ("充电宝10000毫安", ("Ah", 10, 10)),
        ("电水壶2.5升", ("ml", 2500, 2500)),
        ("太阳能板550瓦半片", ("W", 550, 550)),
        ("投光器 100ワット", ("W", 100, 100)),
        # Latin-script unit words
        ("Rohr 2 Zoll", ("mm", 50.8, 50.8)),
        ("tubo 3 pulgadas", ("mm", 76.2, 76.2)),
        ("lampe 50 watts", ("W", 50, 50)),
        ("poele 28cm", ("mm", 280, 280)),
    ],
)
def test_units_in_any_script_become_the_same_quantity(query, expected):
    unit, low, high = expected
    parsed = quantities(query)
    assert len(parsed) == 1
    assert parsed[0][0] == unit
    assert parsed[0][1] == pytest.approx(low) and parsed[0][2] == pytest.approx(high)


@pytest.mark.parametrize(
    "text,token",
    [
        ("Прожектор 60 Вт", "60w"),
        ("24 فولت", "24v"),
        ("10000毫安移动电源", "10000mah"),
        ("2.5升", "2.5l"),
        ("2 Zoll", "2inch"),
        ("150А", "150a"),
    ],
)
def test_index_writes_a_foreign_unit_as_the_latin_token(text, token):
    assert token in index_tokens(text)


def test_words_that_look_like_units_are_left_alone():
    assert normalize_units("2 в 1") == "2 в 1"  # "two in one", not 2 V
    assert quantities("кабель 2 в 1") == []
    assert quantities("100% cotton") == []
    assert normalize_units("5,000 pcs") == "5,000 pcs"  # thousands, not 5.0


def test_a_number_with_a_unit_is_a_quantity_not_a_word():
    parsed = parse_query("مولد كهربائي 5 كيلووات")
    assert [q.unit for q in parsed.quantities] == ["W"]
    assert all("5" not in group.text.split(" ") for group in parsed.groups)
    assert parsed.quantity_words == ["5kw"]


@pytest.mark.parametrize(
    "text,token,mm",
    [
        ('Gate valve 2" DN50', "2inch", 50.8),
        ("Ball valve 3/4 inch brass", "0.75inch", 19.05),
        ('PVC pipe 1/2" white', "0.5inch", 12.7),
        ("Hose 1-1/4 inch", "1.25inch", 31.75),
    ],
)
def test_inch_marks_and_fractions_are_inches(text, token, mm):
    assert token in index_tokens(text)
    [(unit, low, high)] = title_quantities(text)[:1]
    assert unit == "mm" and low == pytest.approx(mm) and high == pytest.approx(mm)


def test_a_bare_fraction_in_a_query_is_a_size_in_inches():
    # Buyers drop the inch mark for pipe, valve and thread sizes.
    assert quantities("brass valve 1/2") == [("mm", 12.7, 12.7)]
    assert quantities("pipe 1-1/4") == [("mm", 31.75, 31.75)]
    assert [g.text for g in parse_query("brass valve 3/4").groups] == ["brass valve"]
    # Not a ratio, a date or a fraction that is no pipe size.
    assert quantities("monitor 16/9") == quantities("delivery 12/25") == quantities("1/3 down payment") == []


def test_a_fraction_in_a_listing_needs_its_unit():
    assert title_quantities("Brass valve 1/2 PN16") == []
    assert title_quantities("ratio 3/4 in stock") == []  # "4 in" after a slash is no 4 inches


def test_titles_give_quantities_to_listings_without_attributes():
    assert title_quantities("Electric Kettle 1.7L 2200W") == [("ml", 1700, 1700), ("W", 2200, 2200)]
    assert title_quantities("3 Seater Sofa") == []
    assert title_quantities("T-Shirt 100% Cotton") == []


@pytest.mark.parametrize("query", ["qzxv 100 واط", "qzxv 100 Вт", "qzxv 100瓦"])
def test_a_spec_does_not_match_other_products_by_its_number(catalog, query):
    # Nothing matches the unknown word: the fallback searches the spec as the index writes it (100w), never the
    # bare number, so the "100% cotton" shirt does not come back for 100 W.
    shirt = make_product(
        supplier=catalog["products"]["mug"].supplier,
        category=catalog["drinkware"],
        title="Basic T-Shirt 100% Cotton",
    )
    light = make_product(
        supplier=catalog["products"]["mug"].supplier, category=catalog["tools"], title="LED Work Light 100W"
    )
    result = product_search(q=query)
    assert shirt.pk not in ids(result)
    assert ids(result) == [light.pk]


def test_a_spec_in_another_script_ranks_the_matching_listing(catalog):
    result = product_search(q="grinder 900 Вт")
    assert [q.label for q in result.query.quantities] == ["900 W"]
    assert ids(result)[0] == catalog["products"]["grinder"].pk
