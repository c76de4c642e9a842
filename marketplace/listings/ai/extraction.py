"""Specifications found in the seller's words: units and ranges normalized, materials, features, certificate
mentions, model numbers, packaging notes; and the plausibility check every number passes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import glossary
from .sanitize import SENTENCE_SPLIT_RE, has_injection
from .schema import SuggestedAttribute
from .vocabulary import Template

# --- attributes: extraction, units, ranges, plausibility ---------------------------------------------------------

NUM = r"[-−–+]?\d+(?:[.,]\d+)?"
# (canonical unit, regex of spellings) — longest first so "mAh" wins over "Ah", "kW" over "W".
UNIT_SPELLINGS = [
    ("m³/h", r"m3/h|m³/h|cbm/h"),
    ("L/min", r"l/min|lpm"),
    ("km/h", r"km/h|kmh"),
    ("g/m²", r"g/m2|g/m²|gsm"),
    ("mm²", r"mm2|mm²|sq\.?\s?mm"),
    ("°C", r"°\s?c|℃|deg(?:rees?)?\s?c(?:elsius)?|celsius"),
    ("°F", r"°\s?f|℉|fahrenheit"),
    ("mAh", r"mah"),
    ("kWh", r"kwh"),
    ("Wh", r"wh"),
    ("Ah", r"ah"),
    ("kW", r"kw"),
    ("W", r"w|watts?"),
    ("kV", r"kv"),
    ("V", r"v|volts?|vac|vdc"),
    ("kA", r"ka"),
    ("mA", r"ma"),
    ("A", r"a|amps?"),
    ("N·m", r"n\s?[·.\-]?\s?m"),
    ("rpm", r"rpm|r/min"),
    ("MPa", r"mpa"),
    ("kPa", r"kpa"),
    ("bar", r"bar"),
    ("psi", r"psi"),
    ("Hz", r"hz"),
    ("dB", r"db"),
    ("lm", r"lm|lumens?"),
    ("K", r"k"),
    ("mm", r"mm"),
    ("cm", r"cm"),
    ("inch", r"inch(?:es)?|\""),
    ("m", r"m|meters?|metres?"),
    ("kg", r"kg|kgs"),
    ("g", r"g|grams?"),
    ("t", r"tons?|t"),
    ("ml", r"ml"),
    ("L", r"l|liters?|litres?"),
    ("h", r"h|hrs?|hours?"),
    ("%", r"%"),
]
UNIT_RE = "|".join(f"(?P<u{i}>{spelling})" for i, (_unit, spelling) in enumerate(UNIT_SPELLINGS))
RANGE_SEP = r"\s*(?:to|~|～|–|—|-|\.\.|bis|à|a|до|a|至)\s*"
QUANTITY_RE = re.compile(
    rf"(?<![\w.])(?P<lo>{NUM})\s*(?:(?:°\s?[cf]|℃|℉)\s*)?(?:{RANGE_SEP}(?P<hi>{NUM}))?\s*(?:{UNIT_RE})(?![\w/²³])",
    re.I,
)
DIMENSIONS_RE = re.compile(
    rf"(?P<a>{NUM})\s*[x×*]\s*(?P<b>{NUM})(?:\s*[x×*]\s*(?P<c>{NUM}))?\s*(?P<unit>mm|cm|m|inch(?:es)?)\b", re.I
)
IP_RE = re.compile(r"\bIP\s?(?P<solid>[0-6X])(?P<liquid>[0-9X])(?P<extra>K)?\b", re.I)
KEY_VALUE_RE = re.compile(r"(?P<key>[A-Za-z][A-Za-z .&/()-]{1,40}?)\s*[:：=]\s*(?P<value>[^,;|\n]{1,120})")

# Words before a number that name the attribute. Longer phrases first.
ATTRIBUTE_SYNONYMS = {
    "operating temperature": "Operating Temperature",
    "working temperature": "Operating Temperature",
    "operating temp": "Operating Temperature",
    "working temp": "Operating Temperature",
    "temperature range": "Temperature Range",
    "temp range": "Temperature Range",
    "temperature": "Temperature",
    "temp": "Temperature",
    "battery capacity": "Battery Capacity",
    "battery": "Battery Capacity",
    "rated voltage": "Rated Voltage",
    "voltage": "Voltage",
    "rated power": "Rated Power",
    "motor power": "Motor Power",
    "output power": "Power",
    "wattage": "Power",
    "power": "Power",
    "net weight": "Net Weight",
    "n.w": "Net Weight",
    "weight": "Weight",
    "capacity": "Capacity",
    "volume": "Capacity",
    "dimensions": "Dimensions",
    "dimension": "Dimensions",
    "size": "Size",
    "length": "Length",
    "width": "Width",
    "height": "Height",
    "thickness": "Thickness",
    "diameter": "Diameter",
    "dia": "Diameter",
    "max torque": "Max Torque",
    "torque": "Max Torque",
    "no-load speed": "No-load Speed",
    "no load speed": "No-load Speed",
    "speed": "Speed",
    "pressure": "Pressure",
    "frequency": "Frequency",
    "current": "Current",
    "waterproof": "Ingress Protection",
    "ip rating": "Ingress Protection",
    "protection": "Ingress Protection",
    "keep warm": "Heat Retention",
    "keeps warm": "Heat Retention",
    "heat retention": "Heat Retention",
    "keep hot": "Heat Retention",
    "model no": "Model Number",
    "model number": "Model Number",
    "model": "Model Number",
    "item no": "Model Number",
    "brand": "Brand",
    "warranty": "Warranty",
    "flow rate": "Flow Rate",
    "max flow": "Max Flow",
    "flow": "Flow Rate",
    "max head": "Max Head",
    "head": "Max Head",
    "luminous flux": "Luminous Flux",
    "brightness": "Luminous Flux",
    "color temperature": "Color Temperature",
    "cct": "Color Temperature",
    "noise": "Noise Level",
    "material": "Material",
    "materials": "Material",
    "body material": "Material",
    "color": "Color",
    "colour": "Color",
    "colors": "Color",
    "finish": "Finish",
    "coating": "Coating",
    "gsm": "Fabric Weight",
    "fabric weight": "Fabric Weight",
    "origin": "Place of Origin",
    "place of origin": "Place of Origin",
}
# When no words name a quantity, its unit may; ambiguous units (mm, m, h, %) need words.
UNIT_DEFAULT_NAMES = {
    "V": "Voltage",
    "kV": "Voltage",
    "W": "Power",
    "kW": "Power",
    "mAh": "Battery Capacity",
    "Ah": "Battery Capacity",
    "Wh": "Energy Capacity",
    "kWh": "Energy Capacity",
    "ml": "Capacity",
    "L": "Capacity",
    "kg": "Weight",
    "g": "Weight",
    "rpm": "Speed",
    "N·m": "Max Torque",
    "bar": "Pressure",
    "psi": "Pressure",
    "MPa": "Pressure",
    "kPa": "Pressure",
    "Hz": "Frequency",
    "dB": "Noise Level",
    "lm": "Luminous Flux",
    "K": "Color Temperature",
    "A": "Current",
    "mA": "Current",
    "kA": "Current",
    "mm²": "Cross Section",
    "g/m²": "Fabric Weight",
    "m³/h": "Flow Rate",
    "L/min": "Flow Rate",
    "°C": "Temperature",
    "°F": "Temperature",
}
# Keys that are not product specifications (ordering terms live in structured fields; greetings are not specs).
NON_SPEC_KEYS = {
    "customization",
    "customisation",
    "customized",
    "oem",
    "odm",
    "note",
    "notes",
    "tips",
    "hello",
    "hi",
    "dear",
    "attention",
    "welcome",
    "http",
    "https",
    "email",
    "e-mail",
    "tel",
    "phone",
    "mobile",
    "whatsapp",
    "wechat",
    "skype",
    "contact",
    "price",
    "fob price",
    "unit price",
    "moq",
    "min order",
    "minimum order",
    "lead time",
    "delivery",
    "delivery time",
    "payment",
    "payment terms",
    "shipping",
    "port",
    "sample",
    "samples",
    "packing",
    "packaging",
    "package",
    "certificate",
    "certificates",
    "certification",
    "feature",
    "features",
    "application",
    "applications",
    "usage",
    "description",
    "title",
    "keywords",
    "item",
    "product",
    "product name",
    "name",
    "supply ability",
    "trade terms",
    "incoterms",
    "incoterm",
}
# Plausible (low, high) per canonical unit; outside means a typo or junk, never a spec to publish.
PLAUSIBLE = {
    "°C": (-273, 3000),
    "°F": (-459, 5400),
    "V": (0.1, 1_000_000),
    "kV": (0.01, 1500),
    "W": (0.01, 10_000_000),
    "kW": (0.001, 1_000_000),
    "mAh": (10, 10_000_000),
    "Ah": (0.1, 100_000),
    "Wh": (0.1, 10_000_000),
    "kWh": (0.01, 1_000_000),
    "mm": (0.001, 1_000_000),
    "cm": (0.01, 100_000),
    "m": (0.001, 100_000),
    "inch": (0.01, 10_000),
    "kg": (0.0001, 1_000_000),
    "g": (0.01, 10_000_000),
    "t": (0.001, 100_000),
    "ml": (1, 10_000_000),
    "L": (0.01, 1_000_000),
    "rpm": (1, 500_000),
    "N·m": (0.01, 1_000_000),
    "bar": (0.001, 10_000),
    "psi": (0.01, 150_000),
    "MPa": (0.001, 1000),
    "kPa": (0.01, 1_000_000),
    "Hz": (0.001, 100_000_000_000),
    "dB": (0, 200),
    "lm": (1, 10_000_000),
    "K": (1000, 12000),
    "A": (0.001, 200_000),
    "mA": (0.01, 100_000),
    "kA": (0.01, 300),
    "mm²": (0.01, 10_000),
    "g/m²": (5, 5000),
    "m³/h": (0.001, 100_000),
    "L/min": (0.01, 1_000_000),
    "km/h": (0.1, 1000),
    "h": (0.01, 1_000_000),
    "%": (0, 100),
}
MATERIAL_PATTERNS = [
    (r"\b(18/10|18/8|201|304|316L?|430)\s*stainless\s*steel\b", None),
    (r"\bstainless\s*steel\b", "Stainless Steel"),
    (r"\bcarbon\s*steel\b", "Carbon Steel"),
    (r"\bcr-?v\s*steel\b|\bchrome[\s-]vanadium\b", "Cr-V Steel"),
    (r"\balumin(?:i)?um\s*alloy\b", "Aluminum Alloy"),
    (r"\b(die-?cast|forged)?\s*alumin(?:i)?um\b", "Aluminum"),
    (r"\bcast\s*iron\b", "Cast Iron"),
    (r"\bbrass\b", "Brass"),
    (r"\bcopper\b", "Copper"),
    (r"\b(high\s*)?borosilicate(\s*glass)?\b", "Borosilicate Glass"),
    (r"\btempered\s*glass\b", "Tempered Glass"),
    (r"\bglass\b", "Glass"),
    (r"\bceramics?\b|\bstoneware\b", "Ceramic"),
    (r"\bporcelain\b", "Porcelain"),
    (r"\bbamboo\b", "Bamboo"),
    (r"\b(solid\s*)?wood(en)?\b", "Wood"),
    (r"\bsilicone\b", "Silicone"),
    (r"\bnylon\b", "Nylon"),
    (r"\bpolyester\b", "Polyester"),
    (r"\bcotton\b", "Cotton"),
    (r"\blinen\b", "Linen"),
    (r"\bpu\s*leather\b", "PU Leather"),
    (r"\b(genuine\s*)?leather\b", "Leather"),
    (r"\brubber\b", "Rubber"),
]
MATERIAL_CODE_RE = re.compile(r"(?<![\w-])(" + "|".join(glossary.MATERIAL_CODES) + r")(?![\w-])")  # case-sensitive
FEATURE_PATTERNS = {
    "Leak-proof": r"\bleak[\s-]?(proof|free)\b",
    "BPA-free": r"\bbpa[\s-]?free\b",
    "Waterproof": r"\bwater[\s-]?proof\b",
    "Brushless": r"\bbrushless\b",
    "Cordless": r"\bcordless\b",
    "Rechargeable": r"\brechargeable\b",
    "Foldable": r"\b(foldable|folding)\b",
    "Portable": r"\bportable\b",
    "Wireless": r"\bwireless\b",
    "Dishwasher Safe": r"\bdishwasher[\s-]?safe\b",
    "Microwave Safe": r"\bmicrowave[\s-]?safe\b",
    "Food Grade": r"\bfood[\s-]?grade\b",
    "Energy-saving": r"\benergy[\s-]?saving\b",
    "Double Wall": r"\bdouble[\s-]?wall(ed)?\b",
    "Stackable": r"\bstackable\b",
}
# "Customization: logo, packaging" names custom packaging, not how the goods are packed.
CUSTOMIZATION_LINE_RE = re.compile(r"\s*[-•*]?\s*(custom\w*|oem|odm)\b", re.I)
PACKAGING_RE = re.compile(r"\b(pack(ed|ing|age|aging)|cartons?|pallets?|gift box|polybag|master box)\b", re.I)
CERT_CODES_RE = re.compile(
    r"\b(CE|FDA|LFGB|RoHS|REACH|UL|ETL|FCC|CB|GS|SGS|BSCI|ISO\s?9001|ISO\s?14001|TUV|TÜV|"
    r"CCC|UKCA|EN\s?\d{2,5}|ASTM|Oeko-?Tex|GOTS|FSC|EAC|SASO|PSE|KC)\b"
)


def parse_number(raw: str) -> float:
    raw = raw.replace("−", "-").replace("–", "-")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")  # 1,000 is a thousand, 2,5 is two and a half
    return float(raw.replace(",", "."))


def format_number(value: float) -> str:
    return f"{value:.6g}" if value != int(value) else str(int(value))


def _canonical_unit(match: re.Match) -> str:
    for i, (unit, _spelling) in enumerate(UNIT_SPELLINGS):
        if match.group(f"u{i}"):
            return unit
    return ""


def plausible(value: float, unit: str) -> bool:
    low, high = PLAUSIBLE.get(unit, (-1e12, 1e12))
    return low <= value <= high


def _name_before(text: str, start: int, template: Template | None, unit: str) -> str | None:
    """The attribute named by the words just before a number, e.g. "operating temperature" in "... from -30"."""
    window = text[max(0, start - 45) : start].lower()
    window = re.split(r"[.;,\n(]", window)[-1]
    if template:
        for name, _unit in sorted(template.attribute_names, key=lambda item: -len(item[0])):
            if name.lower() in window:
                return name
    for phrase in sorted(ATTRIBUTE_SYNONYMS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(phrase)}\b", window):
            return ATTRIBUTE_SYNONYMS[phrase]
    return None


def _template_name_for_unit(template: Template | None, unit: str) -> str | None:
    if not template:
        return None
    names = [name for name, template_unit in template.attribute_names if template_unit == unit]
    return names[0] if len(names) == 1 else None


@dataclass
class Extracted:
    attributes: list[SuggestedAttribute]
    flags: list[str]
    materials: list[str]
    features: list[str]
    certifications_mentioned: list[str]
    model_number: str
    packaging_notes: list[str]


def _quantity_attribute(match: re.Match, text: str, template: Template | None) -> tuple[str, str, str] | str | None:
    """(name, value, unit) for a quantity in text, a flag string when implausible, or None when unnamed."""
    unit = _canonical_unit(match)
    lo, hi = parse_number(match.group("lo")), match.group("hi")
    hi = parse_number(hi) if hi is not None else None
    evidence = match.group(0).strip()
    if (unit == "K" and lo < 1000) or (unit == "g" and re.search(r"\dG$", evidence)):
        return None  # 4K is a resolution and 5G a network, not a colour temperature or a weight
    if unit == "°C" and re.search(r"°\s?f|℉", evidence, re.I):
        unit = "°F"
    name = _name_before(text, match.start(), template, unit)
    if name is None:
        name = _template_name_for_unit(template, unit) or UNIT_DEFAULT_NAMES.get(unit)
        if name == "Temperature" and hi is not None:
            name = "Temperature Range"
    if name is None:
        return None
    for value in (lo, hi):
        if value is not None and not plausible(value, unit):
            return f"“{name}: {evidence}” looks implausible and was left out; please check the value."
    if hi is not None and hi < lo:
        lo, hi = hi, lo
    value = f"{format_number(lo)} to {format_number(hi)}" if hi is not None else format_number(lo)
    return name, value, unit


NOT_A_LABEL_WORDS = {
    "dear",
    "hello",
    "hi",
    "welcome",
    "we",
    "our",
    "you",
    "your",
    "please",
    "contact",
    "thanks",
    "thank",
    "i",
    "my",
    "us",
    "note",
    "attention",
}


def _key_value_attribute(key: str, value: str, template: Template | None) -> tuple[str, str, str] | str | None:
    key_clean = re.sub(r"\s+", " ", key.strip(" -•*.")).lower()
    if key_clean in NON_SPEC_KEYS or len(key_clean) < 2 or set(key_clean.split()) & NOT_A_LABEL_WORDS:
        return None
    name = None
    if template:
        name = next((n for n, _u in template.attribute_names if n.lower() == key_clean), None)
    name = name or ATTRIBUTE_SYNONYMS.get(key_clean)
    value = value.strip(" .")
    if not value or len(value) > 80 or has_injection(value):
        return None
    if name is None:
        # An unknown key is kept only when it reads like a spec label, not like a sentence fragment.
        if len(key_clean.split()) > 3 or not re.fullmatch(r"[a-z][a-z .&/-]+", key_clean) or len(value.split()) > 6:
            return None
        name = key_clean.title()
    if name == "Material":
        canonical = detect_materials(value)
        return name, " / ".join(canonical[:2]) if canonical else value[:1].upper() + value[1:], ""
    current = re.match(r"(?i)^(AC|DC)\s*(?=\d)", value)
    prefix = f"{current.group(1).upper()} " if current else ""
    value = value[current.end() :] if current else value
    quantity = QUANTITY_RE.fullmatch(value) or QUANTITY_RE.match(value)
    if quantity and quantity.end() >= len(value.rstrip()) - 2:
        unit = _canonical_unit(quantity)
        lo = parse_number(quantity.group("lo"))
        hi = parse_number(quantity.group("hi")) if quantity.group("hi") else None
        if not all(plausible(v, unit) for v in (lo, hi) if v is not None):
            return f"“{name}: {value}” looks implausible and was left out; please check the value."
        if hi is not None and hi < lo:
            lo, hi = hi, lo
        shown = f"{format_number(lo)} to {format_number(hi)}" if hi is not None else format_number(lo)
        return name, prefix + shown, unit
    if re.fullmatch(rf"{NUM}", value) and re.search(r"\d{7,}", value):
        return f"“{name}: {value}” looks implausible and was left out; please check the value."
    return name, value[:1].upper() + value[1:], ""


def detect_materials(text: str) -> list[str]:
    """Canonical material names in order of specificity ("304 Stainless Steel" hides "Stainless Steel")."""
    materials = []
    for pattern, canonical in MATERIAL_PATTERNS:
        for match in re.finditer(pattern, text, re.I):
            material = canonical or f"{match.group(1).upper()} Stainless Steel"
            covered = any(material.lower() in m.lower() or m.lower() in material.lower() for m in materials)
            if not covered:
                materials.append(material)
    for code in MATERIAL_CODE_RE.findall(text):
        if code not in materials:
            materials.append(code)
    return materials[:3]


def extract(text: str, title: str, existing: list[tuple[str, str, str]], template: Template | None) -> Extracted:
    """Specifications, materials, features and certificate mentions found in the seller's words."""
    existing_names = {name.strip().lower() for name, _v, _u in existing}
    found: dict[str, SuggestedAttribute] = {}
    flags: list[str] = []
    # "55 C" and "55 deg C" are Celsius when the C is a capital standing alone.
    source = re.sub(r"(\d)\s?(?:°|deg\.?|degrees?)?\s?C\b(?![-/])", r"\1 °C", f"{title}\n{text}")
    source = re.sub(r"\b(AC|DC)(?=\d)", r"\1 ", source)  # "AC85-265V" is the range 85 to 265 V

    def add(name, value, unit, evidence):
        key = name.lower()
        if key in existing_names or key in found:
            return
        found[key] = SuggestedAttribute(name=name, value=value, unit=unit, replaces="", evidence=evidence[:300])

    for line in SENTENCE_SPLIT_RE.split(source):
        for match in KEY_VALUE_RE.finditer(line):
            value = match.group("value")
            # "Color: red, blue, green" lists continue past commas; "304 steel, capacity 500ml" does not.
            for segment in line[match.end() :].split(",")[1:]:
                if ":" in segment or re.search(r"\d", segment) or len(segment.split()) > 3 or not segment.strip():
                    break
                value += "," + segment
            result = _key_value_attribute(match.group("key"), value, template)
            if isinstance(result, str):
                flags.append(result)
            elif result:
                add(*result, match.group(0).strip())
    for match in DIMENSIONS_RE.finditer(source):
        values = [match.group(g) for g in ("a", "b", "c") if match.group(g)]
        unit = "inch" if match.group("unit").lower().startswith("inch") else match.group("unit").lower()
        if all(plausible(parse_number(v), unit) for v in values):
            add("Dimensions", " × ".join(format_number(parse_number(v)) for v in values), unit, match.group(0))
    for match in QUANTITY_RE.finditer(source):
        result = _quantity_attribute(match, source, template)
        if isinstance(result, str):
            if result not in flags:
                flags.append(result)
        elif result:
            add(*result, match.group(0).strip())
    for match in IP_RE.finditer(source):
        code = f"IP{match.group('solid').upper()}{match.group('liquid').upper()}{(match.group('extra') or '').upper()}"
        add("Ingress Protection", code, "", match.group(0))

    packaging = [
        s.strip()
        for s in SENTENCE_SPLIT_RE.split(text)
        if PACKAGING_RE.search(s) and 10 <= len(s.strip()) <= 200 and not CUSTOMIZATION_LINE_RE.match(s)
    ]
    # Packaging lines name the carton and bag materials, not the product's.
    material_source = "\n".join(s for s in SENTENCE_SPLIT_RE.split(source) if not PACKAGING_RE.search(s))
    materials = detect_materials(material_source)
    if materials and "material" not in existing_names and "material" not in found:
        add("Material", " / ".join(materials[:2]), "", ", ".join(materials[:2]))

    features = [name for name, pattern in FEATURE_PATTERNS.items() if re.search(pattern, source, re.I)]
    if template:
        for variant in template.variants:
            if variant not in features and re.search(
                rf"\b{re.escape(variant)}\b".replace(r"\-", r"[\s-]?"), source, re.I
            ):
                features.append(variant)
    certs = []
    for code in CERT_CODES_RE.findall(source):
        code = re.sub(r"\s+", "", code).upper().replace("TUV", "TÜV")
        if code not in certs:
            certs.append(code)
    model = ""
    model_match = re.search(
        r"\b(?:model|item|art\.?|type)\s*(?:no\.?|number|#)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{2,19})\b", source, re.I
    )
    if model_match and any(c.isdigit() for c in model_match.group(1)):
        model = model_match.group(1).upper()
    return Extracted(
        attributes=list(found.values()),
        flags=flags,
        materials=materials,
        features=features[:6],
        certifications_mentioned=certs,
        model_number=model,
        packaging_notes=packaging[:3],
    )


