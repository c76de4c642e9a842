"""Hard constraints: what removes a supplier from the ranking (it then appears under "excluded" with its reasons).

Hard, because the buyer said so or the law does:
- supplier kind: asked for a factory -> a trading company is excluded (factories with a trading arm stay);
  asked for a trading company -> a pure factory is excluded (as search's "trading company" word does).
- MOQ above the buyer's quantity.
- certificates the buyer named, and those the destination makes mandatory for the product's category
  (MarketRequirement rows with mandatory=True for the destination, its regions or "*"): excluded when the
  supplier *declares certificates* but holds no valid one of that type (missing, or only an expired one).
  A supplier with no certificate data at all is "unknown", not failing: it stays, its certificate dimension is
  unknown, and the plan asks it for the certificate. Absence is evidence only where the supplier keeps a list.
- customization the buyer requires that neither the product listing nor the supplier's profile offers.

Everything else (lead time over the maximum, temperature range short, no samples, price over target) is soft:
scored, and flagged as a risk, because catalog figures are negotiable starting points.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .facts import Candidate, Context
from .figures import cert_status, fmt_int

CUSTOM_ON_PRODUCT = {
    "logo": "custom_logo",
    "packaging": "custom_packaging",
    "color": "custom_color",
    "oem": "oem",
    "odm": "odm",
}
CUSTOM_ON_PROFILE = {"packaging": "offers_custom_packaging", "oem": "offers_oem", "odm": "offers_odm"}


@dataclass(frozen=True)
class Failure:
    key: str  # kind | moq | cert:<code> | custom:<item>
    reason: str

    def as_dict(self) -> dict:
        return {"key": self.key, "reason": self.reason}


def kind_failure(c: Candidate, ctx: Context) -> Failure | None:
    wanted, kind = ctx.requirements.supplier_kind, c.supplier.kind
    if wanted == "factory" and kind == "trading_company":
        return Failure("kind", _("A trading company; you asked for a factory."))
    if wanted == "trading_company" and kind == "factory":
        return Failure("kind", _("A factory without a trading arm; you asked for a trading company."))
    return None


def moq_failure(c: Candidate, ctx: Context) -> Failure | None:
    quantity = ctx.requirements.quantity
    if quantity and c.product.moq > quantity:
        return Failure(
            "moq",
            _("MOQ %(moq)s %(unit)s is above your %(q)s.")
            % {"moq": fmt_int(c.product.moq), "unit": c.product.unit, "q": fmt_int(quantity)},
        )
    return None


def cert_failures(c: Candidate, ctx: Context) -> list[Failure]:
    needed: dict[str, str] = {code: _("you named it") for code in ctx.requirements.certifications}
    for code, rule in ctx.mandatory_certs(c.product.category_id).items():
        needed.setdefault(
            code, _("mandatory in %(dest)s (%(source)s)") % {"dest": rule.destination, "source": rule.source}
        )
    out = []
    for code, why in needed.items():
        status = cert_status(c, code, ctx.today)
        if status.status == "missing":
            out.append(
                Failure(f"cert:{code}", _("No valid %(code)s certificate (%(why)s).") % {"code": code, "why": why})
            )
        elif status.status == "expired" and status.cert is not None:
            out.append(
                Failure(
                    f"cert:{code}",
                    _("%(code)s certificate expired on %(date)s (%(why)s).")
                    % {"code": code, "date": status.cert.valid_until.isoformat(), "why": why},
                )
            )
    return out


def custom_failures(c: Candidate, ctx: Context) -> list[Failure]:
    out = []
    for item in ctx.requirements.customization:
        on_product = getattr(c.product, CUSTOM_ON_PRODUCT[item])
        on_profile = bool(CUSTOM_ON_PROFILE.get(item) and getattr(c.supplier, CUSTOM_ON_PROFILE[item]))
        if not on_product and not on_profile:
            out.append(Failure(f"custom:{item}", _("Does not offer %(item)s customization.") % {"item": item}))
    return out


def hard_failures(c: Candidate, ctx: Context) -> list[Failure]:
    """Every hard constraint this candidate breaks (empty: it stays in the ranking)."""
    failures = [f for f in (kind_failure(c, ctx), moq_failure(c, ctx)) if f]
    return failures + cert_failures(c, ctx) + custom_failures(c, ctx)


def hard_constraint_list(ctx: Context, category_ids: set[int]) -> list[dict]:
    """The active hard constraints, for the page: key, label, and the rule."""
    req = ctx.requirements
    out = []
    if req.supplier_kind == "factory":
        out.append({"key": "kind", "label": _("Factory"), "rule": _("Trading companies are excluded.")})
    elif req.supplier_kind == "trading_company":
        out.append(
            {"key": "kind", "label": _("Trading company"), "rule": _("Factories without a trading arm are excluded.")}
        )
    if req.quantity:
        out.append(
            {
                "key": "moq",
                "label": _("MOQ ≤ %(q)s") % {"q": fmt_int(req.quantity)},
                "rule": _("Products whose MOQ is above your quantity are excluded."),
            }
        )
    for code in req.certifications:
        out.append(
            {
                "key": f"cert:{code}",
                "label": code,
                "rule": _(
                    "You named it: suppliers that list certificates but no valid %(code)s are excluded; "
                    "suppliers with no certificate data stay, marked unknown."
                )
                % {"code": code},
            }
        )
    mandatory: dict[str, list[str]] = {}
    for category_id in sorted(category_ids):
        for code in ctx.mandatory_certs(category_id):
            if code not in req.certifications:
                mandatory.setdefault(code, [])
                name = ctx.category_name(category_id)
                if name and name not in mandatory[code]:
                    mandatory[code].append(name)
    for code, categories in mandatory.items():
        out.append(
            {
                "key": f"cert:{code}",
                "label": code,
                "rule": _("Mandatory in %(dest)s for %(cats)s: same rule as a certificate you named.")
                % {"dest": ctx.destination, "cats": ", ".join(categories)},
            }
        )
    for item in req.customization:
        out.append(
            {
                "key": f"custom:{item}",
                "label": _("Customization: %(item)s") % {"item": item},
                "rule": _("Suppliers that offer it neither on the listing nor on their profile are excluded."),
            }
        )
    return out
