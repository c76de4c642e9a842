"""The trade vocabulary: the shipped files load and cover every served language; a malformed file fails loudly."""

import json
import shutil
from types import SimpleNamespace

import pytest

from core.languages import language_codes
from taxonomy import selectors
from taxonomy.selectors import DATA_DIR, VocabularyError, load_vocabulary, plural_form


def test_shipped_vocabulary_covers_every_served_language():
    vocab = selectors.vocabulary()
    counts = vocab.counts()
    assert counts["products"] >= 400 and counts["category_terms"] >= 60 and counts["trade_terms"] >= 20
    assert counts["attributes"] >= 40 and counts["materials"] >= 20 and counts["features"] >= 30
    served = set(language_codes()) - {"en"}
    for term in (
        *vocab.products,
        *vocab.category_terms,
        *vocab.attributes,
        *vocab.materials,
        *vocab.features,
        *vocab.attribute_values,
        *vocab.trade_terms,
    ):
        assert term.en and served <= set(term.terms), term.en
    assert selectors.vocabulary() is vocab  # cached: read once per process


def test_selectors_answer_by_english_key():
    scooter = selectors.product("electric scooter")
    assert scooter.term("de") == "Elektroroller" and scooter.term("en") == "Electric Scooter"
    assert scooter.term("zh") == scooter.term("zh-hans") == "电动滑板车"
    assert "e-scooter" in scooter.synonyms()
    assert selectors.product("no such thing") is None
    templates = selectors.product_templates()
    assert len(templates) >= 96 and all(t.attributes for t in templates)
    assert "Voltage" in selectors.translation_table(selectors.attribute_names())
    assert "PVC" in selectors.material_codes()


def test_category_hints_resolve_to_whatever_categories_exist():
    rows = [
        SimpleNamespace(slug="office-chairs", name="Office Chairs"),
        SimpleNamespace(slug="cat-17", name="Brake Discs"),
        SimpleNamespace(slug="sofas-x", name="Couches"),
    ]
    assert selectors.categories_for_hints(("office-chairs", "brake-discs", "sofas"), rows) == rows[:2]
    assert selectors.categories_for_hints(("no-such-category",), rows) == []


@pytest.mark.parametrize(
    "term,language,plural",
    [
        ("disco de freno", "es", "discos de freno"),
        ("painel solar", "pt", "paineis solares"),
        ("panneau solaire", "fr", "panneaux solaires"),
        ("Bremsscheibe", "de", "Bremsscheiben"),
        ("тормозной диск", "ru", "тормозные диски"),
        ("солнечная панель", "ru", "солнечные панели"),
        ("Tisch", "de", None),
    ],
)
def test_plural_forms(term, language, plural):
    assert plural_form(term, language) == plural


@pytest.fixture
def vocabulary_dir(tmp_path):
    directory = tmp_path / "vocabulary"
    shutil.copytree(DATA_DIR, directory)
    return directory


def edit(directory, name, change):
    path = directory / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_copy_of_the_shipped_files_loads(vocabulary_dir):
    assert load_vocabulary(vocabulary_dir).counts() == selectors.vocabulary().counts()


@pytest.mark.parametrize(
    "name,change,message",
    [
        ("products.json", lambda d: d["entries"][0].pop("en"), "English canonical term"),
        ("products.json", lambda d: d["entries"][0].update(en=" "), "English canonical term"),
        ("products.json", lambda d: d["entries"][0]["terms"].update(zh=["电钻"]), "'zh' is not a served language"),
        ("products.json", lambda d: d["entries"][0]["terms"].update(xx=["?"]), "'xx' is not a served language"),
        ("products.json", lambda d: d["entries"][0]["terms"].pop("ja"), "no term in ja"),
        ("products.json", lambda d: d["entries"][0]["terms"].update(de=[]), "non-empty string"),
        ("products.json", lambda d: d["entries"][0].update(colour="red"), "unknown keys"),
        ("products.json", lambda d: d["entries"].append(d["entries"][0]), "appears twice"),
        ("products.json", lambda d: d["entries"][0].update(attributes=[{"unit": "V"}]), "an attribute is"),
        ("features.json", lambda d: d.pop("entries"), "expected an object with 'entries'"),
        ("units.json", lambda d: d["entries"][0]["terms"].update(klingon="x"), "not served languages"),
    ],
)
def test_a_malformed_file_fails_with_the_file_and_entry_named(vocabulary_dir, name, change, message):
    edit(vocabulary_dir, name, change)
    with pytest.raises(VocabularyError, match=message) as error:
        load_vocabulary(vocabulary_dir)
    assert name in str(error.value)


