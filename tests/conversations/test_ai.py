"""conversations.ai: language detection, message translation (offline vocabulary rules and the model path over real
HTTP against tests/ai's fake OpenAI-compatible server), and seller reply drafts.

How the offline cases were written: the test sentences below came first, as a buyer or seller would write them,
and conversations/data/phrases.json was written afterwards from general trade phrasing (what a MOQ / samples /
lead-time / price / OEM question looks like in each language), not from these sentences. The cases marked
"(tuned)" are the only ones the tables were checked against while being written (the brief's own example).
Each case names the general situation it stands for.
"""

from decimal import Decimal

import pytest

from conversations import ai
from conversations.models import TranslationStatus
from tests.ai import fake_openai
from tests.ai.fake_openai import Reply, error_reply, json_reply

# The fake OpenAI-compatible server of tests/ai (real HTTP, the real SDK), as fixtures of this module.
openai_server = fake_openai.openai_server
use_openai = fake_openai.use_openai
use_offline = fake_openai.use_offline

OFFLINE = pytest.mark.usefixtures("use_offline")


# --- language detection ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("请问这款保温杯最低起订量是多少？", "zh-hans"),  # Han only
        ("このバッテリーのサンプルを送っていただけますか？", "ja"),  # kana beside kanji
        ("Здравствуйте, какая минимальная партия?", "ru"),  # Cyrillic
        ("مرحبا، ما هو سعر الوحدة؟", "ar"),  # Arabic script
        ("Hola, ¿cuál es el plazo de entrega?", "es"),  # Latin: inverted question mark and Spanish words
        ("Bonjour, quel est le prix pour 1000 pièces ?", "fr"),  # Latin: French words
        ("Hallo, wie lange ist die Lieferzeit für 500 Stück?", "de"),  # Latin: German words and umlaut
        ("Olá, vocês aceitam pedidos OEM com nosso logotipo?", "pt"),  # Latin: Portuguese words
        ("Hi, could you share your price list?", "en"),  # Latin: English words
        ("12V 100Ah", "en"),  # nothing to go on: English
    ],
)
def test_detect_language(text, language):
    assert ai.detect_language(text) == language


# --- offline translation -----------------------------------------------------------------------------------------


def _translate(text, source, target="en"):
    return ai.translate_message(text, source=source, target=target)


@OFFLINE
@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        # A whole common question, rendered as a sentence (the MOQ question, Chinese).
        ("你好，请问最小起订量是多少？", "zh-hans", ["MOQ"]),
        # The samples question, Russian.
        ("Можете прислать образцы?", "ru", ["sample"]),
        # The samples question, Arabic.
        ("هل يمكنكم إرسال عينات؟", "ar", ["sample"]),
        # The lead-time question, Japanese.
        ("納期はどのくらいですか？", "ja", ["lead time"]),
        # The samples question, German.
        ("Können Sie uns Muster schicken?", "de", ["sample"]),
        # The OEM question, Spanish.
        ("¿Aceptan pedidos OEM?", "es", ["OEM"]),
        # Thanks, French.
        ("Merci beaucoup !", "fr", ["Thank"]),
    ],
)
def test_common_sentences_are_translated_whole(text, source, expected):
    result = _translate(text, source)
    assert result.status == TranslationStatus.PARTIAL
    assert result.provider == "offline" and result.model == "" and result.prompt_version == ai.OFFLINE_VERSION
    for fragment in expected:
        assert fragment.lower() in result.text.lower()
    assert "[…]" not in result.text  # nothing left over


@OFFLINE
@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        # Product + material + quantity + price question, Chinese (no spaces: segmentation).
        ("不锈钢保温杯 500ml, 1000件的价格是多少？", "zh-hans", ["stainless steel", "500ml", "1000", "price"]),
        # Quantity in a Russian unit + product + power in a Russian unit.
        ("Нужно 200 шт. солнечных панелей 450 Вт", "ru", ["200", "pieces", "solar panel", "450"]),
        # Quantity + material, Arabic.
        ("نحتاج 300 قطعة من الفولاذ المقاوم للصدأ", "ar", ["300", "pieces", "stainless steel"]),
        # Material + quantity + a request for a quotation, Japanese.
        ("ステンレス鋼のタンブラー500個の見積もりをお願いします", "ja", ["stainless steel", "500", "quotation"]),
        # Quantity + material + the price question, German.
        (
            "Wir brauchen 2000 Stück aus Edelstahl, was ist Ihr bester Preis?",
            "de",
            ["2000", "stainless steel", "price"],
        ),
        # Quantity + material + custom logo, Spanish.
        ("Necesitamos 1000 piezas de acero inoxidable con logo personalizado", "es", ["1000", "stainless", "logo"]),
        # (tuned) The brief's example: Chinese product terms, a spec, and MOQ by a quantity.
        ("单晶光伏板 450W 半片, 500片起订吗？", "zh-hans", ["450W", "MOQ", "500"]),
    ],
)
def test_terms_and_specs_are_glossed(text, source, expected):
    result = _translate(text, source)
    assert result.status == TranslationStatus.PARTIAL, result
    for fragment in expected:
        assert fragment.lower() in result.text.lower(), (fragment, result.text)


