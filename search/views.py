"""Search pages: /search/ (products and suppliers tabs), autocomplete JSON and the click beacon. Thin: parse the
request, call the engine, log, render."""

from urllib.parse import urlencode

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from core.languages import base_language
from core.public_cache import public_cached
from suppliers.models import SupplierKind

from . import engine, services, sponsored
from .models import SearchTab
from .selectors import search_autocomplete
from .text import PG_CONFIGS

MAX_CLICK_POSITION = 1000
SORT_LABELS = {
    "relevance": gettext_lazy("Best match"),
    "price": gettext_lazy("Lowest price"),
    "moq": gettext_lazy("Lowest MOQ"),
    "lead_time": gettext_lazy("Shortest lead time"),
    "newest": gettext_lazy("Newest"),
}
CUSTOM_LABELS = {
    "logo": gettext_lazy("Logo"),
    "packaging": gettext_lazy("Packaging"),
    "color": gettext_lazy("Color"),
    "oem": gettext_lazy("OEM"),
    "odm": gettext_lazy("ODM"),
}


def _price_label(key: str) -> str:
    """A unit-price bucket in words: "0-1" -> "under 1", "1-5" -> "1–5", "100-" -> "100 and more"."""
    low, _sep, high = key.partition("-")
    if low in ("", "0"):
        return _("under %(n)s") % {"n": high}
    if not high:
        return _("%(n)s and more") % {"n": low}
    return f"{low}–{high}"


def _filter_label(key: str, value: str) -> str:
    """A filter value as a buyer reads it: a country's name, a customization in words, a supplier kind's label."""
    if key == "country":
        return countries.name(value) or value
    if key == "custom":
        return str(CUSTOM_LABELS.get(value, value))
    if key == "kind":
        return str(dict(SupplierKind.choices).get(value, value))
    return value.replace("_", " ")


def _url(params, **changes):
    """The current search URL with some parameters changed (None removes one); page always resets."""
    data = {k: list(v) for k, v in params.lists()} if hasattr(params, "lists") else dict(params)
    data.pop("page", None)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value if isinstance(value, list) else [value]
    return "?" + urlencode([(k, v) for k, values in data.items() for v in values if v not in ("", None)])


def _toggle(params, key, value):
    values = params.getlist(key)
    values = [v for v in values if v != value] if value in values else [*values, value]
    return _url(params, **{key: values or None})


@require_GET
def search(request):
    params = request.GET
    q = params.get("q", "")
    tab = params.get("tab") if params.get("tab") in SearchTab.values else SearchTab.PRODUCTS
    ui_language = base_language(get_language())
    query_language = params.get("lang") if params.get("lang") in PG_CONFIGS else None
    ignore = params.getlist("ignore")[:20]
    per_page = engine._int(params.get("per_page"), engine.DEFAULT_PER_PAGE)
    common = {
        "q": q,
        "params": params,
        "page": params.get("page", 1),
        "per_page": per_page,
        "ui_language": ui_language,
        "query_language": query_language,
        "ignore": ignore,
    }

    def run_search():
        if tab == SearchTab.SUPPLIERS:
            return engine.supplier_search(**common)
        result = engine.product_search(sort=params.get("sort", "relevance"), **common)
        return engine.product_result_cacheable(result, ui_language=ui_language)

    # The same search gives every visitor the same results: cached per version (core/public_cache.py). The log
    # line and the sponsored results below stay per request.
    results_key = (tab, ui_language, sorted(params.lists()))
    result = public_cached(("search", *results_key), run_search)
    log = None
    if q.strip() or result.filters.as_dict():
        log = services.search_log_record(
            query=result.query.text,
            language=result.query.language,
            tab=tab,
            filters={**result.filters.as_dict(), "understood": [c.key for c in result.query.chips]},
            result_count=result.page.total,
            relaxed=bool(getattr(result, "relaxed", "")),
        )
    context = _context(request, result, tab, log)
    context["results_key"] = repr(results_key)
    if tab == SearchTab.PRODUCTS and result.hits:
        # After the organic results are final: sponsored results sit beside them and never reorder them.
        ads = sponsored.sponsored_for(result, request=request)
        context["sponsored_top"], context["sponsored_inline"] = ads[:2], ads[2:]
    return render(request, "search/search.html", context)


