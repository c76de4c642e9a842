"""Buyer pages. Thin: parse the request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import rate_limited, signed_in_user
from suppliers import selectors as supplier_selectors
from suppliers.models import Supplier, SupplierKind, verified_supplier_q
from taxonomy import selectors as taxonomy_selectors
from taxonomy.models import Category

from . import selectors, services
from .forms import InquiryForm, ReplyForm
from .models import Inquiry

PAGE_SIZE = 24
SORTS = {
    "relevance": ["-quality_score", "-id"],
    "newest": ["-published_at", "-id"],
    "price": ["price_min", "id"],
    "moq": ["moq", "id"],
    "lead_time": ["lead_time_days", "id"],
}


def _page(request, queryset, per_page=PAGE_SIZE):
    # get_page() turns junk and out-of-range numbers into a valid page instead of an error.
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def home(request):
    # All lazy (querysets, and the tree behind SimpleLazyObject): the template's cached fragment
    # (core/public_cache.py) reads them only when it is not cached.
    return render(
        request,
        "marketplace/home.html",
        {
            "categories": SimpleLazyObject(taxonomy_selectors.category_tree),
            "featured_products": selectors.product_list_featured(),
            "featured_suppliers": selectors.supplier_list_featured(),
        },
    )


def category_detail(request, slug):
    try:
        category = taxonomy_selectors.category_get(slug=slug)
    except Category.DoesNotExist:
        raise Http404(_("No such category.")) from None
    products = selectors.product_list_published().filter(
        category_id__in=taxonomy_selectors.category_descendant_ids(category=category)
    )
    kind = request.GET.get("kind")
    if kind in SupplierKind.values:
        products = products.filter(supplier__kind=kind)
    if request.GET.get("verified") == "1":
        products = products.filter(verified_supplier_q("supplier__"))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    products = products.order_by(*SORTS[sort])
    return render(
        request,
        "marketplace/category_detail.html",
        {
            "category": category,
            "children": category.children.all(),
            # Lazy, so a cached fragment (core/public_cache.py) costs no count or page query.
            "page": SimpleLazyObject(lambda: _page(request, products)),
            "sort": sort,
            "sorts": SORTS,
            "kind": kind if kind in SupplierKind.values else "",
            "kinds": SupplierKind.choices,
            "verified": request.GET.get("verified") == "1",
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("inquiry", key=signed_in_user, per_ip=False)
def product_detail(request, pk, slug=None):
    route = selectors.product_route_published(pk=pk)
    if route is None:
        raise Http404(_("This product is not available."))
    # Lazy: on GET the page's cached fragments (core/public_cache.py) read it only when they are not cached.
    product = SimpleLazyObject(lambda: selectors.product_get_published(pk=pk))
    if slug != route["slug"]:
        return redirect(product, permanent=True)
    form = InquiryForm(initial={"quantity": route["moq"]})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = InquiryForm(request.POST)
        if form.is_valid():
            try:
                inquiry = services.inquiry_create(
                    buyer=request.user,
                    product=selectors.product_get_published(pk=pk),
                    body=form.cleaned_data["body"],
                    quantity=form.cleaned_data["quantity"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your inquiry was sent to %(supplier)s.") % {"supplier": product.supplier})
                return redirect(inquiry)
    return render(request, "marketplace/product_detail.html", {"product": product, "product_id": pk, "form": form})


def supplier_detail(request, slug):
    try:
        supplier = supplier_selectors.supplier_get(slug=slug)
    except Supplier.DoesNotExist:
        raise Http404(_("No such supplier.")) from None
    products = selectors.product_list_for_supplier(supplier=supplier)
    return render(
        request,
        "marketplace/supplier_detail.html",
        {"supplier": supplier, "page": _page(request, products, per_page=12)},
    )


@login_required
def inquiry_list(request):
    return render(
        request,
        "marketplace/inquiry_list.html",
        {"page": _page(request, selectors.inquiry_list_for_buyer(buyer=request.user), per_page=20)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_detail(request, pk):
    try:
        inquiry = selectors.inquiry_get_for_buyer(buyer=request.user, pk=pk)
    except Inquiry.DoesNotExist:
        raise Http404(_("No such inquiry.")) from None
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_reply(
                inquiry=inquiry, sender=request.user, body=form.cleaned_data["body"], from_supplier=False
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(inquiry)
    return render(request, "marketplace/inquiry_detail.html", {"inquiry": inquiry, "form": form})
