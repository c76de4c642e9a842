"""Renditions of product images (django-imagekit): what sizes pages get, and how they are made.

Made when an image is saved (imagekit's Optimistic strategy), so pages only build their URLs: rendering never opens
a file or asks the storage whether one exists. The widths are the `w` descriptors of the pages' srcset; a smaller
source is never enlarged. Changing a rendition changes its file names: generate them again for every image
(ProductImage.renditions(), as seed_media_demo does) when deploying such a change.
"""

import logging

from imagekit.cachefiles.strategies import Optimistic
from imagekit.models import ImageSpecField
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

IMAGE_RENDITIONS = {"thumbnail": 320, "medium": 640, "large": 1280}
EXIF_ORIENTATION = 0x0112


class OptimisticWhenPresent(Optimistic):
    """imagekit's Optimistic strategy — renditions are made when the source is saved and never checked when a page
    shows them — except that a row naming a file the storage does not have (a fixture, an import of paths, a file
    removed by hand) saves without renditions instead of failing."""

    def on_source_saved(self, file):
        source = file.generator.source
        if not source.storage.exists(source.name):
            logger.info("product image %s is not in storage: no renditions made", source.name)
            return
        super().on_source_saved(file)


class ResizeToWidth:
    """Scale down to `width` pixels wide (never up), turned upright by its EXIF orientation first.

    Like pilkit's Transpose + ResizeToFit(width=..., upscale=False), but quicker: a JPEG is decoded straight at a
    reduced scale (Image.draft), a large reduction starts with a box filter (reducing_gap) and ends with Pillow's
    antialiased bilinear filter; at these sizes it looks the same as Lanczos at a third of the time. A seller's upload
    waits for three of these; the demo seed for thousands."""

    def __init__(self, width: int):
        self.width = width

    def process(self, image: Image.Image) -> Image.Image:
        if image.getexif().get(EXIF_ORIENTATION, 1) != 1:
            image = ImageOps.exif_transpose(image)  # rare (phone photos): decoded in full, then turned
        if image.width <= self.width:
            return image
        size = (self.width, max(1, round(image.height * self.width / image.width)))
        image.draft(None, size)  # JPEG only (a no-op otherwise): decode at 1/2, 1/4 or 1/8 scale, never below size
        return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def rendition(width: int) -> ImageSpecField:
    return ImageSpecField(
        source="image",
        processors=[ResizeToWidth(width)],
        # JPEG: every browser, and several times faster to encode than WebP; a transparent PNG is laid on white.
        format="JPEG",
        options={"quality": 82},
        cachefile_strategy=OptimisticWhenPresent,
    )
