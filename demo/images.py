"""Demo product pictures, drawn with Pillow at seed time (no downloads): a simple icon for the kind of product (drill,
panel, cup, cable, bulb, shoe…), its category's colour and its key spec ("18 V", "450 W") large enough to read on
a card. Three views per product — the product, its key specs, its export carton — so two products of different
kinds, or of one kind with different specs, never look alike. Everything is deterministic: the same product
always gives the same bytes (seed_media_demo relies on it to stay idempotent).

Icons are drawn in a 100 × 100 box (`_Pen` scales them), from plain rectangles, ellipses, polygons and lines.
"""

import io
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (800, 600)
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
VIEWS = ("product", "specs", "packaging")
WHITE = (255, 255, 255)
INK = (29, 36, 48)

# Category colours: a muted palette, one picked per category slug (stable across runs and machines).
PALETTE = [
    (38, 110, 160),
    (196, 86, 46),
    (46, 139, 87),
    (142, 68, 173),
    (201, 145, 24),
    (22, 128, 128),
    (178, 58, 92),
    (84, 110, 122),
    (93, 121, 38),
    (61, 84, 181),
    (166, 98, 52),
    (0, 121, 107),
]


@dataclass(frozen=True)
class Picture:
    """What a product's pictures show; equal pictures give equal bytes."""

    icon: str
    colour: tuple
    spec: str  # the key spec, e.g. "18 V"
    spec_name: str  # e.g. "Voltage"
    second: str  # a second spec line for the specs view, e.g. "Max Torque 60 N·m"
    kind: str  # the product's kind in words, e.g. "Cordless Drill"
    category: str

    def key(self, view: str) -> str:
        """A digest of what `view` draws: the file's name, so products that look alike share a file and a changed
        product gets a new one."""
        drawn = repr((view, *(getattr(self, name) for name in DRAWN[view])))
        return f"{zlib.crc32(drawn.encode()):08x}{len(drawn):04x}"


# What each view draws (render() reads nothing else for it).
DRAWN = {
    "product": ("icon", "colour", "spec", "kind"),
    "specs": ("icon", "colour", "spec_name", "spec", "second", "kind"),
    "packaging": ("icon", "colour", "spec", "kind", "category"),
}


# --- choosing what to draw --------------------------------------------------------------------------------------

