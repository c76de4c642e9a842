"""Word forms the glossary's exact lookup cannot see: German compounds and Arabic clitics.

    split_compound("edelstahlrohr", "de")  -> ("edelstahl", "rohr")
    split_compound("akkuladegerate", "de") -> ("akku", "ladegerat")
    strip_clitics("بالطاقه")              -> "طاقه"

German writes a product and its modifiers as one word ("Akkuladegerät", "Solarstraßenlaterne") where other languages
write a phrase, so a compound the vocabulary does not list is read as the vocabulary words it is made of. Arabic
joins the article and one-letter prepositions to the word ("بالطاقة" = "with the energy", "للشحن" = "for the
shipping"), so such a word is read as the vocabulary word behind them. Both only ever replace a word that is neither
a vocabulary word nor in the catalog's index (see query._text_groups): a catalog that uses the compound as written
still finds it as written.
"""

from functools import lru_cache

from . import glossary
from .text import stem

# Linking elements (Fugenelemente) between the parts of a German compound: Versand-s-karton, Straße-n-laterne.
_LINKS = ("", "s", "n", "en", "es", "e")
MIN_PART = 3  # shorter pieces ("eis", "ohr") make too many false splits below that
MIN_COMPOUND = 7
MAX_PARTS = 3
# Loanwords German compounds are built from ("Solarmodul", "LED-Strahler"): English vocabulary words count as parts.
_PART_LANGUAGES = {"de": ("de", "en")}

# Arabic proclitics, longest first: conjunction و/ف, prepositions ب/ك/ل, and the article ال (ل + ال is written لل).
_ARABIC_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_ARABIC_MIN_STEM = 3


@lru_cache(maxsize=8)
def _parts(language: str) -> frozenset[str]:
    by_language = glossary.vocabulary_by_language()
    return frozenset(
        word
        for part_language in _PART_LANGUAGES.get(language, (language,))
        for word in by_language.get(part_language, ())
        if len(word) >= MIN_PART and word.isalpha()
    )


def _known_part(piece: str, language: str) -> str | None:
    """The vocabulary word a piece is, directly or as an inflected form of it ("kartons" -> "karton")."""
    if piece in _parts(language):
        return piece
    return glossary.vocabulary_word_for_stem(stem(piece, language), language)


def _splits(word: str, language: str, parts_left: int) -> list[tuple[str, ...]]:
    known = _known_part(word, language) if len(word) >= MIN_PART else None
    found = [(known,)] if known else []
    if parts_left < 2:
        return found
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head = word[:cut]
        if head not in _parts(language):
            continue
        for link in _LINKS:
            if not word.startswith(link, cut):
                continue
            rest = word[cut + len(link) :]
            if len(rest) < MIN_PART:
                continue
            found += [(head, *tail) for tail in _splits(rest, language, parts_left - 1)]
    return found


def _is_term(word: str) -> bool:
    return bool(glossary.lookup(word))


@lru_cache(maxsize=4096)
def split_compound(word: str, language: str) -> tuple[str, ...] | None:
    """The vocabulary words a German compound is made of, or None (not German, too short, a known word, no split
    into known words). Fewest parts win, then the most parts the glossary translates, then the longest last part:
    the last part names the thing ("Akku|ladegerät", not "Akkulade|gerät"), so it should be as whole as possible."""
    if language not in _PART_LANGUAGES or len(word) < MIN_COMPOUND or not word.isalpha():
        return None
    if glossary.is_known_word(word):
        return None
    splits = [s for s in _splits(word, language, MAX_PARTS) if len(s) > 1]
    if not splits:
        return None
    return min(splits, key=lambda s: (len(s), -sum(map(_is_term, s)), -len(s[-1]), s))


# Where a language puts the noun that names the thing in its product terms: German compounds end with it
# (Wasser|pumpe); Arabic and the Romance languages start with it (مضخه مياه, bomba de agua, pompe à eau); English and
# Russian adjective + noun phrases end with it (погружной насос).
_HEAD_FIRST = {"ar", "es", "fr", "pt"}
_HEAD_LAST = {"en", "ru"}


def _terms_headed_by(word: str, language: str):
    if language == "de":
        return (t for t in glossary.single_word_terms(language) if t.endswith(word) and len(t) >= len(word) + MIN_PART)
    if language in _HEAD_FIRST:
        return (t for t in glossary.multi_word_terms(language) if t.split(" ", 1)[0] == word)
    if language in _HEAD_LAST:
        return (t for t in glossary.multi_word_terms(language) if t.rsplit(" ", 1)[-1] == word)
    return ()


@lru_cache(maxsize=4096)
def english_head(word: str, language: str) -> str | None:
    """The English noun a word names when the glossary has no entry for it alone, read from the glossary's terms it
    heads: the last English word they share ("pumpe": Wasserpumpe, Tauchpumpe, Solarpumpe … -> "pump"; "مضخه":
    مضخه مياه, مضخه غاطسه … -> "pump"). None unless at least two such terms agree on it for at least 60 % of them."""
    if len(word) < MIN_PART + 1 or _is_term(word):
        return None
    heads: dict[str, int] = {}
    terms = 0
    for term in _terms_headed_by(word, language):
        terms += 1
        for last in {entry.canonical.rsplit(" ", 1)[-1].casefold() for entry in glossary.lookup(term)}:
            heads[last] = heads.get(last, 0) + 1
    if not heads:
        return None
    best, count = max(sorted(heads.items()), key=lambda item: item[1])
    return best if count >= 2 and count >= 0.6 * terms else None


@lru_cache(maxsize=4096)
def strip_clitics(word: str) -> str | None:
    """An Arabic word the glossary has no entry for, read without its article and attached prepositions, in the form
    the glossary has an entry for (or, failing that, a vocabulary word): bare, with the article, a sound feminine
    plural -ات as its singular -ة, a feminine adjective -ية as its masculine -ي. None when there is none."""
    if not word or not "\u0600" <= word[0] <= "\u06ff" or _is_term(word):
        return None
    candidates = []
    for prefix in ("", *_ARABIC_PREFIXES):
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        if len(rest) < _ARABIC_MIN_STEM:
            continue
        candidates += [rest, "ال" + rest]
        if rest.endswith("ات") and len(rest) > _ARABIC_MIN_STEM + 1:
            candidates += [rest[:-2] + "ه", rest[:-2]]  # folded: the ة of the singular is written ه
        if rest.endswith("يه") and len(rest) > _ARABIC_MIN_STEM + 1:
            candidates.append(rest[:-1])
    candidates = [c for c in dict.fromkeys(candidates) if c != word]
    for test in (_is_term, glossary.is_known_word):
        for candidate in candidates:
            if test(candidate):
                return candidate
    return None
