"""Product media (issue #16): several ordered images per product with generated renditions, a video link, the seller
admin that uploads, orders and removes them (own supplier only), the gallery and the cards."""

import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from marketplace.models import MAX_IMAGE_PIXELS, ProductImage, validate_image_pixels
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, SupplierFactory
from tests.search.conftest import make_product

pytestmark = pytest.mark.django_db


def picture(size=(1600, 1200), colour=(200, 30, 30), fmt="JPEG", name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def media_file(name):
    return Path(settings.MEDIA_ROOT) / name


# --- models -------------------------------------------------------------------------------------------------------


def test_images_come_in_position_order():
    product = ProductFactory()
    third = ProductImageFactory(product=product, position=5)
    first = ProductImageFactory(product=product, position=0)
    second = ProductImageFactory(product=product, position=2)
    assert list(product.images.all()) == [first, second, third]


@pytest.mark.parametrize(
    "link",
    ["http://www.youtube.com/watch?v=abc", "javascript:alert(1)", "data:text/html,hi", "ftp://example.com/v.mp4"],
)
def test_video_link_must_be_https(link):
    product = ProductFactory(video_url=link)
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "https://" in " ".join(error.value.message_dict["video_url"])


def test_https_video_link_is_accepted():
    product = ProductFactory(video_url="https://vimeo.com/123456")
    product.full_clean()


def test_saving_an_upload_generates_every_rendition():
    image = ProductImage.objects.create(product=ProductFactory(), image=picture(), alt_text="Red drill")
    sizes = {}
    for rendition in image.renditions():
        with Image.open(media_file(rendition.name)) as made:
            sizes[made.width] = made.format
    assert sizes == {320: "JPEG", 640: "JPEG", 1280: "JPEG"}
    assert image.image.name.startswith("products/")


def test_small_sources_are_never_enlarged_and_transparency_lies_on_white():
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(buffer, "PNG")
    image = ProductImage.objects.create(
        product=ProductFactory(), image=SimpleUploadedFile("cut-out.png", buffer.getvalue(), content_type="image/png")
    )
    with Image.open(media_file(image.large.name)) as large:
        assert large.size == (400, 300)
        assert large.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def test_urls_and_srcset_never_touch_storage():
    image = ProductImage.objects.create(product=ProductFactory(), image=picture())
    image = ProductImage.objects.get(pk=image.pk)
    storage = "django.core.files.storage.FileSystemStorage"
    with (
        mock.patch(f"{storage}.exists", side_effect=AssertionError("exists")),
        mock.patch(f"{storage}.open", side_effect=AssertionError("open")),
    ):
        srcset = image.srcset()
        card = image.card_srcset()
    assert re.fullmatch(r"/media/\S+\.jpg 320w, /media/\S+\.jpg 640w, /media/\S+\.jpg 1280w", srcset)
    assert card == ", ".join(srcset.split(", ")[:2])


def test_huge_pictures_are_refused_before_thumbnails_are_made():
    buffer = io.BytesIO()
    Image.new("L", (8000, 6000)).save(buffer, "PNG")  # 48 megapixels in a few hundred kilobytes
    with pytest.raises(ValidationError) as error:
        validate_image_pixels(SimpleUploadedFile("huge.png", buffer.getvalue()))
    assert error.value.code == "image_too_large"
    assert str(MAX_IMAGE_PIXELS // 1_000_000) in str(error.value)
    validate_image_pixels(picture())  # a normal photo passes


# --- seller admin -------------------------------------------------------------------------------------------------


@pytest.fixture
def two_catalogs(supplier_a, supplier_b):
    category = CategoryFactory()
    a_product = ProductFactory(supplier=supplier_a, category=category, title="Alpha Cordless Drill 18V")
    b_product = ProductFactory(supplier=supplier_b, category=category, title="Beta Vacuum Tumbler")
    b_image = ProductImage.objects.create(product=b_product, image=picture(name="beta-secret.jpg"), alt_text="Beta")
    return {"category": category, "a_product": a_product, "b_product": b_product, "b_image": b_image}


def product_form(product, images=(), **overrides):
    """The seller's product change form, with `images` as inline rows (dicts)."""
    data = {
        "title": product.title,
        "category": product.category_id,
        "language": "en",
        "description": product.description,
        "keywords": "",
        "external_id": product.external_id,
        "status": product.status,
        "moq": product.moq,
        "unit": product.unit,
        "currency": product.currency,
        "lead_time_days": product.lead_time_days,
        "video_url": "",
    }
    tiers = list(product.price_tiers.all())
    data.update({"price_tiers-TOTAL_FORMS": len(tiers), "price_tiers-INITIAL_FORMS": len(tiers)})
    for n, tier in enumerate(tiers):
        data.update(
            {
                f"price_tiers-{n}-id": tier.pk,
                f"price_tiers-{n}-product": product.pk,
                f"price_tiers-{n}-min_quantity": tier.min_quantity,
                f"price_tiers-{n}-unit_price": tier.unit_price,
            }
        )
    for prefix in ("attributes", "translations"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    initial = [row for row in images if row.get("id")]
    data.update({"images-TOTAL_FORMS": len(images), "images-INITIAL_FORMS": len(initial)})
    for n, row in enumerate(images):
        data.update({f"images-{n}-{key}": value for key, value in row.items()})
        data[f"images-{n}-product"] = product.pk
    data.update(overrides)
    return data


def change_url(product):
    return reverse("seller:marketplace_product_change", args=[product.pk])


def test_seller_uploads_images_and_sees_previews(seller_a_client, two_catalogs):
    product = two_catalogs["a_product"]
    rows = [
        {"image": picture(name="front.jpg"), "alt_text": "Front", "position": 0},
        # Left at the form's 0: goes after the others.
        {"image": picture(colour=(0, 90, 200), name="side.png", fmt="PNG"), "alt_text": "Side", "position": 0},
    ]
    response = seller_a_client.post(change_url(product), product_form(product, rows))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    front, side = product.images.all()
    assert (front.alt_text, front.position, side.alt_text, side.position) == ("Front", 0, "Side", 1)
    assert all(media_file(r.name).exists() for image in (front, side) for r in image.renditions())

    page = seller_a_client.get(change_url(product)).content.decode()
    assert f'src="{front.thumbnail.url}"' in page and f'src="{side.thumbnail.url}"' in page  # previews
    assert "More details" in page and 'name="video_url"' in page  # the video link, in a collapsed section


def test_seller_reorders_and_removes_images(seller_a_client, two_catalogs):
    product = two_catalogs["a_product"]
    first = ProductImage.objects.create(product=product, image=picture(name="one.jpg"), position=0)
    second = ProductImage.objects.create(product=product, image=picture(name="two.jpg"), position=1)
    third = ProductImage.objects.create(product=product, image=picture(name="three.jpg"), position=2)
    rows = [
        {"id": first.pk, "alt_text": "", "position": 2},
        {"id": second.pk, "alt_text": "", "position": 1, "DELETE": "on"},
        {"id": third.pk, "alt_text": "", "position": 0},
    ]
    response = seller_a_client.post(change_url(product), product_form(product, rows))
    assert response.status_code == 302
    assert list(product.images.all()) == [third, first]


def test_upload_validation_is_kept(seller_a_client, two_catalogs):
    product = two_catalogs["a_product"]
    fake = SimpleUploadedFile("drill.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = seller_a_client.post(change_url(product), product_form(product, [{"image": fake, "position": 0}]))
    assert response.status_code == 200
    assert "not a picture" in response.content.decode() or "valid image" in response.content.decode()
    assert not product.images.exists()


@pytest.mark.parametrize("link", ["http://youtube.com/watch?v=1", "javascript:alert(1)"])
def test_seller_video_link_must_be_https(seller_a_client, two_catalogs, link):
    product = two_catalogs["a_product"]
    response = seller_a_client.post(change_url(product), product_form(product, video_url=link))
    assert response.status_code == 200
    assert "starts with https://" in response.content.decode()
    product.refresh_from_db()
    assert product.video_url == ""
    response = seller_a_client.post(change_url(product), product_form(product, video_url="https://youtu.be/abc"))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.video_url == "https://youtu.be/abc"


def test_other_suppliers_images_are_invisible(seller_a_client, two_catalogs):
    b_product, b_image = two_catalogs["b_product"], two_catalogs["b_image"]
    assert seller_a_client.get(change_url(b_product)).status_code == 404
    page = seller_a_client.get(change_url(two_catalogs["a_product"])).content.decode()
    assert b_image.thumbnail.url not in page and "beta-secret" not in page
    # Product images are an inline only: the seller site has no URL of their own for them.
    assert seller_a_client.get(f"/seller/marketplace/productimage/{b_image.pk}/change/").status_code == 404


def test_other_suppliers_images_cannot_be_changed_or_removed(seller_a_client, two_catalogs):
    a_product, b_product, b_image = two_catalogs["a_product"], two_catalogs["b_product"], two_catalogs["b_image"]
    change = [{"id": b_image.pk, "alt_text": "Hijacked", "position": 9}]
    remove = [{"id": b_image.pk, "alt_text": "Beta", "position": 0, "DELETE": "on"}]
    # Through B's product: 404.
    for rows in (change, remove):
        assert seller_a_client.post(change_url(b_product), product_form(b_product, rows)).status_code == 404
    # Through A's own product, naming B's image: the formset only knows A's product's images.
    response = seller_a_client.post(change_url(a_product), product_form(a_product, change))
    assert response.status_code == 200 and "Hijacked" not in ProductImage.objects.values_list("alt_text", flat=True)
    seller_a_client.post(change_url(a_product), product_form(a_product, remove))
    b_image.refresh_from_db()
    assert (b_image.product_id, b_image.alt_text, b_image.position) == (b_product.pk, "Beta", 0)


# --- buyer pages --------------------------------------------------------------------------------------------------


def product_with_images(count=3, **product):
    product = ProductFactory(**product)
    images = [
        ProductImageFactory(product=product, position=n, alt_text=f"{product.title} view {n}") for n in range(count)
    ]
    return product, images


def test_product_page_has_a_gallery_with_zoom_and_video(client):
    product, images = product_with_images(3, video_url="https://www.youtube.com/watch?v=demo")
    body = client.get(product.get_absolute_url()).content.decode()
    main = images[0]
    assert "data-gallery-main" in body and f'srcset="{main.srcset()}"' in body
    assert 'sizes="(max-width: 900px) 100vw, 400px"' in body
    assert body.count("data-gallery-thumb") == 3
    for image in images:
        assert f'src="{image.thumbnail.url}"' in body and f'data-srcset="{image.srcset()}"' in body
        assert f'alt="{image.alt_text}"' in body
    assert "<dialog" in body and "data-gallery-dialog" in body and "data-gallery-close" in body
    assert f'href="{main.image.url}"' in body  # the original, from the zoom dialog
    assert "js/gallery.js" in body
    assert 'href="https://www.youtube.com/watch?v=demo"' in body and "Watch the product video" in body
    assert "onclick" not in body  # the CSP forbids inline handlers


def test_product_page_without_images_keeps_the_placeholder(client):
    product = ProductFactory(video_url="")
    body = client.get(product.get_absolute_url()).content.decode()
    assert 'class="placeholder big"' in body
    assert "<dialog" not in body and "Watch the product video" not in body


def test_single_image_has_no_thumbnail_strip(client):
    product, _ = product_with_images(1)
    body = client.get(product.get_absolute_url()).content.decode()
    assert "data-gallery-main" in body and "data-gallery-thumb" not in body


def test_cards_show_the_first_images_thumbnail(client):
    category = CategoryFactory(slug="power-tools", name="Power Tools")
    product, images = product_with_images(3, category=category)
    ProductFactory(category=category, title="No Picture Drill")
    body = client.get(reverse("marketplace:category_detail", args=[category.slug])).content.decode()
    first = images[0]
    assert f'src="{first.thumbnail.url}"' in body
    assert f'srcset="{first.card_srcset()}"' in body
    assert 'loading="lazy"' in body
    assert images[1].thumbnail.url not in body  # only the first image on a card
    assert body.count('class="placeholder"') == 1  # the product without pictures


def catalog_with_images(size, category, supplier=None):
    for n in range(size):
        product = make_product(
            supplier=supplier or SupplierFactory(),
            category=category,
            title=f"Cordless Drill Model {n}",
            attributes=[("Voltage", "18", "V")],
        )
        for position in range(3):
            ProductImageFactory(product=product, position=position)


@pytest.mark.parametrize("size", [3, 30])
def test_category_page_queries_bounded_with_several_images(client, django_assert_max_num_queries, size):
    parent = CategoryFactory(slug="tools", name="Tools & Hardware")
    leaf = CategoryFactory(slug="power-tools", name="Power Tools", parent=parent)
    catalog_with_images(size, leaf)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("marketplace:category_detail", args=[parent.slug]))
    assert response.content.decode().count('loading="lazy"') >= min(size, 24)


@pytest.mark.parametrize("size", [3, 30])
def test_home_page_queries_bounded_with_several_images(client, django_assert_max_num_queries, size):
    catalog_with_images(size, CategoryFactory(slug="power-tools", name="Power Tools"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("marketplace:home"))
    assert response.status_code == 200 and "CACHE/images/" in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_search_page_queries_bounded_with_several_images(client, django_assert_max_num_queries, size):
    catalog_with_images(size, CategoryFactory(slug="power-tools", name="Power Tools"))
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "cordless drill", "per_page": 96})
    body = response.content.decode()
    assert len(response.context["result"].hits) == size
    assert body.count(" 320w, ") >= size  # every card's srcset


def test_product_page_queries_do_not_grow_with_images(client):
    one, _ = product_with_images(1)
    six, _ = product_with_images(6)
    counts = []
    for product in (one, six):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(product.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
