"""Writes for onboarding: a company applies to sell, an operator approves or rejects it, owners invite colleagues and
manage their team. Views, the admin and the demo command all come through here.

E-mails go out once the write has committed (an approval the database rolled back must not be announced).
"""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.services import site_url, user_email_send

from . import services
from .models import (
    INVITATION_VALID_FOR,
    LEGAL_SUFFIX_WORDS,
    LEGAL_SUFFIXES_CJK,
    ApplicationStatus,
    MembershipRole,
    Supplier,
    SupplierApplication,
    SupplierInvitation,
    SupplierMembership,
    VerificationLevel,
    company_name_key,
    registration_number_key,
)
from .validators import validate_document_upload

# An approval verifies the supplier at this level: the operator has checked the business licence.
APPROVAL_LEVEL = VerificationLevel.BUSINESS_LICENSE


# --- documents ---------------------------------------------------------------------------------------------------


def validate_company_document(file) -> None:
    """A company document must be a real PDF, JPEG or PNG: the certificate rule (size, extension, magic bytes), and a
    scan must also decode as the picture it claims to be."""
    validate_document_upload(file)
    if Path(file.name).suffix.lower() == ".pdf":
        return
    from PIL import Image, UnidentifiedImageError

    position = file.tell()
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            _("The document's content does not match a PDF, JPEG or PNG file."), code="document_type"
        ) from exc
    finally:
        file.seek(position)


# --- applying to sell --------------------------------------------------------------------------------------------


def duplicate_company_error(*, company_name: str, country: str, registration_number: str) -> ValidationError | None:
    """Why this company cannot apply (it sells here already, or has applied), or None."""
    key = registration_number_key(registration_number)
    if SupplierApplication.objects.filter(country=country.upper(), registration_key=key).exists():
        return ValidationError(
            {
                "registration_number": ValidationError(
                    _(
                        "A company with this registration number has already applied to sell on Silkway. If it is "
                        "yours, ask its owner to invite you to the team."
                    ),
                    code="duplicate_registration",
                )
            }
        )
    name_key = company_name_key(company_name)
    if not name_key:
        return ValidationError(
            {"company_name": ValidationError(_("Enter the company's registered name."), code="invalid_name")}
        )
    if SupplierApplication.objects.filter(name_key=name_key).exists() or _supplier_named(name_key, company_name):
        return ValidationError(
            {
                "company_name": ValidationError(
                    _(
                        "A company with this name already sells on Silkway or has applied. If it is yours, ask its "
                        "owner to invite you to the team; if it is another company, enter your full registered name."
                    ),
                    code="duplicate_name",
                )
            }
        )
    return None


def _supplier_named(name_key: str, company_name: str) -> bool:
    """Whether an existing supplier's name normalises to `name_key`. Suppliers keep no key column, so the database
    narrows to names containing the longest word (the most selective: not a city like "Shenzhen" many share) and
    Python compares the few candidates."""
    words = "".join(ch if ch.isalnum() else " " for ch in company_name.casefold()).split()
    words = [_without_cjk_legal_suffix(word) for word in words if word not in LEGAL_SUFFIX_WORDS] or [name_key]
    probe = max(words, key=len)
    candidates = Supplier.objects.filter(name__icontains=probe[:50]).values_list("name", flat=True)[:500]
    return any(company_name_key(name) == name_key for name in candidates)


def _without_cjk_legal_suffix(word: str) -> str:
    for suffix in LEGAL_SUFFIXES_CJK:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "supplier"
    slug = base
    while Supplier.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


def _seller_account_error(user) -> ValidationError | None:
    if SupplierMembership.objects.filter(user=user).exists():
        return ValidationError(
            _("This account already works for a supplier on Silkway; one account works for one supplier."),
            code="already_seller",
        )
    return None


