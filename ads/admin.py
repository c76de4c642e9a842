"""Keyword ads in both admin sites.

Sellers (/seller/ → Ads) see their own supplier's campaigns only. The campaign list shows today's spend and the
last 30 days' figures (annotated in the list's one query). A campaign page carries everything about one campaign:
its figures as charts and a table, the tuner's recommendations (apply all, some or none; headlines editable before
approval; "Tune now"), the keywords with their figures and editable bids and states, an "Add keywords" form with a
per-line report and suggestions in several buyer languages, negative keywords, promoted products, the search-term
report and the tuning runs. Every write goes through ads.services; a refusal (ValidationError) comes back as an
admin message and form errors, with nothing changed.

Operators (/admin/ → Ads) see every campaign with its figures read-only and may pause or resume one (through
campaign_update) or run its tuning now; a report shows the platform's ad revenue by day and the flagged click
patterns. Clicks, conversions, daily figures and campaign days are money records: nobody adds or edits them here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from celery.result import EagerResult
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import fields_for_model
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_base import ReadOnlyAdmin
from core.forms import service_error_on_form
from core.languages import language_codes
from suppliers.admin_scoping import ScopedModelAdmin, seller_site
from suppliers.tenancy import request_supplier

from . import selectors, services, tasks
from .models import (
    MAX_BID,
    MIN_BID,
    AdCampaign,
    AdCampaignDay,
    AdClick,
    AdConversion,
    AdKeyword,
    AdNegativeKeyword,
    AdPromotedProduct,
    AdRecommendation,
    AdStat,
    AdTuningRun,
    CampaignState,
    KeywordState,
    MatchType,
    RecommendationKind,
    RecommendationState,
    TuningRunState,
)
from .reasons import reason_in_language

CENT = Decimal("0.01")
MAX_LINES = 1000  # what keywords_add_bulk reads of one paste
MAX_SUGGESTIONS_PICKED = 100
SOURCE_LABELS = {
    "search": _("buyer searches"),
    "translation": _("your translated listing"),
    "product": _("your listing"),
    "category": _("category name"),
}


# --- shared pieces ----------------------------------------------------------------------------------------------


def _money(amount, currency: str = "USD") -> str:
    if amount is None:
        return "—"
    return f"{Decimal(amount).quantize(CENT):,} {currency}"


def _cost_per(spend, count) -> Decimal | None:
    return (Decimal(spend) / count).quantize(CENT) if count else None


def _rate(part, whole) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def _int_ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


EVIDENCE_WORDS = (
    ("searches", _("%(v)s buyer searches"), "count"),
    ("impressions", _("%(v)s impressions"), "count"),
    ("clicks", _("%(v)s clicks"), "count"),
    ("conversions", _("%(v)s inquiries"), "count"),
    ("spend", _("%(v)s spent"), "money"),
    ("avg_cpc", _("%(v)s a click on average"), "money"),
    ("probability_beats_break_even", _("%(v)s chance of meeting your target"), "share"),
    ("provider", _("written by %(v)s"), "text"),
)


def evidence_text(recommendation: AdRecommendation, currency: str) -> str:
    """The numbers behind a recommendation, in words ("40 clicks · 0 inquiries · 32.00 USD spent")."""
    evidence = recommendation.evidence if isinstance(recommendation.evidence, dict) else {}
    parts = []
    for key, words, kind in EVIDENCE_WORDS:
        value = evidence.get(key)
        if value is None or value == "":
            continue
        try:
            if kind == "count":
                shown = f"{int(value):,}"
            elif kind == "money":
                shown = _money(value, currency)
            elif kind == "share":
                shown = f"{float(value):.0%}"
            else:
                shown = str(value)
        except (TypeError, ValueError, ArithmeticError):
            continue
        parts.append(str(words) % {"v": shown})
    return " · ".join(parts)


def inputs_summary(run: AdTuningRun, currency: str = "USD") -> str:
    """What a tuning run looked at, in words."""
    inputs = run.inputs if isinstance(run.inputs, dict) else {}
    parts = []
    # Literal msgids, one ngettext call each: makemessages extracts only literals.
    counted = {
        "keywords": lambda n: ngettext("%(n)d keyword", "%(n)d keywords", n),
        "search_terms": lambda n: ngettext("%(n)d search term", "%(n)d search terms", n),
        "clicks": lambda n: ngettext("%(n)d click", "%(n)d clicks", n),
        "conversions": lambda n: ngettext("%(n)d inquiry", "%(n)d inquiries", n),
    }
    for key, words in counted.items():
        if isinstance(inputs.get(key), int):
            parts.append(words(inputs[key]) % {"n": inputs[key]})
    try:
        if inputs.get("spend") is not None:
            parts.append(gettext("%(v)s spent") % {"v": _money(inputs["spend"], currency)})
        if inputs.get("target_cost_per_inquiry") is not None:
            realised = inputs.get("realised_cost_per_inquiry")
            parts.append(
                gettext("cost per inquiry %(real)s (target %(target)s)")
                % {
                    "real": _money(realised, currency) if realised is not None else "—",
                    "target": _money(inputs["target_cost_per_inquiry"], currency),
                }
            )
    except (TypeError, ValueError, ArithmeticError):
        pass
    return ", ".join(parts) or "—"


def tune_now(campaign: AdCampaign) -> tuple[str, int]:
    """Run the campaign's tuning for today through its task (in-process when Celery runs eagerly) and say what
    happened: already done today, done with so many recommendations, failed (and why), or queued."""
    today = timezone.localdate()
    done = AdTuningRun.objects.filter(campaign=campaign, day=today, state=TuningRunState.DONE).first()
    if done is not None:
        return (
            gettext("“%(name)s”: today's tuning already ran; its recommendations are on the campaign page.")
            % {"name": campaign.name},
            messages.INFO,
        )
    try:
        result = tasks.ads_campaign_tune_task.delay(campaign.pk)
    except Exception:  # eager mode raises what the run recorded; a broker that cannot be reached is said the same way
        run = AdTuningRun.objects.filter(campaign=campaign, day=today).first()
        why = run.error if run is not None and run.error else gettext("the tuning could not start")
        return (
            gettext("“%(name)s”: tuning failed (%(why)s); nothing else changed. Try again later.")
            % {"name": campaign.name, "why": why},
            messages.ERROR,
        )
    if not isinstance(result, EagerResult):
        return (
            gettext("“%(name)s”: tuning started; its recommendations appear on the campaign page when it finishes.")
            % {"name": campaign.name},
            messages.SUCCESS,
        )
    waiting = AdRecommendation.objects.filter(run__campaign=campaign, state=RecommendationState.PENDING).count()
    return (
        ngettext(
            "“%(name)s”: tuning done; %(count)d recommendation is waiting for you.",
            "“%(name)s”: tuning done; %(count)d recommendations are waiting for you.",
            waiting,
        )
        % {"name": campaign.name, "count": waiting},
        messages.SUCCESS,
    )


# --- forms ------------------------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = [
    "name",
    "daily_budget",
    "target_cost_per_inquiry",
    "bid_floor",
    "bid_ceiling",
    "starts_on",
    "ends_on",
    "start_hour",
    "end_hour",
    "auto_apply",
]


class CampaignForm(forms.Form):
    """A campaign's settings. Each field's type and limits come from the model; the rules between fields (bids
    within the budget, dates, hours) are campaign_create's and campaign_update's, whose refusals land on these
    fields. A new campaign also picks the products it promotes, among the seller's own published ones."""

    def __init__(self, *args, supplier, campaign: AdCampaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(CAMPAIGN_FIELDS) if campaign is None else ["name", "state", *CAMPAIGN_FIELDS[1:]]
        date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields.update(
            fields_for_model(AdCampaign, fields=names, widgets={"starts_on": date_widget, "ends_on": date_widget})
        )
        self.fields["name"].widget.attrs["class"] = "vTextField"
        for name in ("daily_budget", "target_cost_per_inquiry", "bid_floor", "bid_ceiling"):
            self.fields[name].widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        if campaign is None:
            self.fields["products"] = forms.ModelMultipleChoiceField(
                label=_("Promoted products"),
                queryset=selectors.promotable_products(supplier=supplier),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Your published products this campaign advertises. You can add more later."),
            )
            self.initial.setdefault("starts_on", timezone.localdate())
            for name in ("bid_floor", "bid_ceiling", "start_hour", "end_hour", "auto_apply"):
                self.initial.setdefault(name, AdCampaign._meta.get_field(name).default)
        else:
            for name in names:
                self.initial.setdefault(name, getattr(campaign, name))

    def campaign_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}


