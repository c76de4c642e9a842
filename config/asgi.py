"""The site and the MCP server for buyers' agents (/mcp), in one ASGI application: `uvicorn config.asgi:application`
(make run does). WSGI (config/wsgi.py) serves the site without /mcp."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Under ASGI every request runs its sync code in a thread of its own, and a persistent connection belongs to its
# thread: with a connection max age above 0 they pile up until PostgreSQL refuses new clients ("too many clients"
# within seconds at 50 concurrent requests, bench/load_pages.py --worker-class asgi). Closed after each request here,
# unless DATABASE_CONN_MAX_AGE says otherwise.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
django_application = get_asgi_application()

# After Django is set up: the MCP tools import models.
from agents.http import SiteWithMCP  # noqa: E402
from agents.server import http_app  # noqa: E402
from search.query import warm_up  # noqa: E402

# The search vocabulary and the Chinese segmenter load now, not during a buyer's first search (~1.7 s).
warm_up()

application = SiteWithMCP(django_application, http_app())