def normalize_existing(existing: list[tuple[str, str, str]]) -> tuple[list[SuggestedAttribute], list[str]]:
    """Seller attributes whose value holds a unit or range in a non-standard form, rewritten; absurd ones flagged."""
    suggestions, flags = [], []
    for name, value, unit in existing:
        text = f"{value} {unit}".strip()
        match = QUANTITY_RE.fullmatch(text) or QUANTITY_RE.fullmatch(value.strip())
        if not match:
            number = re.fullmatch(rf"\s*({NUM})\s*", value)
            if number and unit in PLAUSIBLE and not plausible(parse_number(number.group(1)), unit):
                flags.append(f"Your specification “{name}: {text}” looks implausible; please check it.")
            continue
        canonical = _canonical_unit(match)
        lo = parse_number(match.group("lo"))
        hi = parse_number(match.group("hi")) if match.group("hi") else None
        if not all(plausible(v, canonical) for v in (lo, hi) if v is not None):
            flags.append(f"Your specification “{name}: {text}” looks implausible; please check it.")
            continue
        if hi is not None and hi < lo:
            lo, hi = hi, lo
        new_value = f"{format_number(lo)} to {format_number(hi)}" if hi is not None else format_number(lo)
        new_name = ATTRIBUTE_SYNONYMS.get(name.strip().lower(), name)
        if (new_name, new_value, canonical) != (name, value.strip(), unit.strip()):
            suggestions.append(
                SuggestedAttribute(name=new_name, value=new_value, unit=canonical, replaces=name, evidence=text[:300])
            )
    return suggestions, flags
