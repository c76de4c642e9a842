"""The ads screens in Simplified Chinese, the seller centre's language: every message of the ads app and its
templates is in the zh_Hans catalog, translated (not fuzzy, not left in English), with its placeholders intact.
The catalog helpers are the sourcing and deals translation tests'."""

from tests.deals.test_translations import CHINESE
from tests.sourcing.test_translations import PLACEHOLDER, PO_FILE, po_entries, translations_of

ADS_PREFIXES = ("ads/", "templates/admin/ads/", "templates/search/sponsored_result.html")
SAME_IN_CHINESE = {"CTR"}


def ads_entries() -> list[dict]:
    return [e for e in po_entries(PO_FILE) if e["msgid"] and any(ref.startswith(ADS_PREFIXES) for ref in e["refs"])]


def test_every_ads_message_is_translated_with_its_placeholders():
    entries = ads_entries()
    assert len(entries) > 200  # the app's messages are in the catalog (makemessages was run)
    problems = []
    for entry in entries:
        values = translations_of(entry)
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif not values or not all(values):
            problems.append(f"untranslated: {entry['msgid']!r}")
        elif any(
            sorted(set(PLACEHOLDER.findall(v))) != sorted(set(PLACEHOLDER.findall(entry["msgid"]))) for v in values
        ):
            problems.append(f"placeholders: {entry['msgid']!r}")
        elif entry["msgid"] not in SAME_IN_CHINESE and not any(CHINESE.search(v) for v in values):
            problems.append(f"not Chinese: {entry['msgid']!r}")
    assert not problems, "\n".join(problems)
