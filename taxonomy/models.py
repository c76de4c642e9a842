"""The category tree, with names in every buyer language. Products, capacities and leaderboards point here."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.languages import base_language, language_codes


class Sector(models.TextChoices):
    CONSUMER = "consumer", _("Consumer goods")
    INDUSTRIAL = "industrial", _("Industrial")


class Category(models.Model):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    names = models.JSONField(
        _("names by language"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"zh-hans": "电动工具", "de": "Elektrowerkzeuge"}'),
    )
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        # Created by marketplace's first migration; the model moved here without touching the table.
        db_table = "marketplace_category"
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="category_sector_valid"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="category_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("marketplace:category_detail", args=[self.slug])

    def localized_name(self, language=None):
        language = base_language(language or get_language())
        return self.names.get(language) or self.name

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        unknown = set(self.names or {}) - set(language_codes())
        if unknown:
            codes = ", ".join(sorted(unknown))
            raise ValidationError({"names": _("Unknown language codes: %(codes)s") % {"codes": codes}})
