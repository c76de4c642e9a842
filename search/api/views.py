"""The search API: the same engine as /search/ (query understanding, ranking blend, facets, zero-result recovery),
as JSON. Thin: validate the parameters, call the engine, log the search, serialize."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.languages import base_language

from .. import engine, services, sponsored
from ..models import SearchTab
from .serializers import (
    ProductCardSerializer,
    ProductSearchParamsSerializer,
    ProductSearchResponseSerializer,
    SupplierSearchParamsSerializer,
    SupplierSearchResponseSerializer,
    SupplierSearchResultSerializer,
    page_data,
    product_facets_data,
    query_data,
    supplier_facets_data,
)

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Language of names and product text in the results (and the query's, if it cannot be told).",
)


class _SearchView(APIView):
    permission_classes = [AllowAny]
    tab = SearchTab.PRODUCTS
    params_class = ProductSearchParamsSerializer

    def _search(self, request, run):
        params = self.params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        extra = {"sort": data["sort"]} if self.tab == SearchTab.PRODUCTS else {}
        result = run(
            **extra,
            q=data["q"],
            params=params.engine_params(),
            page=data["page"],
            per_page=data["per_page"],
            ui_language=base_language(get_language()),
            query_language=data.get("lang"),
            ignore=data.get("ignore", []),
        )
        log = None
        if data["q"].strip() or result.filters.as_dict():
            log = services.search_log_record(
                query=result.query.text,
                language=result.query.language,
                tab=self.tab,
                filters={**result.filters.as_dict(), "understood": [c.key for c in result.query.chips], "api": True},
                result_count=result.page.total,
                relaxed=bool(getattr(result, "relaxed", "")),
            )
        return result, {
            "query": query_data(result.query),
            "page": page_data(result.page),
            "ignored": result.filters.ignored,
            "search_log": log.pk if log else None,
        }


class ProductSearchView(_SearchView):
    @extend_schema(
        summary="Search products",
        description="Products as the /search/ page finds them: the query is understood (language, glossary, "
        "numbers with units, certificates, supplier kinds, price phrases — returned as chips), ranked "
        "by the one blend of text relevance, listing quality and supplier signals, with facet counts "
        "and zero-result recovery (spelling, fewer words, the costliest filter).",
        tags=["search"],
        parameters=[ProductSearchParamsSerializer, ACCEPT_LANGUAGE],
        responses=ProductSearchResponseSerializer,
    )
    def get(self, request):
        result, data = self._search(request, engine.product_search)
        context = {"request": request}
        data.update(
            {
                "sort": result.sort,
                "results": ProductCardSerializer(result.hits, many=True, context=context).data,
                # Beside the organic results, never among them: labelled, with the link a tap must follow.
                "sponsored": [
                    {
                        **ProductCardSerializer(ad["product"], context=context).data,
                        "sponsored": True,
                        "headline": ad["headline"],
                        "click_url": request.build_absolute_uri(ad["click_url"]),
                    }
                    for ad in (sponsored.sponsored_for(result, request=request) if result.hits else [])
                ],
                "facets": product_facets_data(result.facets),
                "recovery": {
                    "relaxed": result.relaxed,
                    "relaxed_filter": str(result.relaxed_filter),
                    "partial_from": result.partial_from,
                    "did_you_mean": result.suggestion,
                    "suggested_categories": [
                        {"id": c.pk, "slug": c.slug, "name": c.localized_name(get_language())}
                        for c in result.suggested_categories
                    ],
                },
            }
        )
        return Response(data)


class SupplierSearchView(_SearchView):
    tab = SearchTab.SUPPLIERS
    params_class = SupplierSearchParamsSerializer

    @extend_schema(
        summary="Search suppliers",
        description="Factories and trading companies by capability, as the /search/ page's suppliers tab finds "
        "them: what they sell (their matching published products), what they declare (capacities, "
        "profile, region), with kind, country, valid certificate, verification and capacity filters.",
        tags=["search"],
        parameters=[SupplierSearchParamsSerializer, ACCEPT_LANGUAGE],
        responses=SupplierSearchResponseSerializer,
    )
    def get(self, request):
        result, data = self._search(request, engine.supplier_search)
        data.update(
            {
                "results": SupplierSearchResultSerializer(result.hits, many=True, context={"request": request}).data,
                "facets": supplier_facets_data(result.facets),
            }
        )
        return Response(data)