def supplier_application_submit(
    *,
    user=None,
    email: str = "",
    password: str = "",
    company_name: str,
    kind: str,
    country: str,
    region: str = "",
    city: str = "",
    registration_number: str,
    contact_name: str,
    phone: str,
    website: str = "",
    business_licence,
    other_document=None,
) -> SupplierApplication:
    """A company applies to sell. In one transaction: the account (unless `user`, the signed-in one, is given), the
    supplier (unverified), its owner membership and the application. Its products cannot go live until an operator
    approves (supplier_application_approve)."""
    User = get_user_model()
    country = country.strip().upper()
    errors: dict[str, list] = {}
    for field, file in (("business_licence", business_licence), ("other_document", other_document)):
        if field == "business_licence" and not file:
            errors[field] = [ValidationError(_("Upload your business licence."), code="required")]
        elif file:
            try:
                validate_company_document(file)
            except ValidationError as error:
                errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
    if user is not None and user.is_authenticated:
        if error := _seller_account_error(user):
            raise error
    else:
        user = None
        email = User.objects.normalize_email(email.strip()).lower()
        if not email or not password:
            raise ValidationError(_("Enter an e-mail address and a password for your seller account."), code="required")
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                {
                    "email": ValidationError(
                        _("This e-mail already has a Silkway account: sign in first, then apply."),
                        code="account_exists",
                    )
                }
            )
    if error := duplicate_company_error(
        company_name=company_name, country=country, registration_number=registration_number
    ):
        raise error
    try:
        with transaction.atomic():
            if user is None:
                first_name, _sep, last_name = contact_name.strip().partition(" ")
                user = User.objects.create_user(
                    email=email, password=password, first_name=first_name[:150], last_name=last_name[:150]
                )
            supplier = Supplier.objects.create(
                name=company_name.strip(),
                slug=_unique_slug(company_name),
                kind=kind,
                country=country,
                region=region.strip(),
                city=city.strip(),
            )
            SupplierMembership.objects.create(user=user, supplier=supplier, role=MembershipRole.OWNER)
            application = SupplierApplication(
                supplier=supplier,
                applicant=user,
                company_name=company_name.strip(),
                kind=kind,
                country=country,
                region=region.strip(),
                city=city.strip(),
                registration_number=registration_number.strip(),
                contact_name=contact_name.strip(),
                phone=phone.strip(),
                website=website.strip(),
                business_licence=business_licence,
                other_document=other_document or "",
            )
            application.full_clean(exclude=["supplier", "applicant", "business_licence", "other_document"])
            application.save()
    except IntegrityError:
        # Two submissions raced past the checks above; the constraints decided, say which.
        raise duplicate_company_error(
            company_name=company_name, country=country, registration_number=registration_number
        ) or ValidationError(_("This company or account was registered a moment ago."), code="duplicate") from None
    return application


def _decide(application: SupplierApplication, *, reviewer, status: str, note: str) -> SupplierApplication:
    if not getattr(reviewer, "is_staff", False):
        raise ValidationError(_("Only Silkway operators can review applications."), code="not_operator")
    # Lock the application row only: PostgreSQL cannot lock the nullable side of the applicant's outer join.
    application = (
        SupplierApplication.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=application.pk)
    )
    if application.status == ApplicationStatus.APPROVED:
        raise ValidationError(
            _("The application of %(company)s has already been approved.") % {"company": application.company_name},
            code="already_decided",
        )
    if application.status == status:
        raise ValidationError(
            _("The application of %(company)s has already been rejected.") % {"company": application.company_name},
            code="already_decided",
        )
    application.status = status
    application.reviewer = reviewer
    application.reviewed_at = timezone.now()
    application.review_note = note
    application.save(update_fields=["status", "reviewer", "reviewed_at", "review_note"])
    return application


def _mail_applicant(application: SupplierApplication, template: str) -> None:
    applicant = application.applicant
    if applicant is None:
        return
    context = {
        "application": application,
        "seller_url": site_url(reverse("seller:index")),
    }
    transaction.on_commit(lambda: user_email_send(user=applicant, template=template, context=context))


@transaction.atomic
def supplier_application_approve(*, application: SupplierApplication, reviewer, evidence: str) -> SupplierApplication:
    """An operator checked the documents: the supplier is verified (business licence checked, with who and when,
    through supplier_verify) and its products can go live. `evidence` says what was checked, e.g. "licence matches
    the national enterprise credit register, entry 9133…"."""
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError(
            _("Say what you checked (the evidence) before approving, e.g. the register entry the licence matches."),
            code="evidence_required",
        )
    application = _decide(application, reviewer=reviewer, status=ApplicationStatus.APPROVED, note=evidence)
    services.supplier_verify(supplier=application.supplier, level=APPROVAL_LEVEL, operator=reviewer)
    _mail_applicant(application, "suppliers/email/application_approved")
    return application


