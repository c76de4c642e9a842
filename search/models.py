"""Search tables: one denormalized document per published product, its numeric specs, the indexed vocabulary
(autocomplete and "did you mean") and the search log.

The tables were created by marketplace migrations 0005-0010 and moved to this app by state only (marketplace
0011, search 0001), so they keep their marketplace_* names: `db_table` is explicit on every model.
The full-text parts are backend-specific and were created by marketplace 0005/0006 only where they apply:
PostgreSQL adds `vector` and `rank_vector` tsvector columns (GIN) to the document table and trigram indexes on the
vocabulary; SQLite gets the FTS5 table `marketplace_search_fts`. Both are kept current by search.services,
which hears about catalog writes through marketplace.signals.products_changed (see search/signals.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProductSearchDocument(models.Model):
    """What search filters, facets and ranks on, copied from the product so a query touches one table."""

    product = models.OneToOneField(
        "marketplace.Product", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("taxonomy.Category", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    moq = models.PositiveIntegerField()
    lead_time_days = models.PositiveSmallIntegerField()
    price_min = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    currency = models.CharField(max_length=3)
    quality_score = models.PositiveSmallIntegerField(default=0)
    custom_logo = models.BooleanField(default=False)
    custom_packaging = models.BooleanField(default=False)
    custom_color = models.BooleanField(default=False)
    oem = models.BooleanField(default=False)
    odm = models.BooleanField(default=False)
    samples_available = models.BooleanField(default=False)
    # "|CE|FDA|": valid certificates linked to the product, matched with LIKE on every backend.
    cert_codes = models.CharField(max_length=250, blank=True, default="")
    published_at = models.DateTimeField(null=True)
    # The supplier's signals, copied so filters, facets and ranking read one table whatever the supplier count;
    # kept current by search_documents_sync_suppliers on every supplier save.
    supplier_kind = models.CharField(max_length=20, default="")
    supplier_country = models.CharField(max_length=2, default="")
    supplier_verified = models.BooleanField(default=False)
    supplier_trade_assurance = models.BooleanField(default=False)
    supplier_response_rate = models.PositiveSmallIntegerField(default=0)  # whole percent, 0 when unknown
    supplier_standing = models.FloatField(default=0)  # Supplier.leaderboard_standing
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        db_table = "marketplace_productsearchdocument"
        indexes = [
            models.Index(fields=["category", "price_min"], name="search_doc_category_price"),
            models.Index(fields=["supplier"], name="search_doc_supplier"),
        ]

    def __str__(self):
        return f"search document for product {self.product_id}"


class SearchQuantity(models.Model):
    """A numeric spec of a product in a canonical unit (V, W, Ah, Wh, C, mm, ml, kg ...), as a closed range,
    so "-30 °C" finds "Operating Temperature: -30 to 55 °C" and "2 kW" finds "2000 W"."""

    document = models.ForeignKey(ProductSearchDocument, on_delete=models.CASCADE, related_name="quantities")
    unit = models.CharField(max_length=8)
    low = models.FloatField()
    high = models.FloatField()

    class Meta:
        verbose_name = _("search quantity")
        verbose_name_plural = _("search quantities")
        db_table = "marketplace_searchquantity"
        indexes = [
            models.Index(fields=["document", "unit", "low", "high"], name="search_quantity_lookup"),
            # The specs boost for many candidates: every document with a value in range, from the index alone.
            models.Index(fields=["unit", "low", "high", "document"], name="search_quantity_in_range"),
        ]
        constraints = [models.CheckConstraint(condition=Q(low__lte=models.F("high")), name="search_quantity_range")]

    def __str__(self):
        return f"{self.low}–{self.high} {self.unit}"


class SearchTerm(models.Model):
    """A folded word from titles, keywords and category names, with how many documents use it."""

    term = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        db_table = "marketplace_searchterm"
        indexes = [models.Index(fields=["language", "-frequency"], name="search_term_language")]

    def __str__(self):
        return self.term


class SearchTab(models.TextChoices):
    PRODUCTS = "products", _("Products")
    SUPPLIERS = "suppliers", _("Suppliers")


class SearchLog(models.Model):
    """One search as run, without anything that identifies the buyer (no user, session, IP or agent)."""

    query = models.CharField(_("query"), max_length=200)
    normalized = models.CharField(_("normalized query"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    tab = models.CharField(max_length=10, choices=SearchTab.choices, default=SearchTab.PRODUCTS)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    result_count = models.PositiveIntegerField(_("results"))
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    relaxed = models.BooleanField(_("relaxed to find results"), default=False)
    created_at = models.DateTimeField(_("searched at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        db_table = "marketplace_searchlog"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["result_count", "created_at"], name="search_log_zero_results")]

    def __str__(self):
        return f"{self.query} ({self.result_count})"


class ZeroResultSearch(SearchLog):
    """The operators' zero-result report in /admin/ (a proxy: same rows, grouped by query)."""

    class Meta:
        proxy = True
        verbose_name = _("zero-result search")
        verbose_name_plural = _("zero-result report")