# (words in the title, icon), first match wins: more specific phrases first.
ICON_WORDS = [
    (("impact wrench", "socket wrench", "wrench set"), "wrench"),
    (("drill",), "drill"),
    (("grinder",), "grinder"),
    (("pliers",), "wrench"),
    (("tape measure",), "tape"),
    (("bolt", "screw", "anchor", "fastener"), "bolt"),
    (("valve",), "valve"),
    (("elbow", "fitting"), "pipe"),
    (("solar panel",), "panel"),
    (("inverter",), "inverter"),
    (("cable", "wire"), "cable"),
    (("breaker", "contactor", "switch", "socket"), "switch"),
    (("power bank", "battery", "energy storage", "power station"), "battery"),
    (("charger", "plug"), "plug"),
    (("phone",), "phone"),
    (("earbuds", "headset", "headphone"), "headphones"),
    (("speaker",), "speaker"),
    (("doorbell", "camera"), "camera"),
    (("robot", "vacuum cleaner"), "robot"),
    (("bulb",), "bulb"),
    (("ceiling light", "strip light", "lamp", "light"), "lamp"),
    (("mug", "tumbler", "cup"), "cup"),
    (("bottle",), "bottle"),
    (("frying pan", "pan"), "pan"),
    (("cookware", "dutch oven", "pot"), "pot"),
    (("container", "storage box", "storage bin", "bin", "box with lid"), "box"),
    (("towel", "sheet set", "curtain", "tarpaulin", "geotextile", "stretch film", "mat"), "roll"),
    (("shoe", "sandal", "boot"), "shoe"),
    (("leggings", "t-shirt", "tracksuit", "vest", "coverall", "scrubs", "shirt"), "shirt"),
    (("suitcase", "trolley"), "suitcase"),
    (("backpack", "tote", "bag"), "bag"),
    (("plush", "stuffed"), "bear"),
    (("blocks",), "blocks"),
    (("car",), "car"),
    (("dumbbell",), "dumbbell"),
    (("treadmill",), "treadmill"),
    (("tent",), "tent"),
    (("chair",), "chair"),
    (("pet", "dog", "leash", "feeder"), "paw"),
    (("pump",), "pump"),
    (("refrigerated", "cold room", "condensing", "cabinet"), "cabinet"),
    (("tile", "paver"), "tiles"),
    (("coil",), "coil"),
    (("pipe", "tube"), "pipe"),
    (("sheet", "plate"), "sheets"),
    (("granules", "resin"), "granules"),
    (("shipping box", "carton"), "carton"),
    (("sling", "webbing", "strap"), "strap"),
    (("machine", "lathe", "press", "cutting"), "machine"),
]
# When no word matches: by category slug, then a crate.
CATEGORY_ICONS = {
    "power-tools": "drill",
    "hand-tools": "wrench",
    "fasteners": "bolt",
    "valves-fittings": "valve",
    "solar-panels": "panel",
    "energy-storage": "battery",
    "cables-wires": "cable",
    "low-voltage": "switch",
    "home-lighting": "bulb",
    "drinkware": "cup",
    "cookware": "pan",
    "footwear": "shoe",
    "pumps": "pump",
    "ceramic-tiles": "tiles",
}


def icon_for(title: str, category_slug: str = "") -> str:
    text = f" {title.lower()} "
    for words, icon in ICON_WORDS:
        # Whole words, plurals too: "shoes" is a shoe, but "Self-Drilling Screw" no drill and "Carton" no car.
        if any(re.search(rf"(?<![a-z]){re.escape(word)}(?:s|es)?(?![a-z])", text) for word in words):
            return icon
    return CATEGORY_ICONS.get(category_slug, "crate")


def colour_for(category_slug: str) -> tuple:
    return PALETTE[zlib.crc32(category_slug.encode()) % len(PALETTE)]


NUMBER = re.compile(r"\d")


def key_specs(attributes) -> list[tuple[str, str]]:
    """(name, "value unit") pairs, the most telling first: numbers with units, then other numbers, then words."""

    def rank(attribute):
        name, value, unit = attribute
        return 0 if unit and NUMBER.search(value) else 1 if NUMBER.search(value) else 2

    ordered = sorted(attributes, key=rank)  # stable: the seller's order within a rank
    return [(name, f"{value} {unit}".strip()) for name, value, unit in ordered]


def picture_for(*, title: str, kind: str, category_slug: str, category_name: str, attributes) -> Picture:
    """attributes: (name, value, unit) triples in the product's order."""
    specs = key_specs(attributes)
    spec_name, spec = specs[0] if specs else ("", "")
    second = f"{specs[1][0]} {specs[1][1]}" if len(specs) > 1 else ""
    return Picture(
        icon=icon_for(title, category_slug),
        colour=colour_for(category_slug),
        spec=spec,
        spec_name=spec_name,
        second=second,
        kind=kind,
        category=category_name,
    )


# --- drawing ----------------------------------------------------------------------------------------------------


@cache
def font(size: int, bold: bool = True):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)  # Pillow's own font when DejaVu (fonts-dejavu-core) is missing


def fitted_font(draw, text: str, width: int, size: int, bold: bool = True):
    """The largest font up to `size` at which `text` fits in `width` pixels."""
    while size > 14:
        face = font(size, bold)
        if draw.textlength(text, font=face) <= width:
            return face
        size = int(size * 0.88)
    return font(14, bold)


