"""Give every demo product its own pictures, drawn at seed time (demo/images.py; nothing is downloaded).

    python manage.py seed_demo
    python manage.py seed_media_demo            # 3 pictures per demo product: the product, its specs, its carton
    python manage.py seed_media_demo --views 2  # the product and its specs only

Each picture shows the kind of product (an icon), its category's colour and its key spec, so a category page shows
products that differ. The pictures replace the images seed_demo made (files under demo/, e.g. one shared picture
per category); images a seller uploaded (under products/) are kept. The renditions pages use (thumbnails, srcset
sizes) are generated here, as a seller's upload generates them on save.

A picture's file name is a digest of what it shows: products that look alike (same kind, category and specs)
share a file and its renditions, and a changed product gets new ones. So it is idempotent: a re-run skips products
whose pictures are current, reuses files already on disk and only redraws what changed.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Prefetch

from core.public_cache import public_cache_invalidate
from demo import catalog, images
from marketplace.models import Product, ProductAttribute, ProductImage

SEED_FOLDER = "demo/"  # what seed_demo and this command write; sellers' uploads go to products/
FOLDER = "demo/products"
CHUNK = 500
VIEW_NAMES = {"product": "", "specs": "specifications", "packaging": "export carton"}


def demo_nouns():
    """English product nouns of the demo catalog, longest first (so "Cordless Impact Wrench" beats "Wrench")."""
    nouns = set()
    for top in catalog.CATEGORIES:
        for leaf in top["children"]:
            for template in leaf.get("products", []):
                noun = template.get("noun")
                nouns.add(noun.get("en") if isinstance(noun, dict) else noun)
    return sorted((n for n in nouns if n), key=len, reverse=True)


class Command(BaseCommand):
    help = "Draw 2-3 distinct pictures per demo product (icon, category colour, key spec) and their renditions."

    def add_arguments(self, parser):
        parser.add_argument("--views", type=int, default=3, choices=[2, 3], help="Pictures per product (2 or 3).")
        parser.add_argument("--workers", type=int, default=2, help="Threads drawing and encoding pictures.")

    def handle(self, *args, views, workers, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        started = time.monotonic()
        self.views = images.VIEWS[:views]
        self.ensured = set()  # files known to be on disk with their renditions
        self.nouns = [(noun.lower(), noun) for noun in demo_nouns()]
        products = Product.objects.filter(external_id__startswith="demo-").order_by("pk")
        ids = list(products.values_list("pk", flat=True))
        drawn = reused = kept = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for start in range(0, len(ids), CHUNK):
                chunk = (
                    products.filter(pk__in=ids[start : start + CHUNK])
                    .select_related("category")
                    .prefetch_related(
                        Prefetch("attributes", queryset=ProductAttribute.objects.order_by("position", "id")),
                        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
                    )
                )
                counts = self.seed_chunk(list(chunk), pool)
                drawn, reused, kept = drawn + counts[0], reused + counts[1], kept + counts[2]
                self.stdout.write(f"  products {min(start + CHUNK, len(ids)):>8}/{len(ids)}", ending="\r")
        self.stdout.write("")
        public_cache_invalidate()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo product pictures: {drawn} files drawn, {reused} already on disk; {kept} of {len(ids)} products "
                f"already had theirs; {time.monotonic() - started:.1f}s."
            )
        )

    def plan(self, product):
        """(picture, [file names]) for a product: the names change when what the pictures show changes."""
        title = product.title.lower()
        kind = next((noun for lower, noun in self.nouns if lower in title), product.category.name)
        picture = images.picture_for(
            title=product.title,
            kind=kind,
            category_slug=product.category.slug,
            category_name=product.category.name,
            attributes=[(a.name, a.value, a.unit) for a in product.attributes.all()],
        )
        return picture, [f"{FOLDER}/{view}-{picture.key(view)}.{images.EXTENSION}" for view in self.views]

    def seed_chunk(self, products, pool):
        jobs, rows, stale, kept = {}, [], [], 0
        for product in products:
            picture, names = self.plan(product)
            for view, name in zip(self.views, names, strict=True):
                if name not in self.ensured:
                    jobs.setdefault(name, (picture, view, name))
            seeded = [image for image in product.images.all() if image.image.name.startswith(SEED_FOLDER)]
            if [image.image.name for image in seeded] == names:
                kept += 1
                continue
            stale += [image.pk for image in seeded]
            for position, (view, name) in enumerate(zip(self.views, names, strict=True)):
                label = VIEW_NAMES[view]
                alt = f"{product.title} — {label}" if label else product.title
                rows.append(ProductImage(product=product, image=name, alt_text=alt[:200], position=position))
        # Each file once, however many products share it: drawn unless on disk, then its renditions (generate()
        # skips those that exist). The rows are written once every file they name is on disk.
        drawn = sum(pool.map(lambda job: self.draw(*job), jobs.values()))
        list(pool.map(lambda name: [r.generate() for r in ProductImage(image=name).renditions()], jobs))
        self.ensured.update(jobs)
        with transaction.atomic():
            ProductImage.objects.filter(pk__in=stale).delete()
            ProductImage.objects.bulk_create(rows, batch_size=CHUNK)
        return drawn, len(jobs) - drawn, kept

    @staticmethod
    def draw(picture, view, name) -> bool:
        """Write the picture unless its file exists (same name, same content); True when it was drawn."""
        if default_storage.exists(name):
            return False
        saved = default_storage.save(name, ContentFile(images.encode(images.render(picture, view))))
        if saved != name:  # another run wrote it meanwhile: keep theirs, drop ours
            default_storage.delete(saved)
        return True
