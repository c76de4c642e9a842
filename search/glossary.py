"""The multilingual search glossary: query terms in nine languages -> canonical English terms and categories.

Built once per process from the platform's trade vocabulary (taxonomy/data/vocabulary, read by
taxonomy.selectors): product nouns with their synonyms and plurals, category terms, materials, features, attribute
values, trade terms and buyer phrasings, every one keyed to an English canonical term. It reads neither the demo
data nor the database: category hints are slugs that the engine matches to whatever Category rows exist at query
time, so a catalog without those categories still gets the canonical-term expansion, just no category boost.
Operators add their own entries (SearchSynonym, see "operator synonyms" below): the one database read, once per
process and again only when they change.
"""

import logging
import re
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache

from taxonomy import selectors as vocabulary

from .text import _is_cjk, cjk_runs, fold, stem, words

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    term: str  # as written
    language: str
    canonical: str  # English phrase searched in English text
    categories: tuple[str, ...] = ()  # category slugs
    kind: str = "term"  # category | product | material | feature | term


def _entries():
    from .query import STOPWORDS  # here, not at the top: query imports this module

    vocab = vocabulary.vocabulary()

    def vocabulary_entries():
        # Category terms before product nouns, as before: the first entry of a key is the one shown first.
        for kind, terms in (("category", vocab.category_terms), ("product", vocab.products)):
            for term in terms:
                # A noun also stands for its English synonyms ("Elektroroller" -> electric scooter, e-scooter), so a
                # listing that says "e-scooter" is found too; at most three, so a query stays a few alternatives. An
                # English name too: "mono solar panel" finds the listing that says "monocrystalline solar panel".
                canonicals = (term.en, *term.synonyms()[:3])
                for language in ("en", *(lang for lang in term.terms if lang != "en")):
                    for form in term.forms(language):
                        for canonical in canonicals:
                            yield Entry(form, language, canonical, term.categories, kind)
                for keyword in term.keywords:
                    yield Entry(keyword, "en", term.en, term.categories, kind)
        for terms, kind in (
            (vocab.materials, "material"),
            (vocab.features, "feature"),
            (vocab.attribute_values, "feature"),
            (vocab.trade_terms, "term"),
            (vocab.phrasings, "term"),
        ):
            for term in terms:
                for language in ("en", *(lang for lang in term.terms if lang != "en")):
                    for form in term.terms.get(language, ()) if kind == "term" else term.forms(language):
                        yield Entry(form, language, term.en, term.categories, kind)
                if terms is vocab.trade_terms:
                    yield Entry(term.en, "en", term.en, term.categories, kind)

    for entry in vocabulary_entries():
        yield entry
        # Queries lose their particles before the lookup ("pastillas de freno" is looked up as "pastillas freno"),
        # so a multi-word term is also keyed without the stopwords of its language.
        if not _is_cjk(entry.term[:1]):
            stop = STOPWORDS.get(entry.language, set()) | STOPWORDS["en"]
            all_words = words(entry.term)
            kept = [w for w in all_words if w not in stop]
            if kept and len(kept) < len(all_words):
                yield Entry(" ".join(kept), entry.language, entry.canonical, entry.categories, entry.kind)


def key(text: str) -> str:
    """The lookup key of a term: folded words (CJK runs kept whole) joined by single spaces."""
    parts = []
    for is_cjk, chunk in cjk_runs(fold(text)):
        parts += [chunk.strip()] if is_cjk else words(chunk)
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[Entry, ...]]:
    operator_synonyms_check()  # a process's first table has the operators' synonyms too
    out: dict[str, list[Entry]] = {}
    for entry in (*_entries(), *_operator["entries"]):
        k = key(entry.term)
        if k and entry not in out.setdefault(k, []):
            out[k].append(entry)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def longest_key_words() -> int:
    return max(len(k.split(" ")) for k in table())


@lru_cache(maxsize=1)
def chinese_terms() -> frozenset[str]:
    return frozenset(
        k
        for k, entries in table().items()
        if all(_is_cjk(c) for c in k) and any(e.language == "zh-hans" for e in entries)
    )


@lru_cache(maxsize=1)
def japanese_terms() -> frozenset[str]:
    return frozenset(k for k in table() if k and all(_is_cjk(c) for c in k))


