"""The site and the MCP server for buyers' agents (/mcp), in one ASGI application: `uvicorn config.asgi:application`
(make run does). WSGI (config/wsgi.py) serves the site without /mcp."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

# After Django is set up: the MCP tools import models.
from agents.http import SiteWithMCP  # noqa: E402
from agents.server import http_app  # noqa: E402

application = SiteWithMCP(django_application, http_app())
