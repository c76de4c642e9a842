"""The payment-provider interface, and the one provider Silkway ships: a manual bank transfer an operator confirms.

A provider tells the buyer how to pay and carries out payouts and refunds; the ledger records every movement
either way (deals.services.ledger), so adding a real provider (a PSP with webhooks) means one new class here and a
setting, not a change to the order rules. The built-in provider moves no real money: its payouts and refunds are
instructions an operator carries out at the bank, and its references say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PaymentInstructions:
    beneficiary: str
    bank: str
    account: str
    swift: str
    reference: str
    amount: Decimal
    currency: str


class PaymentProvider(Protocol):
    name: str

    def instructions(self, *, reference: str, amount: Decimal, currency: str) -> PaymentInstructions: ...

    def payout(self, *, reference: str, amount: Decimal, currency: str, beneficiary: str) -> str:
        """Send money held in escrow to a supplier; returns the provider's reference."""
        ...

    def refund(self, *, reference: str, amount: Decimal, currency: str, beneficiary: str) -> str:
        """Return money held in escrow to the buyer; returns the provider's reference."""
        ...


class ManualBankTransfer:
    """The buyer wires the money to the platform's escrow account; an operator confirms its arrival in the admin."""

    name = "manual"

    def instructions(self, *, reference: str, amount: Decimal, currency: str) -> PaymentInstructions:
        bank = settings.DEALS_ESCROW_ACCOUNT
        return PaymentInstructions(
            beneficiary=bank["beneficiary"],
            bank=bank["bank"],
            account=bank["account"],
            swift=bank["swift"],
            reference=reference,
            amount=amount,
            currency=currency,
        )

    def payout(self, *, reference: str, amount: Decimal, currency: str, beneficiary: str) -> str:
        return f"manual-payout:{reference}"

    def refund(self, *, reference: str, amount: Decimal, currency: str, beneficiary: str) -> str:
        return f"manual-refund:{reference}"


def payment_provider() -> PaymentProvider:
    return import_string(settings.DEALS_PAYMENT_PROVIDER)()
