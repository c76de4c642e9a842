# ruff: noqa: F811 - pytest fixtures imported from tests.ai.fake_openai are requested by parameter name
"""The review flow sellers asked for (#17): apply fields one after another until closing, the "Now" column showing
the product as it is, a side-by-side diff, descriptions rewritten without a second "Specifications" block,
translations of an applied title suggested as a follow-up, "Optimize with AI" from the product form, and a
quality score that rises on a sloppy listing and says why it cannot on a perfect one."""

import re

import pytest
from django.urls import reverse

from marketplace.listings import selectors, services
from marketplace.listings.ai.assembly import SECTION_ALIASES, render_description
from marketplace.listings.ai.schema import DescriptionSections
from marketplace.listings.diff import side_by_side
from marketplace.listings.models import ListingSuggestion, SuggestionKind, SuggestionStatus
from marketplace.models import Product, ProductTranslation, TranslationSource
from marketplace.quality import listing_quality
from tests.ai.fake_openai import use_offline  # noqa: F401
from tests.factories import (
    AttributeFactory,
    CategoryFactory,
    CertificationFactory,
    ProductFactory,
    ProductImageFactory,
    TranslationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_offline")]

DESCRIPTION = "Brushless cordless drill, voltage 18V, max torque 60 N.m. Working temperature -10 to 40 °C."


@pytest.fixture
def power_tools():
    return CategoryFactory(
        slug="power-tools",
        name="Power Tools",
        names={"de": "Elektrowerkzeuge", "es": "Herramientas eléctricas", "zh-hans": "电动工具"},
    )


@pytest.fixture
def product(supplier_a, power_tools):
    return ProductFactory(supplier=supplier_a, category=power_tools, title="cordless drill", description=DESCRIPTION)


def optimize(product, capture):
    with capture(execute=True):
        suggestion = services.listing_suggestion_request(product=product)
    suggestion.refresh_from_db()
    return suggestion


def review_url(suggestion):
    return reverse("seller:marketplace_listingsuggestion_change", args=[suggestion.pk])


def field_section(page: str, key: str) -> str:
    match = re.search(rf'<section class="ai-field[^"]*" data-field="{re.escape(key)}">(.*?)</section>', page, re.S)
    assert match, f"no row {key}"
    return match.group(1)


# --- 1, 2: field by field, across requests, until closed; "Now" is the product now -----------------------------


def test_fields_apply_one_after_another_until_the_seller_closes(
    seller_a_client, product, django_capture_on_commit_callbacks
):
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    url = review_url(suggestion)
    old_title, new_title = product.title, suggestion.payload["title"]

    with django_capture_on_commit_callbacks(execute=True):
        response = seller_a_client.post(url, {"_action": "apply_selected", "fields": ["title"]}, follow=True)
    page = response.content.decode()
    assert "Applied 1 field." in page and "still here to apply" in page
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING and suggestion.applied_fields == ["title"]
    product.refresh_from_db()
    assert product.title == new_title
    title_row = field_section(page, "title")
    now = re.search(r'<div class="ai-text ai-now">(.*?)</div>', title_row, re.S).group(1)
    assert new_title.split()[0] in now and old_title not in now and "<del>" not in now  # current, not the snapshot
    assert "Applied" in title_row and 'value="title"' not in title_row
    assert 'name="fields" value="description"' in page and 'value="close"' in page

    # A second request applies the description; the suggestion is still open, then the seller closes it.
    with django_capture_on_commit_callbacks(execute=True):
        seller_a_client.post(url, {"_action": "apply_selected", "fields": ["description"]})
    suggestion.refresh_from_db()
    product.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING and suggestion.applied_fields == ["title", "description"]
    assert product.description == suggestion.payload["description"]
    # Applying the title twice is refused for that field, not an error.
    result = services.listing_suggestion_apply(suggestion=suggestion, fields=["title"])
    assert result.applied == [] and result.skipped[0][0] == "title"

    seller_a_client.post(url, {"_action": "close"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PARTIALLY_APPLIED
    page = seller_a_client.get(url).content.decode()
    assert 'name="fields"' not in page and 'value="close"' not in page
    assert product.keywords == Product.objects.get(pk=product.pk).keywords  # keywords never applied


def test_applying_the_last_field_closes_and_the_one_open_rule_holds(product, django_capture_on_commit_callbacks):
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    keys = [row.key for row in selectors.listing_suggestion_diff(suggestion=suggestion)]
    services.listing_suggestion_apply(suggestion=suggestion, fields=keys[:1])
    # Re-optimizing a listing changed only by this suggestion reuses it (it is still open, nothing is lost).
    assert optimize(product, django_capture_on_commit_callbacks) == suggestion
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_suggestion_apply(suggestion=suggestion, fields=keys[1:])
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.APPLIED
    open_rows = ListingSuggestion.objects.filter(product=product, status__in=["queued", "running", "pending"])
    assert open_rows.filter(kind=SuggestionKind.LISTING).count() == 0
    assert open_rows.filter(kind=SuggestionKind.TRANSLATIONS).count() <= 1


def test_a_field_changed_by_the_seller_since_shows_as_blocked(
    seller_a_client, product, django_capture_on_commit_callbacks
):
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    Product.objects.filter(pk=product.pk).update(title="My own title for this cordless drill")
    page = seller_a_client.get(review_url(suggestion)).content.decode()
    row = re.sub(r"</?(del|ins)>", "", field_section(page, "title"))
    assert (
        "My own title for this cordless drill" in row and 'value="title"' not in row and "after the suggestion" in row
    )


# --- 3: the description is rewritten, its sections merged --------------------------------------------------------

SHAPES = {
    "colon heading with dashes": (
        "Glass water bottle for daily use.\n\nSpecifications:\n- Material: High Borosilicate Glass\n"
        "- Capacity: 500 ml\n- Sleeve: Silicone\n\nMinimum order: 1000 pieces\nLead time: 20 days\n\n"
        "Packed in export cartons."
    ),
    "markdown heading": (
        "Cordless drill for professionals.\n\n## Technical data\n* Voltage: 18 V\n* Max Torque: 60 N·m\n"
        "* Chuck: 13 mm keyless\n\n## Features\n* Brushless motor\n* LED work light"
    ),
    "shouted headings without colon": (
        "Stainless steel thermos flask.\n\nSPECIFICATION\nMaterial: 304 Stainless Steel\nCapacity: 750 ml\n\n"
        "PACKING\nColor box, 24 pcs per carton\n\nCERTIFICATES\nLFGB"
    ),
    "html list": (
        "<p>LED panel light for offices.</p><h3>Product Parameters</h3><ul><li>Power: 40W</li>"
        "<li>Luminous flux: 4000 lm</li></ul><h3>Packaging &amp; Shipping</h3><ul><li>Carton of 4</li></ul>"
    ),
    "inline headings": (
        "Nylon tote bag.\nSpecs: Material: nylon\nPacking: polybag, 100 pcs per carton.\n"
        "Customization: logo printing available."
    ),
    "prose only": "A plain paragraph about a ceramic mug that holds 350 ml and is dishwasher safe.",
}


def heading_lines(text: str) -> list[str]:
    aliases = {alias: section for section, names in SECTION_ALIASES.items() for alias in names}
    found = []
    for line in text.split("\n"):
        name = line.strip(" #*=_-:：").lower()
        if name in aliases and not line.lstrip().startswith("•"):
            found.append(aliases[name])
    return found


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_section_the_seller_already_has_is_merged_not_repeated(
    shape, supplier_a, power_tools, django_capture_on_commit_callbacks
):
    product = ProductFactory(
        supplier=supplier_a,
        category=power_tools,
        title="bottle",
        description=SHAPES[shape],
        custom_logo=True,
        moq=1000,
        lead_time_days=20,
    )
    AttributeFactory(product=product, name="Material", value="High Borosilicate Glass", unit="")
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    text = suggestion.payload["description"]
    headings = heading_lines(text)
    assert len(headings) == len(set(headings)), text  # every section at most once
    assert "<" not in text
    lowered = text.lower()
    assert lowered.count("minimum order") + lowered.count("moq:") <= 1, text
    assert lowered.count("lead time") <= 1, text


def test_render_description_merges_the_sellers_spec_list_into_ours():
    overview = (
        "Glass Water Bottle.\n\nSpecifications:\n- Material: High Borosilicate Glass\n- Capacity: 500 ml\n"
        "- Cap Colour: natural bamboo\n\nMinimum order: 1000 pieces\nLead time: 20 days\n\n"
        "Packed in export cartons; FOB quotes on request."
    )
    sections = DescriptionSections(
        overview=overview,
        selling_points=["Heat-resistant"],
        customization=["Custom logo"],
        packaging_and_shipping=[
            "MOQ: 1000 pieces",
            "Lead time: 20 days",
            "Packed in export cartons; FOB quotes on request.",
        ],
    )
    text = render_description(
        sections, [("Material", "High Borosilicate Glass", ""), ("Capacity", "500", "ml")], ["FDA (SGS, 1)"]
    )
    assert text.count("Specifications") == 1 and text.count("Material: High Borosilicate Glass") == 1
    assert "• Cap Colour: natural bamboo" in text  # the seller's extra line is kept, under our heading
    assert text.count("1000 pieces") == 1 and text.count("20 days") == 1
    assert text.count("Packed in export cartons") == 1
    assert text.startswith("Glass Water Bottle.")


# --- 4: a readable diff -------------------------------------------------------------------------------------------


def test_a_reordered_title_reads_as_two_clean_lines():
    before = "Heat-resistant Glass Water Bottle 500 ml Silicone"
    after = "500 ml High Borosilicate Glass Water Bottle – Heat-resistant, Silicone Sleeve"
    left, right = side_by_side(before, after)
    assert re.sub(r"</?del>", "", left) == before and re.sub(r"</?ins>", "", right) == after.replace("–", "–")
    assert "<ins>" not in left and "<del>" not in right
    assert "Glass Water Bottle" in re.sub(r"</?del>", "", left)
    assert left == "<del>Heat-resistant</del> Glass Water Bottle <del>500 ml</del> Silicone"
    assert right.startswith("<ins>500 ml High Borosilicate</ins> Glass Water Bottle <ins>")


def test_the_diff_keeps_line_breaks_and_escapes():
    left, right = side_by_side("Line one\nLine <b>two</b>", "Line one\nLine <b>three</b>\n\nNew block")
    assert "\n" in right and "&lt;b&gt;" in left and "<b>" not in right
    assert "<ins>New block</ins>" in right


def test_review_page_is_side_by_side(seller_a_client, product, django_capture_on_commit_callbacks):
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    page = seller_a_client.get(review_url(suggestion)).content.decode()
    row = field_section(page, "title")
    assert 'class="ai-text ai-now"' in row and 'class="ai-text ai-after"' in row and "<ins>" in row


# --- 5: translations of an applied title come as a new suggestion -------------------------------------------------


def test_applied_title_is_retranslated_as_a_follow_up_applied_only_on_apply(
    seller_a_client, product, django_capture_on_commit_callbacks
):
    TranslationFactory(product=product, language="de", title="Akku-Bohrer", source=TranslationSource.AI)
    TranslationFactory(product=product, language="zh-hans", title="电钻", source=TranslationSource.SELLER)
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    before = {t.language: t.title for t in ProductTranslation.objects.filter(product=product)}
    with django_capture_on_commit_callbacks(execute=True):
        response = seller_a_client.post(
            review_url(suggestion), {"_action": "apply_selected", "fields": ["title"]}, follow=True
        )
    follow_up = ListingSuggestion.objects.get(product=product, kind=SuggestionKind.TRANSLATIONS)
    assert "Review the translations" in response.content.decode()
    assert follow_up.follows == suggestion and follow_up.status == SuggestionStatus.PENDING
    assert suggestion.pk != follow_up.pk
    # Nothing on the translations has changed yet.
    assert {t.language: t.title for t in ProductTranslation.objects.filter(product=product)} == before
    product.refresh_from_db()
    translations = follow_up.payload["translations"]
    assert translations and set(translations) <= {"de", "zh-hans"}
    for row in translations.values():
        assert row["title"] != product.title  # never the English copied as a translation
        assert row["gloss"] is True  # offline: honest about being a gloss
    assert any("not full translations" in flag for flag in follow_up.payload["flags"])
    page = seller_a_client.get(review_url(follow_up)).content.decode()
    assert "not a full translation" in page

    language = sorted(translations)[0]
    seller_a_client.post(review_url(follow_up), {"_action": "apply_selected", "fields": [f"translation:{language}"]})
    row = ProductTranslation.objects.get(product=product, language=language)
    assert row.title == translations[language]["title"] and row.source == TranslationSource.AI


def test_no_follow_up_without_applying_title_or_description(product, django_capture_on_commit_callbacks):
    TranslationFactory(product=product, language="de", title="Akku-Bohrer", source=TranslationSource.AI)
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.listing_suggestion_apply(suggestion=suggestion, fields=["keywords"])
    assert result.follow_up is None
    assert not ListingSuggestion.objects.filter(kind=SuggestionKind.TRANSLATIONS).exists()


# --- 6: "Optimize with AI" from the product form ----------------------------------------------------------------


def test_optimize_view_post_only_redirects_to_the_review(seller_a_client, product, django_capture_on_commit_callbacks):
    url = reverse("seller:marketplace_listingsuggestion_optimize", args=[product.pk])
    assert seller_a_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = seller_a_client.post(url)
    suggestion = ListingSuggestion.objects.get(product=product)
    assert response.status_code == 302 and response.url == review_url(suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    # Twice: the same open suggestion.
    with django_capture_on_commit_callbacks(execute=True):
        assert seller_a_client.post(url).url == review_url(suggestion)
    assert ListingSuggestion.objects.filter(product=product).count() == 1


def test_optimize_view_queued_shows_being_prepared(seller_a_client, product):
    response = seller_a_client.post(reverse("seller:marketplace_listingsuggestion_optimize", args=[product.pk]))
    page = seller_a_client.get(response.url).content.decode()
    assert "being prepared" in page and 'http-equiv="refresh"' in page


def test_optimize_view_is_404_for_another_suppliers_product(seller_a_client, supplier_b, power_tools, client):
    theirs = ProductFactory(supplier=supplier_b, category=power_tools, title="beta drill")
    url = reverse("seller:marketplace_listingsuggestion_optimize", args=[theirs.pk])
    assert seller_a_client.post(url).status_code == 404
    assert (
        seller_a_client.post(reverse("seller:marketplace_listingsuggestion_optimize", args=[999999])).status_code == 404
    )
    assert not ListingSuggestion.objects.exists()


def test_optimize_view_needs_a_seller(client, product):
    response = client.post(reverse("seller:marketplace_listingsuggestion_optimize", args=[product.pk]))
    assert response.status_code == 302 and "login" in response.url
    assert not ListingSuggestion.objects.exists()


def test_seller_b_cannot_review_or_close_seller_as_follow_up(
    seller_a_client, product, supplier_b, django_capture_on_commit_callbacks, client
):
    from tests.factories import MembershipFactory, UserFactory

    TranslationFactory(product=product, language="de", title="Akku-Bohrer", source=TranslationSource.AI)
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_suggestion_apply(suggestion=suggestion, fields=["title"])
    follow_up = ListingSuggestion.objects.get(kind=SuggestionKind.TRANSLATIONS)
    other = MembershipFactory(supplier=supplier_b, user=UserFactory(email="b2@example.com")).user
    client.force_login(other)
    for target in (suggestion, follow_up):
        assert client.get(review_url(target)).status_code == 404
        assert client.post(review_url(target), {"_action": "close"}).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == SuggestionStatus.PENDING


# --- 7: quality that can rise, and says why it did not -------------------------------------------------------------

SLOPPY = [
    ("DRILL HOT SALE", "good drill"),
    ("CORDLESS DRILL BRUSHLESS 18V BEST PRICE CHEAP DRILL", "drill 18V. torque 60 N.m"),
    ("drill drill drill cordless drill 18v drill", "Cordless drill 18V, 2 batteries."),
    ("Water bottle", "bottle 500ml glass"),
]


@pytest.mark.parametrize(("title", "description"), SLOPPY)
def test_quality_rises_on_a_sloppy_listing(
    title, description, supplier_a, power_tools, django_capture_on_commit_callbacks
):
    product = ProductFactory(supplier=supplier_a, category=power_tools, title=title, description=description)
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.score_after > suggestion.score_before, (suggestion.payload["title"], suggestion.reasons_after)


def test_shouting_or_stuffed_titles_lose_points():
    common = {
        "description": "x" * 200,
        "keywords": "a, b, c",
        "attribute_count": 3,
        "tier_count": 2,
        "image_count": 1,
        "translation_count": 3,
        "certification_count": 1,
    }
    assert listing_quality(title="18V Brushless Cordless Drill with 2 Batteries", **common).score == 100
    for bad in (
        "18V BRUSHLESS CORDLESS DRILL WITH 2 BATTERIES",
        "drill drill cordless drill 18V brushless",
        "Hot sale 18V cordless drill best price",
    ):
        report = listing_quality(title=bad, **common)
        assert report.score == 90 and any("plainly" in reason for reason in report.missing)


def test_a_perfect_listing_says_it_already_meets_every_check(
    seller_a_client, supplier_a, power_tools, django_capture_on_commit_callbacks
):
    product = ProductFactory(
        supplier=supplier_a,
        category=power_tools,
        title="18V Brushless Cordless Drill with 2 Batteries",
        description=DESCRIPTION + " " + "It drives screws into hardwood and drills steel plates up to 10 mm." * 2,
        keywords="cordless drill, brushless drill, 18v drill",
    )
    for name in ("Voltage", "Max Torque", "Chuck"):
        AttributeFactory(product=product, name=name)
    for language in ("de", "es", "fr"):
        TranslationFactory(product=product, language=language, title=f"drill {language}")
    ProductImageFactory(product=product)
    certificate = CertificationFactory(supplier=supplier_a)
    product.certifications.add(certificate)
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    assert suggestion.score_before == 100
    page = seller_a_client.get(review_url(suggestion)).content.decode()
    assert "already meets every quality check" in page and "100 → <strong>100</strong>" not in page
    assert "would still change the wording of" in page


def test_review_page_queries_are_bounded(
    seller_a_client, product, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for language in ("de", "es", "fr", "ja"):
        TranslationFactory(product=product, language=language, title=f"drill {language}")
    for n in range(6):
        AttributeFactory(product=product, name=f"Spec {n}")
    suggestion = optimize(product, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20):
        assert seller_a_client.get(review_url(suggestion)).status_code == 200
