"""Leaderboard figures as a buyer reads them (rankings.display): words, localized numbers, labels, never internals."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from rankings import display
from rankings.inputs import INPUT_NAMES
from rankings.methodology import parse_ruleset
from rankings.ruleset_messages import MESSAGES

RULESETS = Path(__file__).resolve().parents[2] / "rankings" / "rulesets"


def _ruleset(name):
    return parse_ruleset(json.loads((RULESETS / name).read_text()))


def _indicator(ruleset, key):
    return next(indicator for indicator in ruleset.indicators if indicator.key == key)


@pytest.fixture
def miit():
    return _ruleset("specialized_innovative_miit_2022.json")


@pytest.fixture
def factories():
    return _ruleset("top_factories_v1.json")


def test_the_inputs_the_issue_quotes_read_as_words(miit, factories):
    shown = {
        key: display.format_indicator_input(_indicator(miit, key), value)
        for key, value in [
            ("quality_management", [False, True, False, 0]),
            ("class1_ip", [None, 0, 0, 13]),
            ("rd_spend", [None, None]),
            ("rd_staff_share", 5.383022774327122),
            ("key_field", "six_foundations"),
            ("rd_institution", "lower"),
            ("main_business_share", 79.96),
        ]
    }
    assert shown == {
        "quality_management": (
            "quality award: no · ISO 9001-type certificate: yes · own brand: no · standards drafted: 0"
        ),
        "class1_ip": (
            "high-value class-I IP: not reported · self-developed class-I IP: 0 · class-I IP: 0 · class-II IP: 13"
        ),
        "rd_spend": "not reported",
        "rd_staff_share": "5.3%",
        "key_field": "Industrial 'six foundations' field, time-honoured brand or key-chain supplier",
        "rd_institution": "Below municipal level",
        # Rounded down, so the figure never lands in a band the supplier did not reach (the 80% band scores 5).
        "main_business_share": "79.9%",
    }
    # A (successes, trials) pair is shown as the rate it stands for; its recency weights stay internal.
    assert display.format_indicator_input(_indicator(factories, "on_time"), [1.9693, 1.9693]) == "100% on time"
    assert display.format_indicator_input(_indicator(factories, "on_time"), [0.0, 0.0]) == "—"
    assert display.format_indicator_input(_indicator(factories, "verification_level"), 2) == "On-site checked"
    assert display.format_indicator_input(_indicator(factories, "factory_area"), 30000) == "30,000 m²"
    assert display.format_indicator_input(_indicator(factories, "staff"), None) == "not reported"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("median_response_minutes", 37, "37 minutes"),
        ("median_response_minutes", 200, "3 h 20 min"),
        ("median_response_minutes", 4320, "3 days"),
        ("response_24h", [6.9, 10.0], "69% answered within 24 h"),
        ("disputes", [0.0, 4.2], "0% of orders disputed"),
        ("rating", [17.2, 4.0], "4.3 of 5 stars"),
        ("demand_growth", 300.0, "+300%"),
        ("demand_growth", -12.5, "-13%"),
        ("rd_spend_cny", 4_999_999.0, "CNY 4.9 million"),
        ("years_in_niche", 1, "1 year"),
        ("is_manufacturer", True, "yes"),
        ("key_field", "no_such_code", "—"),
        ("key_field", "", "not reported"),
    ],
)
def test_each_kind_of_input(name, value, expected):
    assert display.format_input(name, value) == expected


def test_numbers_follow_the_buyers_language():
    with translation.override("de"):
        assert display.format_input("main_business_share", 78.24) == "78,2%"
        assert display.format_input("factory_area_m2", 12_345) == "12.345 m²"


def test_every_input_a_ruleset_can_name_has_a_format_and_a_name():
    assert not INPUT_NAMES - display.FORMATTERS.keys()
    assert not INPUT_NAMES - display.INPUT_LABELS.keys()


def test_rules_and_conditions_in_words(miit, factories):
    lines = display.indicator_rule_lines(_indicator(miit, "main_business_share"), "points")
    assert lines[:3] == ["80% or more → 5 points", "70% to under 80% → 3 points", "60% to under 70% → 1 point"]
    assert display.indicator_rule_lines(_indicator(miit, "years_in_niche"), "points")[0] == (
        "1 point per full 2 years, at most 5 points"
    )
    assert "main_business_share" not in " ".join(
        line for indicator in miit.indicators for line in display.indicator_rule_lines(indicator, "points")
    )
    assert [display.condition_words(condition) for condition in factories.require] == [
        "manufacturer: yes",
        "verification: at least Business license checked",
    ]


def test_every_ruleset_text_is_in_the_translation_catalog_source():
    """Ruleset text is translated at render time; makemessages finds it only through rankings/ruleset_messages.py."""
    missing = []
    for path in RULESETS.glob("*.json"):
        definition = json.loads(path.read_text())
        texts = [definition["title"], definition.get("source"), definition.get("notes")]
        texts += [pillar["label"] for pillar in definition["pillars"]]
        texts += [gate["label"] for gate in definition.get("gates", [])]
        for indicator in definition["indicators"]:
            texts += [indicator["label"], indicator.get("advice"), indicator.get("evidence")]
        missing += [f"{path.name}: {text}" for text in texts if text and text not in MESSAGES]
    assert not missing, "add to rankings/ruleset_messages.py:\n" + "\n".join(missing)
