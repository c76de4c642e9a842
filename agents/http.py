"""The site and the MCP server in one ASGI application (config/asgi.py), and the gate in front of /mcp.

The gate does at the HTTP level what MCP's authorization spec asks of a protected resource: a bearer token that is
unknown, expired or revoked gets 401 with a WWW-Authenticate challenge pointing at the protected-resource metadata
(so an agent knows where to sign in); a `tools/call` for a buyer tool gets 401 without a token and 403
(insufficient_scope) without the tool's scope. Public tools need no token. It checks the Host against Django's
ALLOWED_HOSTS and refuses cross-site browser origins (DNS rebinding), and passes the caller's address and the
site's origin on to the tools in headers it sets itself."""

from __future__ import annotations

import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host

from core.middleware import (
    DATABASE_RETRY_AFTER_SECONDS,
    DATABASE_UNAVAILABLE_ERRORS,
    database_unavailable,
    service_unavailable_message,
)

from .scopes import SCOPE_DESCRIPTIONS, scope_for_tool
from .selectors import caller_for_token

MCP_PATH = "/mcp"
MAX_BODY_BYTES = 1_000_000
# Headers the gate sets for the tools; whatever a client sends under these names is dropped first.
ADDRESS_HEADER = b"x-silkway-client-address"
ORIGIN_HEADER = b"x-silkway-origin"
NOT_AUTHORIZED = -32001


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def site_origin(scope) -> str:
    scheme = scope.get("scheme", "http")
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode()
        if _header(scope, name) == proxy[1]:
            scheme = "https"
    return f"{scheme}://{_header(scope, b'host')}"


def client_address(scope) -> str:
    proxies = (getattr(settings, "REST_FRAMEWORK", {}) or {}).get("NUM_PROXIES")
    forwarded = _header(scope, b"x-forwarded-for")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    client = scope.get("client")
    return client[0] if client else ""


def _allowed_host(host: str) -> bool:
    domain, _port = split_domain_port(host)
    hosts = settings.ALLOWED_HOSTS or (["127.0.0.1", "localhost", "[::1]"] if settings.DEBUG else [])
    return bool(domain) and validate_host(domain, hosts)


async def _respond(send, status: int, payload: dict | str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps(payload).encode() if isinstance(payload, dict) else payload.encode()
    content_type = b"application/json" if isinstance(payload, dict) else b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), (b"cache-control", b"no-store"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _challenge(origin: str, *, error: str = "", scope: str = "", description: str = "") -> tuple[bytes, bytes]:
    parts = [f'resource_metadata="{origin}/.well-known/oauth-protected-resource{MCP_PATH}"']
    if error:
        parts.insert(0, f'error="{error}"')
    if scope:
        parts.append(f'scope="{scope}"')
    if description:
        parts.append('error_description="{}"'.format(description.replace('"', "'")))
    return b"www-authenticate", ("Bearer " + ", ".join(parts)).encode()


def _rpc_error(request_id, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": NOT_AUTHORIZED, "message": message}}


def _tool_calls(body: bytes) -> list[tuple[object, str]]:
    """(request id, tool name) of each tools/call in a JSON-RPC message or batch; nothing for anything else."""
    try:
        message = json.loads(body or b"null")
    except ValueError:
        return []
    messages = message if isinstance(message, list) else [message]
    calls = []
    for item in messages:
        if isinstance(item, dict) and item.get("method") == "tools/call" and isinstance(item.get("params"), dict):
            calls.append((item.get("id"), str(item["params"].get("name", ""))))
    return calls


def _caller(token: str, audience: str):
    close_old_connections()
    try:
        return caller_for_token(token, audience=audience)
    finally:
        close_old_connections()


class MCPGate:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = _header(scope, b"host")
        if not _allowed_host(host):
            return await _respond(send, 421, "Invalid Host header")
        browser_origin = _header(scope, b"origin")
        if browser_origin and not _allowed_host(browser_origin.split("://", 1)[-1]):
            return await _respond(send, 403, "Cross-site requests are not allowed")
        origin = site_origin(scope)

        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY_BYTES:
                return await _respond(send, 413, "Request body too large")

        authorization = _header(scope, b"authorization")
        scheme, _, token = authorization.partition(" ")
        caller = None
        if authorization:
            if scheme.lower() != "bearer" or not token.strip():
                return await _respond(
                    send,
                    401,
                    _rpc_error(None, "Use an OAuth bearer token: Authorization: Bearer <token>."),
                    [_challenge(origin, error="invalid_request")],
                )
            try:
                caller = await sync_to_async(_caller)(token.strip(), f"{origin}{MCP_PATH}")
            except DATABASE_UNAVAILABLE_ERRORS as error:  # as the site does: 503 with Retry-After, not a 500
                await sync_to_async(database_unavailable)(scope.get("method", ""), scope.get("path", ""), error)
                return await _respond(
                    send,
                    503,
                    {"jsonrpc": "2.0", "id": None, "error": {"code": -32000, "message": service_unavailable_message()}},
                    [(b"retry-after", str(DATABASE_RETRY_AFTER_SECONDS).encode())],
                )
            if caller is None:
                return await _respond(
                    send,
                    401,
                    _rpc_error(None, "The access token is invalid, expired or revoked: sign in again."),
                    [_challenge(origin, error="invalid_token", description="The access token is invalid or revoked")],
                )
        if scope.get("method") == "POST":
            for request_id, tool in _tool_calls(body):
                needed = scope_for_tool(tool)
                if needed is None:
                    continue
                what = str(SCOPE_DESCRIPTIONS[needed])
                if caller is None:
                    return await _respond(
                        send,
                        401,
                        _rpc_error(
                            request_id, f"{tool} acts for a buyer: sign in with OAuth and grant {needed} ({what})"
                        ),
                        [_challenge(origin, scope=needed)],
                    )
                if needed not in caller.scopes:
                    return await _respond(
                        send,
                        403,
                        _rpc_error(request_id, f"The buyer has not allowed this assistant {needed} ({what})"),
                        [_challenge(origin, error="insufficient_scope", scope=needed)],
                    )

        headers = [(k, v) for k, v in scope["headers"] if k not in (ADDRESS_HEADER, ORIGIN_HEADER)]
        headers += [(ADDRESS_HEADER, client_address(scope).encode()), (ORIGIN_HEADER, origin.encode())]
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app({**scope, "headers": headers}, replay, send)


class SiteWithMCP:
    """Routes /mcp to the MCP server (behind the gate) and everything else to Django. Lifespan events go to the MCP
    server, whose session manager must run for as long as the process serves."""

    def __init__(self, django_app, mcp_app):
        self.django_app = django_app
        self.mcp_app = mcp_app
        self.gated_mcp = MCPGate(mcp_app)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.mcp_app(scope, receive, send)
        if scope["type"] == "http" and scope["path"].rstrip("/") == MCP_PATH:
            return await self.gated_mcp({**scope, "path": MCP_PATH, "raw_path": MCP_PATH.encode()}, receive, send)
        return await self.django_app(scope, receive, send)
