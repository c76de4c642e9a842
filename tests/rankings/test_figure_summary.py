"""The storefront's R&D and main-business shares come from the ranking figures, their one source."""

from decimal import Decimal

from django.urls import reverse

from rankings import services
from rankings.models import SupplierFigures
from suppliers.models import Supplier


def _save(supplier, year, **values):
    return services.supplier_figures_save(figures=SupplierFigures(supplier=supplier, fiscal_year=year, **values))


def test_latest_fiscal_year_figures_reach_the_profile(supplier_a):
    _save(
        supplier_a,
        2023,
        revenue_cny=Decimal("10000000"),
        rd_spend_cny=Decimal("300000"),
        main_business_share=Decimal("70"),
    )
    _save(
        supplier_a,
        2024,
        revenue_cny=Decimal("40000000"),
        rd_spend_cny=Decimal("2000000"),
        main_business_share=Decimal("82.5"),
    )
    profile = Supplier.objects.get(pk=supplier_a.pk)
    assert (profile.rd_spend_share, profile.main_business_revenue_share) == (Decimal("5.00"), Decimal("82.50"))

    # An older year edited later does not win over the latest one.
    older = SupplierFigures.objects.get(supplier=supplier_a, fiscal_year=2023)
    older.main_business_share = Decimal("60")
    services.supplier_figures_save(figures=older)
    assert Supplier.objects.get(pk=supplier_a.pk).main_business_revenue_share == Decimal("82.50")


def test_unknown_figures_leave_the_shares_unknown(supplier_a):
    _save(supplier_a, 2024, revenue_cny=None, rd_spend_cny=Decimal("1000"))
    profile = Supplier.objects.get(pk=supplier_a.pk)
    assert profile.rd_spend_share is None and profile.main_business_revenue_share is None


def test_sellers_cannot_type_the_shares(seller_a_client, supplier_a):
    url = reverse("seller:suppliers_supplier_change", args=[supplier_a.pk])
    page = seller_a_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "rd_spend_share" not in form.fields and "main_business_revenue_share" not in form.fields
    assert "R&amp;D spend" in page.content.decode()  # still shown, read-only
