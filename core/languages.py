"""The buyer languages, from settings.LANGUAGES: the one list every module derives its language lists from."""

from django.conf import settings

# Plain ISO 639-1 and common regional spellings of the languages we serve under another code.
ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh_hans": "zh-hans", "zh-hans-cn": "zh-hans"}
CJK = frozenset({"zh-hans", "ja"})
RTL = frozenset({"ar"})
# Languages written in the Latin alphabet (a property of the language, not of our settings); latin_languages()
# keeps the served ones.
LATIN_SCRIPT = frozenset({"en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "vi", "id"})


def language_codes() -> list[str]:
    """Every language the UI, categories and translations serve, in settings order ("en" first)."""
    return [code for code, _name in settings.LANGUAGES]


def latin_languages() -> list[str]:
    """The served languages written in the Latin alphabet, in settings order."""
    return [code for code in language_codes() if code in LATIN_SCRIPT]


def normalize_language(code: str | None) -> str | None:
    """The served code for what a client sent ("zh", "ZH-CN", "pt-BR" -> "zh-hans", "zh-hans", "pt"),
    or None when it is not a language we serve."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    code = ALIASES.get(code, code)
    served = language_codes()
    if code in served:
        return code
    base = code.split("-", 1)[0]
    base = ALIASES.get(base, base)
    return base if base in served else None


def base_language(code: str | None) -> str:
    """The served language for a request or a row ("de-at" -> "de", "zh" -> "zh-hans"); English when unknown."""
    return normalize_language(code) or "en"
