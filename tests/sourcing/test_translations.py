"""The sourcing screens in Simplified Chinese, the seller centre's language: every message of the sourcing app
is in the zh_Hans catalog (translated, not fuzzy, placeholders intact, compiled), and the pages render in it."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from sourcing import services

ROOT = Path(settings.BASE_DIR)
PO_FILE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCING_PREFIXES = ("sourcing/", "templates/sourcing/")
# Messages whose Chinese is the same text: codes and trade terms kept as they are.
SAME_IN_CHINESE = {"OEM", "ODM", "Logo", '[{"name", "value"}]'}
GETTEXT_NAMES = {"_", "_lazy", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdgfiru]|\{\{\s*\w+\s*\}\}")


# --- the catalog -------------------------------------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def po_entries(path: Path) -> list[dict]:
    """Entries of a .po file: refs (#:), flags (#,), msgid, msgid_plural, msgstr / msgstr[n]. Obsolete (#~) skipped."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry and not entry["obsolete"]:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"refs": [], "flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#:"):
            entry["refs"] += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _sep, value = line.partition(" ")
            entry[key] = _unquote(value)
    return entries


def sourcing_entries() -> list[dict]:
    return [
        e for e in po_entries(PO_FILE) if e["msgid"] and any(ref.startswith(SOURCING_PREFIXES) for ref in e["refs"])
    ]


def translations_of(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key == "msgstr" or key.startswith("msgstr[")]


def test_the_catalog_has_the_sourcing_messages():
    entries = sourcing_entries()
    # The app has several hundred messages: a catalog without them was not updated with makemessages.
    assert len(entries) > 400
    refs = {ref for e in entries for ref in e["refs"]}
    assert "templates/sourcing/admin/rfq_recipient_change.html" in refs
    assert "sourcing/matching/dimensions.py" in refs


def test_every_sourcing_message_is_translated_and_not_fuzzy():
    problems = []
    for entry in sourcing_entries():
        values = translations_of(entry)
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif not values or not all(values):
            problems.append(f"untranslated: {entry['msgid']!r}")
        elif "msgid_plural" in entry and len(values) != 1:
            problems.append(f"Chinese has one plural form (nplurals=1): {entry['msgid']!r}")
    assert not problems, "\n".join(problems)


def test_sourcing_translations_keep_their_placeholders():
    problems = []
    for entry in sourcing_entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry["msgid"])))
        for value in translations_of(entry):
            if sorted(set(PLACEHOLDER.findall(value))) != wanted:
                problems.append(f"{entry['msgid']!r} -> {value!r}")
    assert not problems, "\n".join(problems)


# --- the source: what the code asks for, including calls xgettext does not know (_lazy, dynamic labels) ------


def source_messages() -> list[str]:
    messages = []
    for path in sorted((ROOT / "sourcing").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if name in GETTEXT_NAMES and isinstance(first, ast.Constant) and isinstance(first.value, str):
                messages.append(first.value)
    return messages


def test_every_message_the_sourcing_code_asks_for_has_a_chinese_translation():
    messages = source_messages()
    assert len(messages) > 300
    with translation.override("zh-hans"):
        missing = sorted(
            {m for m in messages if m.strip() and m not in SAME_IN_CHINESE and translation.gettext(m) == m}
        )
    assert not missing, "\n".join(missing)


# --- the pages ---------------------------------------------------------------------------------------------------


@pytest.fixture
def invitation(buyer, supplier_a, seller_a):
    rfq = services.rfq_create(
        buyer=buyer,
        title="Bamboo cutting boards",
        lines=[{"product_name": "Bamboo cutting board 30x20 cm", "quantity": 2000, "unit": "piece"}],
        quote_deadline=timezone.localdate() + timedelta(days=7),
        currency="EUR",
        incoterm="CIF",
        incoterm_place="Rotterdam",
        destination_country="NL",
        requirements=[{"key": "cert:FSC", "label": "FSC certificate"}],
    )
    rfq = services.rfq_send(rfq=rfq, buyer=buyer, supplier_ids=[supplier_a.pk])
    return rfq.recipients.get(supplier=supplier_a)


@pytest.mark.django_db
def test_seller_rfq_list_renders_in_chinese(client, seller_a, invitation):
    client.force_login(seller_a)
    response = client.get(reverse("seller:sourcing_rfqrecipient_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bamboo cutting boards" in page
    for label in ("收到的询价单", "报价截止日期", "买家所在国家/地区", "已受邀"):
        assert label in page, label
    for english in ("RFQs received", "Quotes due by", "Buyer&#x27;s country", ">Invited<"):
        assert english not in page, english


@pytest.mark.django_db
def test_seller_rfq_screen_renders_in_chinese(client, seller_a, invitation):
    client.force_login(seller_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("seller:sourcing_rfqrecipient_change", args=[invitation.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("询价详情", "贸易术语", "付款方式", "各项产品报价", "起订数量", "发送报价", "拒绝报价"):
        assert label in page, label
    for english in ("Send the quote", "Decline to quote", "Payment terms", "Prices per line"):
        assert english not in page, english


@pytest.mark.django_db
def test_buyer_sourcing_home_renders_in_chinese(client, buyer, invitation):
    client.force_login(buyer)
    response = client.get(reverse("sourcing:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("AI 智能寻源", "您的采购需求", "您的询价单", "识别我的需求", "已发送"):
        assert label in page, label
