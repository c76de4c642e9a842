"""The offline multilingual requirement parser: a buyer's free-text request -> `Requirements`, by rules and data
(data/*.json), with no model, network or database. Organised by job: numbers, places (gazetteer), destination
(origin vs destination by Incoterm), measures (price, lead time, temperature), quantity, terms (certifications,
supplier kind, customization, samples, payment), product (the product phrase), parse (the whole).
"""

from .parse import extract_offline
from .terms import normalize_certification

__all__ = ["extract_offline", "normalize_certification"]