@OFFLINE
def test_english_into_chinese():
    # The MOQ question, English -> Chinese.
    whole = _translate("What is your MOQ?", "en", "zh-hans")
    assert whole.status == TranslationStatus.PARTIAL
    assert "起订量" in whole.text
    # Quantity + material + an Incoterm + a price request, English -> Chinese: terms rendered, numbers kept.
    mixed = _translate("We need 5000 pcs in stainless steel, please quote FOB Shanghai.", "en", "zh-hans")
    assert mixed.status == TranslationStatus.PARTIAL
    assert "不锈钢" in mixed.text and "5000" in mixed.text and "FOB" in mixed.text


@OFFLINE
def test_numbers_units_and_model_numbers_are_kept_as_written():
    # A spec line: voltage, capacity, a dimension with a decimal comma, a model number.
    result = _translate("锂电池 12V 100Ah, 尺寸 3,5 mm, 型号 LFP-12100 的交货期？", "zh-hans")
    assert result.status == TranslationStatus.PARTIAL
    for kept in ("12V", "100Ah", "3,5 mm", "LFP-12100"):
        assert kept in result.text
    assert "lead time" in result.text.lower()


@OFFLINE
@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "en"),  # Latin text with no trade word
        ("我昨天在公园散步。", "zh-hans"),  # Chinese with no trade word
        ("Мы вчера гуляли в парке.", "ru"),  # Russian with no trade word
    ],
)
def test_nothing_recognised_is_not_translated(text, source):
    result = _translate(text, source, "zh-hans" if source == "en" else "en")
    assert result.status == TranslationStatus.NOT_TRANSLATED
    assert result.text == ""
    assert result.provider == "offline"


@OFFLINE
def test_partly_recognised_message_marks_what_it_left_out():
    # A sentence of small talk beside a samples question: the first is marked, not dropped silently.
    result = _translate("我们上周参观了广交会。可以寄样品吗？", "zh-hans")
    assert result.status == TranslationStatus.PARTIAL
    assert "[…]" in result.text and "sample" in result.text.lower()


def test_same_language_is_returned_unchanged():
    result = _translate("What is your MOQ?", "en", "en-us")
    assert result.status == TranslationStatus.TRANSLATED and result.text == "What is your MOQ?"


@OFFLINE
def test_offline_translation_is_fast():
    import time

    _translate("warm-up 不锈钢", "zh-hans")
    started = time.perf_counter()
    for _ in range(20):
        _translate("不锈钢保温杯 500ml, 1000件的价格是多少？可以寄样品吗？交货期多久？", "zh-hans")
    assert time.perf_counter() - started < 0.5


# --- reply drafts --------------------------------------------------------------------------------------------------

FACTS = ai.ReplyFacts(
    supplier_name="Ningbo Bright Solar Co., Ltd.",
    product_title="Monocrystalline solar panel 450W",
    moq=100,
    unit="pieces",
    price_tiers=[(100, Decimal("62.50"), "USD"), (500, Decimal("58.00"), "USD")],
    lead_time_days=None,  # not known: the draft asks the seller to fill it in
    samples=True,
    oem=True,
    certifications=["CE", "TÜV"],
)


@OFFLINE
def test_reply_in_english_answers_price_moq_and_marks_missing_lead_time():
    # Price for a quantity + MOQ + lead time, English buyer.
    question = "Hello, what's your price for 500 pcs? What is the minimum order and how long is delivery?"
    draft = ai.suggest_reply(question=question, facts=FACTS, language="en")
    assert draft.answered == ["price", "moq"] and draft.to_fill == ["lead_time"]
    assert "58.00" in draft.text and "62.50" in draft.text and "100" in draft.text
    assert "[lead time: please fill in]" in draft.text
    assert draft.provider == "offline" and draft.prompt_version == ai.OFFLINE_VERSION
    assert "Ningbo Bright Solar" in draft.text


