"""What a buyer's AI agent may be allowed to do, one scope per kind of act, worded for the consent page.

Imported by settings (django-oauth-toolkit reads SCOPE_DESCRIPTIONS) and by the MCP tools (TOOL_SCOPES): the one
place that says which tool needs which consent. Nothing here moves money or signs a contract, and no scope could.
"""

from django.utils.translation import gettext_lazy as _

CATALOG_READ = "catalog:read"
SOURCING_READ = "sourcing:read"
SOURCING_WRITE = "sourcing:write"
RFQ_WRITE = "rfq:write"
QUOTES_READ = "quotes:read"
MESSAGES_READ = "messages:read"
MESSAGES_WRITE = "messages:write"

SCOPE_DESCRIPTIONS = {
    CATALOG_READ: _(
        "Search products and suppliers and read their public evidence (anyone may; signed in, it may ask more often)."
    ),
    SOURCING_READ: _("Read your sourcing requests and their supplier comparisons."),
    SOURCING_WRITE: _("Create sourcing requests in your name. Nothing is sent to suppliers."),
    RFQ_WRITE: _(
        "Prepare RFQ drafts for you. Nothing reaches a supplier until you open the draft on Silkway and click Send."
    ),
    QUOTES_READ: _("Read your RFQs and the quotes suppliers sent you, and compare them."),
    MESSAGES_READ: _("Read your conversations with suppliers."),
    MESSAGES_WRITE: _("Send messages to suppliers in your name; suppliers see they were written by your AI assistant."),
}

# Tools anyone may call (read-only, public data) need no scope; every other tool needs exactly one.
TOOL_SCOPES = {
    "list_sourcing_requests": SOURCING_READ,
    "get_sourcing_request": SOURCING_READ,
    "create_sourcing_request": SOURCING_WRITE,
    "draft_rfq": RFQ_WRITE,
    "get_rfq_quotes": QUOTES_READ,
    "list_rfqs": QUOTES_READ,
    "list_conversations": MESSAGES_READ,
    "send_message": MESSAGES_WRITE,
}

# Scopes whose tools write: each call is throttled per day on top of the per-grant rate (settings.AGENT_RATE_LIMITS).
WRITE_SCOPES = (SOURCING_WRITE, RFQ_WRITE, MESSAGES_WRITE)


def scope_for_tool(tool: str) -> str | None:
    return TOOL_SCOPES.get(tool)
