"""E-mails about deals, sent from tasks after the change committed. Each says what happened and where to act."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Dispute, Order

# what -> (who is told, subject, body); %(order)s, %(title)s, %(url)s and %(when)s (the deadline a reminder is
# about, in UTC) are filled in.
MESSAGES = {
    "funded": (
        "supplier",
        gettext_lazy("%(order)s is paid into escrow"),
        gettext_lazy("The buyer's payment for “%(title)s” is held in escrow. Start production and record it: %(url)s"),
    ),
    "production_started": (
        "buyer",
        gettext_lazy("%(order)s: production started"),
        gettext_lazy("The supplier started production of “%(title)s”: %(url)s"),
    ),
    "shipped": (
        "buyer",
        gettext_lazy("%(order)s has shipped"),
        gettext_lazy("“%(title)s” has left the supplier. Tracking and documents: %(url)s"),
    ),
    "dispute_opened": (
        "supplier",
        gettext_lazy("Dispute opened on %(order)s"),
        gettext_lazy(
            "The buyer opened a dispute on “%(title)s”. Answer with your evidence before the deadline: %(url)s"
        ),
    ),
    "confirm_delivery_soon": (
        "buyer",
        gettext_lazy("%(order)s: confirm delivery by %(when)s"),
        gettext_lazy(
            "The carrier reports “%(title)s” delivered. Confirm it, or open a dispute if something is wrong, by "
            "%(when)s; after that delivery counts as confirmed: %(url)s"
        ),
    ),
    "protection_ends_soon": (
        "buyer",
        gettext_lazy("%(order)s: your protection ends %(when)s"),
        gettext_lazy(
            "Money for “%(title)s” is still held in escrow. Open a dispute before %(when)s if the goods are not as "
            "agreed; after that it is released to the supplier: %(url)s"
        ),
    ),
    "dispute_answer_soon": (
        "supplier",
        gettext_lazy("Answer the dispute on %(order)s by %(when)s"),
        gettext_lazy(
            "The buyer's dispute about “%(title)s” is waiting for your answer and evidence. After %(when)s Silkway "
            "decides without them: %(url)s"
        ),
    ),
    "dispute_decided": (
        "both",
        gettext_lazy("Decision on the dispute about %(order)s"),
        gettext_lazy("Silkway decided the dispute about “%(title)s”: %(url)s"),
    ),
}


def _supplier_emails(order: Order) -> list[str]:
    return [m.user.email for m in order.supplier.memberships.select_related("user") if m.user.email]


def order_notify(*, order_id: int, what: str) -> int:
    order = Order.objects.select_related("buyer", "supplier").filter(pk=order_id).first()
    if order is None or what not in MESSAGES:
        return 0
    audience, subject, body = MESSAGES[what]
    deadline = {
        "confirm_delivery_soon": order.confirm_delivery_by,
        "protection_ends_soon": order.protection_until,
        "dispute_answer_soon": Dispute.objects.filter(order=order).values_list("answer_due", flat=True).first(),
    }.get(what)
    when = f"{deadline:%Y-%m-%d %H:%M} UTC" if deadline else ""
    buyer_url = f"{settings.SITE_URL}/deals/orders/{order.pk}/"
    seller_url = f"{settings.SITE_URL}/seller/deals/order/{order.pk}/change/"
    sent = 0
    if audience in ("buyer", "both") and order.buyer.email:
        values = {"order": order.number, "title": order.title, "url": buyer_url, "when": when}
        sent += send_mail(str(subject) % values, str(body) % values, settings.DEFAULT_FROM_EMAIL, [order.buyer.email])
    if audience in ("supplier", "both") and (emails := _supplier_emails(order)):
        values = {"order": order.number, "title": order.title, "url": seller_url, "when": when}
        sent += send_mail(str(subject) % values, str(body) % values, settings.DEFAULT_FROM_EMAIL, emails)
    return sent


def dispute_notify_overdue(*, dispute_id: int) -> int:
    dispute = Dispute.objects.select_related("order").filter(pk=dispute_id).first()
    if dispute is None:
        return 0
    operators = list(
        get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if not operators:
        return 0
    return send_mail(
        _("Dispute on %(order)s is ready for a decision") % {"order": dispute.order.number},
        _("The supplier did not answer by the deadline. Decide it: %(url)s")
        % {"url": f"{settings.SITE_URL}/admin/deals/dispute/{dispute.pk}/change/"},
        settings.DEFAULT_FROM_EMAIL,
        operators,
    )