class KeywordRowForm(forms.Form):
    """One row of the keywords table: the bid and the state are the editable parts."""

    bid = forms.DecimalField(
        label=_("Max cost per click"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "class": "ads-bid"}),
    )
    state = forms.ChoiceField(label=_("State"), choices=KeywordState.choices)

    def __init__(self, *args, keyword: AdKeyword, **kwargs):
        super().__init__(
            *args, prefix=f"kw-{keyword.pk}", initial={"bid": keyword.bid, "state": keyword.state}, **kwargs
        )
        self.keyword = keyword
        self.fields["bid"].widget.attrs["aria-label"] = gettext("Bid for “%(k)s”") % {"k": keyword.text}
        self.fields["state"].widget.attrs["aria-label"] = gettext("State of “%(k)s”") % {"k": keyword.text}


class SuggestionField(forms.MultipleChoiceField):
    """Ticked suggestions as "language|text"; any text is checked by keyword_add like a typed line."""

    def valid_value(self, value):
        language, separator, text = str(value).partition("|")
        return bool(separator and text.strip()) and language in language_codes()


class KeywordsAddForm(forms.Form):
    prefix = "add"
    lines = forms.CharField(
        label=_("Keywords, one per line"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 40}),
    )
    suggestion = SuggestionField(label=_("Suggestions"), required=False)
    bid = forms.DecimalField(
        label=_("Max cost per click"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    language = forms.ChoiceField(label=_("Language of the typed keywords"), choices=settings.LANGUAGES, initial="en")
    match_type = forms.ChoiceField(label=_("Match"), choices=MatchType.choices, initial=MatchType.BROAD)

    def clean_lines(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["lines"].splitlines() if line.strip()]
        if len(lines) > MAX_LINES:
            raise ValidationError(_("At most %(n)d lines at a time.") % {"n": MAX_LINES})
        return lines

    def clean_suggestion(self):
        picked = self.cleaned_data["suggestion"]
        if len(picked) > MAX_SUGGESTIONS_PICKED:
            raise ValidationError(_("At most %(n)d suggestions at a time.") % {"n": MAX_SUGGESTIONS_PICKED})
        return [tuple(value.partition("|")[::2]) for value in picked]  # (language, text)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("lines") and not data.get("suggestion"):
            raise ValidationError(_("Type keywords (one per line) or tick suggestions."))
        return data


class NegativeKeywordForm(forms.Form):
    prefix = "negative"
    text = forms.CharField(label=_("Negative keyword"), max_length=200)
    match_type = forms.ChoiceField(
        label=_("Match"),
        choices=[(MatchType.PHRASE, _("Phrase")), (MatchType.EXACT, _("Exact"))],
        initial=MatchType.PHRASE,
    )


class PromoteForm(forms.Form):
    prefix = "promote"

    def __init__(self, *args, supplier, campaign: AdCampaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"] = forms.ModelMultipleChoiceField(
            label=_("Products to promote"),
            queryset=selectors.promotable_products(supplier=supplier, campaign=campaign),
            widget=forms.CheckboxSelectMultiple,
        )


# --- both sites: list figures and campaign actions ---------------------------------------------------------------


class CampaignFiguresMixin:
    """List columns over selectors.campaigns_with_figures (the annotations live in the list's one query)."""

    def get_queryset(self, request):
        return selectors.campaigns_with_figures(super().get_queryset(request))

    @admin.display(description=_("daily budget"), ordering="daily_budget")
    def budget_display(self, campaign):
        return _money(campaign.daily_budget, campaign.currency)

    @admin.display(description=_("spent today"), ordering="f_spend_today")
    def spend_today_display(self, campaign):
        return _money(campaign.f_spend_today, campaign.currency)

    @admin.display(description=_("clicks (30 days)"), ordering="f_clicks")
    def clicks_display(self, campaign):
        return campaign.f_clicks

    @admin.display(description=_("inquiries (30 days)"), ordering="f_conversions")
    def inquiries_display(self, campaign):
        return campaign.f_conversions

    @admin.display(description=_("spend (30 days)"), ordering="f_spend")
    def spend_display(self, campaign):
        return _money(campaign.f_spend, campaign.currency)

    @admin.display(description=_("cost per inquiry"))
    def cost_per_inquiry_display(self, campaign):
        return _money(_cost_per(campaign.f_spend, campaign.f_conversions), campaign.currency)


class CampaignActionsMixin:
    """Pause, resume and "Tune now" on selected campaigns, each through the services."""

    def _set_state(self, request, queryset, state: str) -> None:
        changed = 0
        for campaign in queryset:
            if campaign.state == state:
                continue
            try:
                services.campaign_update(campaign=campaign, state=state)
            except ValidationError as error:
                self.message_user(request, f"“{campaign.name}”: {' '.join(error.messages)}", messages.ERROR)
            else:
                changed += 1
                self.log_change(request, campaign, gettext("State set to %(s)s.") % {"s": state})
        self.message_user(
            request,
            ngettext("%(n)d campaign changed.", "%(n)d campaigns changed.", changed) % {"n": changed},
            messages.SUCCESS if changed else messages.INFO,
        )

    @admin.action(description=_("Pause selected campaigns"), permissions=["change"])
    def pause_campaigns(self, request, queryset):
        self._set_state(request, queryset, CampaignState.PAUSED)

    @admin.action(description=_("Resume selected campaigns"), permissions=["change"])
    def resume_campaigns(self, request, queryset):
        self._set_state(request, queryset, CampaignState.ACTIVE)

    @admin.action(description=_("Tune now (today's keyword tuning)"), permissions=["change"])
    def tune_campaigns(self, request, queryset):
        for campaign in queryset:
            text, level = tune_now(campaign)
            self.message_user(request, text, level)


# --- Sellers (/seller/) ----------------------------------------------------------------------------------------


@admin.register(AdCampaign, site=seller_site)
class SellerCampaignAdmin(CampaignFiguresMixin, CampaignActionsMixin, ScopedModelAdmin):
    """The supplier's campaigns; the change page is the campaign page (custom view, every write a service)."""

    list_display = [
        "name",
        "state",
        "budget_display",
        "spend_today_display",
        "clicks_display",
        "inquiries_display",
        "spend_display",
        "cost_per_inquiry_display",
    ]
    list_filter = ["state"]
    search_fields = ["name"]
    actions = ["pause_campaigns", "resume_campaigns", "tune_campaigns"]
    view_on_site = False
    add_page_template = "admin/ads/campaign_add.html"
    page_template = "admin/ads/campaign_page.html"

    def has_delete_permission(self, request, obj=None):
        return False  # its clicks and spend are money records: a campaign ends, it is not deleted

    # -- add ------------------------------------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        supplier = request_supplier(request)
        if request.method == "POST":
            form = CampaignForm(request.POST, supplier=supplier)
            if not form.is_valid():
                self.message_user(
                    request, gettext("The campaign was not created; correct the errors below."), messages.ERROR
                )
            else:
                try:
                    with transaction.atomic():
                        campaign = services.campaign_create(supplier=supplier, **form.campaign_fields())
                        for product in form.cleaned_data["products"]:
                            services.promoted_product_add(campaign=campaign, product=product)
                except ValidationError as error:
                    self.message_user(
                        request,
                        gettext("The campaign was not created: %(why)s") % {"why": service_error_on_form(form, error)},
                        messages.ERROR,
                    )
                else:
                    self.log_addition(request, campaign, gettext("Created."))
                    self.message_user(
                        request,
                        gettext("Campaign “%(name)s” created. Add its keywords next.") % {"name": campaign.name},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._page_url(campaign, "add-keywords"))
        elif request.method == "GET":
            form = CampaignForm(supplier=supplier)
        else:
            return HttpResponseNotAllowed(["GET", "POST"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("New ad campaign"),
            "form": form,
            "changelist_url": reverse(f"{self.admin_site.name}:ads_adcampaign_changelist"),
        }
        return render(request, self.add_page_template, context)

    # -- the campaign page ------------------------------------------------------------------------------------------

    ACTIONS = {
        "settings": "_save_settings",
        "keywords": "_save_keywords",
        "add_keywords": "_add_keywords",
        "negative_add": "_negative_add",
        "negative_delete": "_negative_delete",
        "promote_add": "_promote_add",
        "promote_remove": "_promote_remove",
        "recs_apply": "_recs_apply_selected",
        "recs_apply_all": "_recs_apply_all",
        "recs_dismiss": "_recs_dismiss",
        "tune": "_tune",
    }

    def _page_url(self, campaign, anchor: str = "") -> str:
        url = reverse(f"{self.admin_site.name}:ads_adcampaign_change", args=[campaign.pk])
        return f"{url}#{anchor}" if anchor else url

    def change_view(self, request, object_id, form_url="", extra_context=None):
        campaign = self.get_object(request, unquote(object_id))  # 404 for another supplier's campaign
        if request.method == "POST":
            if not self.has_change_permission(request, campaign):
                raise PermissionDenied
            action = request.POST.get("_action", "")
            if action.startswith("headline-"):
                return self._headline_approve(request, campaign, action.removeprefix("headline-"))
            handler = self.ACTIONS.get(action)
            if handler is None:
                self.message_user(request, gettext("Choose one of the page's buttons."), messages.ERROR)
                return HttpResponseRedirect(request.path)
            return getattr(self, handler)(request, campaign)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        return self._render(request, campaign)

    def _render(self, request, campaign, *, status: int = 200, **given):
        supplier = request_supplier(request)
        today = timezone.localdate()
        since = selectors.figures_since(today=today)
        currency = campaign.currency

        figures = selectors.campaign_daily_figures(campaign=campaign, today=today)
        totals = {
            key: sum((day[key] for day in figures), Decimal("0") if key == "spend" else 0)
            for key in ("impressions", "clicks", "spend", "conversions")
        }
        totals["cost_per_inquiry"] = _cost_per(totals["spend"], totals["conversions"])
        totals["ctr"] = _rate(totals["clicks"], totals["impressions"])
        chart = {
            "labels": [day["day"].isoformat() for day in figures],
            "series": {
                "spend": [float(day["spend"]) for day in figures],
                "impressions": [day["impressions"] for day in figures],
                "clicks": [day["clicks"] for day in figures],
                "conversions": [day["conversions"] for day in figures],
                "cost_per_inquiry": [
                    float(day["cost_per_inquiry"]) if day["cost_per_inquiry"] is not None else None for day in figures
                ],
            },
        }

        keywords = list(selectors.keyword_figures(campaign=campaign, since=since))
        keyword_forms = given.get("keyword_forms") or {}
        keyword_rows = [
            {
                "keyword": keyword,
                "language_name": _language_name(keyword.language),
                "form": keyword_forms.get(keyword.pk) or KeywordRowForm(keyword=keyword),
                "ctr": _rate(keyword.f_clicks, keyword.f_impressions),
                "spend": _money(keyword.f_spend, currency),
                "cost_per_inquiry": _money(_cost_per(keyword.f_spend, keyword.f_conversions), currency),
            }
            for keyword in keywords
        ]

        suggestions = [
            {
                "text": text,
                "language": language,
                "language_name": _language_name(language),
                "source": SOURCE_LABELS.get(source, source),
                "value": f"{language}|{text}",
            }
            for text, language, source in selectors.keyword_suggestions(campaign=campaign)
        ]
        add_form = given.get("add_form") or KeywordsAddForm(
            initial={"bid": campaign.bid_floor, "language": "en", "match_type": MatchType.BROAD}
        )

        recommendations = [
            {
                "rec": rec,
                "reason": reason_in_language(rec, currency=currency),
                "evidence": evidence_text(rec, currency),
                "is_headline": rec.kind == RecommendationKind.HEADLINE,
                "language_name": _language_name(rec.language),
                "current_bid": _money(rec.current_bid, currency) if rec.current_bid is not None else "",
                "proposed_bid": _money(rec.proposed_bid, currency) if rec.proposed_bid is not None else "",
            }
            for rec in selectors.recommendations_pending(campaign=campaign)
        ]

        promoted = [
            {
                "promoted": item,
                "headlines": sorted((_language_name(code), text) for code, text in (item.headlines or {}).items()),
            }
            for item in selectors.promoted_for_campaign(campaign=campaign)
        ]
        promote_form = given.get("promote_form") or PromoteForm(supplier=supplier, campaign=campaign)

        search_terms = [
            {
                **row,
                "language_name": _language_name(row["language"]),
                "ctr": _rate(row["clicks"] or 0, row["impressions"] or 0),
                "spend_text": _money(row["spend"] or 0, currency),
                "cost_per_inquiry": _money(_cost_per(row["spend"] or 0, row["conversions"] or 0), currency),
            }
            for row in selectors.search_term_report(campaign=campaign, since=since)
        ]
        runs = [
            {"run": run, "summary": inputs_summary(run, currency)}
            for run in selectors.tuning_runs_for_campaign(campaign=campaign)
        ]

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": campaign.name,
            "campaign": campaign,
            "can_change": self.has_change_permission(request, campaign),
            "currency": currency,
            "spend_today": _money(campaign.f_spend_today, currency),
            "daily_budget": _money(campaign.daily_budget, currency),
            "target": _money(campaign.target_cost_per_inquiry, currency),
            "figures": [
                {
                    **day,
                    "spend_text": _money(day["spend"], currency),
                    "cost_per_inquiry_text": _money(day["cost_per_inquiry"], currency),
                    "ctr": _rate(day["clicks"], day["impressions"]),
                }
                for day in reversed(figures)
            ],
            "totals": {
                **totals,
                "spend_text": _money(totals["spend"], currency),
                "cost_per_inquiry_text": _money(totals["cost_per_inquiry"], currency),
            },
            "chart": chart,
            "keyword_rows": keyword_rows,
            "add_form": add_form,
            "suggestions": suggestions,
            "report": given.get("report"),
            "recommendations": recommendations,
            "negatives": list(campaign.negative_keywords.order_by("text", "pk")),
            "negative_form": given.get("negative_form") or NegativeKeywordForm(),
            "promoted": promoted,
            "promote_form": promote_form,
            "search_terms": search_terms,
            "runs": runs,
            "settings_form": given.get("settings_form") or CampaignForm(supplier=supplier, campaign=campaign),
            "min_bid": MIN_BID,
            "max_bid": MAX_BID,
            "changelist_url": reverse(f"{self.admin_site.name}:ads_adcampaign_changelist"),
            "runs_url": reverse(f"{self.admin_site.name}:ads_adtuningrun_changelist")
            + f"?campaign__id__exact={campaign.pk}",
        }
        return render(request, self.page_template, context, status=status)

    # Each handler: a bound form, the service, a message; on refusal the page again with the errors, nothing saved.

    def _done(self, request, campaign, message, anchor: str):
        self.log_change(request, campaign, str(message))
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._page_url(campaign, anchor))

    def _save_settings(self, request, campaign):
        form = CampaignForm(request.POST, supplier=request_supplier(request), campaign=campaign)
        if not form.is_valid():
            self.message_user(request, gettext("Nothing was saved; correct the settings below."), messages.ERROR)
            return self._render(request, campaign, settings_form=form)
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changed:
            self.message_user(request, gettext("The settings were not changed."), messages.INFO)
            return HttpResponseRedirect(self._page_url(campaign, "settings"))
        try:
            services.campaign_update(campaign=campaign, **changed)
        except ValidationError as error:
            self.message_user(
                request,
                gettext("Nothing was saved: %(why)s") % {"why": service_error_on_form(form, error)},
                messages.ERROR,
            )
            return self._render(request, campaign, settings_form=form)
        return self._done(request, campaign, gettext("Settings saved."), "settings")

    def _save_keywords(self, request, campaign):
        keywords = list(AdKeyword.objects.filter(campaign=campaign))
        forms_by_pk, changed = {}, []
        for keyword in keywords:
            if f"kw-{keyword.pk}-bid" not in request.POST:
                continue  # not on the page the seller saw (added since): left as it is
            form = KeywordRowForm(request.POST, keyword=keyword)
            forms_by_pk[keyword.pk] = form
            if form.has_changed():
                changed.append(form)
        if not all(form.is_valid() for form in forms_by_pk.values()):
            self.message_user(
                request, gettext("No keyword was changed; correct the rows marked below."), messages.ERROR
            )
            return self._render(request, campaign, keyword_forms=forms_by_pk)
        if not changed:
            self.message_user(request, gettext("No keyword was changed."), messages.INFO)
            return HttpResponseRedirect(self._page_url(campaign, "keywords"))
        refused = []
        with transaction.atomic():
            for form in changed:
                try:
                    services.keyword_update(
                        keyword=form.keyword,
                        bid=form.cleaned_data["bid"] if "bid" in form.changed_data else None,
                        state=form.cleaned_data["state"] if "state" in form.changed_data else None,
                    )
                except ValidationError as error:
                    refused.append(form)
                    text = service_error_on_form(form, error)
                    self.message_user(request, f"“{form.keyword.text}”: {text}", messages.ERROR)
            if refused:
                transaction.set_rollback(True)  # all rows or none
        if refused:
            self.message_user(
                request, gettext("No keyword was changed; correct the rows marked below."), messages.ERROR
            )
            return self._render(request, campaign, keyword_forms=forms_by_pk)
        return self._done(
            request,
            campaign,
            ngettext("%(n)d keyword updated.", "%(n)d keywords updated.", len(changed)) % {"n": len(changed)},
            "keywords",
        )

    def _add_keywords(self, request, campaign):
        form = KeywordsAddForm(request.POST)
        if not form.is_valid():
            self.message_user(request, gettext("No keyword was added; correct the form below."), messages.ERROR)
            return self._render(request, campaign, add_form=form)
        data = form.cleaned_data
        batches = defaultdict(list)
        for line in data["lines"]:
            batches[data["language"]].append(line)
        for language, text in data["suggestion"]:
            batches[language].append(text)
        report = []
        for language, lines in batches.items():
            for row in services.keywords_add_bulk(
                campaign=campaign, lines=lines, bid=data["bid"], language=language, match_type=data["match_type"]
            ):
                report.append({**row, "language_name": _language_name(language)})
        added = sum(1 for row in report if row["added"])
        refused = len(report) - added
        summary = gettext("%(added)d added, %(refused)d refused (see the report next to the form).") % {
            "added": added,
            "refused": refused,
        }
        if added:
            self.log_change(request, campaign, gettext("Keywords added: %(summary)s") % {"summary": summary})
        level = messages.SUCCESS if not refused else (messages.WARNING if added else messages.ERROR)
        self.message_user(request, summary, level)
        # The form again with the refused lines typed in, to correct them.
        again = KeywordsAddForm(
            initial={
                "lines": "\n".join(row["text"] for row in report if not row["added"] and row["text"] in data["lines"]),
                "bid": data["bid"],
                "language": data["language"],
                "match_type": data["match_type"],
            }
        )
        return self._render(request, campaign, add_form=again, report=report)

    def _negative_add(self, request, campaign):
        form = NegativeKeywordForm(request.POST)
        if form.is_valid():
            try:
                negative = services.negative_keyword_add(
                    campaign=campaign, text=form.cleaned_data["text"], match_type=form.cleaned_data["match_type"]
                )
            except ValidationError as error:
                self.message_user(request, service_error_on_form(form, error), messages.ERROR)
            else:
                return self._done(
                    request, campaign, gettext("Negative keyword “%(t)s” added.") % {"t": negative.text}, "negatives"
                )
        else:
            self.message_user(request, gettext("No negative keyword was added; correct the form."), messages.ERROR)
        return self._render(request, campaign, negative_form=form)

    def _negative_delete(self, request, campaign):
        return self._remove_ticked(
            request,
            campaign,
            rows=AdNegativeKeyword.objects.filter(campaign=campaign),
            field="negative_id",
            none_ticked=gettext("Tick the negative keywords to delete."),
            not_ours=gettext("Those negative keywords are not this campaign's; nothing was deleted."),
            remove=services.negative_keywords_delete,
            done=lambda n: ngettext("%(n)d negative keyword deleted.", "%(n)d negative keywords deleted.", n),
            anchor="negatives",
        )

    def _remove_ticked(self, request, campaign, *, rows, field, none_ticked, not_ours, remove, done, anchor):
        """Remove the rows ticked in `field` through the `remove` service, all or none: nothing ticked, or an id
        that is not one of `rows` (this campaign's), changes nothing and says so."""
        ids = set(_int_ids(request.POST.getlist(field)))
        own = set(rows.filter(pk__in=ids).values_list("pk", flat=True))
        if not ids:
            self.message_user(request, none_ticked, messages.ERROR)
        elif own != ids:
            self.message_user(request, not_ours, messages.ERROR)
        else:
            removed = remove(campaign=campaign, ids=sorted(own))
            return self._done(request, campaign, done(removed) % {"n": removed}, anchor)
        return HttpResponseRedirect(self._page_url(campaign, anchor))

    def _promote_add(self, request, campaign):
        form = PromoteForm(request.POST, supplier=request_supplier(request), campaign=campaign)
        if not form.is_valid():
            self.message_user(request, gettext("No product was added; correct the form."), messages.ERROR)
            return self._render(request, campaign, promote_form=form)
        try:
            with transaction.atomic():
                for product in form.cleaned_data["products"]:
                    services.promoted_product_add(campaign=campaign, product=product)
        except ValidationError as error:
            self.message_user(request, service_error_on_form(form, error), messages.ERROR)
            return self._render(request, campaign, promote_form=form)
        count = len(form.cleaned_data["products"])
        return self._done(
            request,
            campaign,
            ngettext("%(n)d product promoted.", "%(n)d products promoted.", count) % {"n": count},
            "products",
        )

    def _promote_remove(self, request, campaign):
        return self._remove_ticked(
            request,
            campaign,
            rows=AdPromotedProduct.objects.filter(campaign=campaign),
            field="promoted_id",
            none_ticked=gettext("Tick the products to stop promoting."),
            not_ours=gettext("Those products are not promoted by this campaign; nothing changed."),
            remove=services.promoted_products_remove,
            done=lambda n: ngettext("%(n)d product no longer promoted.", "%(n)d products no longer promoted.", n),
            anchor="products",
        )

    # -- recommendations ------------------------------------------------------------------------------------------

    def _pending(self, campaign):
        return AdRecommendation.objects.filter(run__campaign=campaign).select_related("promoted", "keyword")

    def _selected(self, request, campaign, ids) -> list[AdRecommendation]:
        """The ticked recommendations that are this campaign's; any other id is named and left alone."""
        ids = _int_ids(ids)
        recommendations = list(self._pending(campaign).filter(pk__in=ids).order_by("pk"))
        found = {rec.pk for rec in recommendations}
        for pk in sorted(set(ids) - found):
            self.message_user(
                request,
                gettext("Recommendation #%(pk)d is not one of this campaign's; it was left alone.") % {"pk": pk},
                messages.ERROR,
            )
        return recommendations

    def _apply_one(self, request, rec: AdRecommendation) -> str:
        """Apply as suggested, or, for a headline the seller edited, approve the edited text and dismiss the
        suggestion (both or neither)."""
        edited = request.POST.get(f"headline-{rec.pk}")
        if rec.kind == RecommendationKind.HEADLINE and edited is not None and " ".join(edited.split()) != rec.text:
            if rec.promoted is None:
                raise ValidationError(gettext("The product is no longer promoted."))
            with transaction.atomic():
                services.headline_edit_apply(promoted=rec.promoted, language=rec.language, text=edited)
                services.recommendation_dismiss(recommendation=rec, user=request.user)
            return "edited"
        services.recommendation_apply(recommendation=rec, user=request.user)
        return "applied"

    def _decide(self, request, campaign, recommendations, *, dismiss: bool = False):
        done = 0
        for rec in recommendations:
            try:
                if dismiss:
                    services.recommendation_dismiss(recommendation=rec, user=request.user)
                    outcome = "dismissed"
                else:
                    outcome = self._apply_one(request, rec)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("“%(rec)s” was not applied: %(why)s") % {"rec": rec, "why": " ".join(error.messages)}
                    if not dismiss
                    else gettext("“%(rec)s” was not dismissed: %(why)s")
                    % {"rec": rec, "why": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            done += 1
            # One whole sentence per outcome: a translated sentence cannot take an English word as a part.
            said = {
                "dismissed": gettext("Recommendation “%(rec)s” dismissed."),
                "edited": gettext("Recommendation “%(rec)s”: the edited headline was approved."),
                "applied": gettext("Recommendation “%(rec)s” applied."),
            }[outcome]
            self.log_change(request, campaign, said % {"rec": rec})
        if done:
            text = (
                ngettext("%(n)d recommendation dismissed.", "%(n)d recommendations dismissed.", done)
                if dismiss
                else ngettext("%(n)d recommendation applied.", "%(n)d recommendations applied.", done)
            )
            self.message_user(request, text % {"n": done}, messages.SUCCESS)
        return HttpResponseRedirect(self._page_url(campaign, "recommendations"))

    def _recs_apply_selected(self, request, campaign):
        ids = request.POST.getlist("recommendation")
        if not ids:
            self.message_user(request, gettext("Tick the recommendations to apply."), messages.ERROR)
            return HttpResponseRedirect(self._page_url(campaign, "recommendations"))
        return self._decide(request, campaign, self._selected(request, campaign, ids))

    def _recs_apply_all(self, request, campaign):
        pending = list(
            self._pending(campaign).filter(state=RecommendationState.PENDING).order_by("-run__day", "kind", "pk")
        )
        if not pending:
            self.message_user(request, gettext("No recommendation is waiting."), messages.INFO)
            return HttpResponseRedirect(self._page_url(campaign, "recommendations"))
        return self._decide(request, campaign, pending)

    def _recs_dismiss(self, request, campaign):
        ids = request.POST.getlist("recommendation")
        if not ids:
            self.message_user(request, gettext("Tick the recommendations to dismiss."), messages.ERROR)
            return HttpResponseRedirect(self._page_url(campaign, "recommendations"))
        return self._decide(request, campaign, self._selected(request, campaign, ids), dismiss=True)

    def _headline_approve(self, request, campaign, pk: str):
        recommendations = self._selected(request, campaign, [pk])
        if recommendations and recommendations[0].kind != RecommendationKind.HEADLINE:
            self.message_user(request, gettext("That recommendation is not a headline."), messages.ERROR)
            return HttpResponseRedirect(self._page_url(campaign, "recommendations"))
        return self._decide(request, campaign, recommendations)

    def _tune(self, request, campaign):
        text, level = tune_now(campaign)
        self.log_change(request, campaign, text)
        self.message_user(request, text, level)
        return HttpResponseRedirect(self._page_url(campaign, "recommendations"))


class SellerReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdTuningRun, site=seller_site)
class SellerTuningRunAdmin(SellerReadOnlyMixin, ScopedModelAdmin):
    """The history of the tuner's runs on the supplier's campaigns: what it looked at and how it ended."""

    list_display = ["day", "campaign", "state", "summary", "error_display", "finished_at"]
    list_filter = ["state", "campaign"]
    list_select_related = ["campaign"]
    fields = ["campaign", "day", "state", "summary", "error", "created_at", "finished_at"]
    readonly_fields = fields
    view_on_site = False

    @admin.display(description=_("what it looked at"))
    def summary(self, run):
        return inputs_summary(run, run.campaign.currency)

    @admin.display(description=_("error"))
    def error_display(self, run):
        return run.error[:200] if run.error else "—"


@admin.register(AdRecommendation, site=seller_site)
class SellerRecommendationAdmin(ScopedModelAdmin):
    """Every recommendation on the supplier's campaigns, waiting and decided; apply or dismiss ticked ones here or
    on the campaign page (where a headline can be edited first)."""

    list_display = ["kind", "text", "language", "campaign_name", "state", "reason_short", "run_day", "decided_at"]
    list_filter = ["state", "kind", "run__campaign"]
    list_select_related = ["run__campaign"]
    search_fields = ["text"]
    ordering = ["-run__day", "-run_id", "kind", "pk"]
    actions = ["apply_recommendations", "dismiss_recommendations"]
    fields = [
        "kind",
        "text",
        "language",
        "current_bid",
        "proposed_bid",
        "reason",
        "evidence_words",
        "state",
        "decided_at",
    ]
    readonly_fields = fields
    view_on_site = False

    @admin.display(description=_("campaign"), ordering="run__campaign__name")
    def campaign_name(self, rec):
        return rec.run.campaign.name

    @admin.display(description=_("why"))
    def reason_short(self, rec):
        reason = reason_in_language(rec, currency=rec.run.campaign.currency)
        return reason if len(reason) <= 160 else reason[:159] + "…"

    @admin.display(description=_("day"), ordering="run__day")
    def run_day(self, rec):
        return rec.run.day

    @admin.display(description=_("evidence"))
    def evidence_words(self, rec):
        return evidence_text(rec, rec.run.campaign.currency) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's actions need it; a recommendation itself is never edited as a form.
        return obj is None and super().has_change_permission(request, obj)

    def _decide(self, request, queryset, *, dismiss: bool):
        done = 0
        for rec in queryset.select_related("run__campaign", "promoted", "keyword"):
            try:
                if dismiss:
                    services.recommendation_dismiss(recommendation=rec, user=request.user)
                else:
                    services.recommendation_apply(recommendation=rec, user=request.user)
            except ValidationError as error:
                sentence = (
                    gettext("“%(rec)s” was not dismissed: %(why)s")
                    if dismiss
                    else gettext("“%(rec)s” was not applied: %(why)s")
                )
                self.message_user(request, sentence % {"rec": rec, "why": " ".join(error.messages)}, messages.ERROR)
            else:
                done += 1
        if done:
            text = (
                ngettext("%(n)d recommendation dismissed.", "%(n)d recommendations dismissed.", done)
                if dismiss
                else ngettext("%(n)d recommendation applied.", "%(n)d recommendations applied.", done)
            )
            self.message_user(request, text % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Apply selected recommendations"), permissions=["change"])
    def apply_recommendations(self, request, queryset):
        self._decide(request, queryset, dismiss=False)

    @admin.action(description=_("Dismiss selected recommendations"), permissions=["change"])
    def dismiss_recommendations(self, request, queryset):
        self._decide(request, queryset, dismiss=True)


# --- Operators (/admin/) ---------------------------------------------------------------------------------------


class OperatorKeywordInline(admin.TabularInline):
    model = AdKeyword
    fields = ["text", "language", "match_type", "bid", "state", "quality_ctr"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdCampaign)
class OperatorCampaignAdmin(CampaignFiguresMixin, CampaignActionsMixin, ReadOnlyAdmin):
    """Every campaign with its figures, read-only; pause, resume or tune from the list."""

    list_display = [
        "name",
        "supplier",
        "state",
        "budget_display",
        "spend_today_display",
        "clicks_display",
        "inquiries_display",
        "spend_display",
        "cost_per_inquiry_display",
        "created_at",
    ]
    list_filter = ["state"]
    list_select_related = ["supplier"]
    search_fields = ["name", "supplier__name"]
    actions = ["pause_campaigns", "resume_campaigns", "tune_campaigns"]
    readonly_fields = ["currency", "tuning_lambda", "created_at"]
    inlines = [OperatorKeywordInline]
    change_list_template = "admin/ads/operator_campaign_change_list.html"

    def has_change_permission(self, request, obj=None):
        # The list's actions need it; a campaign's settings are the seller's, so its page stays read-only.
        return obj is None and admin.ModelAdmin.has_change_permission(self, request)

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [path("report/", report, name="ads_adcampaign_report"), *super().get_urls()]

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        days = selectors.FIGURE_DAYS
        by_day = {row["day"]: row for row in selectors.platform_revenue_by_day(days=days, today=today)}
        revenue = []
        for offset in range(days):
            day = today - timedelta(days=days - 1 - offset)
            row = by_day.get(day, {})
            revenue.append(
                {"day": day, "revenue": row.get("revenue") or Decimal("0"), "campaigns": row.get("campaigns") or 0}
            )
        since = timezone.now() - timedelta(days=7)
        patterns = [
            {
                **row,
                "reason": AdClick.NotBilled(row["not_billed"]).label
                if row["not_billed"] in AdClick.NotBilled.values
                else row["not_billed"],
                "url": reverse("admin:ads_adclick_changelist") + f"?visitor={row['visitor']}",
            }
            for row in selectors.click_patterns_flagged(since=since)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Ad revenue and click patterns"),
            "revenue": [{**row, "revenue_text": _money(row["revenue"])} for row in reversed(revenue)],
            "revenue_total": _money(sum((row["revenue"] for row in revenue), Decimal("0"))),
            "chart": {
                "labels": [row["day"].isoformat() for row in revenue],
                "series": {"revenue": [float(row["revenue"]) for row in revenue]},
            },
            "patterns": patterns,
            "patterns_since": since,
            "changelist_url": reverse("admin:ads_adcampaign_changelist"),
        }
        return render(request, "admin/ads/operator_report.html", context)


@admin.register(AdKeyword)
class OperatorKeywordAdmin(ReadOnlyAdmin):
    list_display = ["text", "campaign", "language", "match_type", "bid", "state", "quality_ctr"]
    list_filter = ["state", "match_type", "language"]
    list_select_related = ["campaign"]
    search_fields = ["text", "campaign__name", "campaign__supplier__name"]
    show_full_result_count = False


@admin.register(AdNegativeKeyword)
class OperatorNegativeKeywordAdmin(ReadOnlyAdmin):
    list_display = ["text", "campaign", "match_type", "created_at"]
    list_select_related = ["campaign"]
    search_fields = ["text", "campaign__name"]


@admin.register(AdPromotedProduct)
class OperatorPromotedProductAdmin(ReadOnlyAdmin):
    list_display = ["product", "campaign", "created_at"]
    list_select_related = ["product", "campaign"]
    search_fields = ["product__title", "campaign__name"]


@admin.register(AdClick)
class OperatorClickAdmin(ReadOnlyAdmin):
    """Every click, billed or not (and why not). A money record: nothing here is added or edited by hand."""

    list_display = [
        "clicked_at",
        "campaign",
        "supplier_name",
        "product",
        "search_term",
        "language",
        "cost",
        "not_billed",
        "visitor_short",
    ]
    list_filter = ["not_billed"]
    list_select_related = ["campaign__supplier", "product"]
    search_fields = ["search_term", "visitor", "campaign__name"]
    show_full_result_count = False

    @admin.display(description=_("supplier"), ordering="campaign__supplier__name")
    def supplier_name(self, click):
        return click.campaign.supplier.name

    @admin.display(description=_("visitor"))
    def visitor_short(self, click):
        return format_html('<a href="?visitor={}">{}…</a>', click.visitor, click.visitor[:10])


@admin.register(AdConversion)
class OperatorConversionAdmin(ReadOnlyAdmin):
    list_display = ["converted_at", "campaign", "kind", "reference", "click"]
    list_select_related = ["click", "campaign"]
    list_filter = ["kind"]


@admin.register(AdStat)
class OperatorStatAdmin(ReadOnlyAdmin):
    list_display = [
        "day",
        "campaign",
        "keyword",
        "search_term",
        "language",
        "impressions",
        "clicks",
        "spend",
        "conversions",
    ]
    list_select_related = ["campaign", "keyword"]
    search_fields = ["search_term", "campaign__name"]
    show_full_result_count = False


@admin.register(AdCampaignDay)
class OperatorCampaignDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "campaign", "budget", "spend"]
    list_select_related = ["campaign"]
    search_fields = ["campaign__name"]


@admin.register(AdTuningRun)
class OperatorTuningRunAdmin(ReadOnlyAdmin):
    list_display = ["day", "campaign", "state", "summary", "error_display", "created_at", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["campaign"]
    search_fields = ["campaign__name", "error"]
    actions = ["run_tuning_now"]

    @admin.display(description=_("what it looked at"))
    def summary(self, run):
        return inputs_summary(run, run.campaign.currency)

    @admin.display(description=_("error"))
    def error_display(self, run):
        return run.error[:200] if run.error else "—"

    @admin.action(description=_("Run tuning now (today) for the selected runs' campaigns"))
    def run_tuning_now(self, request, queryset):
        campaign_ids = sorted(set(queryset.values_list("campaign_id", flat=True)))
        for campaign in AdCampaign.objects.filter(pk__in=campaign_ids):
            text, level = tune_now(campaign)
            self.message_user(request, text, level)


@admin.register(AdRecommendation)
class OperatorRecommendationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "text", "language", "state", "run", "decided_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["run__campaign"]
    search_fields = ["text", "run__campaign__name"]
