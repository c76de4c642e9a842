"""Suppliers in both admin sites: everything for operators at /admin/, own data only for sellers at /seller/."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import audit
from core.admin import AuditEntryDisplayMixin
from core.admin_files import PrivateFileAdminMixin
from core.models import AdminAuditEntry

from . import onboarding, selectors, services
from .admin_scoping import ScopedModelAdmin, seller_site
from .models import (
    ApplicationStatus,
    Certification,
    MembershipRole,
    ProductionCapacity,
    Supplier,
    SupplierApplication,
    SupplierInvitation,
    SupplierMembership,
    VerificationLevel,
)
from .tenancy import request_supplier

DERIVED_METRICS = [
    "response_rate",
    "median_response_minutes",
    "response_sample_size",
    "commitment_kept_rate",
    "commitment_sample_size",
    "commitment_kept",
    "on_time_delivery_rate",
    "dispute_rate",
    "repeat_buyer_rate",
    "rating_average",
    "rating_count",
    "metrics_updated_at",
]
# Written from the ranking figures (Seller centre → Ranking figures), shown here read-only.
FIGURE_SUMMARY = ["rd_spend_share", "main_business_revenue_share"]
# Granted or computed by the platform, never by the seller: read-only on every seller screen (and the supplier API
# has no write endpoint). Operators grant Order Protection and verification at /admin/.
PLATFORM_GRANTED = [
    "trade_assurance",
    "verification_level",
    "verified_at",
    "verified_by",
    *DERIVED_METRICS,
    *FIGURE_SUMMARY,
    "leaderboard_standing",
]
COMMITMENT_FIELDSET = (
    _("Response commitment"),
    {
        "fields": ["response_commitment_minutes", "response_hours_start", "response_hours_end", "response_timezone"],
        "description": _(
            # xgettext:no-python-format
            "Buyers see your commitment beside how well you keep it, measured on your conversations of the last 30 "
            "days: kept when at least 90% of at least 5 conversations got a first answer in time. With working hours "
            "the clock runs Monday to Friday within them only (a message at 17:50 with a 2-hour commitment and "
            "hours 9:00–18:00 is on time if answered by 10:50 the next working day); without them it runs around "
            "the clock. RFQs broadcast to a sourcing plan's best matches go first to suppliers who keep theirs."
        ),
    },
)
METRICS_DESCRIPTION = _(
    "Computed by Silkway every night from your conversations of the last 30 days (a conversation counts once it is "
    "24 hours old); you cannot edit them. Response rate: the share answered within 24 hours. A change of your "
    "commitment is measured afresh at once."
)
PROFILE_FIELDSETS = [
    (None, {"fields": ["name", "kind", "about", "country", "region", "city"]}),
    (
        _("Company"),
        {
            "fields": [
                "founded_year",
                "staff_count",
                "rd_staff_count",
                "factory_area_m2",
                "export_markets",
                "years_exporting",
                "languages",
            ]
        },
    ),
    (
        _("Services"),
        {"fields": ["offers_oem", "offers_odm", "offers_custom_packaging", "offers_samples"]},
    ),
    (
        _("Innovation"),
        {
            "fields": [
                "invention_patents",
                "utility_patents",
                "design_patents",
                "rd_spend_share",
                "main_business_revenue_share",
            ]
        },
    ),
]


# --- Operators (/admin/) ---------------------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = SupplierMembership
    extra = 0
    autocomplete_fields = ["user"]


class CertificationInline(PrivateFileAdminMixin, admin.TabularInline):
    model = Certification
    private_file_fields = ("document",)
    extra = 0
    fields = ["type", "number", "issuer", "valid_from", "valid_until", "document", "verified_at"]
    readonly_fields = ["verified_at"]


def _verify_action(level, label):
    @admin.action(description=label, permissions=["change"])
    def action(modeladmin, request, queryset):
        for supplier in queryset:
            services.supplier_verify(supplier=supplier, level=level, operator=request.user)
        modeladmin.message_user(
            request,
            ngettext("%(count)d supplier marked “%(level)s”.", "%(count)d suppliers marked “%(level)s”.", len(queryset))
            % {"count": len(queryset), "level": VerificationLevel(level).label},
            messages.SUCCESS,
        )

    action.__name__ = f"verify_{level}"
    return action


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "verification_level", "trade_assurance", "response_rate", "created_at"]
    list_filter = ["kind", "verification_level", "trade_assurance", "country"]
    search_fields = ["name", "slug", "region", "city"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [*DERIVED_METRICS, *FIGURE_SUMMARY, "verified_at", "verified_by"]
    fieldsets = [
        (None, {"fields": ["slug"]}),
        *PROFILE_FIELDSETS,
        COMMITMENT_FIELDSET,
        (_("Verification"), {"fields": ["verification_level", "verified_at", "verified_by", "trade_assurance"]}),
        (_("Platform metrics (derived)"), {"fields": DERIVED_METRICS, "description": METRICS_DESCRIPTION}),
    ]
    inlines = [MembershipInline, CertificationInline]
    actions = [
        _verify_action(VerificationLevel.BUSINESS_LICENSE, _("Verify: business license checked")),
        _verify_action(VerificationLevel.ONSITE, _("Verify: on-site check done")),
        _verify_action(VerificationLevel.ASSESSED, _("Verify: third-party assessment")),
        _verify_action(VerificationLevel.UNVERIFIED, _("Withdraw verification")),
    ]

    def save_model(self, request, obj, form, change):
        # Verification goes through the service so the operator and time are recorded.
        services.supplier_save_by_operator(supplier=obj, changed_fields=form.changed_data, operator=request.user)


@admin.register(Certification)
class CertificationAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    private_file_fields = ("document",)
    list_display = ["__str__", "supplier", "issuer", "valid_until", "verified_at"]
    list_filter = ["type", "valid_until"]
    search_fields = ["number", "issuer", "supplier__name"]
    autocomplete_fields = ["supplier"]
    readonly_fields = ["verified_at"]
    actions = ["verify_certifications"]

    @admin.action(description=_("Mark documents as checked"), permissions=["change"])
    def verify_certifications(self, request, queryset):
        done = 0
        for certification in queryset.select_related("supplier"):
            try:
                services.certification_verify(certification=certification, operator=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d certificates verified.") % {"count": done}, messages.SUCCESS)


@admin.register(ProductionCapacity)
class ProductionCapacityAdmin(admin.ModelAdmin):
    list_display = ["product_line", "supplier", "category", "quantity", "unit", "period"]
    list_filter = ["period", "category"]
    search_fields = ["product_line", "supplier__name"]
    autocomplete_fields = ["supplier"]


@admin.register(SupplierMembership)
class SupplierMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "supplier", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "supplier__name"]
    autocomplete_fields = ["user", "supplier"]


@admin.register(SupplierApplication)
class SupplierApplicationAdmin(PrivateFileAdminMixin, admin.ModelAdmin):
    """Companies applying to sell: waiting ones first, oldest first. The change page shows the documents and the
    review form (approve with the evidence checked, or reject with the reason; both go through the services and
    e-mail the applicant)."""

    private_file_fields = ("business_licence", "other_document")
    change_form_template = "admin/suppliers/supplierapplication/change_form.html"
    list_display = ["company_name", "country", "kind", "registration_number", "status", "created_at", "reviewed_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["company_name", "registration_number", "applicant__email"]
    list_select_related = ["applicant"]
    fields = [
        "status",
        "company_name",
        "kind",
        "country",
        "region",
        "city",
        "registration_number",
        "contact_name",
        "phone",
        "website",
        "applicant",
        "supplier",
        "business_licence",
        "other_document",
        "created_at",
        "reviewer",
        "reviewed_at",
        "review_note",
    ]
    readonly_fields = fields

    def get_ordering(self, request):
        return [Case(When(status=ApplicationStatus.SUBMITTED, then=0), default=1).asc(), "created_at"]

    def has_add_permission(self, request):
        return False  # companies apply at /sell/

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="suppliers_supplierapplication_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id):
        application = self.get_object(request, unquote(object_id))
        if application is None or not self.has_change_permission(request, application):
            raise Http404(_("Not found."))
        change_url = reverse("admin:suppliers_supplierapplication_change", args=[application.pk])
        if request.method != "POST":
            return redirect(change_url)
        note = request.POST.get("review_note", "")
        try:
            if "approve" in request.POST:
                onboarding.supplier_application_approve(application=application, reviewer=request.user, evidence=note)
                message = _("%(company)s approved: the supplier is verified and %(email)s has been told.")
            elif "reject" in request.POST:
                onboarding.supplier_application_reject(application=application, reviewer=request.user, reason=note)
                message = _("%(company)s rejected: %(email)s has been told why.")
            else:
                return redirect(change_url)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(change_url)
        text = message % {"company": application.company_name, "email": getattr(application.applicant, "email", "—")}
        self.log_change(request, application, text)
        self.message_user(request, text, messages.SUCCESS)
        return redirect("admin:suppliers_supplierapplication_changelist")


# --- Sellers (/seller/) ----------------------------------------------------------------------------------------

# The activity log (core.audit) records seller-site acts as "seller", with the acting supplier for the scoping below.
audit.configure_site(
    seller_site,
    kind=audit.SELLER,
    supplier_id_for_request=lambda request: getattr(request_supplier(request), "pk", None),
)


@admin.register(Supplier, site=seller_site)
class StorefrontAdmin(ScopedModelAdmin):
    """A seller's own company profile; created and verified by operators, edited by the seller."""

    fieldsets = [
        *PROFILE_FIELDSETS,
        COMMITMENT_FIELDSET,
        (_("Verification (set by Silkway)"), {"fields": ["verification_level", "verified_at", "trade_assurance"]}),
        (
            _("Platform metrics (computed from your activity)"),
            {"fields": DERIVED_METRICS, "description": METRICS_DESCRIPTION},
        ),
    ]
    # Read-only fields are left out of the form, so a crafted POST of any of them changes nothing.
    readonly_fields = PLATFORM_GRANTED

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The scoped get_object already limited obj to the seller's own supplier; checked again, failing closed.
        if obj.pk != getattr(request_supplier(request), "pk", None):
            raise PermissionDenied
        services.supplier_save_by_seller(supplier=obj, changed_fields=form.changed_data)

    def changelist_view(self, request, extra_context=None):
        # There is only one storefront: go straight to it.
        return redirect("seller:suppliers_supplier_change", request_supplier(request).pk)


