"""Operators' view of search in /admin/: the raw log, the zero-result report (queries that found nothing,
grouped, most frequent first) that tells merchandising which words the catalog or the glossary is missing, and the
learning loop: synonym candidates mined from result clicks (approve, edit and approve, reject) and the operators'
synonym dictionary they become (search.glossary merges the active ones). Registered on /admin/ only: never on the
sellers' site. Every write goes through search.services."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Max, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CandidateStatus, SearchLog, SearchSynonym, SynonymCandidate, ZeroResultSearch

REPORT_DAYS = (7, 30, 90)


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "tab", "result_count", "clicks", "relaxed", "created_at"]
    list_filter = ["language", "tab", "relaxed", "created_at"]
    search_fields = ["query", "normalized"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SearchLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(admin.ModelAdmin):
    """One row per normalized query with no results in the period, with its count, languages and last time."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in REPORT_DAYS else 30
        since = timezone.now() - timedelta(days=days)
        rows = (
            SearchLog.objects.filter(result_count=0, created_at__gte=since)
            .exclude(normalized="")
            .values("normalized", "tab")
            .annotate(searches=Count("id"), last=Max("created_at"), example=Max("query"), language=Max("language"))
            .order_by("-searches", "-last")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Zero-result searches"),
            "rows": rows,
            "days": days,
            "periods": REPORT_DAYS,
            "total": SearchLog.objects.filter(created_at__gte=since).count(),
            "zero": SearchLog.objects.filter(created_at__gte=since, result_count=0).count(),
        }
        return TemplateResponse(request, "search/admin/zero_results.html", context)


class SearchSynonymForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)

    class Meta:
        model = SearchSynonym
        fields = ["term", "language", "canonical", "category", "active"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The operators' dictionary: add, edit, deactivate. Saved through services, so every web process's glossary
    picks the change up within a minute."""

    form = SearchSynonymForm
    list_display = ["term", "language", "canonical", "category", "active", "created_by", "updated_at"]
    list_filter = ["active", "language"]
    search_fields = ["term", "canonical"]
    list_select_related = ["category", "created_by"]
    raw_id_fields = ["category"]
    actions = ["activate_selected", "deactivate_selected"]

    def save_model(self, request, obj, form, change):
        services.search_synonym_save(synonym=obj, user=request.user)

    def delete_model(self, request, obj):
        services.search_synonyms_delete(synonym_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.search_synonyms_delete(synonym_ids=list(queryset.values_list("pk", flat=True)))

    @admin.action(description=_("Activate the selected synonyms"), permissions=["change"])
    def activate_selected(self, request, queryset):
        n = services.search_synonyms_set_active(synonym_ids=list(queryset.values_list("pk", flat=True)), active=True)
        self.message_user(request, ngettext("%(n)d synonym activated.", "%(n)d synonyms activated.", n) % {"n": n})

    @admin.action(description=_("Deactivate the selected synonyms"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        n = services.search_synonyms_set_active(synonym_ids=list(queryset.values_list("pk", flat=True)), active=False)
        self.message_user(request, ngettext("%(n)d synonym deactivated.", "%(n)d synonyms deactivated.", n) % {"n": n})


class CandidateDecisionForm(forms.Form):
    term = forms.CharField(label=_("term"), max_length=100)
    canonical = forms.CharField(label=_("English phrase"), max_length=200)


@admin.register(SynonymCandidate)
class SynonymCandidateAdmin(admin.ModelAdmin):
    """Candidates mined from the search log, pending first, with their evidence and the clicked products. Approve
    (as proposed, or with the operator's wording on the decide page) or reject, one by one or in bulk."""

    list_display = [
        "term",
        "language",
        "canonical",
        "category",
        "status",
        "searches",
        "clicks",
        "products",
        "clicked_products",
        "mined_at",
        "decide_link",
    ]
    list_filter = ["status", "language"]
    search_fields = ["term", "canonical"]
    list_select_related = ["category"]
    # The clicked products as links, not the stored list of ids.
    readonly_fields = [
        *(f.name for f in SynonymCandidate._meta.fields if f.name != "example_product_ids"),
        "clicked_products",
    ]
    actions = ["approve_selected", "reject_selected"]
    change_list_template = "search/admin/synonymcandidate_change_list.html"

    def has_add_permission(self, request):
        return False

    def get_ordering(self, request):
        pending_first = Case(
            When(status=CandidateStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return [pending_first.asc(), "-clicks", "term"]

    @admin.display(description=_("clicked products"))
    def clicked_products(self, obj):
        # Links built from the stored ids: no query per row.
        return format_html_join(
            " ",
            '<a href="{}">#{}</a>',
            ((reverse("admin:marketplace_product_change", args=[pk]), pk) for pk in obj.example_product_ids or ()),
        )

    @admin.display(description=_("decision"))
    def decide_link(self, obj):
        if obj.status != CandidateStatus.PENDING:
            return obj.get_status_display()
        url = reverse("admin:search_synonymcandidate_decide", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Approve or reject…"))

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        mine = self.admin_site.admin_view(self.mine_view)
        return [
            path("<int:pk>/decide/", decide, name="search_synonymcandidate_decide"),
            path("mine/", mine, name="search_synonymcandidate_mine"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        candidate = get_object_or_404(SynonymCandidate.objects.select_related("category"), pk=pk)
        if not self.has_change_permission(request, candidate):
            raise PermissionDenied
        changelist = reverse("admin:search_synonymcandidate_changelist")
        form = CandidateDecisionForm(
            request.POST or None, initial={"term": candidate.term, "canonical": candidate.canonical}
        )
        if request.method == "POST" and candidate.status == CandidateStatus.PENDING:
            if "reject" in request.POST:
                services.synonym_candidate_reject(candidate_id=candidate.pk, user=request.user)
                self.message_user(request, gettext("Rejected “%(term)s”.") % {"term": candidate.term})
                return redirect(changelist)
            if form.is_valid():
                try:
                    synonym = services.synonym_candidate_approve(
                        candidate_id=candidate.pk,
                        user=request.user,
                        term=form.cleaned_data["term"],
                        canonical=form.cleaned_data["canonical"],
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    self.message_user(
                        request,
                        gettext("Approved: “%(term)s” is now also searched as “%(canonical)s”.")
                        % {"term": synonym.term, "canonical": synonym.canonical},
                    )
                    return redirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Decide on a synonym candidate"),
            "candidate": candidate,
            "form": form,
            "products": [
                (pk, reverse("admin:marketplace_product_change", args=[pk])) for pk in candidate.example_product_ids
            ],
            "pending": candidate.status == CandidateStatus.PENDING,
        }
        return TemplateResponse(request, "search/admin/synonym_candidate_decide.html", context)

    @admin.action(description=_("Approve the selected candidates as proposed"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide_each(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected candidates"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._decide_each(request, queryset, approve=False)

    def mine_view(self, request):
        """The "Mine now" button above the list (a POST): what the daily task does, for an operator who can't wait."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        summary = services.synonym_candidates_mine()
        self.message_user(
            request,
            gettext("Mined the search log: %(created)d new candidates, %(updated)d updated.") % summary,
        )
        return redirect("admin:search_synonymcandidate_changelist")

    def _decide_each(self, request, queryset, *, approve):
        done = 0
        for candidate in queryset.filter(status=CandidateStatus.PENDING):
            try:
                if approve:
                    services.synonym_candidate_approve(candidate_id=candidate.pk, user=request.user)
                else:
                    services.synonym_candidate_reject(candidate_id=candidate.pk, user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{candidate.term}: {' '.join(error.messages)}", messages.ERROR)
        if approve:
            message = ngettext("%(n)d candidate approved.", "%(n)d candidates approved.", done)
        else:
            message = ngettext("%(n)d candidate rejected.", "%(n)d candidates rejected.", done)
        self.message_user(request, message % {"n": done})


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the decide form: field errors where the form has the field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
