"""Buyers' AI assistants for the demo: what a buyer who connected one sees under AI assistants (/agents/).

    python manage.py seed_demo && ... && python manage.py seed_deals_demo   # first
    python manage.py seed_agents_demo

Two demo buyers connected an assistant, each registered as a public OAuth client (no secret, a loopback redirect
URI, as a desktop assistant registers itself at /oauth/register/) holding a live access token and refresh token
with the scopes the buyer allowed on the consent page:

* buyer-gb (Clarke & Hale Homeware) lets a "Procurement assistant" source branded coffee mugs: it searches the
  catalog, creates a sourcing request (planned against the demo catalog), reads the supplier comparison, drafts an
  RFQ to the plan's best matches (which waits on /agents/ for her click: nothing is sent) and asks the best match
  for samples in a message marked as written by the assistant.
* buyer-us (Miller Outdoor Supply) lets a read-only "Quote review assistant" compare the quotes on the cordless
  drill RFQ seed_sourcing_demo sent, and look into the cheapest supplier.

Every act goes through the MCP tools' own functions (agents/tools.py), as agents/server.py runs them: consent,
throttles, the services' rules and the activity log. Re-running adds nothing: writes carry fixed idempotency keys
(a second run gets the first result back), a read already in the buyer's log is not logged again, and the tokens
are only renewed (rotated, as the assistant itself would) once the access token has expired.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation
from oauth2_provider.models import AccessToken, Application, RefreshToken, set_token_value
from oauth2_provider.settings import oauth2_settings

from agents import services as agent_services
from agents import tools
from agents.models import AgentAction, RFQConfirmation
from agents.scopes import WRITE_SCOPES, scope_for_tool
from agents.selectors import Caller
from demo import catalog
from sourcing import selectors as sourcing_selectors
from sourcing import services as sourcing_services
from sourcing.models import RFQ, PlanStatus, SourcingRequest

LANGUAGE = "en"


@dataclass(frozen=True)
class Assistant:
    buyer: str
    name: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    story: str


ASSISTANTS = [
    Assistant(
        buyer="buyer-gb@demo.silkway.test",
        name="Procurement assistant",
        client_id="demo-procurement-assistant-gb",
        redirect_uri="http://127.0.0.1:33418/callback",
        scopes=(
            "catalog:read",
            "sourcing:read",
            "sourcing:write",
            "rfq:write",
            "quotes:read",
            "messages:read",
            "messages:write",
        ),
        story="mugs",
    ),
    Assistant(
        buyer="buyer-us@demo.silkway.test",
        name="Quote review assistant",
        client_id="demo-quote-review-assistant-us",
        redirect_uri="http://127.0.0.1:47122/callback",
        scopes=("catalog:read", "sourcing:read", "quotes:read"),
        story="drill_quotes",
    ),
]

MUG_NEED = (
    "We need 3,000 ceramic coffee mugs, 350 ml, with our logo printed, dishwasher safe, DDP Felixstowe, UK. "
    "Target GBP 1.80 per piece, delivery within 45 days, samples first."
)
MUG_RFQ_MESSAGE = (
    "Hello, Clarke & Hale Homeware (UK) is sourcing 3,000 ceramic coffee mugs, 350 ml, with our logo printed "
    "(one colour), dishwasher safe, DDP Felixstowe within 45 days. Please quote your price at 3,000 pieces, your "
    "lead time, and the cost of two pre-production samples with our logo."
)
SAMPLE_MESSAGE = (
    "Hello, we are looking at your {title} for an order of about 3,000 pieces with our logo printed. Could you send "
    "two samples to our UK office, and tell us the sample cost and whether the glaze passed a food-contact test "
    "(we sell in the UK)? Thank you."
)
RFQ_SUPPLIERS = 3
QUOTE_DEADLINE_DAYS = 14


class Command(BaseCommand):
    help = "Demo AI-assistant grants for two buyers, with activity made through the MCP tools (run after seed_demo)."

    # The messages and RFQ notices the services send would flood the console in the embedded default.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def handle(self, *args, **options):
        users = get_user_model().objects
        self.logged = 0
        connected = 0
        with translation.override(LANGUAGE):
            for assistant in ASSISTANTS:
                buyer = users.filter(email=assistant.buyer).first()
                if buyer is None:
                    raise CommandError(f"{assistant.buyer} does not exist: run seed_demo first.")
                application, new_grant = self._grant(buyer, assistant)
                connected += new_grant
                caller = Caller(
                    user=buyer,
                    scopes=frozenset(assistant.scopes),
                    client_id=application.client_id,
                    agent_name=application.name,
                )
                getattr(self, f"_story_{assistant.story}")(caller)
        pending = RFQConfirmation.objects.filter(
            client_id__in=[a.client_id for a in ASSISTANTS], confirmed_at=None, discarded_at=None, rfq__status="draft"
        ).count()
        actions = AgentAction.objects.filter(client_id__in=[a.client_id for a in ASSISTANTS]).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Agents demo: {len(ASSISTANTS)} assistants ({connected} new token pairs), {self.logged} actions "
                f"logged now, {actions} in all, {pending} RFQ draft(s) waiting for the buyer's confirmation."
            )
        )

    # --- the grant --------------------------------------------------------------------------------------------

    @transaction.atomic
    def _grant(self, buyer, assistant: Assistant) -> tuple[Application, bool]:
        """The assistant's client, and a live access + refresh token pair for the buyer. A pair whose access token
        expired is rotated (old refresh token revoked, a new pair in the same family), as the assistant's own
        refresh would do; a live pair is left alone."""
        application, _created = Application.objects.get_or_create(
            client_id=assistant.client_id,
            defaults={
                "name": assistant.name,
                "client_type": Application.CLIENT_PUBLIC,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": assistant.redirect_uri,
                "client_secret": "",
                "registration_source": Application.RegistrationSource.DCR,
            },
        )
        now = timezone.now()
        live = RefreshToken.objects.filter(user=buyer, application=application, revoked__isnull=True).select_related(
            "access_token"
        )
        current = live.filter(access_token__expires__gt=now).first()
        if current is not None:
            return application, False
        family = None
        for stale in live:
            family = family or stale.token_family
            stale.revoke()
        AccessToken.objects.filter(user=buyer, application=application, expires__lte=now).delete()
        # Issued for the MCP server (RFC 8707), stored as the provider stores tokens (hashed at rest, RFC 9700):
        # nobody, this command included, keeps the raw values.
        resource = [f"{settings.SITE_URL}/mcp"]
        access = AccessToken(
            user=buyer,
            application=application,
            expires=now + timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
            scope=" ".join(assistant.scopes),
            resource=resource,
        )
        set_token_value(access, secrets.token_urlsafe(30))
        access.save()
        refresh = RefreshToken(
            user=buyer,
            application=application,
            access_token=access,
            token_family=family or uuid.uuid4(),
            resource=resource,
        )
        set_token_value(refresh, secrets.token_urlsafe(30))
        refresh.save()
        self.stdout.write(f"  {buyer.email}: “{application.name}” allowed {' '.join(assistant.scopes)}")
        return application, True

    # --- tool calls, as agents/server.py runs them ------------------------------------------------------------

    def _call(self, caller: Caller, tool: str, **arguments: Any) -> dict:
        """One tool call: consent, throttle, the tool, and a read's line in the buyer's activity log (once: a read
        the log already has is not logged again on a re-run)."""
        tools.require_consent(caller, tool)
        writes = scope_for_tool(tool) in WRITE_SCOPES
        if not writes:
            agent_services.agent_throttle(caller=caller, tool=tool)
        result = getattr(tools, tool)(caller, settings.SITE_URL, LANGUAGE, **arguments)
        if writes:
            if not result.get("replayed"):
                self.logged += 1
            return result
        summary = _read_summary(tool, arguments)
        seen = AgentAction.objects.filter(
            user=caller.user, client_id=caller.client_id, tool=tool, summary=summary
        ).exists()
        if not seen:
            agent_services.agent_action_log(caller=caller, tool=tool, summary=summary)
            self.logged += 1
        return result

    # --- buyer-gb: branded mugs, from search to an RFQ draft and a sample request -----------------------------

    def _story_mugs(self, caller: Caller) -> None:
        self._call(caller, "search_products", query="ceramic coffee mug 350 ml custom logo", category="drinkware")
        created = self._call(
            caller,
            "create_sourcing_request",
            text=MUG_NEED,
            idempotency_key="demo-gb-mugs-request-0001",
            language_of_text=LANGUAGE,
        )
        request = SourcingRequest.objects.get(pk=created["request_id"], buyer=caller.user)
        plan = self._finished_plan(request)
        if plan is None:
            return
        read = self._call(caller, "get_sourcing_request", request_id=request.pk)
        options = list(plan.options.select_related("supplier", "product__category").order_by("rank"))
        if not options:
            self.stdout.write(self.style.WARNING(f"  the plan for {request} found no supplier: no RFQ drafted"))
            return
        chosen = _best_fitting(options, RFQ_SUPPLIERS)
        drafted = self._write(
            caller,
            "draft_rfq",
            request_id=read["request_id"],
            idempotency_key="demo-gb-mugs-rfq-draft-0001",
            supplier_ids=[option.supplier_id for option in chosen],
            send_to_best_matches=False,
            message=MUG_RFQ_MESSAGE,
            quote_deadline_days=QUOTE_DEADLINE_DAYS,
        )
        if drafted and not drafted.get("replayed"):
            names = ", ".join(option.supplier.name for option in chosen)
            self.stdout.write(f"  {caller.user.email}: RFQ {drafted['rfq_id']} drafted for {names}, not sent")
        product = next((option.product for option in chosen if option.product and option.product.is_published), None)
        if product is None:
            return
        self._call(caller, "get_product", product_id=product.pk)
        sent = self._write(
            caller,
            "send_message",
            text=SAMPLE_MESSAGE.format(title=product.title),
            idempotency_key="demo-gb-mugs-samples-0001",
            product_id=product.pk,
            quantity=3000,
        )
        if sent and not sent.get("replayed"):
            self.stdout.write(f"  {caller.user.email}: asked {product.supplier.name} for samples of {product.title}")
        self._call(caller, "list_conversations")

    def _finished_plan(self, request: SourcingRequest):
        plan = sourcing_selectors.plan_latest(request=request)
        if plan is not None and not plan.is_finished:
            # The plan's task runs on commit; inside an outer transaction (tests) or with a real broker that is too
            # late for this command, so compute it here. The task, when it runs, finds the plan done and leaves it.
            plan = sourcing_services.sourcing_plan_compute(plan_id=plan.pk)
        if plan is None or plan.status != PlanStatus.DONE:
            status = plan.status if plan else "missing"
            self.stdout.write(self.style.WARNING(f"  the plan for {request} is {status}: no RFQ drafted"))
            return None
        return plan

    def _write(self, caller: Caller, tool: str, **arguments: Any) -> dict | None:
        """A write the services may refuse (e.g. the demo data changed under a fixed idempotency key): the refusal
        is in the buyer's log, and the seed goes on."""
        try:
            return self._call(caller, tool, **arguments)
        except (agent_services.AgentRefused, ValidationError) as refusal:
            message = getattr(refusal, "message", None) or " ".join(getattr(refusal, "messages", []))
            self.stdout.write(self.style.WARNING(f"  {tool} refused for {caller.user.email}: {message}"))
            return None

    # --- buyer-us: a read-only assistant compares the drill quotes --------------------------------------------

    def _story_drill_quotes(self, caller: Caller) -> None:
        self._call(caller, "list_rfqs")
        rfq = (
            RFQ.objects.filter(buyer=caller.user, plan__request__text__icontains="cordless drills")
            .order_by("created_at")
            .first()
        )
        if rfq is None:
            self.stdout.write(
                self.style.WARNING(f"  {caller.user.email} has no drill RFQ (run seed_sourcing_demo first)")
            )
            return
        quotes = self._call(caller, "get_rfq_quotes", rfq_id=rfq.pk)
        quoted = [
            column["supplier"]["supplier_id"]
            for column in quotes.get("comparison", {}).get("columns", [])
            if column.get("supplier", {}).get("supplier_id")
        ]
        if quoted:
            self._call(caller, "get_supplier", supplier_id=quoted[0])
        self._call(caller, "search_products", query="cordless drill 20V brushless", category="power-tools")


def _read_summary(tool: str, arguments: dict[str, Any]) -> str:
    """The log line agents/server.py writes for a read."""
    shown = ", ".join(f"{k}={v}" for k, v in arguments.items() if v not in (None, "", [], False))
    return f"{tool}({shown})"[:300]


def _best_fitting(options, limit: int):
    """The plan's best matches, as an assistant would pick them: by rank, preferring suppliers whose trade (their
    name, in the demo catalog) fits the product's category, then the rest by rank."""
    fitting, others = [], []
    for option in options:
        category = getattr(getattr(option.product, "category", None), "slug", "")
        (fitting if catalog.name_fits(option.supplier.name, category) else others).append(option)
    return (fitting + others)[:limit]
