"""Interface catalogs: list what a language still lacks, fill it from reviewed JSON, and check placeholders.

    python ops/translations.py todo de --out var/i18n/de          # untranslated entries, 250 per JSON file
    python ops/translations.py fill de var/i18n/de/done-*.json    # msgid -> msgstr (a list for plurals)
    python ops/translations.py check                              # every language: complete, placeholders intact

A JSON entry is keyed by msgid, or "msgctxt\x04msgid" when the message has a context (gettext's own separator).
`make messages` regenerates the catalogs from the code first; this script never invents a translation.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# Printf and format placeholders and HTML tags: a translation must carry the same set as its msgid. (Entities may
# go: "R&amp;D" is "I+D" in Spanish.)
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdgfiru]|%[sd]|\{\w*\}|</?[a-z][a-z0-9]*\b[^>]*>")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=120)


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def entry_problems(entry: polib.POEntry) -> list[str]:
    """Why an entry is not a usable translation (empty, fuzzy, placeholders that differ from the msgid's)."""
    if entry.obsolete:
        return []
    if "fuzzy" in entry.flags:
        return ["fuzzy"]
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
        if not all(forms):
            return ["untranslated"]
        # A language's singular form may drop the count ("un produit"); every placeholder must appear somewhere.
        wanted = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
        found = {p for form in forms for p in placeholders(form)}
        return [f"placeholders {sorted(wanted)} != {sorted(found)}"] if wanted != found else []
    if not entry.msgstr:
        return ["untranslated"]
    if placeholders(entry.msgid) != placeholders(entry.msgstr):
        return [f"placeholders {placeholders(entry.msgid)} != {placeholders(entry.msgstr)}"]
    return []


def todo(language: str, out: Path, size: int) -> None:
    po = catalog(language)
    missing = [e for e in po if not e.obsolete and entry_problems(e)]
    out.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(missing), size):
        chunk = {
            key(e): {
                "plural": e.msgid_plural or None,
                "where": sorted({ref for ref, _line in e.occurrences})[:3],
                "comment": e.comment or None,
            }
            for e in missing[start : start + size]
        }
        path = out / f"todo-{start // size:02d}.json"
        path.write_text(json.dumps(chunk, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{language}: {len(missing)} entries to translate in {out}")


def fill(language: str, files: list[Path]) -> None:
    po = catalog(language)
    by_key = {key(e): e for e in po if not e.obsolete}
    nplurals = po.metadata.get("Plural-Forms", "nplurals=2").split("nplurals=")[1].split(";")[0]
    applied, refused = 0, []
    for path in files:
        for k, value in json.loads(path.read_text(encoding="utf-8")).items():
            entry = by_key.get(k)
            if entry is None:
                refused.append(f"{path.name}: not in the catalog: {k[:60]!r}")
                continue
            if entry.msgid_plural:
                if not isinstance(value, list) or len(value) != int(nplurals):
                    refused.append(f"{path.name}: needs {nplurals} plural forms: {k[:60]!r}")
                    continue
                entry.msgstr_plural = dict(enumerate(value))
            else:
                if not isinstance(value, str):
                    refused.append(f"{path.name}: needs one string: {k[:60]!r}")
                    continue
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if problems := entry_problems(entry):
                refused.append(f"{path.name}: {problems[0]}: {k[:60]!r}")
                continue
            applied += 1
    po.save()
    print(f"{language}: {applied} applied, {len(refused)} refused")
    for line in refused:
        print("  " + line)


def check() -> int:
    failed = 0
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        language = po_path.parent.parent.name
        if language == "en":
            continue
        po = catalog(language)
        problems = [(key(e), p) for e in po for p in entry_problems(e)]
        print(f"{language}: {len(po) - len(problems)}/{len(po)} complete")
        for k, problem in problems[:10]:
            print(f"  {problem}: {k[:70]!r}")
        failed += bool(problems)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    todo_cmd = commands.add_parser("todo")
    todo_cmd.add_argument("language")
    todo_cmd.add_argument("--out", type=Path, required=True)
    todo_cmd.add_argument("--size", type=int, default=250)
    fill_cmd = commands.add_parser("fill")
    fill_cmd.add_argument("language")
    fill_cmd.add_argument("files", type=Path, nargs="+")
    commands.add_parser("check")
    args = parser.parse_args()
    if args.command == "todo":
        todo(args.language, args.out, args.size)
    elif args.command == "fill":
        fill(args.language, args.files)
    else:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
