"""search.query_translation: the model's English for the words of a query the glossary does not know, over real HTTP
against tests/ai's fake OpenAI-compatible server (the real SDK, nothing patched), on SQLite and PostgreSQL alike."""

import json
import time

import pytest
from django.core.cache import cache

from ai.models import AICall
from search import query_translation
from search.engine import product_search
from search.query import Alternative, parse_query
from tests.ai import fake_openai
from tests.ai.fake_openai import Reply, error_reply, json_reply

from .conftest import make_product

# The fake OpenAI-compatible server of tests/ai, as fixtures of this module.
openai_server = fake_openai.openai_server
use_openai = fake_openai.use_openai
use_offline = fake_openai.use_offline

pytestmark = pytest.mark.django_db

CHAT = "/chat/completions"
# What a model would answer for the fragments these tests send (as parse_query folds them).
ENGLISH = {
    "бесщеточная": "brushless",
    "冲击": "impact",
    "مفتاح": "wrench",
    "صدمات": "impact",
    "ударныи": "impact",
    "гаиковерт": "wrench",
    "hormigon": "concrete",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # translations are cached in the default cache, which outlives a test
    yield
    cache.clear()


def sent_fragments(body) -> list[str]:
    user = body["messages"][1]["content"]
    return [line[2:] for line in user.split("Fragments:\n", 1)[1].splitlines() if line.startswith("- ")]


@pytest.fixture
def model(use_openai):
    """The fake server answering every translation request from ENGLISH (an empty string for anything else)."""

    def answer(body):
        fragments = sent_fragments(body)
        return json_reply({"fragments": [{"text": f, "english": ENGLISH.get(f, "")} for f in fragments]})

    use_openai.chat_responder = answer
    return use_openai


def group(parsed, text):
    return next(g for g in parsed.groups if g.text == text)


def calls(server):
    return server.requests_to(CHAT)


@pytest.fixture
def tools(catalog):
    """English-only listings the glossary cannot reach from every word of a foreign query."""
    tools = catalog["tools"]
    return {
        "brushless_12v": make_product(
            supplier=catalog["trader"], category=tools, title="12V Brushless Compact Drill", price="19.00"
        ),
        "impact_wrench": make_product(
            supplier=catalog["factory"],
            category=tools,
            title="18V Brushless Impact Wrench",
            description="400 N·m, 1/2 inch square drive.",
            attributes=[("Voltage", "18", "V")],
            price="39.00",
        ),
        "adjustable_wrench": make_product(
            supplier=catalog["trader"], category=tools, title="Adjustable Wrench 250 mm", price="2.10"
        ),
    }


# --- when the model is not asked --------------------------------------------------------------------------------


def test_offline_makes_no_call_and_leaves_the_groups_as_they_are(use_offline, openai_server):
    parsed = parse_query("бесщеточная дрель 18V", ui_language="ru")
    untranslated = parse_query("бесщеточная дрель 18V", ui_language="ru", translate=False)
    assert parsed.groups == untranslated.groups
    assert group(parsed, "бесщеточная").alternatives == [Alternative("ru", ("бесщеточная",))]
    assert not calls(openai_server)
    assert not AICall.objects.filter(task=query_translation.TASK).exists()


@pytest.mark.parametrize(
    ("query", "ui_language", "translate"),
    [
        ("brushless cordless drill 18V", "en", True),  # English: the words are already the listings' words
        ("дрель 18V", "ru", True),  # every word understood by the glossary
        ("冲击扳手 18V", "zh-hans", False),  # a batch caller (the search log report, ads keywords) opts out
    ],
)
def test_no_call_for_english_understood_or_batch_queries(model, query, ui_language, translate):
    parsed = parse_query(query, ui_language=ui_language, translate=translate)
    assert parsed.groups
    assert not calls(model)


def test_codes_and_latin_words_of_a_non_latin_query_are_not_sent(model):
    parse_query("дрель bosch gsr", ui_language="ru")
    assert not calls(model)


# --- the model's English -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "ui_language", "unknown", "understood"),
    [
        ("бесщеточная дрель 18V", "ru", {"бесщеточная": ("brushless",)}, ["дрель"]),
        ("冲击扳手 18V", "zh-hans", {"冲击": ("impact",)}, ["扳手"]),
        # "مفتاح" heads the glossary's wrench terms, so offline already reads it as wrench (search.morphology).
        ("مفتاح صدمات", "ar", {"صدمات": ("impact",)}, []),
    ],
)
def test_unknown_words_get_the_models_english_in_one_call(model, query, ui_language, unknown, understood):
    offline = parse_query(query, ui_language=ui_language, translate=False)
    parsed = parse_query(query, ui_language=ui_language)
    (request,) = calls(model)
    # Only the unknown fragments are asked about, with the whole query as context.
    assert sorted(sent_fragments(request.body)) == sorted(unknown)
    assert query in request.body["messages"][1]["content"]
    for text, english in unknown.items():
        alternatives = group(parsed, text).alternatives
        assert alternatives[: len(group(offline, text).alternatives)] == group(offline, text).alternatives
        assert alternatives[-1] == Alternative("en", english)
    # What the glossary understood, the specs and the chips are as they were.
    for text in understood:
        assert group(parsed, text) == group(offline, text)
    assert parsed.quantities == offline.quantities and parsed.chips == offline.chips
    call = AICall.objects.get(task=query_translation.TASK)
    assert call.prompt_version == query_translation.PROMPT_VERSION and call.status == "ok"


