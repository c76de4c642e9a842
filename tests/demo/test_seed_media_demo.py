"""seed_media_demo: every demo product gets its own drawn pictures (kind icon, category colour, key spec) with their
renditions; products of different kinds look different; a re-run changes nothing."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from demo import images
from marketplace.models import Product, ProductImage

pytestmark = pytest.mark.django_db


def digest(name):
    return hashlib.sha256((Path(settings.MEDIA_ROOT) / name).read_bytes()).hexdigest()


@pytest.fixture
def demo_catalog():
    call_command(
        "seed_demo", "--suppliers", "40", "--products", "90", "--seed", "7", "--no-inquiries", stdout=io.StringIO()
    )
    return Product.objects.filter(external_id__startswith="demo-")


def seeded_images():
    return {
        (image.product_id, image.position): (image.pk, image.image.name)
        for image in ProductImage.objects.filter(product__external_id__startswith="demo-")
    }


def test_every_demo_product_gets_three_distinct_pictures_with_renditions(demo_catalog):
    out = io.StringIO()
    call_command("seed_media_demo", stdout=out)
    assert "90 products" in out.getvalue() or "of 90 products" in out.getvalue()
    for product in demo_catalog.prefetch_related("images"):
        pictures = list(product.images.all())
        assert [p.position for p in pictures] == [0, 1, 2]
        assert all(p.image.name.startswith("demo/products/") for p in pictures)  # seed_demo's category image is gone
        assert len({digest(p.image.name) for p in pictures}) == 3  # product, specs and carton views differ
        assert pictures[0].alt_text == product.title
        for rendition in pictures[0].renditions():
            with Image.open(Path(settings.MEDIA_ROOT) / rendition.name) as made:
                assert made.width <= 800 and made.format == "JPEG"

    # Products of different kinds (icons) never share their main picture.
    first_by_icon = {}
    for product in demo_catalog.select_related("category").prefetch_related("images"):
        icon = images.icon_for(product.title, product.category.slug)
        first_by_icon.setdefault(icon, digest(product.images.all()[0].image.name))
    assert len(first_by_icon) >= 10
    assert len(set(first_by_icon.values())) == len(first_by_icon)


def test_a_re_run_changes_nothing(demo_catalog):
    call_command("seed_media_demo", stdout=io.StringIO())
    before = seeded_images()
    files = {name: digest(name) for _, name in before.values()}
    out = io.StringIO()
    call_command("seed_media_demo", stdout=out)
    assert seeded_images() == before
    assert {name: digest(name) for name in files} == files
    assert "0 files drawn" in out.getvalue() and "90 of 90 products already had theirs" in out.getvalue()


def test_a_changed_spec_gets_a_new_picture_and_uploads_are_kept(demo_catalog):
    call_command("seed_media_demo", "--views", "2", stdout=io.StringIO())
    product = demo_catalog.exclude(attributes=None).first()
    upload = ProductImage.objects.create(product=product, image="products/2026/01/seller-photo.jpg", position=7)
    old = [image.image.name for image in product.images.all() if image.pk != upload.pk]
    attribute = product.attributes.order_by("position").first()
    attribute.value, attribute.unit = "987654", "W"
    attribute.save()
    call_command("seed_media_demo", "--views", "2", stdout=io.StringIO())
    names = [image.image.name for image in product.images.all()]
    assert len(names) == 3 and "products/2026/01/seller-photo.jpg" in names
    assert not set(old) & set(names)


def test_icons_colours_and_specs():
    assert images.icon_for("Brushless Cordless Drill 18V", "power-tools") == "drill"
    assert images.icon_for("Monocrystalline Solar Panel 450 W", "solar-panels") == "panel"
    assert images.icon_for("Vacuum Insulated Tumbler 500 ml", "drinkware") == "cup"
    assert images.icon_for("Something New", "power-tools") == "drill"  # by category
    assert images.icon_for("Something New", "nowhere") == "crate"
    assert images.key_specs([("Material", "Steel", ""), ("Voltage", "18", "V")])[0] == ("Voltage", "18 V")
    assert images.colour_for("power-tools") == images.colour_for("power-tools")
    drill = images.picture_for(
        title="Cordless Drill 18V",
        kind="Cordless Drill",
        category_slug="power-tools",
        category_name="Power Tools",
        attributes=[("Voltage", "18", "V")],
    )
    assert images.encode(images.render(drill, "product")) == images.encode(images.render(drill, "product"))
