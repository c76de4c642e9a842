"""The terms of a contract version, as data: what the AI drafts (offline or with a model), what each side edits,
what the order is created from, and what the PDF prints. One pydantic schema for all of them.

Money and dates are structured fields; the commercial clauses (price, payment, delivery) are worded from them by
`deals.contract_terms`, so the words and the numbers can never disagree. Every clause names its sources.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SourceKind = Literal["quote", "quote_line", "requirement", "rfq", "message", "edit", "template"]
Evidence = Literal["production_start", "bill_of_lading", "inspection_report", "delivery"]
Side = Literal["platform", "buyer", "supplier"]

# The clauses every contract has, in print order. Commercial ones are worded from the structured fields.
CLAUSE_KEYS = (
    "parties",
    "specification",
    "price",
    "incoterm",
    "payment",
    "delivery",
    "packaging",
    "inspection",
    "warranty",
    "remedies",
    "disputes",
    "governing_law",
)
WORDED_FROM_TERMS = ("parties", "specification", "price", "incoterm", "payment", "delivery")


class Source(BaseModel):
    """Where a clause (or a line) came from: the quote, a quote line, a requirement, the RFQ, a message, an edit in a
    later version, or the platform's template default when nothing the parties said covers it."""

    model_config = ConfigDict(extra="forbid")

    kind: SourceKind
    ref: str = Field(default="", max_length=100, description='e.g. "quote_line:12", "requirement:certifications"')
    label: str = Field(max_length=300)
    excerpt: str = Field(default="", max_length=1000, description="The words the clause rests on.")


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    country: str = Field(default="", max_length=2)
    contact: str = Field(default="", max_length=200)


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int = Field(ge=1)
    product: str = Field(max_length=200)
    specification: list[str] = Field(default_factory=list, max_length=40)
    quantity: int = Field(ge=1, le=100_000_000)
    unit: str = Field(max_length=20)
    unit_price: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    source: Source

    @property
    def total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(Decimal("0.01"))


class MilestoneTerm(BaseModel):
    """One part of the price: held in escrow from funding, released to the supplier only on its evidence."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(max_length=100)
    percent: Decimal = Field(gt=0, le=100, max_digits=5, decimal_places=2)
    evidence: Evidence


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(max_length=30)
    title: str = Field(max_length=100)
    text: str = Field(max_length=4000)
    sources: list[Source] = Field(min_length=1, max_length=10)

    @property
    def is_template_default(self) -> bool:
        return all(source.kind == "template" for source in self.sources)


class ContractTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    buyer: Party
    supplier: Party
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    incoterm: str = Field(max_length=3)
    incoterm_place: str = Field(default="", max_length=100)
    lines: list[Line] = Field(min_length=1, max_length=50)
    milestones: list[MilestoneTerm] = Field(min_length=1, max_length=6)
    delivery_date: date
    protection_days: int = Field(ge=7, le=180, description="Days after delivery in which the buyer may open a dispute.")
    clauses: list[Clause] = Field(min_length=1, max_length=30)

    @field_validator("milestones")
    @classmethod
    def _milestones_make_the_whole_price(cls, milestones: list[MilestoneTerm]) -> list[MilestoneTerm]:
        if sum((m.percent for m in milestones), Decimal(0)) != 100:
            raise ValueError("payment milestones must add up to 100%")
        return milestones

    @model_validator(mode="after")
    def _clauses_once(self):
        keys = [clause.key for clause in self.clauses]
        if len(keys) != len(set(keys)):
            raise ValueError("each clause appears once")
        return self

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    def clause(self, key: str) -> Clause | None:
        return next((c for c in self.clauses if c.key == key), None)
