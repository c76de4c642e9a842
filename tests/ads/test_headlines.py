# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""Ad headlines from the AI layer: offline, a template over the listing's facts in the buyer's language; with a
model (a local OpenAI-compatible server over real HTTP), the model's line under the same schema; a model that
fails or answers nonsense leaves the offline suggestion, never an error in the tuning run."""

import json

import pytest

from ads.ai import headline_suggest
from tests.ai.fake_openai import error_reply, json_reply, openai_server, use_offline, use_openai  # noqa: F401
from tests.factories import TranslationFactory

pytestmark = pytest.mark.django_db


def test_offline_headline_uses_the_listing_in_the_buyers_language(market, use_offline):
    product = market["products"]["a"]
    TranslationFactory(product=product, language="de", title="Akku-Bohrschrauber 18V bürstenlos")
    german = headline_suggest(product=product, language="de")
    assert german.provider == "offline"
    assert german.text.startswith("Akku-Bohrschrauber 18V bürstenlos")
    assert "Direkt vom Hersteller" in german.text and len(german.text) <= 90
    english = headline_suggest(product=product, language="en")
    assert english.text.startswith("Cordless Drill 18V Brushless") and "MOQ 100" in english.text
    # No Japanese title yet: the English one, and the reason says so.
    assert "not yet translated" in headline_suggest(product=product, language="ja").reason


def test_a_model_writes_the_headline_over_http(market, use_openai):
    use_openai.chat(json_reply({"text": "18V brushless cordless drill, factory price, MOQ 100"}))
    suggestion = headline_suggest(product=market["products"]["a"], language="en")
    assert (suggestion.text, suggestion.provider) == ("18V brushless cordless drill, factory price, MOQ 100", "openai")
    (sent,) = use_openai.requests_to("/chat/completions")
    assert "Cordless Drill 18V Brushless" in json.dumps(sent.body)


def test_a_failing_or_unreadable_model_falls_back_to_the_offline_headline(market, use_openai):
    use_openai.chat(error_reply(500))
    assert headline_suggest(product=market["products"]["a"], language="en").provider == "offline"
    use_openai.chat(json_reply({"text": ""}))  # fails the schema (at least 3 characters)
    assert headline_suggest(product=market["products"]["a"], language="en").provider == "offline"


def test_markup_from_a_model_is_stripped(market, use_openai):
    use_openai.chat(json_reply({"text": "<b>Best</b> drill <script>x</script>"}))
    assert "<" not in headline_suggest(product=market["products"]["a"], language="en").text
