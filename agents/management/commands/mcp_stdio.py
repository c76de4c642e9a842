"""Silkway's MCP server over stdio, for an assistant on the machine where Silkway runs.

Anonymous (public tools only) unless --buyer names a buyer account: then the tools act for that buyer with the
scopes given (default: reading only), as an OAuth grant would, and everything lands in their activity log as
"local assistant". Only someone who can run manage.py here can do that, which is why no sign-in is asked."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agents.scopes import CATALOG_READ, MESSAGES_READ, QUOTES_READ, SCOPE_DESCRIPTIONS, SOURCING_READ
from agents.selectors import LOCAL_CLIENT_ID, Caller
from agents.server import local_caller, mcp

READ_SCOPES = [CATALOG_READ, SOURCING_READ, QUOTES_READ, MESSAGES_READ]


class Command(BaseCommand):
    help = "Serve Silkway's MCP tools over stdio (for a local AI assistant)."
    # stdout is the protocol channel: nothing but JSON-RPC may reach it (`manage.py check` is the place for checks).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--buyer", help="E-mail of the buyer the tools act for (default: anonymous).")
        parser.add_argument(
            "--scopes",
            default=" ".join(READ_SCOPES),
            help=f"Space-separated scopes granted to the local assistant, from: {', '.join(SCOPE_DESCRIPTIONS)}.",
        )

    def handle(self, *args, buyer=None, scopes="", **options):
        caller = Caller(address="local")
        if buyer:
            user = get_user_model().objects.filter(email__iexact=buyer, is_active=True).first()
            if user is None:
                raise CommandError(f"No active account with the e-mail {buyer}.")
            granted = frozenset(scopes.split())
            unknown = granted - set(SCOPE_DESCRIPTIONS)
            if unknown:
                raise CommandError(f"Unknown scopes: {', '.join(sorted(unknown))}.")
            caller = Caller(
                user=user, scopes=granted, client_id=LOCAL_CLIENT_ID, agent_name="local assistant", address="local"
            )
        local_caller.set(caller)
        mcp.run("stdio")