@transaction.atomic
def supplier_application_reject(*, application: SupplierApplication, reviewer, reason: str) -> SupplierApplication:
    """An operator could not accept the documents; the applicant is told why. The supplier stays unverified and its
    products cannot go live."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for the rejection; the applicant receives it by e-mail."), code="reason_required"
        )
    application = _decide(application, reviewer=reviewer, status=ApplicationStatus.REJECTED, note=reason)
    _mail_applicant(application, "suppliers/email/application_rejected")
    return application


# --- invitations and the team ------------------------------------------------------------------------------------


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_owner(user, supplier: Supplier) -> None:
    membership = SupplierMembership.objects.filter(user=user, supplier=supplier).only("role").first() if user else None
    if membership is None or membership.role != MembershipRole.OWNER:
        raise ValidationError(
            _("Only the owners of %(supplier)s can manage its team.") % {"supplier": supplier}, code="not_owner"
        )


def _send_invitation(invitation: SupplierInvitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "supplier_name": invitation.supplier.name,
        "inviter": invitation.invited_by,
        "join_url": site_url(reverse("sell:join", args=[token])),
        "valid_days": INVITATION_VALID_FOR.days,
        "site_name": _("Silkway"),
        "site_url": settings.SITE_URL,
    }
    language = translation.get_language()

    def send():
        with translation.override(language):
            subject = " ".join(render_to_string("suppliers/email/invitation_subject.txt", context).split())
            text = render_to_string("suppliers/email/invitation.txt", context)
            html = render_to_string("suppliers/email/invitation.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [invitation.email])
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(send)


@transaction.atomic
def supplier_invitation_create(
    *, supplier: Supplier, email: str, role: str = MembershipRole.STAFF, invited_by
) -> tuple[SupplierInvitation, str]:
    """An owner invites a colleague by e-mail; returns the invitation and the link's token (only its hash is kept).
    Inviting an address again replaces its earlier open invitation (a fresh link)."""
    from django.core.validators import validate_email

    _require_owner(invited_by, supplier)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": ValidationError(_("Enter a valid e-mail address."), code="invalid_email")}
        ) from None
    if role not in MembershipRole.values:
        raise ValidationError({"role": ValidationError(_("Choose owner or staff."), code="invalid_role")})
    existing = SupplierMembership.objects.filter(user__email__iexact=email).select_related("supplier").first()
    if existing is not None:
        if existing.supplier_id == supplier.pk:
            message = _("%(email)s is already on your team.") % {"email": email}
            code = "already_member"
        else:
            message = _(
                "%(email)s already works for another supplier on Silkway; an account works for one supplier only. "
                "Ask your colleague for another address."
            ) % {"email": email}
            code = "other_supplier"
        raise ValidationError({"email": ValidationError(message, code=code)})
    now = timezone.now()
    SupplierInvitation.objects.filter(
        supplier=supplier, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = SupplierInvitation.objects.create(
        supplier=supplier,
        email=email,
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=invited_by,
        expires_at=now + INVITATION_VALID_FOR,
    )
    _send_invitation(invitation, token)
    return invitation, token


def supplier_invitation_problem(invitation: SupplierInvitation | None) -> ValidationError | None:
    """Why this invitation link cannot be used, or None."""
    if invitation is None:
        return ValidationError(
            _("This invitation link is not valid. Check that you opened the whole link from the e-mail."),
            code="invalid",
        )
    if invitation.revoked_at is not None:
        return ValidationError(
            _("This invitation was withdrawn. Ask %(supplier)s for a new one.") % {"supplier": invitation.supplier},
            code="revoked",
        )
    if invitation.accepted_at is not None:
        return ValidationError(_("This invitation has already been used. Sign in instead."), code="used")
    if invitation.is_expired:
        return ValidationError(
            _("This invitation has expired. Ask %(supplier)s for a new one.") % {"supplier": invitation.supplier},
            code="expired",
        )
    return None


@transaction.atomic
def supplier_invitation_accept(*, token: str, user=None, password: str = ""):
    """The invited person joins the supplier: with the signed-in `user` (whose e-mail must be the invited one), or
    with a new account for the invited e-mail (`password`), whose address the link has just proved. Returns the
    user."""
    User = get_user_model()
    invitation = (
        SupplierInvitation.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .filter(token_hash=invitation_token_hash(token or ""))
        .first()
    )
    if problem := supplier_invitation_problem(invitation):
        raise problem
    now = timezone.now()
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email:
            raise ValidationError(
                _(
                    "This invitation is for %(email)s; you are signed in as %(current)s. Sign out and open the link "
                    "again."
                )
                % {"email": invitation.email, "current": user.email},
                code="wrong_account",
            )
        if error := _seller_account_error(user):
            raise error
        if user.email_verified_at is None:
            user.email_verified_at = now
            user.save(update_fields=["email_verified_at"])
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("%(email)s already has a Silkway account: sign in to accept.") % {"email": invitation.email},
                code="account_exists",
            )
        if not password:
            raise ValidationError({"password": ValidationError(_("Choose a password."), code="required")})
        user = User.objects.create_user(email=invitation.email, password=password, email_verified_at=now)
    SupplierMembership.objects.create(user=user, supplier=invitation.supplier, role=invitation.role)
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def supplier_invitation_revoke(*, invitation: SupplierInvitation, by) -> SupplierInvitation:
    """An owner withdraws an invitation; its link stops working."""
    _require_owner(by, invitation.supplier)
    invitation = SupplierInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("%(email)s has already joined; remove them from the team instead.") % {"email": invitation.email},
            code="used",
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def supplier_member_remove(*, membership: SupplierMembership, by) -> None:
    """An owner removes a colleague from the team (the account stays, without access to the seller centre). The
    last owner cannot be removed: a supplier always has someone who can manage it."""
    _require_owner(by, membership.supplier)
    owners = list(
        SupplierMembership.objects.select_for_update()
        .filter(supplier_id=membership.supplier_id, role=MembershipRole.OWNER)
        .values_list("pk", flat=True)
    )
    if membership.role == MembershipRole.OWNER and owners == [membership.pk]:
        raise ValidationError(
            _("%(user)s is the last owner of %(supplier)s and cannot be removed; invite another owner first.")
            % {"user": membership.user, "supplier": membership.supplier},
            code="last_owner",
        )
    membership.delete()