def lookup(phrase_key: str) -> tuple[Entry, ...]:
    operator_synonyms_check()
    return table().get(phrase_key, ())


def cjk_category_hints(word: str) -> set[str]:
    """Category slugs of product nouns and category names that contain a CJK query word (for 保温杯 in 真空保温杯)."""
    if len(word) < 2:
        return set()
    slugs = set()
    for k, entries in table().items():
        if word in k and word != k:
            for entry in entries:
                if entry.kind in ("product", "category"):
                    slugs.update(entry.categories)
    return slugs if len(slugs) <= 3 else set()


@lru_cache(maxsize=1)
def vocabulary_by_language() -> dict[str, frozenset[str]]:
    """Folded single words per language, for language detection (built once: the glossary is static)."""
    out: dict[str, set[str]] = {}
    for k, entries in table().items():
        for entry in entries:
            out.setdefault(entry.language, set()).update(k.split(" "))
    return {language: frozenset(vocabulary) for language, vocabulary in out.items()}


# --- operator synonyms -------------------------------------------------------------------------------------------

# The operators' dictionary (search.models.SearchSynonym, edited in /admin/) joins the vocabulary in table(). A search
# never queries it: each process keeps the active rows in memory and, at most every SYNONYMS_CHECK_SECONDS, compares
# a version in Django's cache (set by operator_synonyms_changed() whenever a service changes a synonym) with the one
# it loaded; only a new version reloads the rows and drops every cache derived from the table.
SYNONYMS_VERSION_KEY = "search.glossary.synonyms_version"
SYNONYMS_CHECK_SECONDS = 30
_operator: dict = {"entries": (), "version": None, "loaded": False, "checked": float("-inf")}


def _operator_synonyms_load() -> tuple[Entry, ...]:
    from .models import SearchSynonym  # here: the models module must not load the vocabulary

    rows = SearchSynonym.objects.filter(active=True).order_by("pk")
    return tuple(
        Entry(term, language, canonical, (slug,) if slug else (), "term")
        for term, language, canonical, slug in rows.values_list("term", "language", "canonical", "category__slug")
    )


def _derived_caches_clear(new_entries) -> None:
    """Drop table() and everything cached from it (every lru_cache of this module, and the CJK segmentations in
    search.text), and teach an already loaded jieba the operators' Chinese terms as text._jieba_instance() teaches
    it the vocabulary's."""
    from . import text

    for value in list(globals().values()):
        if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == __name__:
            value.cache_clear()
    text.cjk_query_words.cache_clear()
    text.cjk_index_tokens.cache_clear()
    if text._jieba is not None:
        for entry in new_entries:
            term = key(entry.term)
            if term and all(_is_cjk(c) for c in term) and entry.language == "zh-hans":
                text._jieba.add_word(term, freq=50_000)


def operator_synonyms_check() -> None:
    """Reload the operators' synonyms when another process changed them (cheap: a clock read, and a cache read every
    SYNONYMS_CHECK_SECONDS). Without a database (a unit test, a process started before migrating) the vocabulary
    alone serves and loading is tried again later."""
    now = time.monotonic()
    if now - _operator["checked"] < SYNONYMS_CHECK_SECONDS:
        return
    _operator["checked"] = now
    version = cache.get(SYNONYMS_VERSION_KEY)
    # No version in the cache (never changed since it was emptied): what was loaded is still current.
    if _operator["loaded"] and (version is None or version == _operator["version"]):
        return
    try:
        entries = _operator_synonyms_load()
    except Exception:  # noqa: BLE001 - the glossary must work without its database layer
        logger.debug("operator synonyms not loaded", exc_info=True)
        return
    changed = entries != _operator["entries"]
    _operator.update(entries=entries, version=version, loaded=True)
    if changed:
        _derived_caches_clear(entries)


def operator_synonyms_changed() -> None:
    """Called (on commit) by the services that write synonyms: every process reloads within SYNONYMS_CHECK_SECONDS,
    this one at its next lookup."""
    cache.set(SYNONYMS_VERSION_KEY, uuid.uuid4().hex, None)
    _operator.update(loaded=False, checked=float("-inf"))


# --- typo tolerance ----------------------------------------------------------------------------------------------

