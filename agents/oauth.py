"""The OAuth pieces django-oauth-toolkit leaves to us: who may register a client, and the consent page."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from oauth2_provider.views import AuthorizationView

from core.ratelimit import client_ip, rate_exceeded

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
ALLOWED_GRANT_TYPES = {"authorization_code", "refresh_token"}


def redirect_uri_allowed(uri: str) -> bool:
    """https anywhere, or http back to the agent's own machine (RFC 8252 loopback)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    if parts.fragment or not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


class AgentClientRegistration:
    """Dynamic client registration (RFC 7591) open to any agent, as MCP clients expect, but only for what a buyer's
    agent needs: a public client (no secret), the authorization-code flow (PKCE is required for every client), and
    https or loopback redirect URIs. Limited per address, so registrations cannot be sprayed."""

    def has_permission(self, request) -> bool:
        if request.method != "POST":
            return False  # reading or changing a registration is not offered
        if rate_exceeded("agent-registration", client_ip(request), settings.AGENT_RATE_LIMITS["registration"]):
            return False
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return True  # the view answers invalid_client_metadata
        if not isinstance(data, dict):
            return True
        if data.get("token_endpoint_auth_method", "client_secret_basic") != "none":
            return False
        if not set(data.get("grant_types") or ["authorization_code"]) <= ALLOWED_GRANT_TYPES:
            return False
        uris = data.get("redirect_uris") or []
        return isinstance(uris, list) and all(isinstance(u, str) and redirect_uri_allowed(u) for u in uris)


class AgentAuthorizationView(AuthorizationView):
    """The consent page, in the site's look: who asks, what each scope lets it do in plain words, and that nothing
    moves money or signs a contract."""

    template_name = "agents/authorize.html"

    def get(self, request, *args, **kwargs):
        return self._allow_redirect_in_csp(super().get(request, *args, **kwargs))

    def post(self, request, *args, **kwargs):
        return self._allow_redirect_in_csp(super().post(request, *args, **kwargs))

    @staticmethod
    def _allow_redirect_in_csp(response):
        """The consent form posts here and is answered with a redirect to the agent's redirect URI; browsers check a
        form's redirects against form-action too, so the page that shows the form allows that one origin (the URI
        the provider validated against the client's registration)."""
        form = (getattr(response, "context_data", None) or {}).get("form")
        uri = form.initial.get("redirect_uri", "") if form is not None else ""
        parts = urlsplit(uri)
        if parts.scheme and parts.netloc:
            response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        return response