@admin.register(Certification, site=seller_site)
class SellerCertificationAdmin(PrivateFileAdminMixin, ScopedModelAdmin):
    private_file_fields = ("document",)
    list_display = ["__str__", "issuer", "valid_from", "valid_until", "verified_at"]
    list_filter = ["type"]
    search_fields = ["number", "issuer", "type"]
    fields = ["type", "number", "issuer", "scope", "valid_from", "valid_until", "document", "verified_at"]
    readonly_fields = ["verified_at"]

    def save_model(self, request, obj, form, change):
        obj.supplier = request_supplier(request)
        services.certification_save_by_seller(certification=obj, changed_fields=form.changed_data)


@admin.register(ProductionCapacity, site=seller_site)
class SellerProductionCapacityAdmin(ScopedModelAdmin):
    list_display = ["product_line", "category", "quantity", "unit", "period", "production_lines"]
    list_filter = ["period"]
    search_fields = ["product_line"]


@admin.register(AdminAuditEntry, site=seller_site)
class SellerActivityLogAdmin(AuditEntryDisplayMixin, ScopedModelAdmin):
    """What the supplier's own people did on the seller site (core.audit records it); read-only, never another
    supplier's. Operators' acts are in the operator log only."""

    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter), "action"]
    fields = [
        "created_at",
        "user_email",
        "action",
        "content_type",
        "object_repr",
        "changes_table",
        "message",
        "request_id",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # The entry keeps the supplier as a plain id (core has no foreign key to suppliers).
        supplier = request_supplier(request)
        return supplier is not None and (obj is None or obj.supplier_id == supplier.pk)


def _is_owner(request) -> bool:
    """Whether the signed-in seller is an owner of their supplier (owners manage the team; staff only see it)."""
    membership = getattr(request.user, "supplier_membership", None)
    return membership is not None and membership.role == MembershipRole.OWNER


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.STAFF,
        help_text=_("Owners also manage the team; staff manage products, inquiries and everything else."),
    )