# Folded Latin or Cyrillic letters only (folding removed the diacritics): the scripts where one wrong letter
# leaves a near neighbour of the right word. CJK, Arabic and kana are left alone.
_TYPO_WORD = re.compile(r"^[a-z\u00df-\u024f\u0430-\u045f]+$")


def typo_max_distance(word: str) -> int:
    """How many edits a word of this length may be away from the vocabulary word it is read as: none under five
    letters (too many short words are one edit apart), one up to seven, two from eight ("schlagbohrmaschiene")."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@lru_cache(maxsize=1)
def _typo_index() -> tuple[frozenset[str], dict[str, tuple[tuple[str, str], ...]]]:
    """Every single vocabulary word (all languages), and (word, language) pairs of the Latin and Cyrillic words of
    five letters or more keyed by the word and each form with one letter deleted (symmetric-delete spelling
    correction): a misspelling finds its candidates by a few dictionary reads, never by scanning the vocabulary."""
    known: set[str] = set()
    index: dict[str, set[tuple[str, str]]] = {}
    for language, language_words in vocabulary_by_language().items():
        known.update(language_words)
        for word in language_words:
            if len(word) < 5 or not _TYPO_WORD.match(word):
                continue
            for variant in (word, *_deletes(word)):
                index.setdefault(variant, set()).add((word, language))
    return frozenset(known), {k: tuple(sorted(v)) for k, v in index.items()}


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (an adjacent transposition is one edit), limit + 1 when above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def is_known_word(word: str) -> bool:
    return word in _typo_index()[0]


@lru_cache(maxsize=1)
def _known_stems() -> dict[tuple[str, str], str]:
    """(language, stem) -> the vocabulary word with that stem (the shortest, then the first alphabetically): an
    inflected form of a known word ("drills") reads as that word, never as whatever vocabulary word happens to lie one
    edit away ("grills")."""
    out: dict[tuple[str, str], str] = {}
    for language, words_ in vocabulary_by_language().items():
        for word in sorted(words_, key=lambda w: (len(w), w)):
            out.setdefault((language, stem(word, language)), word)
    return out


@lru_cache(maxsize=20_000)
def correct_word(word: str, language: str) -> str | None:
    """The vocabulary word a misspelt Latin or Cyrillic query word stands for ("bohrhammerr" -> "bohrhammer",
    "прожэктор" -> "прожектор", "impakt" -> "impact"), or None: for a word the vocabulary knows, a short word,
    a word with digits, or no word within typo_max_distance. The closest wins (ties below; the same answer every
    time)."""
    limit = typo_max_distance(word)
    if not limit or not word.isalpha() or is_known_word(word):
        return None
    if not _TYPO_WORD.match(word):
        return None
    known_stems = _known_stems()
    for stem_language in dict.fromkeys((language, "en")):
        same_stem = known_stems.get((stem_language, stem(word, stem_language)))
        if same_stem:
            return same_stem
    _known, index = _typo_index()
    candidates = {pair for variant in (word, *_deletes(word)) for pair in index.get(variant, ())}
    best = None
    for candidate, candidate_language in candidates:
        distance = _distance(word, candidate, limit)
        if distance > limit:
            continue
        # Ties: the word that keeps the typed word's last letter (a letter dropped or doubled inside a word is the
        # common slip: "bohrschraubr" is "bohrschrauber", not "bohrschraube"), then the query's language, English.
        rank = (
            distance,
            candidate[-1] != word[-1],
            candidate_language != language,
            candidate_language != "en",
            candidate,
        )
        if best is None or rank < best[0]:
            best = (rank, candidate)
    return best[1] if best else None


def vocabulary_word_for_stem(word_stem: str, language: str) -> str | None:
    """The vocabulary word of `language` with this stem (see _known_stems), or None."""
    return _known_stems().get((language, word_stem))


@lru_cache(maxsize=16)
def single_word_terms(language: str) -> tuple[str, ...]:
    """The one-word keys with an entry in `language` (German compounds among them), for search.morphology."""
    return tuple(k for k, entries in table().items() if " " not in k and any(e.language == language for e in entries))


@lru_cache(maxsize=16)
def multi_word_terms(language: str) -> tuple[str, ...]:
    """The keys of more than one word with an entry in `language`, for search.morphology."""
    return tuple(k for k, entries in table().items() if " " in k and any(e.language == language for e in entries))
