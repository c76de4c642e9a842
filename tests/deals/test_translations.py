"""The deals screens in Simplified Chinese, the seller centre's language: every message of the deals app is in the
zh_Hans catalog (translated, not fuzzy, placeholders intact, compiled), and the seller's contract and order pages
render in it. The catalog helpers are the sourcing translation test's."""

import ast
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from deals.models import Contract
from deals.services import contracts
from tests.sourcing.test_translations import GETTEXT_NAMES, PLACEHOLDER, PO_FILE, ROOT, po_entries, translations_of

from .builders import accepted_quote, order_at

DEALS_PREFIXES = ("deals/", "templates/deals/")
# Messages whose Chinese is the same text: names and codes kept as they are.
SAME_IN_CHINESE = {"Silkway", "SWIFT / BIC"}
# Chinese characters and full-width punctuation (a list row "%(n)d. %(label)s：%(amount)s" has only the latter).
CHINESE = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CONTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


# --- the catalog -------------------------------------------------------------------------------------------------


def deals_entries() -> list[dict]:
    return [e for e in po_entries(PO_FILE) if e["msgid"] and any(ref.startswith(DEALS_PREFIXES) for ref in e["refs"])]


def test_the_catalog_has_the_deals_messages():
    entries = deals_entries()
    # The app has several hundred messages: a catalog without them was not updated with makemessages.
    assert len(entries) > 500
    refs = {ref for e in entries for ref in e["refs"]}
    for path in (
        "templates/deals/admin/order_change.html",
        "templates/deals/admin/contract_change.html",
        "templates/deals/contract_pdf.html",
        "deals/contract_terms.py",
        "deals/services/orders.py",
        "deals/api/views.py",
    ):
        assert path in refs, path


def test_every_deals_message_is_translated_and_not_fuzzy():
    problems = []
    for entry in deals_entries():
        values = translations_of(entry)
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif not values or not all(values):
            problems.append(f"untranslated: {entry['msgid']!r}")
        elif "msgid_plural" in entry and len(values) != 1:
            problems.append(f"Chinese has one plural form (nplurals=1): {entry['msgid']!r}")
    assert not problems, "\n".join(problems)


def test_deals_translations_keep_their_placeholders():
    problems = []
    for entry in deals_entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry["msgid"])))
        for value in translations_of(entry):
            if sorted(set(PLACEHOLDER.findall(value))) != wanted:
                problems.append(f"{entry['msgid']!r} -> {value!r}")
    assert not problems, "\n".join(problems)


def test_deals_translations_are_chinese():
    """A translation copied from the English (or left in it) is not one: each has Chinese characters."""
    copied = [
        e["msgid"]
        for e in deals_entries()
        if e["msgid"] not in SAME_IN_CHINESE and not any(CHINESE.search(value) for value in translations_of(e))
    ]
    assert not copied, "\n".join(copied)


# --- the source: what the code asks for, including calls xgettext does not know (_lazy, dynamic labels) ------


def source_messages() -> list[tuple[str | None, str]]:
    """(context, message) of every gettext call with literal arguments in the deals code."""
    messages = []
    for path in sorted((ROOT / "deals").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if name in GETTEXT_NAMES and args[0] is not None:
                messages.append((None, args[0]))
            elif name in CONTEXT_NAMES and len(args) > 1 and args[0] is not None and args[1] is not None:
                messages.append((args[0], args[1]))
    return messages


def test_every_message_the_deals_code_asks_for_has_a_chinese_translation():
    messages = source_messages()
    assert len(messages) > 400
    with translation.override("zh-hans"):
        missing = sorted(
            {
                message
                for context, message in messages
                if message.strip()
                and message not in SAME_IN_CHINESE
                and (translation.pgettext(context, message) if context else translation.gettext(message)) == message
            }
        )
    assert not missing, "\n".join(missing)


def test_the_compiled_catalog_has_every_deals_message():
    """The .mo is compiled from the current .po: each catalog message comes back in Chinese."""
    with translation.override("zh-hans"):
        stale = [
            e["msgid"]
            for e in deals_entries()
            if "msgid_plural" not in e
            and e["msgid"] not in SAME_IN_CHINESE
            and (translation.pgettext(e["msgctxt"], e["msgid"]) if "msgctxt" in e else translation.gettext(e["msgid"]))
            == e["msgid"]
        ]
    assert not stale, "\n".join(stale)


# --- the seller centre's pages -------------------------------------------------------------------------------


@pytest.fixture
def quote(buyer, supplier_a):
    return accepted_quote(buyer, supplier_a)


@pytest.mark.django_db
def test_seller_contract_page_renders_in_chinese(client, seller_a, quote):
    """The page's own words are Chinese. The clauses are the contract's text, stored with the version in the
    language it was drafted in (English here), so they are not asserted."""
    contract = contracts.contract_draft(contract_id=Contract.objects.get(quote=quote).pk)
    client.force_login(seller_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("seller:deals_contract_change", args=[contract.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Monocrystalline solar panel 550 W" in page
    for label in (
        "合同",
        "版本记录",
        "货物与价格",
        "付款节点",
        "条款及其依据",
        "接受并签署第 1 版",
        "对第 1 版提出修改",
        "提出以上修改",
        "您的全名（作为签名）",
        "条款均根据上方数据自动生成",
        "已开始生产",
        "验货报告",
    ):
        assert label in page, label
    for english in (
        "Goods and prices",
        "Payment milestones",
        "Accept and sign",
        "Propose these changes",
        "Clauses and where they come from",
        "Your full name, as your signature",
        "Propose changes to version",
        ">Inspection report<",
    ):
        assert english not in page, english


@pytest.mark.django_db
def test_seller_order_page_renders_in_chinese(client, seller_a, operator, quote):
    """Milestone labels are stored with the contract in the language it was drafted in, so they are not asserted."""
    order = order_at("shipped", quote=quote, seller=seller_a, operator=operator)
    client.force_login(seller_a)
    response = client.get(reverse("seller:deals_order_change", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200
    assert "COSU123456" in page
    for label in (
        "订单",
        "已发货",
        "下一步操作",
        "付款节点",
        "放款条件",
        "资金状态",
        "托管中",
        "货运信息",
        "已启运",
        "提单",
        "单据",
        "记录物流节点",
        "上传单据",
    ):
        assert label in page, label
    for english in (
        "Payment milestones",
        "Record a shipment stage",
        "Upload a document",
        ">Bill of lading / air waybill<",
        "Held in escrow",
        "Paid into escrow",
        ">Next<",
    ):
        assert english not in page, english


@pytest.mark.django_db
def test_seller_order_page_with_a_dispute_renders_in_chinese(client, seller_a, operator, quote):
    order = order_at("disputed", quote=quote, seller=seller_a, operator=operator)
    client.force_login(seller_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("seller:deals_order_change", args=[order.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("纠纷", "纠纷处理中", "质量不符合合同约定", "申请退款金额", "答复纠纷", "发送答复"):
        assert label in page, label
    for english in ("Answer the dispute", "Send the answer", "Refund asked for", "In dispute"):
        assert english not in page, english
