"""What the index derives goes stale with the calendar or behind the services' back; the beat tasks and the
certificate receivers bring it back (search.services.search_documents_refresh_derived, search_index_catch_up)."""

import datetime

import pytest
from django.utils import timezone

from marketplace.models import Product, ProductStatus
from search.engine import product_search, supplier_search
from search.models import ProductSearchDocument
from search.services import search_index_catch_up
from search.tasks import search_documents_refresh_derived_task, search_index_catch_up_task
from suppliers.models import Certification, Supplier, VerificationLevel
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def ids(result):
    return [p.pk for p in result.hits]


def _time_passes(certification, *, valid_from, valid_until, indexed_days_ago=2):
    """The calendar moves on: the certificate's dates are now in the past, and the documents were written days
    ago. Queryset updates, so no signal fires (as none fires when a date simply passes)."""
    Certification.objects.filter(pk=certification.pk).update(valid_from=valid_from, valid_until=valid_until)
    ProductSearchDocument.objects.update(indexed_at=timezone.now() - indexed_days_ago * DAY)


def test_lapsed_certificate_stops_matching_after_the_nightly_refresh(catalog):
    drill = catalog["products"]["drill"]
    ce = drill.certifications.get()
    today = timezone.localdate()
    _time_passes(ce, valid_from=today - 400 * DAY, valid_until=today - DAY)
    # Stale: the index still says CE.
    assert ids(product_search(q="cordless drill CE")) == [drill.pk]

    counts = search_documents_refresh_derived_task.delay().get()
    assert counts == {"reindexed": 1, "suppliers": 0, "supplier_documents": 0}  # the signals kept suppliers

    assert ProductSearchDocument.objects.get(product=drill).cert_codes == ""
    result = product_search(q="cordless drill CE")
    assert result.relaxed == "filter"  # the cert: filter matched nothing and had to be dropped
    assert product_search(q="drill").facets["certs"] == []
    # Idempotent: nothing changed since.
    assert search_documents_refresh_derived_task.delay().get()["reindexed"] == 0


def test_certificate_that_starts_later_matches_from_that_day(catalog):
    trader_drill = catalog["products"]["drill_trader"]
    today = timezone.localdate()
    iso = CertificationFactory(
        supplier=catalog["trader"], type="ISO9001", valid_from=today + 10 * DAY, valid_until=today + 400 * DAY
    )
    trader_drill.certifications.add(iso)
    from marketplace.services import product_refresh_derived

    product_refresh_derived(product=trader_drill)
    assert ids(product_search(q="drill", params={"cert": "ISO9001"})) != [trader_drill.pk]
    # A fixed "today" stands in for the clock.
    assert search_documents_refresh_derived_task.delay(today=(today + 9 * DAY).isoformat()).get()["reindexed"] == 0
    assert search_documents_refresh_derived_task.delay(today=(today + 10 * DAY).isoformat()).get()["reindexed"] == 1
    assert ProductSearchDocument.objects.get(product=trader_drill).cert_codes == "|ISO9001|"


def test_nightly_refresh_copies_supplier_signals_a_signal_missed(catalog):
    trader, drill = catalog["trader"], catalog["products"]["drill_trader"]
    Supplier.objects.filter(pk=trader.pk).update(verification_level=VerificationLevel.ONSITE)
    Supplier.objects.filter(pk=catalog["maker_vn"].pk).update(leaderboard_standing=0.5)
    assert drill.pk not in ids(product_search(q="drill", params={"verified": "1"}))
    counts = search_documents_refresh_derived_task.delay().get()
    assert counts["suppliers"] == 2
    assert (
        counts["supplier_documents"]
        == ProductSearchDocument.objects.filter(supplier__in=[trader, catalog["maker_vn"]]).count()
    )
    assert drill.pk in ids(product_search(q="drill", params={"verified": "1"}))
    assert set(
        ProductSearchDocument.objects.filter(supplier=catalog["maker_vn"]).values_list("supplier_standing", flat=True)
    ) == {0.5}
    assert search_documents_refresh_derived_task.delay().get()["suppliers"] == 0


def test_supplier_search_certificate_filter_ignores_expired_certificates(catalog):
    factory = catalog["factory"]
    assert [s.pk for s in supplier_search(q="drill", params={"cert": "CE"}).hits] == [factory.pk]
    today = timezone.localdate()
    Certification.objects.filter(supplier=factory, type="CE").update(
        valid_from=today - 400 * DAY, valid_until=today - DAY
    )
    assert supplier_search(q="drill", params={"cert": "CE"}).hits == []
    Certification.objects.filter(supplier=factory, type="CE").update(
        valid_from=today + DAY, valid_until=today + 400 * DAY
    )
    assert supplier_search(q="drill", params={"cert": "CE"}).hits == []  # not yet in force


def test_certificate_edit_reaches_the_index(catalog, django_capture_on_commit_callbacks):
    drill = catalog["products"]["drill"]
    ce = drill.certifications.get()
    ce.valid_until = timezone.localdate() - DAY
    ce.valid_from = ce.valid_until - 300 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        ce.save()
    assert ProductSearchDocument.objects.get(product=drill).cert_codes == ""
    with django_capture_on_commit_callbacks(execute=True):
        ce.delete()
    assert ProductSearchDocument.objects.filter(product=drill).exists()


def test_catch_up_reindexes_what_bypassed_the_services(catalog):
    mug, grinder = catalog["products"]["mug"], catalog["products"]["grinder"]
    # A raw update (as auto_now would stamp a save): after the document was written, and no signal.
    Product.objects.filter(pk=mug.pk).update(title="Ceramic Mug Xyloquartz", updated_at=timezone.now())
    Product.objects.filter(pk=grinder.pk).update(status=ProductStatus.DRAFT)
    assert ids(product_search(q="xyloquartz")) == []
    assert search_index_catch_up_task.delay().get() == 2
    assert ids(product_search(q="xyloquartz")) == [mug.pk]
    assert not ProductSearchDocument.objects.filter(product=grinder).exists()
    assert search_index_catch_up() == 0  # nothing left behind