def test_invalid_json_and_a_missing_file_fail(vocabulary_dir):
    (vocabulary_dir / "trade_terms.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(VocabularyError, match="trade_terms.json: not valid JSON"):
        load_vocabulary(vocabulary_dir)
    (vocabulary_dir / "trade_terms.json").unlink()
    with pytest.raises(VocabularyError, match="trade_terms.json: missing"):
        load_vocabulary(vocabulary_dir)


def test_phrasings_may_cover_some_languages_only(vocabulary_dir):
    edit(
        vocabulary_dir,
        "phrasings.json",
        lambda d: d["entries"].append({"en": "Angle Grinder", "terms": {"ru": ["болгарка"]}}),
    )
    assert load_vocabulary(vocabulary_dir).phrasings[-1].term("ru") == "болгарка"


# A term that names two product concepts with no category hint in common sends a buyer to two unrelated kinds of
# product; each pair here is a real ambiguity of the language (or one concept listed twice), not a slip.
AMBIGUOUS_TERMS = {
    ("es", "brida"),  # cable tie (Spain) and flange
    ("ja", "インバーター"),  # inverter and the VFD, both called so in Japanese industry
    ("pt", "adesivo"),  # adhesive and sticker label
    ("es", "regadera"),  # watering can and (Mexico) shower head
    ("ru", "корм для животных"),  # pet food and livestock feed
    # "Corrugated Shipping Box" (a product template) and "Carton Box" are the same goods under two hints
    ("zh-hans", "纸箱"),
    ("es", "caja de cartón"),
    ("pt", "caixa de papelão"),
    ("ru", "картонная коробка"),
    ("ru", "гофрокороб"),
    ("ar", "كرتونة"),
    ("ja", "段ボール箱"),
}


def test_every_product_concept_is_complete_and_clean():
    served = set(language_codes()) - {"en"}
    products = selectors.vocabulary().products
    assert len(products) >= 1100
    for product in products:
        assert served <= set(product.terms), product.en
        for language, terms in product.terms.items():
            assert all(t and t == t.strip() for t in terms), (product.en, language)
            folded = [t.casefold() for t in terms]
            assert len(folded) == len(set(folded)), f"{product.en}: a {language} term listed twice"
        assert product.categories, f"{product.en}: no category hint"
        assert all(c and c == c.lower() for c in product.categories), product.en


def test_no_term_names_two_unrelated_product_concepts():
    owners = {}
    for product in selectors.vocabulary().products:
        for language, terms in product.terms.items():
            for term in {t.casefold() for t in terms}:
                owners.setdefault((language, term), []).append(product)
    clashes = sorted(
        key
        for key, products in owners.items()
        if len(products) > 1
        and not set.intersection(*(set(p.categories) for p in products))
        and key not in AMBIGUOUS_TERMS
    )
    assert clashes == []


@pytest.mark.parametrize(
    "generic,specific,language,term",
    [
        ("Power Bank", "Magnetic Power Bank", "zh-hans", "移动电源"),
        ("Power Bank", "Magnetic Power Bank", "ru", "внешний аккумулятор"),
        ("Power Bank", "Magnetic Power Bank", "ar", "باور بانك"),
        ("Power Bank", "Magnetic Power Bank", "ja", "モバイルバッテリー"),
        ("Power Bank", "Magnetic Power Bank", "de", "Powerbank"),
        ("Ball Valve", "Brass Ball Valve", "de", "Kugelhahn"),
        ("Ball Valve", "Brass Ball Valve", "ru", "шаровой кран"),
    ],
)
def test_a_generic_noun_names_the_generic_concept(generic, specific, language, term):
    assert term in selectors.product(generic).terms[language]
    assert term not in selectors.product(specific).terms[language]


def test_common_trade_concepts_are_in_every_language():
    for english in (
        "Power Bank",
        "MPPT Charge Controller",
        "Hybrid Solar Inverter",
        "LiFePO4 Battery",
        "Energy Storage System",
        "LED High Bay Light",
        "LED Floodlight",
        "LED Street Light",
        "LED Panel Light",
        "Deep Well Pump",
        "Ball Valve",
        "Gate Valve",
        "Kraft Paper Mailer",
        "Bubble Mailer",
        "Corrugated Shipping Box",
        "Battery Charger",
    ):
        product = selectors.product(english)
        assert product is not None, english
        assert all(product.term(language) for language in language_codes()), english
