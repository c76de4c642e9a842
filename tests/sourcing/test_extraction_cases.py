"""General cases found by a set written after the parser was done (bench/sourcing_extraction/fresh_lead.jsonl),
each tested here with other sentences of the same shape."""

import pytest

from sourcing.extraction import extract_offline


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        # A multiplier word ends at a letter of any script: "40 Kühlboxen" is forty, "12k" is twelve thousand.
        ("Angebot für 75 Kühlboxen, Lieferung nach Köln", 75),
        ("Wir brauchen 30 Öfen für Wien", 30),
        ("Need 12k tote bags to Oslo", 12000),
        # A number right after a comma in CJK text is a number, not the tail of "1,200".
        ("采购LED灯,800个,发往法国巴黎", 800),
        # "<product> x N" counts the product; "N x M" after a number stays a size.
        ("Quote: stainless tumblers x 3,000, DDP Madrid", 3000),
        ("Tiles 600 x 600 mm, 900 boxes of tiles to Lagos", 900),
    ],
)
def test_quantities(text, quantity):
    assert extract_offline(text).quantity == quantity


@pytest.mark.parametrize(
    ("text", "days"),
    [("求购帐篷500顶,CIF发往智利,30天内交货。", 30), ("采购水泵100台,发往越南,20天内发货", 20)],
)
def test_chinese_within_n_days_after_a_comma(text, days):
    assert extract_offline(text).max_lead_time_days == days


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Sourcing 5,000 notebooks, print our artwork on the cover, ship to Lyon", ["logo"]),
        ("2,000 candles in a custom box each, FOB Ningbo to Toronto", ["packaging"]),
        ("نريد 500 حقيبة مع شعاركم، التسليم إلى جدة", ["logo"]),
    ],
)
def test_customization_phrasings(text, wanted):
    assert extract_offline(text).customization == wanted