@admin.register(SupplierMembership, site=seller_site)
class SellerTeamAdmin(ScopedModelAdmin):
    """The seller's team: who works for the supplier and with what role, the invitations waiting for an answer, and
    (for owners) inviting, revoking and removing. Every change goes through suppliers.onboarding."""

    change_list_template = "admin/suppliers/team_change_list.html"
    list_display = ["user", "role", "created_at"]
    list_select_related = ["user", "supplier"]
    ordering = ["role", "user__email"]
    actions = ["remove_from_team"]
    list_display_links = None

    def has_add_permission(self, request, obj=None):
        return False  # colleagues join through an invitation

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # removal is the action below, through the service (never the last owner)

    def get_actions(self, request):
        return super().get_actions(request) if _is_owner(request) else {}

    @admin.action(description=_("Remove from the team"))
    def remove_from_team(self, request, queryset):
        removed = []
        for membership in queryset.select_related("user", "supplier"):
            try:
                onboarding.supplier_member_remove(membership=membership, by=request.user)
                removed.append(membership.user.email)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if removed:
            self.message_user(
                request,
                _("Removed from the team: %(emails)s. They can no longer sign in to your seller centre.")
                % {"emails": ", ".join(removed)},
                messages.SUCCESS,
            )

    def changelist_view(self, request, extra_context=None):
        supplier = request_supplier(request)
        extra_context = {
            **(extra_context or {}),
            "title": _("Team"),
            "is_owner": _is_owner(request),
            "open_invitations": list(selectors.supplier_invitation_open_list(supplier)) if supplier else [],
        }
        return super().changelist_view(request, extra_context)


