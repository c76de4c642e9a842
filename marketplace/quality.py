"""Listing quality: a 0–100 score with the reasons, from what a buyer needs to decide.

Deterministic and cheap, so it runs on every save; the AI listing optimizer reports it before and after.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

TITLE_MIN, TITLE_MAX = 25, 128
DESCRIPTION_MIN = 150
# Promotional filler buyers skip and search demotes (kept here: quality is imported by the optimizer, not the reverse).
PROMO_RE = re.compile(
    r"\b(hot[\s-]*sale|best[\s-]*(price|quality|seller|selling)|cheap(est)?|lowest price|top quality|free shipping"
    r"|high quality|good quality|new arrival|brand new|big discount|promotion)\b|[!?]{2,}",
    re.I,
)


def title_problems(title: str) -> list[str]:
    """What makes a title hard to read: shouting, a word stuffed in again and again, promotional filler."""
    problems = []
    letters = [c for c in title if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        problems.append("caps")
    words = Counter(w for w in re.findall(r"[^\W\d_]{3,}", title.lower()))
    if words and max(words.values()) >= 3:
        problems.append("stuffed")
    if PROMO_RE.search(title):
        problems.append("promo")
    return problems


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
            10,
            TITLE_MIN <= len(title.strip()) <= TITLE_MAX,
            _("Title should be %(min)d–%(max)d characters with material, key spec and use.")
            % {"min": TITLE_MIN, "max": TITLE_MAX},
        ),
        (
            10,
            bool(title.strip()) and not title_problems(title),
            _("Title should read plainly: no ALL CAPS, no word repeated for search, no promotional words."),
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
