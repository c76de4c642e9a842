"""Query filters for the sourcing lists: by status, strict like every other list (an unknown status is a 400)."""

import django_filters

from core.api.filters import StrictFilterSet

from ..models import RFQ, RecipientStatus, RequestStatus, RFQRecipient, RFQStatus, SourcingRequest


class SourcingRequestFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)

    class Meta:
        model = SourcingRequest
        fields = []


class RFQFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=RFQStatus.choices)

    class Meta:
        model = RFQ
        fields = []


class ReceivedRFQFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=RecipientStatus.choices, help_text="Where your answer stands.")

    class Meta:
        model = RFQRecipient
        fields = []
