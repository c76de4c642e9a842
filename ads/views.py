"""The sponsored result's click-through: verify the signed link, account for the click, send the buyer on."""

from django.conf import settings
from django.core import signing
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.ratelimit import client_ip
from marketplace.models import Product

from . import services
from .serving import CLICK_SALT


@require_GET
def click(request, token: str):
    try:
        payload = signing.loads(token, salt=CLICK_SALT, max_age=settings.ADS_CLICK_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        # A stale page: the buyer still gets the product, the advertiser is not charged.
        payload = signing.loads(token, salt=CLICK_SALT)
        return HttpResponseRedirect(get_object_or_404(Product, pk=payload["p"]).get_absolute_url())
    except signing.BadSignature:
        return HttpResponseBadRequest(_("This ad link is not valid."), content_type="text/plain; charset=utf-8")
    product = get_object_or_404(Product, pk=payload.get("p"))
    services.ad_click_record(
        payload=payload,
        user=request.user,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return HttpResponseRedirect(product.get_absolute_url())
