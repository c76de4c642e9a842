"""Listing quality: a 0–100 score with the reasons, from what a buyer needs to decide.

Deterministic and cheap, so it runs on every save; the AI listing optimizer reports it before and after.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

TITLE_MIN, TITLE_MAX = 25, 128
DESCRIPTION_MIN = 150


@dataclass
class QualityReport:
    score: int = 0
    missing: list[str] = field(default_factory=list)


def listing_quality(
    *, title, description, keywords, attribute_count, tier_count, image_count, translation_count, certification_count
) -> QualityReport:
    """Each check is worth points; a failed check says what to add."""
    checks = [
        (
            20,
            TITLE_MIN <= len(title.strip()) <= TITLE_MAX,
            _("Title should be %(min)d–%(max)d characters with material, key spec and use.")
            % {"min": TITLE_MIN, "max": TITLE_MAX},
        ),
        (
            15,
            len(description.strip()) >= DESCRIPTION_MIN,
            _("Description should have at least %(n)d characters.") % {"n": DESCRIPTION_MIN},
        ),
        (15, attribute_count >= 3, _("Add at least 3 specifications (attributes).")),
        (10, len([k for k in keywords.split(",") if k.strip()]) >= 3, _("Add at least 3 search keywords.")),
        (10, tier_count >= 2, _("Add volume price tiers (at least 2).")),
        (10, image_count >= 1, _("Add at least one product photo.")),
        (15, translation_count >= 3, _("Add translations for at least 3 buyer languages.")),
        (5, certification_count >= 1, _("Link the certificates that cover this product.")),
    ]
    report = QualityReport()
    for points, passed, advice in checks:
        if passed:
            report.score += points
        else:
            report.missing.append(advice)
    return report