def _context(request, result, tab, log):
    params = request.GET
    filters = result.filters
    chips = []
    for chip in result.query.chips:
        chips.append(
            {
                "label": chip.label,
                "kind": chip.kind,
                "remove": _url(params, ignore=[*params.getlist("ignore"), chip.key]),
            }
        )
    if filters.category:
        chips.append(
            {"label": filters.category.localized_name(), "kind": "filter", "remove": _url(params, category=None)}
        )
    for key, values in (
        ("kind", filters.kinds),
        ("country", filters.countries),
        ("cert", filters.certs),
        ("custom", filters.custom),
    ):
        for value in values:
            label = _filter_label(key, value)
            chips.append({"label": label, "kind": "filter", "remove": _toggle(params, key, value)})
    for key, label, attribute in (
        ("verified", _("Verified"), "verified"),
        ("ta", _("Silkway Order Protection"), "trade_assurance"),
        ("live", _("Live now"), "live"),
    ):
        if getattr(filters, attribute, False):
            chips.append({"label": label, "kind": "filter", "remove": _url(params, **{key: None})})
    for key, template in (
        ("moq", _("MOQ ≤ %s")),
        ("lead", _("Lead time ≤ %s days")),
        ("capacity", _("Capacity ≥ %s / month")),
    ):
        if getattr(filters, key):
            chips.append(
                {"label": template % getattr(filters, key), "kind": "filter", "remove": _url(params, **{key: None})}
            )
    if filters.price:
        label = _("Unit price %s") % _price_label(filters.price)
        chips.append({"label": label, "kind": "filter", "remove": _url(params, price=None)})
    facets = result.facets
    links = {}
    if tab == SearchTab.PRODUCTS and facets:
        links = {
            "categories": [
                dict(
                    row,
                    url=_url(params, category=row["category"].slug),
                    active=filters.category and filters.category.pk == row["category"].pk,
                )
                for row in facets["categories"]
            ],
            "kinds": [(label, n, _toggle(params, "kind", k), k in filters.kinds) for k, label, n in facets["kinds"]],
            "countries": [
                (_filter_label("country", c), n, _toggle(params, "country", c), c in filters.countries)
                for c, n in facets["countries"]
            ],
            "certs": [(label, n, _toggle(params, "cert", c), c in filters.certs) for c, label, n in facets["certs"]],
            "moq": [
                (limit, n, _url(params, moq=None if filters.moq == limit else str(limit)), filters.moq == limit)
                for limit, n in facets["moq"]
            ],
            "lead": [
                (limit, n, _url(params, lead=None if filters.lead == limit else str(limit)), filters.lead == limit)
                for limit, n in facets["lead"]
            ],
            "price": [
                (_price_label(key), n, _url(params, price=None if filters.price == key else key), filters.price == key)
                for key, n in facets["price"]
            ],
            "custom": [
                (_filter_label("custom", key), n, _toggle(params, "custom", key), key in filters.custom)
                for key, n in facets["custom"]
            ],
            "verified": (
                facets["verified"],
                _url(params, verified=None if filters.verified else "1"),
                filters.verified,
            ),
            "ta": (facets["ta"], _url(params, ta=None if filters.trade_assurance else "1"), filters.trade_assurance),
            "live": (facets.get("live", 0), _url(params, live=None if filters.live else "1"), filters.live),
        }
    elif facets:
        links = {
            "kinds": [(label, n, _toggle(params, "kind", k), k in filters.kinds) for k, label, n in facets["kinds"]],
            "verified": (
                facets["verified"],
                _url(params, verified=None if filters.verified else "1"),
                filters.verified,
            ),
            "ta": (facets["ta"], _url(params, ta=None if filters.trade_assurance else "1"), filters.trade_assurance),
            "capacity": [
                (
                    limit,
                    _url(params, capacity=None if filters.capacity == limit else str(limit)),
                    filters.capacity == limit,
                )
                for limit in engine.CAPACITY_BUCKETS
            ],
        }
    page = result.page
    return {
        "result": result,
        "q": result.query.text,
        "tab": tab,
        # The header's search box stays on the tab being searched.
        "search_tab": tab,
        "tabs": [(value, label, _url(params, tab=value)) for value, label in SearchTab.choices],
        "chips": chips,
        "links": links,
        "log_id": log.pk if log else "",
        "sorts": [(key, label, _url(params, sort=key)) for key, label in SORT_LABELS.items()],
        "sort": getattr(result, "sort", ""),
        "page": page,
        "previous_url": _url(params, page=str(page.number - 1)) if page.has_previous else "",
        "next_url": _url(params, page=str(page.number + 1)) if page.has_next else "",
        "suggestion_url": _url(params, q=result.suggestion) if getattr(result, "suggestion", "") else "",
        "ignored": result.filters.ignored,
        "too_long": result.query.truncated,
    }


@require_GET
def autocomplete(request):
    data = search_autocomplete(prefix=request.GET.get("q", ""), language=base_language(get_language()))
    return JsonResponse(data)


@csrf_exempt  # a beacon that only counts; carries no session-bound action
@require_POST
def click(request):
    """A click on a search's results: `log` (the search), and for a product result `product` (its id) and
    `position` (1-based, among the organic results). Bad input: 400 with the reason, nothing written."""
    log_id = engine._int(request.POST.get("log"), low=1)
    if log_id is None:
        return HttpResponseBadRequest("log must be a search log id")
    product_id = position = None
    if request.POST.get("product", "") != "":
        product_id = engine._int(request.POST["product"], low=1)
        if product_id is None:
            return HttpResponseBadRequest("product must be a product id")
    if request.POST.get("position", "") != "":
        position = engine._int(request.POST["position"], low=1)
        if position is None or position > MAX_CLICK_POSITION or product_id is None:
            return HttpResponseBadRequest("position must be a number from 1 to 1000, with a product")
    try:
        services.search_click_record(log_id=log_id, product_id=product_id, position=position)
    except services.SearchClickRejected as error:
        return HttpResponseBadRequest(str(error))
    return JsonResponse({"ok": True})