@admin.register(SupplierInvitation, site=seller_site)
class SellerInvitationAdmin(ScopedModelAdmin):
    """Invitations are created, listed and revoked from the team page; this admin holds their views."""

    def has_module_permission(self, request):
        return False  # reached from the team page

    def has_add_permission(self, request, obj=None):
        return request_supplier(request) is not None and _is_owner(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="suppliers_supplierinvitation_revoke",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return redirect("seller:suppliers_suppliermembership_changelist")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.get_object(request, unquote(object_id))  # 404 for anybody else's
        return redirect("seller:suppliers_suppliermembership_changelist")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation, _token = onboarding.supplier_invitation_create(
                    supplier=request_supplier(request),
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = _("Invitation sent to %(email)s. The link works for %(days)d days.") % {
                    "email": invitation.email,
                    "days": onboarding.INVITATION_VALID_FOR.days,
                }
                self.log_addition(request, invitation, text)
                self.message_user(request, text, messages.SUCCESS)
                return redirect("seller:suppliers_suppliermembership_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a colleague"),
            "form": form,
            "opts": self.model._meta,
            "team_url": reverse("seller:suppliers_suppliermembership_changelist"),
        }
        return render(request, "admin/suppliers/invitation_add.html", context)

    def revoke_view(self, request, object_id):
        invitation = self.get_object(request, unquote(object_id))  # scoped: 404 for anybody else's
        if request.method == "POST":
            try:
                onboarding.supplier_invitation_revoke(invitation=invitation, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                text = _("Invitation to %(email)s revoked; its link no longer works.") % {"email": invitation.email}
                self.log_change(request, invitation, text)
                self.message_user(request, text, messages.SUCCESS)
        return redirect("seller:suppliers_suppliermembership_changelist")
