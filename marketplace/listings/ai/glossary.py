"""Glossary for the offline listing optimizer: attribute names, materials, features, section headings, phrases and
units in every buyer language — read from the platform's trade vocabulary (taxonomy/data/vocabulary via
taxonomy.selectors), so the optimizer and the search glossary share one source. Product and category names come
from the same vocabulary (listings.ai.vocabulary).

Each table maps an English term to {language: term}; English itself is the key.
"""

from taxonomy import selectors as _vocabulary

ATTRIBUTE_NAMES = _vocabulary.translation_table(_vocabulary.attribute_names())
MATERIALS = _vocabulary.translation_table(_vocabulary.materials())
# Polymer codes are the same in every language.
MATERIAL_CODES = list(_vocabulary.material_codes())
FEATURES = _vocabulary.translation_table(_vocabulary.features())
HEADINGS = _vocabulary.translation_table(_vocabulary.headings())
# Phrases with placeholders; values (numbers, codes) are inserted untranslated.
PHRASES = _vocabulary.translation_table(_vocabulary.listing_phrases())
UNITS = {key: dict(labels) for key, labels in _vocabulary.units().items()}