def mix(colour, other, share):
    return tuple(round(c + (o - c) * share) for c, o in zip(colour, other, strict=True))


class _Pen:
    """Draws in a 100 × 100 box placed at (x, y) with side `side` pixels."""

    def __init__(self, draw, x, y, side, fg, light):
        self.draw, self.x, self.y, self.k, self.fg, self.light = draw, x, y, side / 100, fg, light

    def p(self, *points):
        return [(self.x + px * self.k, self.y + py * self.k) for px, py in zip(points[::2], points[1::2], strict=True)]

    def rect(self, x0, y0, x1, y1, fill=None, radius=0, outline=None, width=0):
        self.draw.rounded_rectangle(
            self.p(x0, y0, x1, y1),
            radius=radius * self.k,
            fill=fill or self.fg,
            outline=outline,
            width=round(width * self.k),
        )

    def ellipse(self, x0, y0, x1, y1, fill=None, outline=None, width=0):
        fill = self.fg if fill is None and outline is None else fill  # an outline alone is a ring
        self.draw.ellipse(self.p(x0, y0, x1, y1), fill=fill, outline=outline, width=round(width * self.k))

    def poly(self, *points, fill=None):
        self.draw.polygon(self.p(*points), fill=fill or self.fg)

    def line(self, *points, width=4, fill=None):
        self.draw.line(self.p(*points), fill=fill or self.fg, width=max(1, round(width * self.k)), joint="curve")

    def arc(self, x0, y0, x1, y1, start, end, width=4, fill=None):
        self.draw.arc(self.p(x0, y0, x1, y1), start, end, fill=fill or self.fg, width=max(1, round(width * self.k)))


