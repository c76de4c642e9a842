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
