"""Buyer pages. Thin: parse the request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.ratelimit import rate_limited, signed_in_user
from suppliers import selectors as supplier_selectors
from suppliers.models import Supplier, SupplierKind, verified_supplier_q
from taxonomy import selectors as taxonomy_selectors
from taxonomy.models import Category

from . import recently_viewed, selectors, services, stats
from .forms import InquiryForm, SaveForm

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
    # (core/public_cache.py) reads them only when it is not cached. Recently viewed is the visitor's own.
    viewed = recently_viewed.product_ids(request)
    return render(
        request,
        "marketplace/home.html",
        {
            "categories": SimpleLazyObject(taxonomy_selectors.category_tree),
            "featured_products": selectors.product_list_featured(),
            "featured_suppliers": selectors.supplier_list_featured(),
            "recently_viewed": selectors.product_list_by_ids(ids=viewed[:6]) if viewed else [],
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
    initial = {"quantity": _quantity(request, route["moq"])}
    form, sign_in_first = _inquiry_form(request, ("product", pk), initial=initial)
    if sign_in_first is not None:
        return sign_in_first
    posted = request.method == "POST" and form.is_valid()
    if posted and (sent := _inquiry_send(request, form, product=selectors.product_get_published(pk=pk))):
        return sent
    response = render(
        request,
        "marketplace/product_detail.html",
        {
            "product": product,
            "product_id": pk,
            "form": form,
            "saved": selectors.favorite_get(user=request.user, product_id=pk),
            # Lazy, like the product: read only when the page's cached fragment is not cached.
            "more_from_supplier": SimpleLazyObject(
                lambda: list(selectors.product_list_more_from_supplier(product=product))
            ),
            "similar": SimpleLazyObject(lambda: list(selectors.product_list_similar(product=product))),
        },
    )
    recently_viewed.remember(request, response, pk)
    stats.product_view_record(product_id=pk, request=request)  # counted in memory, cached page or not
    return response


def _inquiry_send(request, form, **about):
    """Send a valid contact form (`product=` or `supplier=`) and go to the new thread; None when the service refuses
    it, with the reason on the form."""
    try:
        conversation = services.inquiry_create(
            buyer=request.user, body=form.cleaned_data["body"], quantity=form.cleaned_data["quantity"], **about
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("Your inquiry was sent to %(supplier)s.") % {"supplier": conversation.supplier})
    return redirect(conversation)


def _quantity(request, default):
    """The quantity a card or an RFQ link carried (?quantity=500), else the product's MOQ."""
    value = request.GET.get("quantity", "")
    return int(value) if value.isdigit() and 0 < int(value) <= 100_000_000 else default


def _inquiry_form(request, draft_key, initial):
    """The contact form of a product page or a storefront, open to everyone. A signed-out visitor's message is kept
    in their session while they sign in or join, and comes back in the form, to check and send.

    Returns (form, response): a response when the visitor must sign in first."""
    key = "inquiry_draft:{}:{}".format(*draft_key)
    if request.method == "POST" and not request.user.is_authenticated:
        form = InquiryForm(request.POST)
        if form.is_valid():
            request.session[key] = {"body": form.cleaned_data["body"], "quantity": form.cleaned_data["quantity"]}
            messages.info(request, _("Sign in or join as a buyer to send your message; it is kept until you do."))
            return form, redirect_to_login(request.path + "#inquiry")
        return form, None
    if request.method == "POST":
        request.session.pop(key, None)
        return InquiryForm(request.POST), None
    draft = request.session.pop(key, None) if request.user.is_authenticated else request.session.get(key)
    if draft:
        messages.info(request, _("Your message is ready: check it and send it."))
    return InquiryForm(initial={**initial, **(draft or {})}), None


@require_http_methods(["GET", "POST"])
@rate_limited("inquiry", key=signed_in_user, per_ip=False)
def supplier_detail(request, slug):
    try:
        supplier = supplier_selectors.supplier_get(slug=slug)
    except Supplier.DoesNotExist:
        raise Http404(_("No such supplier.")) from None
    form, sign_in_first = _inquiry_form(request, ("supplier", supplier.pk), initial={})
    if sign_in_first is not None:
        return sign_in_first
    if request.method == "POST" and form.is_valid() and (sent := _inquiry_send(request, form, supplier=supplier)):
        return sent
    products = selectors.product_list_for_supplier(supplier=supplier)
    return render(
        request,
        "marketplace/supplier_detail.html",
        {
            "supplier": supplier,
            "page": _page(request, products, per_page=12),
            "form": form,
            "saved": selectors.favorite_get(user=request.user, supplier_id=supplier.pk),
        },
    )


@login_required
def saved(request):
    """The buyer's saved products and suppliers, and what they viewed lately."""
    return render(
        request,
        "marketplace/saved.html",
        {
            "products": selectors.favorite_list_products(user=request.user),
            "suppliers": selectors.favorite_list_suppliers(user=request.user),
            "recently_viewed": selectors.product_list_by_ids(ids=recently_viewed.product_ids(request)),
        },
    )


@require_POST
def save_toggle(request):
    """Save or unsave a product or a supplier (one of `product` / `supplier`), then go back to the page."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("marketplace:saved")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    form = SaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    product, supplier = form.cleaned_data["product"], form.cleaned_data["supplier"]
    existing = selectors.favorite_get(
        user=request.user,
        product_id=product.pk if product else None,
        supplier_id=supplier.pk if supplier else None,
    )
    if existing:
        services.favorite_remove(favorite=existing)
        messages.success(request, _("Removed from your saved list."))
    else:
        services.favorite_add(user=request.user, product=product, supplier=supplier)
        messages.success(request, _("Saved. Find it under Saved in the menu."))
    return redirect(back)


def trust(request):
    """What the Verified and Order Protection badges mean: the checks and the escrow as they work today."""
    return render(request, "marketplace/trust.html")
