"""Writes on the category tree."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Category, Sector


def _folded(text: str) -> str:
    """Case, width and accents folded, so "Électroménager" matches "electromenager"."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text or "")).casefold())
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c))).strip()


def category_path_parts(path) -> list[str]:
    return [part.strip() for part in str(path or "").split(">") if part.strip()]


def category_path_find(*, path, categories) -> tuple[Category | None, list[str]]:
    """The deepest category on `path` ("A > B > C": each level by slug or by name in any language, under the
    previous one; the first level at any depth) among `categories`, and the parts below it that do not exist."""
    parts = category_path_parts(path)
    found: Category | None = None
    for index, part in enumerate(parts):
        wanted = _folded(part)
        parent_id = found.pk if found is not None else None
        candidates = [c for c in categories if (found is None and index == 0) or c.parent_id == parent_id]
        match = next(
            (
                c
                for c in candidates
                if wanted in {_folded(c.slug), _folded(c.name), *(_folded(n) for n in (c.names or {}).values())}
            ),
            None,
        )
        if match is None:
            return found, parts[index:]
        found = match
    return found, []


@transaction.atomic
def category_path_ensure(
    *, path: str, language: str = "en", sector: str | None = None, categories: list | None = None
) -> tuple[Category, list[Category]]:
    """The category at `path` ("Vehicles > Electric Scooters"), creating the levels that do not exist under the
    deepest one that does. A new level is named as written (also under `language` when that is not English),
    gets a unique slug and its parent's sector (`sector`, or consumer goods, at the top). `categories`: the
    categories already loaded (new ones are appended). Returns (category, the categories created)."""
    categories = categories if categories is not None else list(Category.objects.all())
    found, missing = category_path_find(path=path, categories=categories)
    if found is None and not missing:
        raise ValidationError(_("A category path is needed."))
    if sector is not None and sector not in Sector.values:
        raise ValidationError(_("Unknown sector %(sector)s.") % {"sector": sector})
    created = []
    taken = {c.slug for c in categories}
    for part in missing:
        if len(part) > 120:
            raise ValidationError(_("A category name is at most 120 characters: %(name)s") % {"name": part[:40]})
        base = (slugify(part) or (f"{found.slug}-sub" if found else "category"))[:90]
        slug, n = base, 1
        while slug in taken or Category.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        found = Category.objects.create(
            parent=found,
            slug=slug,
            name=part,
            names={language: part} if language != "en" else {},
            sector=found.sector if found else (sector or Sector.CONSUMER),
        )
        taken.add(slug)
        categories.append(found)
        created.append(found)
    assert found is not None  # a path with no parts was refused above
    return found, created
