"""The seller centre's own pages. Thin: find the seller's supplier, call the selectors, render."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from suppliers.admin_scoping import seller_site
from suppliers.tenancy import request_supplier

from . import selectors, setup


def dashboard(request):
    """/seller/: what waits for the seller, how the storefront is doing, and every screen of the seller centre.
    Wrapped in seller_site.admin_view (sellercentre/urls.py): only a signed-in supplier's staff get here."""
    supplier = request_supplier(request)
    steps = setup.setup_steps(supplier)
    done, total = setup.setup_progress(steps)
    stats = selectors.dashboard_stats(supplier=supplier)
    todos = selectors.dashboard_todos(supplier=supplier)
    chart_data = {
        "labels": [start.isoformat() for start in stats.series.starts],
        "series": {
            "views": stats.series.views,
            "inquiries": stats.series.inquiries,
            "median_minutes": stats.series.median_minutes,
        },
    }
    context = {
        **seller_site.each_context(request),
        "title": _("Dashboard"),
        "supplier": supplier,
        "setup_steps": steps,
        # The checklist stays until every required step is done (inviting a colleague is optional).
        "setup_done": done == total,
        "todos": todos,
        "todo_total": sum(todo.count for todo in todos),
        "todos_clear": [todo for todo in todos if not todo.count],
        "figures": stats.figures,
        "weeks": stats.series.rows(),
        "chart_data": chart_data,
        "positions": selectors.dashboard_positions(supplier=supplier),
        "period_days": selectors.PERIOD_DAYS,
        "app_list": seller_site.get_app_list(request),
    }
    return render(request, "sellercentre/dashboard.html", context)