def test_a_latin_language_query_sends_its_unknown_word_though_it_is_also_searched_as_typed_in_english(model):
    # "hormigón" is tried as typed with every Latin language's stemming, English too: that is not a translation.
    parsed = parse_query("taladro para hormigón", ui_language="es")
    (request,) = calls(model)
    assert sent_fragments(request.body) == ["hormigon"]
    assert group(parsed, "hormigon").alternatives[-1] == Alternative("en", ("concrete",))
    # A glossary term whose English is the word itself ("laptop") is understood: no call.
    parse_query("laptop", ui_language="de")
    assert len(calls(model)) == 1


def test_a_russian_search_finds_an_english_only_listing_and_keeps_its_specs(model, settings, catalog, tools):
    drill_18v, drill_12v = catalog["products"]["drill"], tools["brushless_12v"]
    settings.AI_PROVIDER = "offline"
    offline = product_search(q="бесщеточная дрель 18V", ui_language="ru")
    # Offline "бесщеточная" matches nothing: only by dropping words does the search find any drill at all.
    assert offline.relaxed == "words"
    settings.AI_PROVIDER = "openai"
    result = product_search(q="бесщеточная дрель 18V", ui_language="ru")
    assert not result.relaxed
    # Both words count (the brushless drills, not the 12 V drill without "brushless"), and the 18 V spec ranks.
    assert [p.pk for p in result.hits[: result.partial_from]] == [drill_18v.pk, drill_12v.pk]
    assert any(chip.key == "qty:V:18:18" for chip in result.query.chips)


def test_chinese_and_arabic_searches_find_the_english_only_impact_wrench(model, settings, tools):
    wrench = tools["impact_wrench"]
    settings.AI_PROVIDER = "offline"
    offline_zh = product_search(q="冲击扳手 18V", ui_language="zh-hans")
    offline_ar = product_search(q="مفتاح صدمات", ui_language="ar")
    assert offline_zh.relaxed == "words" and tools["adjustable_wrench"] in offline_zh.hits
    # Offline the Arabic query finds wrenches by "مفتاح" alone (its English head): every wrench, the word "impact"
    # dropped. The model's "impact" narrows it to the one asked for.
    assert offline_ar.relaxed == "words" and tools["adjustable_wrench"] in offline_ar.hits
    settings.AI_PROVIDER = "openai"
    for q, language in (("冲击扳手 18V", "zh-hans"), ("مفتاح صدمات", "ar")):
        result = product_search(q=q, ui_language=language)
        assert [p.pk for p in result.hits[: result.partial_from]] == [wrench.pk], q  # then the partial matches
        assert not result.relaxed


