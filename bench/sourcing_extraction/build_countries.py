"""Regenerates sourcing/extraction/data/countries.json from the Unicode CLDR territory names shipped with Babel.

Babel is a build-time tool only (not in requirements.txt): `pip install babel` in a scratch virtualenv, then run
this file with that interpreter. Aliases (USA, UK, Holland, ...) live in country_aliases.json, kept by hand.
"""

import json
from pathlib import Path

from babel import Locale

LANGUAGES = {
    "en": "en",
    "zh-hans": "zh_Hans",
    "es": "es",
    "fr": "fr",
    "de": "de",
    "pt": "pt",
    "ru": "ru",
    "ar": "ar",
    "ja": "ja",
}
# Not countries: EU, UN, EZ (eurozone), QO (outlying Oceania), ZZ (unknown), XA/XB (pseudo locales), XK kept (Kosovo).
SKIP = {"EU", "UN", "EZ", "QO", "ZZ", "XA", "XB"}
OUT = Path(__file__).resolve().parents[2] / "sourcing" / "extraction" / "data" / "countries.json"


def main() -> None:
    english = Locale.parse("en").territories
    codes = sorted(code for code in english if len(code) == 2 and code.isalpha() and code not in SKIP)
    data = {}
    for code in codes:
        names = {}
        for key, locale_name in LANGUAGES.items():
            name = Locale.parse(locale_name).territories.get(code)
            if name:
                names[key] = [name]
        data[code] = names
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(data)} countries -> {OUT}")


if __name__ == "__main__":
    main()
