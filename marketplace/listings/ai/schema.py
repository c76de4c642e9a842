"""The listing optimizer's input and its result: the pydantic model a model must answer in (JSON schema) and the
offline rules must produce too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from core.languages import language_codes
from marketplace.quality import TITLE_MAX

# From settings.LANGUAGES at import time: the JSON schema a model answers in needs a fixed list.
BUYER_LANGUAGES = tuple(language_codes())
Language = Literal[BUYER_LANGUAGES]
MAX_KEYWORDS = 15
KEYWORDS_MAX_CHARS = 500  # Product.keywords max_length


# --- the result (the JSON schema a model must answer in) ---------------------------------------------------------


class SuggestedAttribute(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    value: str = Field(min_length=1, max_length=200)
    unit: str = Field(max_length=20, description="SI or trade unit, e.g. V, mm, °C; empty if none")
    replaces: str = Field(max_length=80, description="name of the seller's attribute this corrects, or empty")
    evidence: str = Field(max_length=300, description="the seller's words this value comes from")


class DescriptionSections(BaseModel):
    overview: str = Field(max_length=3000, description="the seller's own description, cleaned; empty if unusable")
    selling_points: list[str] = Field(max_length=8)
    customization: list[str] = Field(max_length=8)
    packaging_and_shipping: list[str] = Field(max_length=8)


class SuggestedTranslation(BaseModel):
    language: Language
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(max_length=6000)
    keywords: list[str] = Field(max_length=MAX_KEYWORDS)


class ListingOptimization(BaseModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: DescriptionSections
    attributes: list[SuggestedAttribute] = Field(max_length=30)
    keywords: list[str] = Field(max_length=25)
    translations: list[SuggestedTranslation] = Field(max_length=len(BUYER_LANGUAGES))
    flags: list[str] = Field(max_length=30, description="what could not be understood or was left out, and why")


# --- the input ---------------------------------------------------------------------------------------------------


@dataclass
class ListingInput:
    """What the optimizer may use: the seller's words and the structured fields, nothing else."""

    title: str
    description: str = ""
    keywords: str = ""
    language: str = "en"
    category_slug: str = ""
    category_names: dict[str, str] = field(default_factory=dict)  # language -> category name, incl. "en"
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, unit)
    moq: int = 1
    unit: str = "pieces"
    lead_time_days: int | None = None
    customization: list[str] = field(default_factory=list)  # logo, packaging, color, oem, odm
    samples_available: bool = False
    certifications: list[str] = field(default_factory=list)  # linked, currently valid certificates
    supplier_is_factory: bool = False
    protected_languages: set[str] = field(default_factory=set)  # translations the seller wrote: never suggested
    target_languages: list[str] | None = None


@dataclass
class Understood:
    """The seller's text after cleaning, with what the rules could and could not use."""

    title: str
    description: str
    keywords: list[str]
    flags: list[str]
    usable_description: bool


def target_languages(listing: ListingInput) -> list[str]:
    languages = listing.target_languages or BUYER_LANGUAGES
    return [code for code in languages if code != listing.language and code not in listing.protected_languages]
