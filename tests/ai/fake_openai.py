"""A small OpenAI-compatible HTTP server for tests: chat completions with JSON-schema replies, embeddings,
and scripted failures (429 with Retry-After, 5xx, slow replies, a server that never answers, malformed bodies,
off-schema JSON).

Tests drive the real `openai` SDK against it over real HTTP; nothing in the SDK is patched. Replies are
taken from a per-path script first; when the script is empty, `chat_responder` / the built-in embedder answer.
"""

import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    status: int = 200
    body: object = None  # dict -> JSON; str -> sent as is (for malformed bodies)
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    hang: bool = False  # never answer: hold the connection open until the server stops (a hung provider)


@dataclass
class Seen:
    path: str
    headers: dict
    body: dict | None
    at: float


def completion(
    content, *, finish_reason="stop", refusal=None, model="fake-model", prompt_tokens=120, completion_tokens=80
) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def json_reply(obj, **kwargs) -> Reply:
    """A successful chat completion whose message content is `obj` as JSON."""
    return Reply(body=completion(json.dumps(obj), **kwargs))


def error_reply(status, message="scripted failure", headers=None) -> Reply:
    return Reply(
        status=status, body={"error": {"message": message, "type": "server_error", "code": None}}, headers=headers or {}
    )


def hang_reply() -> Reply:
    """The server reads the request and then says nothing, until it is stopped: only the client's timeout ends it."""
    return Reply(hang=True)


def fake_vector(text: str, dimensions: int) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    return [(digest[i % len(digest)] - 128) / 128 for i in range(dimensions)]


class FakeOpenAIServer:
    def __init__(self):
        self.scripts: dict[str, deque] = {"/v1/chat/completions": deque(), "/v1/embeddings": deque()}
        self.seen: list[Seen] = []
        self.chat_responder = None  # callable(request_body) -> Reply, used when the chat script is empty
        self.lock = threading.Lock()
        self.released = threading.Event()  # set by stop(): hung replies give up then
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def chat(self, *replies: Reply):
        self.scripts["/v1/chat/completions"].extend(replies)

    def embeddings(self, *replies: Reply):
        self.scripts["/v1/embeddings"].extend(replies)

    def requests_to(self, suffix: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path.endswith(suffix)]

    def _next_reply(self, path: str, body: dict | None) -> Reply:
        with self.lock:
            script = self.scripts.get(path)
            if script:
                return script.popleft()
        if path == "/v1/chat/completions" and self.chat_responder is not None:
            return self.chat_responder(body)
        if path == "/v1/embeddings" and body:
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            dimensions = body.get("dimensions") or 8
            return Reply(
                body={
                    "object": "list",
                    "model": body.get("model"),
                    "data": [
                        {"object": "embedding", "index": i, "embedding": fake_vector(text, dimensions)}
                        for i, text in enumerate(inputs)
                    ],
                    "usage": {
                        "prompt_tokens": sum(len(t.split()) for t in inputs),
                        "total_tokens": sum(len(t.split()) for t in inputs),
                    },
                }
            )
        return error_reply(503, f"nothing scripted for {path}")

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                headers = {name.lower(): value for name, value in self.headers.items()}
                with server.lock:
                    server.seen.append(Seen(self.path, headers, body, time.monotonic()))
                reply = server._next_reply(self.path, body)
                if reply.hang:
                    server.released.wait()
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                data = payload.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

        return Handler

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def openai_server():
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture
def use_openai(settings, openai_server):
    """Point the AI layer at the local server, with short timeouts and retry delays."""
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test-local"
    settings.OPENAI_BASE_URL = openai_server.base_url
    settings.AI_MODEL = "fake-model"
    settings.AI_EMBEDDING_MODEL = "text-embedding-3-small"
    settings.AI_EMBEDDING_DIMENSIONS = 8
    settings.AI_TIMEOUT_SECONDS = 0.5
    settings.AI_MAX_RETRIES = 2
    settings.AI_RETRY_BASE_DELAY = 0.01
    settings.AI_RETRY_MAX_DELAY = 0.5
    settings.AI_PRICE_INPUT_PER_MTOK = 0.15
    settings.AI_PRICE_OUTPUT_PER_MTOK = 0.60
    return openai_server


@pytest.fixture
def use_offline(settings):
    settings.AI_PROVIDER = "offline"
    settings.OPENAI_API_KEY = ""
