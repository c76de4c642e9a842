"""The offline rules that do the optimizer's job without a model: title, description, keywords and glossary
translations assembled from the seller's facts. Deterministic; never invents a value."""

from __future__ import annotations

import re

from core.languages import CJK
from marketplace.quality import TITLE_MAX, TITLE_MIN

from . import glossary
from .extraction import DIMENSIONS_RE, MATERIAL_PATTERNS, QUANTITY_RE, Extracted, extract, normalize_existing
from .guards import understand
from .sanitize import SPAM_RE
from .schema import (
    KEYWORDS_MAX_CHARS,
    MAX_KEYWORDS,
    DescriptionSections,
    ListingInput,
    ListingOptimization,
    SuggestedTranslation,
    Understood,
    target_languages,
)
from .vocabulary import Template, match_template, noun_confirmed, tokens

# --- assembling title, description, keywords, translations --------------------------------------------------------


def _spec(attribute_value: str, unit: str) -> str:
    if not unit:
        return attribute_value
    joiner = "" if unit in {"%", "°C", "°F"} and " to " not in attribute_value else " "
    return f"{attribute_value}{joiner}{unit}"


TITLE_SPEC_PRIORITY = [
    "Voltage",
    "Rated Voltage",
    "Power",
    "Motor Power",
    "Rated Power",
    "Capacity",
    "Battery Capacity",
    "Energy Capacity",
    "Max Torque",
    "Diameter",
    "Size",
    "Max Flow",
    "Cooling Capacity",
    "Luminous Flux",
]


def _title_specs(attributes: list[tuple[str, str, str]], template: Template | None) -> list[str]:
    preferred = [name for name, _unit in (template.attribute_names if template else ())] + TITLE_SPEC_PRIORITY
    by_name = {name: (value, unit) for name, value, unit in attributes}
    specs = []
    for name in preferred:
        if name in by_name and name != "Material":
            value, unit = by_name[name]
            if unit and unit not in {"h", "%", "K", "°C", "°F"} and " to " not in value and len(value) <= 12:
                spec = _spec(value, unit)
                if spec not in specs:
                    specs.append(spec)
        if len(specs) == 2:
            break
    return specs


def seller_noun(understood: Understood) -> str:
    """The seller's title without the quantities and materials the assembled title shows separately."""
    text = QUANTITY_RE.sub(" ", understood.title)
    text = DIMENSIONS_RE.sub(" ", text)
    for pattern, _canonical in MATERIAL_PATTERNS[:5]:
        text = re.sub(pattern, " ", text, flags=re.I)
    text = re.sub(r"\s+", " ", re.sub(r"\s[-–,/|]+(?=\s|$)", " ", text)).strip(" -–,/|")
    words = [
        w if any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) else w[:1].upper() + w[1:]
        for w in text.split()
    ]
    return " ".join(words) or understood.title


def _noun(template: Template | None, understood: Understood, language: str, confirmed: bool) -> str:
    if confirmed and template.noun.get(language):
        return template.noun[language]
    return seller_noun(understood)


def _dedupe_words(title: str) -> str:
    seen, out = set(), []
    for word in title.split():
        key = word.lower().strip(",–-")
        if key and key in seen and not any(c.isdigit() for c in key):
            continue
        seen.add(key)
        out.append(word)
    return " ".join(out)


