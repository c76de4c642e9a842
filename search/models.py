"""Search tables: one denormalized document per published product, its numeric specs, the indexed vocabulary
(autocomplete and "did you mean") and the search log.

The tables were created by marketplace migrations 0005-0010 and moved to this app by state only (marketplace
0011, search 0001), so they keep their marketplace_* names: `db_table` is explicit on every model.
The full-text parts are backend-specific and were created by marketplace 0005/0006 only where they apply:
PostgreSQL adds `vector` and `rank_vector` tsvector columns (GIN) to the document table and trigram indexes on the
vocabulary; SQLite gets the FTS5 table `marketplace_search_fts`. Both are kept current by search.services,
which hears about catalog writes through marketplace.signals.products_changed (see search/signals.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
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


# --- the search log learns: clicks -> synonym candidates -> operator synonyms --------------------------------------


class SearchClick(models.Model):
    """Which product a search's result click landed on (and where it was shown). Like the log, nothing about who
    clicked. One row per (search, product): a buyer clicking the same result again adds no evidence."""

    log = models.ForeignKey(SearchLog, on_delete=models.CASCADE, related_name="product_clicks")
    product = models.ForeignKey("marketplace.Product", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    created_at = models.DateTimeField(_("clicked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search click")
        verbose_name_plural = _("search clicks")
        constraints = [models.UniqueConstraint(fields=["log", "product"], name="search_click_once_per_product")]

    def __str__(self):
        return f"{self.log_id} -> {self.product_id}"


class SearchSynonym(models.Model):
    """An operator's dictionary entry: a buyer's phrase in a language searched as an English phrase (and hinting a
    category), merged into search.glossary alongside the platform vocabulary. Unique per (folded phrase, language)."""

    term = models.CharField(_("term"), max_length=100, help_text=_("The buyer's words, as they search them."))
    # glossary.key(term): what a query is looked up by; unique with the language.
    key = models.CharField(max_length=100, editable=False)
    language = models.CharField(_("language"), max_length=10)
    canonical = models.CharField(
        _("English phrase"), max_length=200, help_text=_("What the term is also searched as, in English listings.")
    )
    category = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["language", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="search_synonym_unique_term")]

    def __str__(self):
        return f"{self.term} ({self.language}) → {self.canonical}"

    def clean(self):
        from .glossary import key  # here: the glossary loads the vocabulary, models must import cheaply

        self.term, self.canonical = " ".join((self.term or "").split()), " ".join((self.canonical or "").split())
        self.key = key(self.term)
        errors = {}
        if not self.key:
            errors["term"] = _("Enter the words buyers search for.")
        if not key(self.canonical):
            errors["canonical"] = _("Enter the English phrase to search for.")
        elif self.key and self.key == key(self.canonical):
            errors["canonical"] = _("The English phrase is the term itself: a synonym must say something else.")
        if self.key and SearchSynonym.objects.filter(key=self.key, language=self.language).exclude(pk=self.pk).exists():
            errors["term"] = _("There is already a synonym for this term in this language.")
        if errors:
            raise ValidationError(errors)


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SynonymCandidate(models.Model):
    """A phrase buyers searched whose clicks landed on products that do not contain it (search.learning), proposed
    as a synonym of an English phrase from those products. Mining refreshes a pending candidate's evidence; an
    operator approves it (creating a SearchSynonym) or rejects it, and mining never reopens a decided one."""

    term = models.CharField(_("term"), max_length=100)  # a glossary.key
    language = models.CharField(_("language"), max_length=10)
    canonical = models.CharField(_("proposed English phrase"), max_length=200)
    category = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING, db_index=True
    )
    searches = models.PositiveIntegerField(_("searches"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    products = models.PositiveIntegerField(_("clicked products"), default=0)
    example_product_ids = models.JSONField(_("example products"), default=list, blank=True)
    created_at = models.DateTimeField(_("first proposed"), auto_now_add=True)
    mined_at = models.DateTimeField(_("evidence as of"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    synonym = models.ForeignKey(
        SearchSynonym,
        verbose_name=_("synonym"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
    )

    class Meta:
        verbose_name = _("synonym candidate")
        verbose_name_plural = _("synonym candidates")
        ordering = ["-clicks", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="search_candidate_unique_term")]

    def __str__(self):
        return f"{self.term} ({self.language}) → {self.canonical}"
