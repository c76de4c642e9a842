import pytest

from core.languages import language_codes, normalize_language


def test_language_codes_follow_settings(settings):
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    assert language_codes() == ["en", "de"]


@pytest.mark.parametrize(
    ("sent", "served"),
    [
        ("zh", "zh-hans"),
        ("ZH-CN", "zh-hans"),
        ("zh_Hans", "zh-hans"),
        ("zh-hans", "zh-hans"),
        ("pt-BR", "pt"),
        ("de", "de"),
        ("xx", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language(sent, served):
    assert normalize_language(sent) == served


def test_latin_languages_are_the_served_latin_script_ones(settings):
    from core.languages import latin_languages

    assert latin_languages() == ["en", "es", "fr", "de", "pt"]
    settings.LANGUAGES = [("en", "English"), ("ru", "Русский"), ("it", "Italiano")]
    assert latin_languages() == ["en", "it"]
