"""Query filters for the deals lists: by status, strict like every other list (an unknown status is a 400)."""

import django_filters

from core.api.filters import StrictFilterSet

from ..models import Contract, ContractStatus, Order, OrderStatus


class ContractFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices)

    class Meta:
        model = Contract
        fields = []


class OrderFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=OrderStatus.choices, help_text="Repeat for several: `?status=shipped&status=delivered`."
    )

    class Meta:
        model = Order
        fields = []