# --- the cache -----------------------------------------------------------------------------------------------------


def test_a_repeated_query_never_calls_the_model_again(model):
    first = parse_query("бесщеточная дрель 18V", ui_language="ru")
    second = parse_query("бесщеточная дрель 18V", ui_language="ru")
    # Another query with the same unknown word: the cache is per fragment.
    third = parse_query("бесщеточная дрель", ui_language="ru")
    assert len(calls(model)) == 1
    assert first.groups == second.groups
    assert group(third, "бесщеточная") == group(first, "бесщеточная")


def test_no_translation_is_cached_too_and_per_language(model):
    parse_query("ударный гайковерт", ui_language="ru")
    parse_query("кукуруза гайковерт", ui_language="ru")  # "кукуруза": the model gives no English
    parse_query("кукуруза гайковерт", ui_language="ru")
    assert [sent_fragments(r.body) for r in calls(model)] == [["ударныи", "гаиковерт"], ["кукуруза"]]
    # The same fragment in a query of another language is another question (and another cache entry).
    parse_query("кукуруза", ui_language="ar", language="ar")
    assert len(calls(model)) == 3


# --- failures: the search answers as it would offline --------------------------------------------------------------


def _offline_ids(settings, q, language):
    settings.AI_PROVIDER = "offline"
    ids = [p.pk for p in product_search(q=q, ui_language=language).hits]
    settings.AI_PROVIDER = "openai"
    return ids


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=fake_openai.completion(json.dumps({"fragments": [{"text": "冲击", "english": "impact"}]})), delay=3),
        error_reply(500),
        Reply(body=fake_openai.completion("not json")),
    ],
    ids=["slow", "500", "malformed"],
)
def test_a_failed_call_searches_as_offline_quickly_and_is_not_retried_by_every_search(
    use_openai, settings, tools, caplog, reply
):
    settings.SEARCH_TRANSLATION_TIMEOUT_SECONDS = 0.3
    expected = _offline_ids(settings, "冲击扳手 18V", "zh-hans")
    use_openai.chat(reply)
    started = time.monotonic()
    result = product_search(q="冲击扳手 18V", ui_language="zh-hans")
    assert time.monotonic() - started < 2.5
    assert [p.pk for p in result.hits] == expected
    assert len(calls(use_openai)) == 1  # no retries
    assert "search query translation" in caplog.text
    # Remembered briefly: the next searches do not wait for the model again.
    product_search(q="冲击扳手 18V", ui_language="zh-hans")
    assert len(calls(use_openai)) == 1


def test_invented_fragments_numbers_and_non_english_answers_are_ignored(use_openai):
    use_openai.chat(
        json_reply(
            {
                "fragments": [
                    {"text": "drill", "english": "drill"},  # not sent
                    {"text": "ударныи", "english": "impact 18v"},  # a number the fragment does not have
                    {"text": "гаиковерт", "english": "гайковерт"},  # not English
                    {"text": "бесщеточная", "english": "brushless"},  # the one good answer
                ]
            }
        )
    )
    parsed = parse_query("ударный гайковерт бесщеточная", ui_language="ru")
    assert [a for a in group(parsed, "ударныи").alternatives if a.language == "en"] == []
    assert [a for a in group(parsed, "гаиковерт").alternatives if a.language == "en"] == []
    assert group(parsed, "бесщеточная").alternatives[-1] == Alternative("en", ("brushless",))
    assert len(parsed.groups) == 3  # a fragment that was not sent adds no group


def test_an_overlong_answer_is_ignored_and_stop_words_are_dropped(use_openai):
    use_openai.chat(
        json_reply(
            {
                "fragments": [
                    {"text": "ударныи", "english": "a tool for the impact driving of very large bolts"},
                    {"text": "гаиковерт", "english": "the wrench"},
                ]
            }
        )
    )
    parsed = parse_query("ударный гайковерт", ui_language="ru")
    assert [a for a in group(parsed, "ударныи").alternatives if a.language == "en"] == []
    assert group(parsed, "гаиковерт").alternatives[-1] == Alternative("en", ("wrench",))