def assemble_title(
    listing: ListingInput,
    understood: Understood,
    template: Template | None,
    attributes: list[tuple[str, str, str]],
    extracted: Extracted,
    confirmed: bool,
) -> str:
    """[specs] [material] [product name] – [features] ([model]): facts only, no stuffing, within length limits."""
    noun = _noun(template, understood, listing.language, confirmed)
    specs = _title_specs(attributes, template)
    material = next((value for name, value, _u in attributes if name == "Material"), "")
    material = material.split(" / ")[0]
    if material and tokens(material) <= tokens(noun):
        material = ""
    head = " ".join(part for part in [*specs, material, noun] if part)
    extras = [f for f in extracted.features if not tokens(f) <= tokens(head)][:2]
    customization = {"logo": "Custom Logo", "oem": "OEM", "odm": "ODM"}
    fillers = [customization[c] for c in ("logo", "oem", "odm") if c in listing.customization]
    candidates = [
        (head, extras, extracted.model_number),
        (head, extras[:1], extracted.model_number),
        (" ".join(part for part in [*specs[:1], material, noun] if part), extras[:1], ""),
        (noun, [], ""),
    ]
    for base, feats, model in candidates:
        title = _dedupe_words(base)
        if feats:
            title += " – " + ", ".join(feats)
        if model and model.lower() not in title.lower():
            title += f", Model {model}"
        for filler in fillers:
            if len(title) >= TITLE_MIN:
                break
            title += (", " if " – " in title else " – ") + filler
        if len(title) <= TITLE_MAX:
            return title
    return noun[:TITLE_MAX].rsplit(" ", 1)[0]


def _customization_lines(listing: ListingInput) -> list[str]:
    labels = {
        "logo": "Custom logo",
        "packaging": "Custom packaging",
        "color": "Custom color",
        "oem": "OEM",
        "odm": "ODM",
    }
    lines = [labels[c] for c in ("logo", "packaging", "color", "oem", "odm") if c in listing.customization]
    if listing.samples_available:
        lines.append("Samples available")
    return lines


def _shipping_lines(listing: ListingInput) -> list[str]:
    lines = [f"MOQ: {listing.moq} {listing.unit.replace('_', ' ')}"]
    if listing.lead_time_days:
        lines.append(f"Lead time: {listing.lead_time_days} days")
    return lines


# The sections render_description writes, in order, with the headings sellers use for the same thing. A section the
# seller's own text already has is merged into ours (its lines kept unless ours already say it), never repeated.
SECTION_ORDER = ["Key features", "Specifications", "Customization", "Packaging and shipping", "Certifications"]
SECTION_ALIASES = {
    "Key features": [
        "key features",
        "features",
        "feature",
        "main features",
        "product features",
        "highlights",
        "advantages",
        "selling points",
        "benefits",
        "why choose us",
        "product advantages",
    ],
    "Specifications": [
        "specifications",
        "specification",
        "specs",
        "spec",
        "technical data",
        "technical specifications",
        "technical specification",
        "technical parameters",
        "parameters",
        "parameter",
        "product parameters",
        "product specifications",
        "product details",
        "details",
        "tech specs",
        "technical details",
    ],
    "Customization": [
        "customization",
        "customisation",
        "customization options",
        "custom options",
        "customized service",
        "oem/odm",
        "oem & odm",
        "oem and odm",
        "oem",
        "odm",
    ],
    "Packaging and shipping": [
        "packaging and shipping",
        "packaging & shipping",
        "packing and shipping",
        "packing & shipping",
        "packaging and delivery",
        "packing and delivery",
        "packing & delivery",
        "shipping and delivery",
        "packaging",
        "packing",
        "package",
        "shipping",
        "delivery",
        "logistics",
    ],
    "Certifications": ["certifications", "certification", "certificates", "certificate", "compliance"],
}
# "Key: value" lines outside any heading that belong to one of our sections.
LINE_KEY_SECTIONS = {
    "moq": "Packaging and shipping",
    "lead time": "Packaging and shipping",
    "port": "Packaging and shipping",
    "samples": "Customization",
    "sample": "Customization",
}
LINE_KEY_ALIASES = {
    "minimum order": "moq",
    "min order": "moq",
    "min. order": "moq",
    "minimum order quantity": "moq",
    "min. order quantity": "moq",
    "delivery time": "lead time",
    "production time": "lead time",
}
BULLET_RE = re.compile(r"^\s*(?:[-•*·▪●◦‣–]|\d{1,2}[.)])\s+")
HEADING_RE = re.compile(r"^\s*[#*=_]*\s*(?P<name>[^:：\n]{2,40}?)\s*[*=_]*\s*(?:(?P<colon>[:：])\s*(?P<rest>.*))?$")
LINE_KEY_RE = re.compile(r"^(?P<key>[^:：\n]{1,40})[:：]\s*(?P<value>.+)$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip(" #*=_-:：").lower())


def _heading(line: str, language: str) -> tuple[str | None, str]:
    """(our section, the rest of the line) when the line is one of the seller's section headings."""
    match = HEADING_RE.match(line)
    if not match:
        return None, ""
    name = _norm(match.group("name"))
    for section in SECTION_ORDER:
        local = glossary.HEADINGS.get(section, {}).get(language, "")
        if name in SECTION_ALIASES[section] or (local and name == local.lower()):
            return section, (match.group("rest") or "").strip()
    return None, ""


def _line_key(line: str) -> str | None:
    match = LINE_KEY_RE.match(BULLET_RE.sub("", line).strip())
    if not match:
        return None
    key = _norm(match.group("key"))
    return LINE_KEY_ALIASES.get(key, key)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 1 or w.isdigit()}


