"""The seller centre in Simplified Chinese has no English left: every page of the seller admin site (changelist, add
form, one change form per model, driven by seller_site._registry so pages added later are covered) and the seller
pages they link to, requested with zh-hans.

What may stay in Latin letters, and why:
- what is stored in the database (product titles, company names, messages, contract clauses, keywords…): the seller's
  or the buyer's own words, removed verbatim before the check;
- e-mail addresses, URLs and file names;
- codes written in capitals (MOQ, OEM, ODM, CE, ISO, USD, FOB, CSV, XLSX, AI, API, ID, PDF, SKU): only words with a
  lower-case letter count;
- the short allow-list below: brand and product names Chinese sellers write in Latin letters, and the language names
  of the language switcher, which are written in their own language on purpose.
A word counts when it has three or more ASCII letters, so units and abbreviations (ml, kg, pcs, No) do not.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from conversations.models import QuickReply
from live.models import LiveSession
from suppliers.admin_scoping import seller_site
from tests.ai.fake_openai import use_offline  # noqa: F401 - a fixture
from tests.deals.builders import accepted_quote, order_at
from tests.factories import (
    AdminAuditEntryFactory,
    AttributeFactory,
    CertificationFactory,
    OfficialDesignationFactory,
    ProductFactory,
    SupplierFiguresFactory,
    TranslationFactory,
)

pytestmark = pytest.mark.django_db

ALLOWED = {
    # The platform's name, and names written in Latin letters in Chinese too.
    "Silkway",
    "Excel",
    "WebP",
    "YouTube",
    "Vimeo",
    "Logo",
    "Incoterms",
    "RoHS",  # certification schemes' own names
    "amfori",
    "alpha",  # "ISO 3166-1 alpha-2", the standard's name
    "Mac",  # Django's own Chinese help text for multiple selects: "按住 Control 键或 Mac 上的 Command 键…"
    "Control",
    "Command",
    # Language names of the language switcher and language choices (endonyms, on purpose).
    "English",
    "Deutsch",
}
OUR_APPS = (
    "accounts ai conversations marketplace live rankings search ads sourcing deals agents suppliers taxonomy core"
)
WORD = re.compile(r"[^\W\d_]+")  # letters of any script; only all-ASCII words with a lower-case letter count
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S*|www\.\S+|\S*\.(?:pdf|csv|xlsx|png|jpe?g|webp)\b"  # addresses and file names
    r"|\w*_\w*"  # identifiers (column names such as external_id)
    r"|\b(?:zh-hans|[a-z]{2})\b",  # language codes
    re.IGNORECASE,
)
# Links from the seller pages that are not pages: downloads, the way out, history and deletion, the buyer site.
SKIPPED_LINK = re.compile(r"logout|/delete/|/history/|/r/\d|export|download|/pdf|\.(csv|xlsx|pdf)$")


class VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes and the attributes shown as tooltips, placeholders and labels."""

    # Select options are left out: long lists of data (time zones, products); choice labels show elsewhere too.
    HIDDEN = {"script", "style", "textarea", "template", "noscript", "select"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.chunks: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "placeholder", "aria-label", "alt"):
            # Django's boolean icons carry alt="True"/"False"/"None", in English whatever the language (Django's own).
            if name == "alt" and "/admin/img/icon-" in (attrs.get("src") or ""):
                continue
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def stored_strings() -> list[str]:
    """Every string in our tables (and the users'), longest first: the seeded data as typed."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            if len(value.strip()) >= 3:
                found.add(" ".join(value.split()))
                found.update(" ".join(line.split()) for line in value.splitlines() if len(line.strip()) >= 3)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for model in [apps.get_model("accounts", "User")] + [
        m for label in OUR_APPS.split() for m in apps.get_app_config(label).get_models()
    ]:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices
        ]
        if fields:
            for row in model._base_manager.values_list(*fields):
                walk(list(row))
    return sorted(found, key=len, reverse=True)


def english_words(text: str) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    return [w for w in WORD.findall(text) if len(w) >= 3 and w.isascii() and not w.isupper() and w not in ALLOWED]


def english_left(html: str, data: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    left = []
    for chunk in parser.chunks:
        if not english_words(chunk):
            continue
        for value in data:  # only for the few chunks with Latin words: the stored strings are many
            if value in chunk:
                chunk = chunk.replace(value, " ")
        words = english_words(chunk)
        if words:
            left.append(f"{chunk.strip()[:160]!r} (words: {', '.join(words[:6])})")
    return left


@pytest.fixture
def catalog(supplier_a, seller_a, buyer, operator, use_offline):  # noqa: F811 - the fixture imported above
    """One seller's small catalog: one object for each model the seller site shows, where a factory or a service
    makes one cheaply."""
    product = ProductFactory(supplier=supplier_a, title="不锈钢真空保温杯 500 ml")
    AttributeFactory(product=product, name="材质", value="304 不锈钢")
    TranslationFactory(product=product, language="de", title="Edelstahl-Isolierbecher 500 ml")
    certification = CertificationFactory(supplier=supplier_a)
    product.certifications.add(certification)
    supplier_a.capacities.create(product_line="保温杯", category=product.category, quantity=50000, unit="件")
    SupplierFiguresFactory(supplier=supplier_a)
    OfficialDesignationFactory(supplier=supplier_a)
    QuickReply.objects.create(supplier=supplier_a, title="报价", body="您好，报价见附件。")
    now = timezone.now()
    LiveSession.objects.create(
        supplier=supplier_a,
        title="工厂直播：保温杯",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        stream_url="https://live.example.com/s/1",
    )
    AdminAuditEntryFactory(
        supplier_id=supplier_a.pk,
        content_type=ContentType.objects.get_for_model(product),
        object_id=str(product.pk),
        object_repr=product.title,
    )
    order_at("funded", quote=accepted_quote(buyer, supplier_a), seller=seller_a, operator=operator)
    return product


def registry_pages(client) -> list[str]:
    """Changelist, add form (when sellers may add) and the first object's change form of every seller model."""
    pages = []
    for model, model_admin in seller_site._registry.items():
        info = (seller_site.name, model._meta.app_label, model._meta.model_name)
        pages.append(reverse("{}:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(_request(client)):
            pages.append(reverse("{}:{}_{}_add".format(*info)))
        first = model_admin.get_queryset(_request(client)).order_by("pk").first()
        if first is not None:
            pages.append(reverse("{}:{}_{}_change".format(*info), args=[first.pk]))
    return pages


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/seller/")
    request.user = client.seller
    request.session = {}
    return request


def test_every_seller_page_is_in_chinese(client, seller_a, catalog):
    client.force_login(seller_a)
    client.cookies["django_language"] = "zh-hans"
    client.seller = seller_a
    data = stored_strings()
    queue = [reverse("seller:index"), *registry_pages(client)]
    seen: set[str] = set()
    linked: set[str] = set()
    problems = []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        problems += [f"{url}: {fragment}" for fragment in english_left(html, data)]
        # One level of the pages these link to (the seller centre's own pages, a campaign's tabs, the review page).
        parser = VisibleText()
        parser.feed(html)
        for href in parser.links:
            parts = urlparse(urljoin(url, href))
            path = parts.path
            if not path.startswith("/seller/") or SKIPPED_LINK.search(path) or parts.query or path in linked:
                continue
            linked.add(path)
            queue.append(path)
    assert len(seen) > 2 * len(seller_site._registry), seen
    assert not problems, "English left on the Chinese seller pages:\n" + "\n".join(problems)