def _icon(pen: _Pen, name: str) -> None:  # noqa: C901, PLR0912, PLR0915 - one short drawing per kind
    fg, light = pen.fg, pen.light
    if name == "drill":
        pen.rect(20, 22, 74, 44, radius=8)
        pen.rect(74, 26, 86, 40, radius=2, fill=light)
        pen.line(86, 33, 99, 33, width=4)
        pen.poly(38, 44, 54, 44, 50, 78, 34, 78)
        pen.rect(28, 76, 62, 90, radius=4)
    elif name == "grinder":
        pen.rect(30, 40, 88, 58, radius=9)
        pen.ellipse(6, 24, 40, 74, fill=light, outline=fg, width=4)
        pen.rect(48, 30, 56, 40)
    elif name == "wrench":
        pen.line(26, 74, 70, 30, width=11)
        pen.ellipse(58, 10, 90, 42, fill=fg)
        pen.rect(70, 18, 80, 30, fill=light)
        pen.ellipse(12, 62, 38, 88, fill=fg)
    elif name == "tape":
        pen.rect(14, 22, 70, 78, radius=14)
        pen.ellipse(28, 36, 56, 64, fill=light)
        pen.rect(68, 64, 94, 74, fill=light)
    elif name == "bolt":
        pen.poly(30, 12, 70, 12, 78, 24, 70, 36, 30, 36, 22, 24)
        pen.rect(40, 36, 60, 90)
        for y in range(42, 90, 9):
            pen.line(40, y, 60, y + 4, width=2, fill=light)
    elif name == "valve":
        pen.rect(8, 44, 92, 66, radius=4)
        pen.ellipse(30, 30, 70, 80)
        pen.rect(46, 16, 54, 32)
        pen.rect(26, 10, 74, 18, radius=3, fill=light)
    elif name == "pipe":
        pen.arc(14, 14, 86, 86, 180, 270, width=20)
        pen.rect(6, 48, 24, 92, fill=fg)
        pen.rect(48, 6, 92, 24, fill=fg)
    elif name == "panel":
        pen.poly(18, 18, 92, 18, 82, 78, 8, 78)
        for i in range(1, 4):
            pen.line(18 + 18.5 * i - 2.5 * i, 18, 8 + 18.5 * i, 78, width=2, fill=light)
        for j in (38, 58):
            pen.line(18 - (j - 18) / 6, j, 92 - (j - 18) / 6, j, width=2, fill=light)
        pen.rect(44, 78, 56, 92)
    elif name == "inverter":
        pen.rect(20, 8, 80, 92, radius=8)
        pen.rect(32, 20, 68, 44, fill=light)
        pen.ellipse(44, 60, 56, 72, fill=light)
    elif name == "cable":
        for r in (40, 30, 20):
            pen.ellipse(50 - r, 50 - r, 50 + r, 50 + r, outline=fg, width=7)
        pen.line(90, 50, 98, 84, width=7)
    elif name == "switch":
        pen.rect(14, 14, 86, 86, radius=10, fill=light, outline=fg, width=5)
        pen.rect(38, 28, 62, 72, radius=6)
        pen.rect(42, 32, 58, 50, fill=light)
    elif name == "battery":
        pen.rect(18, 20, 82, 90, radius=8)
        pen.rect(38, 10, 62, 20)
        pen.poly(54, 30, 36, 58, 50, 58, 44, 82, 66, 50, 52, 50, fill=light)
    elif name == "plug":
        pen.rect(22, 30, 78, 84, radius=12)
        pen.rect(34, 10, 42, 32)
        pen.rect(58, 10, 66, 32)
        pen.ellipse(42, 52, 58, 68, fill=light)
    elif name == "phone":
        pen.rect(28, 6, 72, 94, radius=9)
        pen.rect(32, 14, 68, 82, fill=light)
        pen.ellipse(46, 85, 54, 91, fill=light)
    elif name == "headphones":
        pen.arc(16, 12, 84, 80, 180, 360, width=8)
        pen.rect(10, 46, 30, 82, radius=8)
        pen.rect(70, 46, 90, 82, radius=8)
    elif name == "speaker":
        pen.rect(24, 8, 76, 92, radius=12)
        pen.ellipse(34, 44, 66, 76, fill=light)
        pen.ellipse(42, 18, 58, 34, fill=light)
    elif name == "camera":
        pen.rect(30, 6, 70, 94, radius=16)
        pen.ellipse(38, 18, 62, 42, fill=light)
        pen.ellipse(42, 64, 58, 80, fill=light)
    elif name == "robot":
        pen.ellipse(8, 8, 92, 92)
        pen.ellipse(36, 20, 64, 48, fill=light)
        pen.rect(20, 62, 80, 68, fill=light)
    elif name == "bulb":
        pen.ellipse(20, 6, 80, 66)
        pen.rect(36, 58, 64, 84, fill=light, outline=fg, width=4)
        pen.line(36, 68, 64, 68, width=3)
        pen.line(36, 76, 64, 76, width=3)
        pen.rect(42, 84, 58, 94)
    elif name == "lamp":
        pen.rect(46, 4, 54, 24)
        pen.poly(20, 60, 30, 24, 70, 24, 80, 60)
        pen.ellipse(38, 56, 62, 80, fill=light)
        for x0, y0, x1, y1 in ((14, 70, 4, 84), (86, 70, 96, 84), (50, 84, 50, 98)):
            pen.line(x0, y0, x1, y1, width=4)
    elif name == "cup":
        pen.rect(18, 20, 68, 88, radius=8)
        pen.arc(56, 34, 90, 72, 270, 90, width=8)
        pen.rect(24, 28, 62, 36, fill=light)
    elif name == "bottle":
        pen.rect(38, 4, 62, 16, radius=3, fill=light)
        pen.rect(40, 16, 60, 28)
        pen.rect(28, 28, 72, 94, radius=12)
        pen.rect(28, 48, 72, 68, fill=light)
    elif name == "pan":
        pen.ellipse(4, 30, 64, 80)
        pen.ellipse(12, 36, 56, 72, fill=light)
        pen.rect(60, 50, 96, 60, radius=4)
    elif name == "pot":
        pen.rect(14, 36, 86, 86, radius=10)
        pen.rect(8, 28, 92, 38, radius=4)
        pen.rect(42, 18, 58, 28, radius=4)
        pen.rect(4, 48, 14, 58)
        pen.rect(86, 48, 96, 58)
    elif name == "box":
        pen.rect(12, 22, 88, 36, radius=4)
        pen.rect(16, 36, 84, 88, radius=6, fill=light, outline=fg, width=5)
        pen.rect(40, 26, 60, 32, fill=light)
    elif name == "roll":
        pen.rect(22, 20, 84, 80)
        pen.ellipse(10, 20, 34, 80, fill=light, outline=fg, width=5)
        pen.ellipse(18, 42, 26, 58)
        pen.poly(84, 80, 96, 92, 34, 92, 22, 80)
    elif name == "shoe":
        pen.poly(8, 78, 8, 40, 30, 34, 44, 54, 72, 58, 92, 66, 94, 78)
        pen.rect(6, 78, 96, 90, radius=5, fill=light, outline=fg, width=4)
        pen.line(30, 44, 40, 40, width=3, fill=light)
        pen.line(34, 52, 44, 48, width=3, fill=light)
    elif name == "shirt":
        pen.poly(32, 10, 44, 16, 56, 16, 68, 10, 94, 26, 84, 44, 74, 38, 74, 92, 26, 92, 26, 38, 16, 44, 6, 26)
        pen.arc(40, 4, 60, 22, 0, 180, width=4, fill=light)
    elif name == "suitcase":
        pen.rect(38, 4, 62, 16, radius=4, outline=fg, width=5, fill=light)
        pen.rect(22, 16, 78, 86, radius=10)
        for x in (38, 50, 62):
            pen.line(x, 24, x, 78, width=3, fill=light)
        pen.ellipse(26, 86, 36, 96)
        pen.ellipse(64, 86, 74, 96)
    elif name == "bag":
        pen.arc(32, 6, 68, 46, 180, 360, width=6)
        pen.rect(18, 26, 82, 92, radius=12)
        pen.rect(30, 54, 70, 76, radius=6, fill=light)
    elif name == "bear":
        pen.ellipse(18, 8, 38, 28)
        pen.ellipse(62, 8, 82, 28)
        pen.ellipse(22, 12, 78, 62)
        pen.ellipse(26, 52, 74, 96)
        pen.ellipse(40, 34, 60, 50, fill=light)
    elif name == "blocks":
        pen.rect(10, 56, 46, 90, radius=3)
        pen.rect(54, 56, 90, 90, radius=3, fill=light, outline=fg, width=4)
        pen.rect(32, 20, 68, 54, radius=3)
        for x in (38, 54):
            pen.rect(x, 12, x + 8, 20)
    elif name == "car":
        pen.poly(6, 66, 10, 48, 28, 44, 40, 28, 70, 28, 82, 44, 94, 50, 94, 66)
        pen.rect(44, 34, 66, 44, fill=light)
        pen.ellipse(16, 56, 38, 78, fill=light, outline=fg, width=6)
        pen.ellipse(62, 56, 84, 78, fill=light, outline=fg, width=6)
    elif name == "dumbbell":
        pen.rect(24, 46, 76, 54)
        pen.rect(8, 28, 22, 72, radius=3)
        pen.rect(78, 28, 92, 72, radius=3)
        pen.rect(20, 34, 30, 66, radius=2, fill=light, outline=fg, width=3)
        pen.rect(70, 34, 80, 66, radius=2, fill=light, outline=fg, width=3)
    elif name == "treadmill":
        pen.poly(6, 82, 12, 72, 80, 72, 86, 82)
        pen.line(70, 72, 80, 24, width=6)
        pen.rect(66, 16, 92, 28, radius=4)
        pen.rect(10, 82, 84, 88, fill=light)
    elif name == "tent":
        pen.poly(50, 10, 94, 86, 6, 86)
        pen.poly(50, 36, 66, 86, 34, 86, fill=light)
    elif name == "chair":
        pen.line(18, 90, 78, 30, width=6)
        pen.line(82, 90, 22, 30, width=6)
        pen.rect(20, 20, 80, 50, radius=4)
        pen.rect(14, 54, 86, 62, radius=3, fill=light, outline=fg, width=3)
    elif name == "paw":
        pen.ellipse(28, 46, 72, 88)
        for x0, y0 in ((14, 30), (32, 12), (54, 12), (72, 30)):
            pen.ellipse(x0, y0, x0 + 16, y0 + 20)
    elif name == "pump":
        pen.ellipse(20, 24, 72, 76)
        pen.ellipse(36, 40, 56, 60, fill=light)
        pen.rect(60, 14, 94, 28)
        pen.rect(10, 76, 80, 90, radius=3)
    elif name == "cabinet":
        pen.rect(16, 6, 84, 94, radius=6)
        pen.rect(24, 14, 76, 62, fill=light)
        pen.rect(24, 68, 76, 86, fill=light)
        for a, b, c, d in ((50, 24, 50, 52), (38, 31, 62, 45), (38, 45, 62, 31)):
            pen.line(a, b, c, d, width=3)
    elif name == "tiles":
        for x in (8, 52):
            for y in (8, 52):
                pen.rect(x, y, x + 40, y + 40, radius=3, fill=fg if (x + y) % 88 else light, outline=fg, width=3)
    elif name == "coil":
        pen.ellipse(8, 14, 92, 86)
        pen.ellipse(34, 36, 66, 64, fill=light)
        pen.arc(16, 22, 84, 78, 200, 340, width=2, fill=light)
    elif name == "sheets":
        for i in range(4):
            pen.poly(10 + i * 4, 70 - i * 14, 70 + i * 4, 70 - i * 14, 90 + i * 2, 56 - i * 14, 30 + i * 2, 56 - i * 14)
            pen.line(10 + i * 4, 70 - i * 14, 70 + i * 4, 70 - i * 14, width=2, fill=light)
    elif name == "granules":
        pen.poly(20, 40, 80, 40, 90, 92, 10, 92)
        for x, y in ((30, 60), (48, 54), (66, 62), (38, 76), (58, 78), (76, 80), (22, 80)):
            pen.ellipse(x - 5, y - 5, x + 5, y + 5, fill=light)
        pen.rect(30, 28, 70, 40, fill=light, outline=fg, width=3)
    elif name in ("carton", "crate"):
        pen.poly(10, 34, 50, 20, 90, 34, 50, 48, fill=light)
        pen.poly(10, 34, 50, 48, 50, 92, 10, 78)
        pen.poly(90, 34, 50, 48, 50, 92, 90, 78, fill=mix(fg, (0, 0, 0), 0.25))
        pen.line(30, 27, 70, 41, width=4, fill=mix(fg, WHITE, 0.5))
    elif name == "strap":
        pen.arc(10, 10, 90, 90, 200, 340, width=12)
        pen.rect(6, 50, 20, 90, radius=3)
        pen.rect(80, 50, 94, 90, radius=3)
        pen.rect(40, 66, 60, 90, radius=3, fill=light, outline=fg, width=4)
    elif name == "machine":
        pen.rect(8, 20, 74, 76, radius=6)
        pen.rect(16, 28, 50, 56, fill=light)
        pen.rect(76, 30, 94, 64, radius=3)
        pen.ellipse(80, 36, 90, 46, fill=light)
        pen.rect(14, 76, 22, 94)
        pen.rect(60, 76, 68, 94)
    else:  # pragma: no cover - every name above has a drawing
        pen.rect(10, 10, 90, 90, radius=10)


