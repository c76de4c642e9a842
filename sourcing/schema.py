"""The structured form of a buyer's need: what `extract_requirements` returns (offline rules or a model, one
pydantic contract) and what the buyer edits before a plan is computed.

Field names are the public contract of `manage.py sourcing_extract` (COMMAND_FIELDS) and of the API. A field
the request does not state stays None or empty: never guessed. What the parser saw but could not read goes
to `unread`, so the page can say so.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SupplierKindWanted = Literal["factory", "trading_company"]
Customization = Literal["logo", "packaging", "color", "oem", "odm"]
INCOTERMS_2020 = ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")

# Bounds a request can sensibly state; outside them the value is refused (reported in `unread`), not clamped.
MAX_QUANTITY = 100_000_000
MIN_TEMPERATURE_C = -273
MAX_TEMPERATURE_C = 2000
MAX_LEAD_TIME_DAYS = 730

# What `manage.py sourcing_extract` prints, in this order, and nothing else.
COMMAND_FIELDS = (
    "quantity",
    "quantity_unit",
    "target_unit_price",
    "currency",
    "max_lead_time_days",
    "destination_country",
    "incoterm",
    "certifications",
    "supplier_kind",
    "customization",
    "min_operating_temp_c",
    "max_operating_temp_c",
    "samples_required",
    "payment_terms",
)


class Requirements(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # What is being bought, in the buyer's words with the numbers and trade terms taken out ("bamboo cutting
    # boards"); the planner searches the catalog with it.
    product: str = Field("", max_length=300)
    language: str = Field("en", max_length=10, description="Language of the request (a served language code).")
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY)
    # Singular lowercase English (piece, set, pair, box, meter, kg, ton, container, ...); None for plain pieces.
    quantity_unit: str | None = Field(None, max_length=20)
    target_unit_price: float | None = Field(None, gt=0, lt=10_000_000)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    max_lead_time_days: int | None = Field(None, ge=1, le=MAX_LEAD_TIME_DAYS)
    destination_country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    destination_place: str | None = Field(None, max_length=100, description="City or port named, as written.")
    incoterm: str | None = Field(None, pattern=r"^(EXW|FCA|FAS|FOB|CFR|CIF|CPT|CIP|DAP|DPU|DDP)$")
    incoterm_place: str | None = Field(None, max_length=100, description="The Incoterm's named place, as written.")
    certifications: list[str] = Field(default_factory=list, max_length=30)  # codes: CE, ROHS, UN383, OEKOTEX, ...
    supplier_kind: SupplierKindWanted | None = None
    customization: list[Customization] = Field(default_factory=list)
    min_operating_temp_c: float | None = Field(None, ge=MIN_TEMPERATURE_C, le=MAX_TEMPERATURE_C)
    max_operating_temp_c: float | None = Field(None, ge=MIN_TEMPERATURE_C, le=MAX_TEMPERATURE_C)
    samples_required: bool | None = None
    payment_terms: str | None = Field(None, max_length=100)  # normalized: "T/T 30/70", "L/C at sight", ...
    # Fragments the parser recognised as a requirement but could not read (an unknown currency, an
    # implausible number, a place it does not know), each a short sentence for the buyer.
    unread: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("certifications")
    @classmethod
    def _unique_upper(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(code.strip().upper() for code in value if code.strip()))

    @field_validator("customization")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def command_output(self) -> dict:
        """The fields `sourcing_extract` prints; absent ones omitted."""
        data = self.model_dump()
        return {name: data[name] for name in COMMAND_FIELDS if data[name] not in (None, [], "")}
