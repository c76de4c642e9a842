"""The trade currencies a buyer may prefer: one list for the sign-up form, the API and the admin.

A fixed list rather than all of ISO 4217: these are the currencies buyers actually settle B2B trades in, and every
one needs exchange rates and price formatting to be useful. Add a code here (and its rate) to offer it.
"""

from django.utils.translation import gettext_lazy as _

DEFAULT_CURRENCY = "USD"

# code -> name, in the order the sign-up form lists them (the big settlement currencies first).
TRADE_CURRENCIES = {
    "USD": _("US dollar"),
    "EUR": _("Euro"),
    "GBP": _("Pound sterling"),
    "CNY": _("Chinese yuan"),
    "JPY": _("Japanese yen"),
    "HKD": _("Hong Kong dollar"),
    "AUD": _("Australian dollar"),
    "CAD": _("Canadian dollar"),
    "CHF": _("Swiss franc"),
    "SGD": _("Singapore dollar"),
    "AED": _("UAE dirham"),
    "SAR": _("Saudi riyal"),
    "BRL": _("Brazilian real"),
    "MXN": _("Mexican peso"),
    "INR": _("Indian rupee"),
    "RUB": _("Russian rouble"),
    "TRY": _("Turkish lira"),
    "KRW": _("South Korean won"),
    "ZAR": _("South African rand"),
    "PLN": _("Polish złoty"),
    "SEK": _("Swedish krona"),
    "NZD": _("New Zealand dollar"),
    "THB": _("Thai baht"),
    "VND": _("Vietnamese đồng"),
    "IDR": _("Indonesian rupiah"),
    "MYR": _("Malaysian ringgit"),
    "PHP": _("Philippine peso"),
    "EGP": _("Egyptian pound"),
    "NGN": _("Nigerian naira"),
    "KES": _("Kenyan shilling"),
}

# Where a buyer's country pays in one of the trade currencies, the sign-up form suggests it; elsewhere US dollars.
_EURO_COUNTRIES = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK"
COUNTRY_CURRENCY = {
    **dict.fromkeys(_EURO_COUNTRIES.split(), "EUR"),
    "GB": "GBP",
    "CN": "CNY",
    "JP": "JPY",
    "HK": "HKD",
    "AU": "AUD",
    "CA": "CAD",
    "CH": "CHF",
    "LI": "CHF",
    "SG": "SGD",
    "AE": "AED",
    "SA": "SAR",
    "BR": "BRL",
    "MX": "MXN",
    "IN": "INR",
    "RU": "RUB",
    "TR": "TRY",
    "KR": "KRW",
    "ZA": "ZAR",
    "PL": "PLN",
    "SE": "SEK",
    "NZ": "NZD",
    "TH": "THB",
    "VN": "VND",
    "ID": "IDR",
    "MY": "MYR",
    "PH": "PHP",
    "EG": "EGP",
    "NG": "NGN",
    "KE": "KES",
}


def currency_choices() -> list[tuple[str, str]]:
    """(code, "USD — US dollar") pairs; the names are translated when the form renders."""
    return [(code, f"{code} — {name}") for code, name in TRADE_CURRENCIES.items()]


def currency_for_country(country: str | None) -> str:
    return COUNTRY_CURRENCY.get((country or "").upper(), DEFAULT_CURRENCY)