def split_sections(text: str, language: str, attribute_names: set[str]) -> tuple[str, dict[str, list[str]]]:
    """The seller's text without the sections we write ourselves, and those sections' lines by our heading.

    A heading ("Specifications:", "## Technical data", "PACKING") takes the lines under it (a blank line ends it
    unless a list continues); a block made only of "Key: value" lines naming our facts (MOQ, lead time, a
    specification we list) goes to the matching section too. Everything else stays where it was."""
    lines = text.split("\n")
    kept: list[str] = []
    found: dict[str, list[str]] = {}
    i = 0
    while i < len(lines):
        section, rest = _heading(lines[i], language)
        if section is None:
            kept.append(lines[i])
            i += 1
            continue
        items = found.setdefault(section, [])
        if rest:
            items.append(rest)
        i += 1
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                following = next((x for x in lines[i + 1 :] if x.strip()), "")
                if BULLET_RE.match(following) and _heading(following, language)[0] is None:
                    i += 1
                    continue
                break
            if _heading(line, language)[0] is not None:
                break
            items.append(line.strip())
            i += 1
    # Blocks of bare "Key: value" lines about our own facts.
    blocks, block = [], []
    for line in [*kept, ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            blocks.append(block)
        block = []
    prose = []
    for block in blocks:
        keys = [_line_key(line) for line in block]
        if all(keys):
            rest = []
            for line, key in zip(block, keys, strict=True):
                section = LINE_KEY_SECTIONS.get(key) or ("Specifications" if key in attribute_names else None)
                if section:
                    found.setdefault(section, []).append(line.strip())
                else:
                    rest.append(line)
            block = rest
        if block:
            prose.append("\n".join(block).strip())
    return "\n\n".join(p for p in prose if p), found


def _merge(ours: list[str], theirs: list[str]) -> list[str]:
    """Our lines, then the seller's lines that say something ours do not (by key, then by words)."""
    out = list(ours)
    keys = {key for key in map(_line_key, out) if key}
    words = set().union(*(_words(line) for line in out)) if out else set()
    for item in theirs:
        item = BULLET_RE.sub("", item).strip()
        if not item:
            continue
        key, item_words = _line_key(item), _words(item)
        if (key and key in keys) or (item_words and item_words <= words) or item in out:
            continue
        out.append(item)
        if key:
            keys.add(key)
        words |= item_words
    return out


def render_description(
    sections: DescriptionSections,
    attributes: list[tuple[str, str, str]],
    certifications: list[str],
    language: str = "en",
) -> str:
    """Plain text with headed sections; the product page renders it with line breaks.

    The overview is the seller's text rewritten around our sections: a section it already has (its own
    "Specifications" list, a "Packing:" line, "Minimum order: ...") is merged into ours, not repeated below it."""

    def heading(text):
        return glossary.HEADINGS.get(text, {}).get(language, text) if language != "en" else text

    attribute_names = {name.lower() for name, _v, _u in attributes}
    overview, theirs = split_sections(sections.overview.strip(), language, attribute_names)
    flat_overview = re.sub(r"\s+", " ", overview.lower())

    def fresh(lines):
        # A sentence of the seller's that stays in the overview is not repeated as a bullet.
        return [
            line for line in lines if len(line.split()) < 4 or re.sub(r"\s+", " ", line.lower()) not in flat_overview
        ]

    ours = {
        "Key features": fresh(sections.selling_points),
        "Specifications": [f"{name}: {_spec(value, unit)}" for name, value, unit in attributes],
        "Customization": fresh(sections.customization),
        "Packaging and shipping": fresh(sections.packaging_and_shipping),
        "Certifications": list(certifications),
    }
    blocks = [overview] if overview else []
    for section in SECTION_ORDER:
        lines = _merge(ours[section], theirs.get(section, []))
        if lines:
            blocks.append(heading(section) + "\n" + "\n".join(f"• {line}" for line in lines))
    return "\n\n".join(blocks)


def _keywords(
    listing: ListingInput,
    understood: Understood,
    template: Template | None,
    attributes: list[tuple[str, str, str]],
    extracted: Extracted,
    confirmed: bool,
) -> list[str]:
    noun = template.noun.get("en", "") if confirmed else seller_noun(understood)
    noun_lower = noun.lower() if len(noun) <= 40 else ""
    head = noun_lower.split()[-1] if noun_lower else ""
    candidates = list(understood.keywords)
    if template:
        candidates += [k.lower() for k in template.keywords]
    if noun_lower:
        candidates.append(noun_lower)
        for material in extracted.materials[:1]:
            short = material.lower()
            if not tokens(short) <= tokens(noun_lower):
                candidates.append(f"{short} {head}")
        for spec in _title_specs(attributes, template)[:1]:
            candidates.append(f"{spec.lower()} {head}")
        for feature in extracted.features[:2]:
            candidates.append(f"{feature.lower()} {head}")
        if "logo" in listing.customization:
            candidates.append(f"custom logo {noun_lower}")
        if "oem" in listing.customization:
            candidates.append(f"oem {noun_lower}")
        candidates.append(f"wholesale {noun_lower}")
        if listing.supplier_is_factory:
            candidates.append(f"{noun_lower} manufacturer")
    category = listing.category_names.get("en", "")
    if category:
        candidates.append(category.lower())
    out, total = [], 0
    for keyword in candidates:
        keyword = re.sub(r"\s+", " ", keyword).strip(" ,.")
        if not keyword or keyword in out or len(keyword) > 60 or SPAM_RE.search(keyword):
            continue
        if total + len(keyword) + 2 > KEYWORDS_MAX_CHARS or len(out) >= MAX_KEYWORDS:
            break
        out.append(keyword)
        total += len(keyword) + 2
    return out


def _term(table: dict, english: str, language: str) -> str | None:
    if language == "en":
        return english
    entry = table.get(english)
    return entry.get(language) if entry else None


def _translate_material(material: str, language: str) -> str | None:
    if material in glossary.MATERIAL_CODES:
        return material
    grade = re.match(r"^(\S+) (Stainless Steel)$", material)
    if grade:
        base = _term(glossary.MATERIALS, grade.group(2), language)
        return f"{grade.group(1)} {base}".replace(" ", "" if language in CJK else " ") if base else None
    return _term(glossary.MATERIALS, material, language)


def translate_listing(
    listing: ListingInput,
    understood: Understood,
    template: Template | None,
    attributes: list[tuple[str, str, str]],
    extracted: Extracted,
    language: str,
    confirmed: bool,
) -> SuggestedTranslation | None:
    """Glossary translation: product and category names, spec names, materials, features and fixed phrases.

    The seller's own sentences are not translated offline; a model does that when one is configured.
    """
    category = listing.category_names.get(language)
    noun = template.noun.get(language) if confirmed else None
    if not noun and not category:
        return None
    name = noun or f"{category}: {seller_noun(understood)}"
    specs = _title_specs(attributes, template)
    material = next((v for n, v, _u in attributes if n == "Material"), "").split(" / ")[0]
    material_local = _translate_material(material, language) if material else None
    features = [t for t in (_term(glossary.FEATURES, f, language) for f in extracted.features[:2]) if t]
    separator = "、" if language in CJK else ", "
    parts = [name, *specs]
    if material_local and material_local.lower() not in name.lower():
        parts.append(material_local)
    parts += features
    title = separator.join(parts)
    if len(title) > TITLE_MAX:
        title = separator.join([name, *specs])[:TITLE_MAX]

    spec_lines = []
    for attr_name, value, unit in attributes:
        local_name = _term(glossary.ATTRIBUTE_NAMES, attr_name, language)
        if not local_name:
            continue  # an untranslated label reads worse than a shorter table
        if attr_name == "Material":
            translated = [_translate_material(m, language) for m in value.split(" / ")]
            if not all(translated):
                continue
            value = " / ".join(translated)
        spec_lines.append((local_name, value, unit))

    def phrase(key, **values):
        return (_term(glossary.PHRASES, key, language) or key).format(**values)

    unit_label = _term(glossary.UNITS, listing.unit, language) or listing.unit
    customization = [phrase(line) for line in _customization_lines(listing)]
    shipping = [phrase("MOQ: {moq} {unit}", moq=listing.moq, unit=unit_label)]
    if listing.lead_time_days:
        shipping.append(phrase("Lead time: {days} days", days=listing.lead_time_days))
    sections = DescriptionSections(
        overview=title,
        selling_points=features,
        customization=customization,
        packaging_and_shipping=shipping,
    )
    description = render_description(sections, spec_lines, listing.certifications, language)
    keywords = [
        k
        for k in [
            noun,
            category,
            material_local and f"{material_local} {noun}" if noun else None,
            noun and f"{noun} {phrase('wholesale')}",
        ]
        if k
    ]
    return SuggestedTranslation(
        language=language,
        title=title,
        description=description,
        keywords=list(dict.fromkeys(k.lower() for k in keywords))[:MAX_KEYWORDS],
    )


def optimize_offline(listing: ListingInput) -> ListingOptimization:
    """The rules: clean, extract, assemble, translate by glossary. Deterministic; never invents a value."""
    understood = understand(listing)
    template = match_template(listing, understood)
    confirmed = noun_confirmed(template, listing, understood)
    extracted = extract(understood.description, understood.title, listing.attributes, template)
    normalized, normalize_flags = normalize_existing(listing.attributes)
    flags = understood.flags + extracted.flags + normalize_flags
    suggested = normalized + extracted.attributes
    replaced = {a.replaces.lower() for a in normalized}
    combined = [(n, v, u) for n, v, u in listing.attributes if n.lower() not in replaced]
    combined += [(a.name, a.value, a.unit) for a in suggested]

    title = assemble_title(listing, understood, template, combined, extracted, confirmed)
    if not confirmed:
        flags.append(
            "The product name was not found in the catalog vocabulary, so the title keeps your own "
            "product name and translations name the category instead."
        )
    overview = understood.description
    if not overview:
        # Facts only: what the structured fields and the extraction established.
        material = next((v for n, v, _u in combined if n == "Material"), "")
        noun = _noun(template, understood, listing.language, confirmed)
        overview = f"{noun}{f' made of {material}' if material else ''}."
    unlinked = [
        c
        for c in extracted.certifications_mentioned
        if not any(c.replace(" ", "").lower() in linked.replace(" ", "").lower() for linked in listing.certifications)
    ]
    if unlinked:
        flags.append(
            f"The text mentions {', '.join(unlinked)}, but no such certificate is linked to this product; it is "
            "not listed under Certifications until you link the certificate."
        )
    sections = DescriptionSections(
        overview=overview,
        selling_points=extracted.features,
        customization=_customization_lines(listing),
        packaging_and_shipping=_shipping_lines(listing) + extracted.packaging_notes,
    )
    translations = []
    for language in target_languages(listing):
        translation = translate_listing(listing, understood, template, combined, extracted, language, confirmed)
        if translation:
            translations.append(translation)
    if translations:
        flags.append(
            "Translations are glossary-based: product names, specifications and fixed phrases are "
            "translated; your own sentences are not. Review them before applying."
        )
    return ListingOptimization(
        title=title,
        description=sections,
        attributes=suggested,
        keywords=_keywords(listing, understood, template, combined, extracted, confirmed),
        translations=translations,
        flags=list(dict.fromkeys(flags)),
    )
