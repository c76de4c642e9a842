"""Query understanding and text processing: no database needed for most of it."""

import pytest

from search.documents import quantities_of
from search.query import detect_language, parse_query
from search.ranking import blend
from search.text import fold, index_tokens, words


def test_fold_removes_diacritics_but_keeps_kana_voicing():
    assert fold("Bürstenlos Inalámbrico ÉTÉ") == "burstenlos inalambrico ete"
    assert fold("ＦＤＡ") == "fda"
    assert fold("ガラス") == "ガラス"  # not カラス
    assert words("18 V, -30 °C, 2,5 kW") == ["18v", "-30c", "2.5kw"]


def test_chinese_and_japanese_are_segmented_for_the_index():
    tokens = index_tokens("不锈钢真空保温杯")
    assert {"不锈钢", "保温杯", "保温"} <= set(tokens)
    assert {"タン", "ンブ", "ブラ", "ラー"} <= set(index_tokens("真空断熱タンブラー"))


@pytest.mark.parametrize(
    "text,language",
    [
        ("Akku-Bohrschrauber", "de"),
        ("taladro inalámbrico", "es"),
        ("perceuse sans fil", "fr"),
        ("furadeira sem fio", "pt"),
        ("дрель", "ru"),
        ("مثقاب", "ar"),
        ("不锈钢保温杯", "zh-hans"),
        ("真空断熱タンブラー", "ja"),
        ("cordless drill", "en"),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language


def test_units_ranges_certifications_kinds_and_prices():
    parsed = parse_query("Hersteller Akku-Bohrschrauber 18V CE ISO 9001 unter 50 $ 5.000 Stück")
    assert parsed.language == "de"
    assert parsed.kinds == ["factory"]
    assert sorted(parsed.certifications) == ["CE", "ISO9001"]
    assert parsed.price_max == 50 and parsed.moq_max == 5000
    assert [(q.unit, q.low, q.high) for q in parsed.quantities] == [("V", 18, 18)]
    assert [g.text for g in parsed.groups] == ["akku bohrschrauber"]
    assert ("en", ("cordless", "drill")) in [(a.language, a.tokens) for a in parsed.groups[0].alternatives]
    parsed = parse_query("storage cabinet -30°C 2 kW 10-20 kg 工厂")
    assert [(q.unit, q.low, q.high) for q in parsed.quantities] == [("kg", 10, 20), ("C", -30, -30), ("W", 2000, 2000)]
    assert parsed.kinds == ["factory"]
    assert parse_query("ce que c'est").certifications == []  # lower-case French "ce" is a word, not CE
    assert parse_query("mug $2-$5").price_min == 2


def test_ignored_chips_are_not_applied():
    parsed = parse_query("drill CE factory under $5", ignore=["cert:CE", "kind:factory", "price_max"])
    assert parsed.certifications == [] and parsed.kinds == [] and parsed.price_max is None
    assert parsed.chips == []


@pytest.mark.parametrize("raw", ["", " ", "\x00" * 50, "x" * 10_000, "AND OR NOT", '"', "*", "NEAR(", "🙂" * 30])
def test_any_input_parses(raw):
    parsed = parse_query(raw)
    assert len(parsed.text) <= 200


def test_spec_values_become_ranges_in_canonical_units():
    assert quantities_of("-30 to 55", "°C") == [("C", -30, 55)]
    assert quantities_of("2", "kW") == [("W", 2000, 2000)]
    assert quantities_of("1500 V DC", "") == [("V", 1500, 1500)]
    assert quantities_of("Stainless", "") == []


def test_text_relevance_dominates_supplier_signals():
    worst = {"quality": 0, "verified": False, "response_rate": 0, "trade_assurance": False, "in_category": False}
    best = {"quality": 100, "verified": True, "response_rate": 100, "trade_assurance": True, "in_category": False}
    # A clearly better match (by half the text scale) beats the best-run supplier's weaker match...
    assert blend(text=0.9, **worst) > blend(text=0.4, **best)
    # ...while between comparable matches the listing and the supplier decide.
    assert blend(text=0.75, **best) > blend(text=0.8, **worst)
