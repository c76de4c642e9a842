"""Writes on accounts, and the e-mails that go with them (sent from accounts.tasks after the write committed)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import BuyerProfile, User

# A verification link works this long; after that the buyer asks for a new one from their account page.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
_VERIFY_SALT = "accounts.email-verification"


@transaction.atomic
def buyer_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    company_name: str,
    country: str,
    preferred_language: str = "en",
    preferred_currency: str = "USD",
) -> User:
    """A new buyer account with its company profile; both or neither. The verification and welcome e-mails go out
    once it is committed."""
    from .tasks import buyer_welcome_send_task, email_verification_send_task

    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    BuyerProfile.objects.create(
        user=user,
        company_name=company_name,
        country=country.upper(),
        preferred_language=preferred_language,
        preferred_currency=preferred_currency.upper(),
    )
    transaction.on_commit(lambda: email_verification_send_task.delay(user.pk))
    transaction.on_commit(lambda: buyer_welcome_send_task.delay(user.pk))
    return user


@transaction.atomic
def buyer_account_update(*, user: User, fields: dict, profile_fields: dict) -> User:
    """Change a buyer's name and company profile; only the given fields are written."""
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    if profile_fields:
        profile = user.buyer_profile
        for name, value in profile_fields.items():
            setattr(profile, name, value)
        profile.save(update_fields=list(profile_fields))
    return user


def buyer_language_set(*, user: User, language: str) -> None:
    """The language a buyer's pages and e-mails use; a user without a buyer profile (a seller) has nothing to save."""
    BuyerProfile.objects.filter(user=user).exclude(preferred_language=language).update(preferred_language=language)


# --- e-mail verification ----------------------------------------------------------------------------------------


def email_verification_token(*, user: User) -> str:
    """A signed, dated token naming the account and the address it was sent to: a changed address needs a new one."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_VERIFY_SALT, compress=True)


def email_verify(*, token: str) -> User:
    """Marks the address in `token` verified. A tampered, expired or outdated token is a ValidationError and changes
    nothing; opening a good link twice is harmless (the first time is kept)."""
    try:
        payload = signing.loads(token, salt=_VERIFY_SALT, max_age=EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This verification link has expired. Sign in and ask for a new one from your account page."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This verification link is not valid. Check that you opened the whole link from the e-mail."),
            code="invalid",
        ) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=payload.get("u"), is_active=True).first()
        if user is None or user.email != payload.get("e"):
            # The account is gone or its address changed since the link was sent.
            raise ValidationError(
                _("This verification link is for an address that is no longer on the account."), code="outdated"
            )
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user


def email_verification_resend(*, user: User) -> bool:
    """Queues a fresh verification link; False when the address is already verified (nothing to send)."""
    from .tasks import email_verification_send_task

    if user.email_verified:
        return False
    user_id = user.pk
    transaction.on_commit(lambda: email_verification_send_task.delay(user_id))
    return True


# --- e-mails ----------------------------------------------------------------------------------------------------


def user_language(user: User) -> str:
    """The language a user's e-mails are written in: the buyer profile's, else the site's default."""
    profile = BuyerProfile.objects.filter(user=user).only("preferred_language").first()
    return profile.preferred_language if profile else settings.LANGUAGE_CODE


def site_url(path: str) -> str:
    """An absolute link for an e-mail: tasks have no request, so SITE_URL says where the site is."""
    return f"{settings.SITE_URL}{path}"


def user_email_send(*, user: User, template: str, context: dict) -> int:
    """One e-mail to `user` in their language: `<template>_subject.txt`, `<template>.txt` and `<template>.html`
    (the HTML alternative). Returns the number sent (0 for a user without an address)."""
    if not user.email:
        return 0
    with translation.override(user_language(user)):
        context = {"user": user, "site_name": _("Silkway"), "site_url": settings.SITE_URL, **context}
        # A subject is one line, whatever the template's whitespace.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message.send()


def _active_user(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def email_verification_send(*, user_id: int) -> int:
    """The link that verifies a user's address; nothing when the user is gone or already verified."""
    user = _active_user(user_id)
    if user is None or user.email_verified:
        return 0
    path = reverse("accounts:email_verify", args=[email_verification_token(user=user)])
    return user_email_send(
        user=user,
        template="accounts/email/verify",
        context={"verify_url": site_url(path), "valid_days": EMAIL_VERIFICATION_MAX_AGE.days},
    )


def buyer_welcome_send(*, user_id: int) -> int:
    """Welcome to a new buyer: what they can do first, with links."""
    user = User.objects.select_related("buyer_profile").filter(pk=user_id, is_active=True).first()
    if user is None or not hasattr(user, "buyer_profile"):
        return 0
    return user_email_send(
        user=user,
        template="accounts/email/welcome",
        context={
            "profile": user.buyer_profile,
            "home_url": site_url(reverse("marketplace:home")),
            "sourcing_url": site_url(reverse("sourcing:home")),
            "account_url": site_url(reverse("accounts:account")),
        },
    )


def password_reset_send(*, user_id: int) -> int:
    """A link to choose a new password (Django's reset token: it stops working once the password changes or after
    PASSWORD_RESET_TIMEOUT). Sent from a task, so the reset page answers alike whether the address is known."""
    user = _active_user(user_id)
    if user is None or not user.has_usable_password():
        return 0
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    return user_email_send(
        user=user,
        template="accounts/email/password_reset",
        context={"reset_url": site_url(path), "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)},
    )
