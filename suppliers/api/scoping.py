"""Tenant scoping for API views: the one mixin every tenant-owned viewset uses.

The PostHog rule: a subclass writes `safely_get_queryset()` (what it wants, unscoped), and the mixin's
`get_queryset()` applies the tenant filter last. Defining `get_queryset` or a class-level `queryset` on a
subclass is refused when the class is created, so a view cannot skip the scope by accident. It fails
closed: an anonymous request, a user without a supplier, or a view without a declared tenant sees nothing.

    tenant = "supplier"  rows whose SUPPLIER_PATH leads to the request user's supplier (seller staff)
    tenant = "buyer"     rows whose `buyer_path` leads to the request user (a buyer's own inquiries, favorites)
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ..tenancy import is_tenant_owned, request_supplier, scope_to_supplier

TENANTS = ("supplier", "buyer")


class TenantScopedViewMixin:
    tenant = None
    # For tenant = "buyer": the ORM path from the model to the owning user.
    buyer_path = "buyer"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise ImproperlyConfigured(
                f"{cls.__name__} overrides get_queryset(); implement safely_get_queryset() instead, "
                "so TenantScopedViewMixin can apply the tenant scope."
            )
        if cls.__dict__.get("queryset") is not None:
            raise ImproperlyConfigured(
                f"{cls.__name__} sets a class-level queryset; return it from safely_get_queryset() instead."
            )
        if cls.tenant is not None and cls.tenant not in TENANTS:
            raise ImproperlyConfigured(f"{cls.__name__}.tenant must be one of {TENANTS}, not {cls.tenant!r}.")

    def safely_get_queryset(self):
        raise NotImplementedError(f"{type(self).__name__} must implement safely_get_queryset().")

    def get_queryset(self):
        queryset = self.safely_get_queryset()
        user = getattr(self.request, "user", None)
        if self.tenant == "supplier":
            if not is_tenant_owned(queryset.model):
                raise ImproperlyConfigured(f"{queryset.model.__name__} declares no SUPPLIER_PATH.")
            # request_supplier() on the DRF request: its user is the JWT- or session-authenticated one.
            return scope_to_supplier(queryset, request_supplier(self.request))
        if self.tenant == "buyer":
            if user is None or not user.is_authenticated:
                return queryset.none()
            return queryset.filter(**{self.buyer_path: user.pk})
        return queryset.none()


class IsSupplierStaff(BasePermission):
    """The account works for a supplier (has a SupplierMembership)."""

    message = _("This endpoint is for supplier staff; this account does not belong to a supplier.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request_supplier(request) is not None)
