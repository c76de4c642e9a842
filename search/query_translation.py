"""The model's English for the words of a query the glossary did not understand (issue #11).

parse_query gives each glossary term an English alternative; a word it does not know is searched only as typed, so
"бесщеточная дрель 18V" cannot find an English-only "Brushless Cordless Drill". With a model configured,
`add_model_translations` asks it, in ONE structured-output call, for the English of those unknown fragments (the
whole query goes along as context) and adds each answer as one more `Alternative("en", …)` of its group: an OR, so
a translation can only widen a group, never lose the words and specs that were understood.

Never required and never slow: no model, an English query or a query fully understood makes no call; a reply is
cached per (prompt version, language, fragment), answers and "no translation" alike, so a repeated query never
calls the model; the call has its own short timeout (SEARCH_TRANSLATION_TIMEOUT_SECONDS, no retries), and any
failure leaves the query as the offline rules read it (logged at warning, remembered briefly so a struggling model
does not slow every search). A reply is checked: only fragments that were sent, short, Latin script, no number the
fragment does not have; anything else is ignored.

Batch callers (the search log's category report, ads keyword normalization, warm-up) parse with translate=False.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from pydantic import BaseModel

from ai.calls import structured_output
from ai.client import model_configured
from ai.exceptions import AIError
from core.db import blind_writes
from core.languages import LATIN_SCRIPT

from . import glossary
from .query import STOPWORDS, Alternative, ParsedQuery, TermGroup
from .text import script_of, words

log = logging.getLogger(__name__)

TASK = "search_translate"
PROMPT_VERSION = "search_translate/1"
CACHE_PREFIX = "search-translate"
ANSWER_SECONDS = 7 * 24 * 3600  # a translation, or the model's "nothing": words do not change meaning
FAILURE_SECONDS = 120  # after a timeout or an error: retried soon, but not by every search meanwhile
MAX_FRAGMENTS = 8
MAX_FRAGMENT_CHARS = 60
MAX_ENGLISH_CHARS = 60
MAX_ENGLISH_WORDS = 4
NO_TRANSLATION = ""  # cached value: the model was asked and gave nothing usable

SYSTEM = (
    "You translate the words of a B2B marketplace search query into the English a product listing would use. "
    "You get the whole query for context and a list of fragments of it. For each fragment give its English: "
    "a product noun, material, feature or property, in at most four words, lower case, no explanations. Return "
    "each fragment's `text` exactly as given. Never add numbers, units, brands or words the fragment does not "
    "mean. If a fragment is a brand, a model number, a name or has no English equivalent, give an empty string."
)


class FragmentTranslation(BaseModel):
    text: str
    english: str


class QueryTranslation(BaseModel):
    fragments: list[FragmentTranslation]


def add_model_translations(parsed: ParsedQuery) -> None:
    """Add the model's English to each group of `parsed` the glossary did not understand. Never raises."""
    try:
        _add_translations(parsed)
    except Exception:  # a search must answer whatever happens here
        log.warning("search query translation failed unexpectedly; searching without it", exc_info=True)


def _add_translations(parsed: ParsedQuery) -> None:
    if parsed.language == "en" or not model_configured("search query translation"):
        return
    unknown = [group for group in parsed.groups if _needs_translation(group, parsed.language)][:MAX_FRAGMENTS]
    if not unknown:
        return
    fragments = list(dict.fromkeys(group.text for group in unknown))
    keys = {fragment: _cache_key(parsed.language, fragment) for fragment in fragments}
    cached = cache.get_many(list(keys.values()))
    english = {fragment: cached[key] for fragment, key in keys.items() if key in cached}
    missing = [fragment for fragment in fragments if fragment not in english]
    if missing:
        english.update(_ask_model(parsed, missing, keys))
    for group in unknown:
        tokens = _english_tokens(english.get(group.text, NO_TRANSLATION))
        alternative = Alternative("en", tokens)
        if tokens and alternative not in group.alternatives:
            group.alternatives.append(alternative)


def _needs_translation(group: TermGroup, language: str) -> bool:
    """A group the glossary did not understand: no English alternative other than its own words, and not a glossary
    key (whose English may be the word itself, "laptop"). Codes and numbers have no translation; a Latin word in a
    non-Latin query (a brand, a model) is already searched as typed with English stemming."""
    if group.understood:
        return False
    text = group.text
    if not text or len(text) > MAX_FRAGMENT_CHARS or any(c.isdigit() for c in text):
        return False
    if not any(c.isalpha() for c in text):
        return False
    if language not in LATIN_SCRIPT and script_of(text) == "latin":
        return False
    as_typed = {alt.tokens for alt in group.alternatives if alt.language != "en"}
    if any(alt.language == "en" and alt.tokens not in as_typed for alt in group.alternatives):
        return False
    return not glossary.lookup(text)


def _cache_key(language: str, fragment: str) -> str:
    digest = hashlib.sha256(fragment.encode()).hexdigest()[:32]
    return f"{CACHE_PREFIX}:{PROMPT_VERSION}:{language}:{digest}"


def _ask_model(parsed: ParsedQuery, fragments: list[str], keys: dict[str, str]) -> dict[str, str]:
    """The model's English for `fragments` (NO_TRANSLATION where it gave nothing usable), cached either way; {} and
    cached briefly as nothing when the call fails."""
    listed = "\n".join(f"- {fragment}" for fragment in fragments)
    query = parsed.raw.replace("</query>", "</ query>")
    try:
        # The provenance row is bookkeeping nobody reads back: it must not pin the searcher to the primary.
        with blind_writes():
            result = structured_output(
                task=TASK,
                prompt_version=PROMPT_VERSION,
                schema=QueryTranslation,
                system=SYSTEM,
                user=f"Query language: {parsed.language}\n<query>{query}</query>\nFragments:\n{listed}",
                offline=lambda: QueryTranslation(fragments=[]),
                subject=parsed.raw[:80],
                temperature=0,
                retries=0,
                timeout=settings.SEARCH_TRANSLATION_TIMEOUT_SECONDS,
            )
    except AIError as error:
        log.warning("search query translation (%s) by the model failed (%s); searching without it", fragments, error)
        cache.set_many({keys[fragment]: NO_TRANSLATION for fragment in fragments}, FAILURE_SECONDS)
        return {}
    answers = dict.fromkeys(fragments, NO_TRANSLATION)
    for item in result.value.fragments:
        if item.text in answers and not answers[item.text] and _acceptable(item.text, item.english):
            answers[item.text] = " ".join(_english_tokens(item.english))
    cache.set_many({keys[fragment]: english for fragment, english in answers.items()}, ANSWER_SECONDS)
    return answers


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def _acceptable(fragment: str, english: str) -> bool:
    """Short English in Latin letters, with no number the fragment does not have."""
    english = english.strip()
    if not english or len(english) > MAX_ENGLISH_CHARS or not all(c < "\u0250" for c in english if c.isalpha()):
        return False
    if _numbers(english) - _numbers(fragment):
        return False
    return 0 < len(_english_tokens(english)) <= MAX_ENGLISH_WORDS


def _english_tokens(english: str) -> tuple[str, ...]:
    """The words every listing must have for the translation to match: its folded words without English stop words."""
    return tuple(word for word in words(english) if word not in STOPWORDS["en"])
