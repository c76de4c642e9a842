"""Every interface language is complete: each catalog holds every message the code asks for, translated (not fuzzy,
placeholders intact) and compiled; pages come out in the visitor's language and direction."""

import gettext
import importlib.util
import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import to_locale

ROOT = Path(settings.BASE_DIR)
# English is the source language: its messages are the msgids.
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# The source trees makemessages reads (the Makefile's `messages` target ignores the same others).
SOURCE_DIRS = [
    p.name
    for p in ROOT.iterdir()
    if p.is_dir() and not p.name.startswith(".") and p.name not in {"locale", "var", "bench", "tests"}
]


def _translations_tool():
    spec = importlib.util.spec_from_file_location("ops_translations", ROOT / "ops" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _translations_tool()


def catalog_path(language: str) -> Path:
    return ROOT / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    po = polib.pofile(str(catalog_path(language)))
    assert len(po) > 2000, "the catalog lost its messages: regenerate it with `make messages`"
    problems = [f"{problem}: {entry.msgid[:80]!r}" for entry in po for problem in tool.entry_problems(entry)]
    assert not problems, f"{len(problems)} messages of {language} need work:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_current_one(language):
    """The .mo is compiled from the .po as it is: every entry comes back translated."""
    po = polib.pofile(str(catalog_path(language)))
    with catalog_path(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        wanted = entry.msgstr
        got = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
        if got != wanted:
            stale.append(entry.msgid[:80])
    assert not stale, "run `make messages` (compilemessages):\n" + "\n".join(stale[:20])


def test_the_catalogs_hold_every_message_the_code_asks_for(tmp_path, settings):
    """makemessages over the sources into a copy of one catalog adds nothing untranslated: no template or module
    asks for a message the catalogs lack (all catalogs share the msgids; the first test checks each is complete)."""
    for name in SOURCE_DIRS:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    copy = tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(catalog_path("de"), copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["de"], symlinks=True, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    known = {key(e) for e in polib.pofile(str(catalog_path("de")))}
    missing = sorted(e.msgid[:80] for e in polib.pofile(str(copy)) if key(e) not in known)
    assert not missing, "messages missing from the catalogs; run `make messages` and translate them:\n" + "\n".join(
        missing[:40]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "label"),
    [("de", "ltr", "Suchen"), ("ar", "rtl", "بحث"), ("ja", "ltr", "検索"), ("ru", "ltr", "Поиск")],
)
def test_pages_come_out_in_the_visitors_language_and_direction(client, language, direction, label):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("search:search"), {"q": "nothing-matches-this"}).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert label in html
    assert "Post a sourcing request" not in html and "Nothing matches yet." not in html
