"""Tenancy: which supplier a request acts for, and how any tenant-owned queryset is narrowed to it.

Tenant-owned models declare SUPPLIER_PATH, the ORM path from the model to its Supplier ("supplier",
"product__supplier", or "pk" for Supplier itself). Everything here fails closed: no supplier, no rows.
"""

from .models import Supplier, SupplierMembership


def works_for(user, supplier_id: int) -> bool:
    """Whether `user` is staff of that supplier (their one membership), without a query once it is loaded."""
    membership = getattr(user, "supplier_membership", None) if user is not None else None
    return membership is not None and membership.supplier_id == supplier_id


def is_tenant_owned(model):
    return hasattr(model, "SUPPLIER_PATH")


def scope_to_supplier(queryset, supplier):
    """Narrow `queryset` to rows that belong to `supplier`; an empty queryset if there is none."""
    if supplier is None:
        return queryset.none()
    path = queryset.model.SUPPLIER_PATH
    return queryset.filter(**{path: supplier.pk})


def supplier_for_user(user):
    if not user or not user.is_authenticated:
        return None
    membership = SupplierMembership.objects.select_related("supplier").filter(user=user).first()
    return membership.supplier if membership else None


def request_supplier(request):
    """The supplier the logged-in seller works for, looked up once per request."""
    if not hasattr(request, "_silkway_supplier"):
        request._silkway_supplier = supplier_for_user(getattr(request, "user", None))
    return request._silkway_supplier


def supplier_for_object(obj):
    """Follow SUPPLIER_PATH on an instance (used to check objects that arrive by id)."""
    if isinstance(obj, Supplier):
        return obj
    current = obj
    for part in type(obj).SUPPLIER_PATH.split("__"):
        current = getattr(current, part)
    return current
