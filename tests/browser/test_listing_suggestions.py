"""A seller optimizes one product from its form ("Optimize with AI" posts to the optimize view), applies the title
only, sees the "Now" column carry the new title with the suggestion still open, applies the description in a
second step, and closes the suggestion. Offline AI, eager tasks: the suggestion is ready at once."""

import pytest

from marketplace.listings.models import ListingSuggestion, SuggestionStatus
from marketplace.models import Product
from tests.factories import CategoryFactory, MembershipFactory, ProductFactory, SupplierFactory, UserFactory

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "Drill-Press-Quiet-2031"


def test_apply_a_suggestion_field_by_field_then_close(browser_page, live_server, settings):
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "offline", ""
    supplier = SupplierFactory(name="Alpha Tools Co., Ltd.", slug="alpha-tools")
    user = UserFactory(email="seller@alpha.example")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(supplier=supplier, user=user)
    category = CategoryFactory(slug="power-tools", name="Power Tools", names={"de": "Elektrowerkzeuge"})
    product = ProductFactory(
        supplier=supplier,
        category=category,
        title="cordless drill",
        description="Brushless cordless drill, voltage 18V, max torque 60 N.m.\n\nSpecifications:\n- Voltage: 18V",
    )
    page = browser_page
    sign_in(page, live_server, user.email, PASSWORD)

    # The product form, and the form helper C's "Optimize with AI" button submits (built here for the test).
    page.goto(f"{live_server.url}/seller/marketplace/product/{product.pk}/change/")
    page.evaluate(
        """url => { const form = document.createElement('form'); form.method = 'post'; form.action = url;
        const token = document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode();
        form.appendChild(token); document.body.appendChild(form); form.submit(); }""",
        f"/seller/marketplace/listingsuggestion/optimize/{product.pk}/",
    )
    page.wait_for_selector("section.ai-field[data-field=title]")
    suggestion = ListingSuggestion.objects.get(product=product)
    assert suggestion.status == SuggestionStatus.PENDING

    # Title only.
    for box in page.locator("section.ai-field input[name=fields]").all():
        if box.get_attribute("value") != "title":
            box.uncheck()
    page.click("button[value=apply_selected]")
    page.wait_for_selector("section.ai-field[data-field=title] .ai-badge")
    new_title = ListingSuggestion.objects.get(pk=suggestion.pk).payload["title"]
    assert page.inner_text("section.ai-field[data-field=title] .ai-now") == new_title
    assert Product.objects.get(pk=product.pk).title == new_title
    assert page.locator("button[value=close]").is_visible()
    screenshot(page, "listing-suggestion-title-applied")

    # Then the description, in a second step.
    for box in page.locator("section.ai-field input[name=fields]").all():
        if box.get_attribute("value") != "description":
            box.uncheck()
        else:
            box.check()
    page.click("button[value=apply_selected]")
    page.wait_for_selector("section.ai-field[data-field=description] .ai-badge")
    assert ListingSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click("button[value=close]")
    page.wait_for_selector(".messagelist")
    assert "closed" in page.inner_text(".messagelist")
    assert ListingSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PARTIALLY_APPLIED
    assert page.locator("button[value=close]").count() == 0