def draw_icon(draw, x, y, side, name, fg, light):
    _icon(_Pen(draw, x, y, side, fg, light), name)


def render(picture: Picture, view: str) -> Image.Image:
    """One 800 × 600 picture of the product: `view` is one of VIEWS."""
    width, height = SIZE
    colour = picture.colour
    pale = mix(colour, WHITE, 0.86)
    middle = mix(colour, WHITE, 0.55)  # the icons' second tone, visible on the pale background and on the carton
    image = Image.new("RGB", SIZE, pale if view != "specs" else colour)
    draw = ImageDraw.Draw(image)
    if view == "product":
        draw.rectangle([0, height - 96, width, height], fill=colour)
        draw_icon(draw, 190, 40, 420, picture.icon, colour, middle)
        if picture.spec:
            face = fitted_font(draw, picture.spec, 300, 72)
            box = draw.textbbox((0, 0), picture.spec, font=face)
            badge_w, badge_h = box[2] - box[0] + 48, box[3] - box[1] + 36
            draw.rounded_rectangle(
                [width - badge_w - 28, 28, width - 28, 28 + badge_h], radius=18, fill=WHITE, outline=colour, width=6
            )
            draw.text((width - 28 - badge_w / 2, 28 + badge_h / 2), picture.spec, font=face, fill=INK, anchor="mm")
        draw.text(
            (32, height - 48),
            picture.kind,
            font=fitted_font(draw, picture.kind, width - 64, 44),
            fill=WHITE,
            anchor="lm",
        )
    elif view == "specs":
        light = mix(colour, WHITE, 0.3)
        draw_icon(draw, 40, 40, 150, picture.icon, WHITE, light)
        draw.text(
            (220, 115),
            picture.spec_name or picture.kind,
            font=fitted_font(draw, picture.spec_name or picture.kind, 540, 46),
            fill=WHITE,
            anchor="lm",
        )
        text = picture.spec or picture.kind
        draw.text((width / 2, 330), text, font=fitted_font(draw, text, width - 80, 170), fill=WHITE, anchor="mm")
        if picture.second:
            draw.rounded_rectangle([40, 470, width - 40, 560], radius=16, fill=mix(colour, (0, 0, 0), 0.22))
            draw.text(
                (width / 2, 515),
                picture.second,
                font=fitted_font(draw, picture.second, width - 120, 44, bold=False),
                fill=WHITE,
                anchor="mm",
            )
    else:  # packaging: an export carton printed with the icon, the kind and the spec
        kraft, dark = (205, 164, 112), (160, 118, 70)
        draw.polygon([(120, 170), (400, 90), (680, 170), (400, 250)], fill=(222, 186, 138))
        draw.polygon([(120, 170), (400, 250), (400, 560), (120, 480)], fill=kraft)
        draw.polygon([(680, 170), (400, 250), (400, 560), (680, 480)], fill=dark)
        draw.line([(260, 130), (540, 210)], fill=(240, 220, 190), width=18)
        draw_icon(draw, 170, 250, 180, picture.icon, colour, middle)
        label = picture.spec or picture.kind
        draw.text((540, 330), label, font=fitted_font(draw, label, 230, 64), fill=WHITE, anchor="mm")
        draw.text(
            (540, 410), picture.kind, font=fitted_font(draw, picture.kind, 240, 26, bold=False), fill=WHITE, anchor="mm"
        )
        for x in (430, 470, 510):  # "this way up" arrows
            draw.polygon([(x, 470), (x + 14, 448), (x + 28, 470)], fill=WHITE)
        draw.text(
            (width - 24, 30),
            picture.category,
            font=fitted_font(draw, picture.category, 360, 28),
            fill=colour,
            anchor="ra",
        )
    return image


EXTENSION = "jpg"


def encode(image: Image.Image) -> bytes:
    """JPEG at a high quality: five times faster to write and read than PNG, and pages show the renditions anyway."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