@OFFLINE
def test_reply_in_chinese():
    # Price + MOQ + lead time, Chinese buyer (a Chinese-speaking trade partner), every fact known.
    facts = ai.ReplyFacts(
        supplier_name="宁波光明",
        moq=200,
        unit="sets",
        price_tiers=[(200, Decimal("12.80"), "USD")],
        lead_time_days=25,
    )
    draft = ai.suggest_reply(question="请问价格多少？起订量多少？交期多久？", facts=facts, language="zh-hans")
    assert draft.answered == ["price", "moq", "lead_time"] and draft.to_fill == []
    assert "12.80" in draft.text and "200" in draft.text and "25" in draft.text
    assert "起订量" in draft.text and "[" not in draft.text


@OFFLINE
def test_reply_answers_samples_oem_certification_and_marks_unknowns():
    # Samples + OEM logo + certification + shipping, Spanish buyer.
    question = "¿Pueden enviar muestras? ¿Aceptan OEM con nuestro logo? ¿Tienen certificado CE? ¿Envían FOB?"
    draft = ai.suggest_reply(question=question, facts=FACTS, language="es")
    assert draft.answered == ["samples", "customization", "certification"] and draft.to_fill == ["shipping"]
    assert "CE" in draft.text and "muestras" in draft.text.lower()
    assert "[" in draft.text  # shipping terms are not in the facts: the seller fills them in


@OFFLINE
def test_reply_with_no_recognised_question_is_a_polite_opening():
    draft = ai.suggest_reply(question="Ciao, come va?", facts=ai.ReplyFacts(supplier_name="ACME"), language="it")
    assert draft.answered == []
    assert draft.text  # English (no Italian templates): greeting and closing only
    assert "ACME" in draft.text


# --- the model path, over real HTTP -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_model_translation(use_openai):
    use_openai.chat(json_reply({"text": "Hello, what is the MOQ for the 450W panels?"}))
    result = _translate("你好，450W的板子起订量多少？", "zh-hans")
    assert result.status == TranslationStatus.TRANSLATED
    assert result.text == "Hello, what is the MOQ for the 450W panels?"
    assert (result.provider, result.model, result.prompt_version) == ("openai", "fake-model", ai.PROMPT_VERSION)
    sent = use_openai.requests_to("/chat/completions")
    assert len(sent) == 1
    assert "你好，450W的板子起订量多少？" in sent[0].body["messages"][1]["content"]
    assert sent[0].body["response_format"]["type"] == "json_schema"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reply",
    [
        Reply(body="this is not JSON at all"),  # a broken server
        json_reply({"translation": "wrong field"}),  # off-schema
        json_reply({"text": "Hello, what is the MOQ for the panels?"}),  # the number 450 went missing
        error_reply(500),  # the provider is down
    ],
)
def test_model_failures_fall_back_offline(use_openai, settings, reply):
    settings.AI_MAX_RETRIES = 3  # the call retries nothing whatever the task default is
    use_openai.chat(reply, reply, reply, reply)
    result = _translate("你好，450W的板子起订量多少？", "zh-hans")
    assert result.provider == "offline"
    assert result.status == TranslationStatus.PARTIAL
    assert "MOQ" in result.text and "450W" in result.text
    assert len(use_openai.requests_to("/chat/completions")) == 1


@pytest.mark.django_db
def test_model_reply_draft_and_its_guard(use_openai):
    use_openai.chat(
        json_reply({"text": "Dear buyer, our price for 500 pieces is 58.00 USD each.", "answered": ["price"]}),
        json_reply({"text": "Our price is 49.99 USD.", "answered": ["price"]}),  # a price the facts do not have
    )
    question = "What's your price for 500 pcs?"
    draft = ai.suggest_reply(question=question, facts=FACTS, language="en")
    assert (draft.provider, draft.model, draft.answered) == ("openai", "fake-model", ["price"])
    assert "58.00" in draft.text
    invented = ai.suggest_reply(question=question, facts=FACTS, language="en")
    assert invented.provider == "offline" and "49.99" not in invented.text and "58.00" in invented.text
