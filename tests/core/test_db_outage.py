"""A database that goes away: requests fail fast with a 503 (Retry-After; the short page, or the API's error shape)
logged once with the request id, and the next request after the database is back succeeds in the same process.

Nothing is mocked. On PostgreSQL a TCP proxy in a thread stands between a second connection alias and the server,
and the test cuts it (every connection reset, new ones dropped: a restart), blackholes it (connections accepted and
never answered: an unreachable server, which only connect_timeout ends) and restores it. On any database the page
and API answers are checked against an SQLite alias whose file cannot be opened, then can.

The probe views run their query on that alias through the whole middleware stack of config.settings.
"""

import copy
import logging
import os
import selectors
import socket
import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config import urls as config_urls
from core.middleware import DATABASE_RETRY_AFTER_SECONDS

ALIAS = "outage_probe"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
CONNECT_TIMEOUT = 2  # libpq's smallest (it counts anything below 2 as 2)


def run_probe_query():
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def page_probe(request):
    return HttpResponse(f"probe ok {run_probe_query()}")


def bug_probe(request):
    raise ZeroDivisionError("a bug, not an outage")


class ApiProbe(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()

    def get(self, request):
        return Response({"probe": run_probe_query()})


class ProbeOnTheWayOutMiddleware:
    """A middleware that queries after the view, as the session save does: what it raises never reaches
    DatabaseUnavailableMiddleware.process_exception (Django turns it into a response at this layer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.endswith("/quiet-view/"):
            run_probe_query()
        return response


def quiet_view(request):
    return HttpResponse("the view needed no database")


handler500 = config_urls.handler500

urlpatterns = [
    path("outage-probe/", page_probe),
    path("outage-probe/quiet-view/", quiet_view),
    path("api/v1/outage-probe/quiet-view/", quiet_view),
    path("bug-probe/", bug_probe),
    path("api/v1/outage-probe/", ApiProbe.as_view()),
    *config_urls.urlpatterns,
]

# The probe alias is allowed in these tests, as a test mirror of default: nothing is flushed through it. Transactional
# tests, as in production: no test transaction holds the connections (Django's TestCase cannot roll back a mirror).
pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", ALIAS]), pytest.mark.urls(__name__)]


def _forget_probe_connection():
    if any(connection.alias == ALIAS for connection in connections.all(initialized_only=True)):
        connections[ALIAS].close()
        del connections[ALIAS]


@pytest.fixture(scope="module", autouse=True)
def _probe_alias_registered(django_db_setup):
    """ALIAS is in DATABASES before the test case is set up (the test case allows only the aliases it names)."""
    connections.settings[ALIAS] = _probe_settings()
    yield
    _forget_probe_connection()
    del connections.settings[ALIAS]


def _probe_settings(**overrides):
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": "default"}
    return {**settings_dict, **overrides}


@pytest.fixture
def probe_alias():
    """Points ALIAS at the given settings (a new connection object, of the given engine)."""

    def configure(**overrides):
        _forget_probe_connection()
        connections.settings[ALIAS] = _probe_settings(**overrides)
        return connections[ALIAS]

    yield configure
    _forget_probe_connection()


def errors_logged(caplog):
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def assert_503_page(response, caplog, request_id, path="/outage-probe/"):
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-ID"] == request_id
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Briefly unavailable" in page and "try again" in page
    assert "css/silkway.css" in page  # the site's look
    (record,) = errors_logged(caplog)  # once: not again by django.request
    assert record.name == "silkway.db"
    assert record.request_id == request_id
    assert path in record.getMessage()


def assert_503_api(response, caplog, request_id):
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["code"] == "service_unavailable" and error["field"] is None
    assert "briefly unavailable" in error["message"]
    (record,) = errors_logged(caplog)
    assert record.name == "silkway.db" and record.request_id == request_id


def get(client, url, caplog, request_id):
    caplog.clear()
    started = time.monotonic()
    response = client.get(url, HTTP_X_REQUEST_ID=request_id)
    return response, time.monotonic() - started


# --- any database: an SQLite file that cannot be opened, then can ----------------------------------------------


def test_unopenable_database_gives_503_page_and_api_error_then_recovers(client, probe_alias, tmp_path, caplog):
    probe_alias(
        ENGINE="django.db.backends.sqlite3", NAME=str(tmp_path / "no-such-directory" / "db.sqlite3"), OPTIONS={}
    )
    caplog.set_level(logging.INFO)

    response, _ = get(client, "/outage-probe/", caplog, "outage-page-1")
    assert_503_page(response, caplog, "outage-page-1")
    response, _ = get(client, "/api/v1/outage-probe/", caplog, "outage-api-1")
    assert_503_api(response, caplog, "outage-api-1")

    # The process is up; it is not ready.
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["database"].startswith("failed")

    # The database comes back (here: its file can be opened): the next requests succeed, nothing restarted.
    connections[ALIAS].settings_dict["NAME"] = str(tmp_path / "db.sqlite3")
    response, _ = get(client, "/outage-probe/", caplog, "outage-page-2")
    assert response.status_code == 200 and response.content == b"probe ok 1"
    assert client.get("/api/v1/outage-probe/").json() == {"probe": 1}
    assert client.get("/readyz").status_code == 200
    assert not errors_logged(caplog)


def test_the_503_page_is_in_the_buyers_language(client, probe_alias, tmp_path):
    probe_alias(ENGINE="django.db.backends.sqlite3", NAME=str(tmp_path / "missing" / "db.sqlite3"), OPTIONS={})
    response = client.get("/outage-probe/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    page = response.content.decode()
    assert 'lang="zh-hans"' in page and "暂时无法访问" in page
    api = client.get("/api/v1/outage-probe/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert api.status_code == 503 and "暂时无法访问" in api.json()["errors"][0]["message"]


def test_an_outage_inside_a_later_middleware_is_a_503_too(probe_alias, tmp_path, settings, caplog):
    probe_alias(ENGINE="django.db.backends.sqlite3", NAME=str(tmp_path / "gone" / "db.sqlite3"), OPTIONS={})
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ProbeOnTheWayOutMiddleware"]
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)  # as a real server: no test client re-raising

    response, _ = get(client, "/outage-probe/quiet-view/", caplog, "late-page-1")
    assert_503_page(response, caplog, "late-page-1", path="/outage-probe/quiet-view/")
    response, _ = get(client, "/api/v1/outage-probe/quiet-view/", caplog, "late-api-1")
    assert_503_api(response, caplog, "late-api-1")


def test_other_errors_are_still_500(client):
    # Only a database that went away is a 503: a bug stays a bug (and the test client re-raises it).
    with pytest.raises(ZeroDivisionError):
        client.get("/bug-probe/")
    assert Client(raise_request_exception=False).get("/bug-probe/").status_code == 500


# --- PostgreSQL: a proxy the test cuts and restores -------------------------------------------------------------


class TCPProxy:
    """127.0.0.1:<port> forwarded to the database server, in threads. Modes for new connections: "open" (forwarded),
    "down" (reset at once, as a restarting server refuses them) and "blackhole" (accepted, never answered)."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.mode = "open"
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    def _accept_loop(self):
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ)
        while not self.stopping.is_set():
            if not selector.select(timeout=0.05):
                continue
            try:
                client, _address = self.listener.accept()
            except OSError:
                continue
            if self.mode == "down":
                self._reset(client)
            elif self.mode == "blackhole":
                with self.lock:
                    self.sockets.add(client)
            else:
                self._forward(client)
        selector.close()

    def _forward(self, client):
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            self._reset(client)
            return
        upstream.settimeout(None)
        with self.lock:
            self.sockets |= {client, upstream}
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._reset(source)
            self._reset(target)

    def _reset(self, sock):
        with self.lock:
            self.sockets.discard(sock)
        try:
            # An RST, as from a server that died: the peer's next read fails at once.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def _drop_all(self):
        with self.lock:
            live = list(self.sockets)
        for sock in live:
            self._reset(sock)

    def cut(self):
        self.mode = "down"
        self._drop_all()

    def blackhole(self):
        self.mode = "blackhole"
        self._drop_all()

    def restore(self):
        self.mode = "open"
        self._drop_all()  # the blackholed ones

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()
        self._drop_all()


@pytest.fixture
def proxy():
    default = settings.DATABASES["default"]
    upstream = (default.get("HOST") or "127.0.0.1", int(default.get("PORT") or 5432))
    proxy = TCPProxy(upstream)
    yield proxy
    proxy.close()


@pytest.fixture
def postgres_through_proxy(probe_alias, proxy):
    """The test database, reached through the proxy, with the production options (connect_timeout included) and
    a persistent connection, as a web process keeps one."""
    options = connections["default"].settings_dict.get("OPTIONS", {})
    return probe_alias(
        HOST="127.0.0.1",
        PORT=str(proxy.port),
        CONN_MAX_AGE=60,
        CONN_HEALTH_CHECKS=True,
        OPTIONS={**options, "connect_timeout": CONNECT_TIMEOUT},
    )


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgres://...): the proxy forwards to it")
def test_postgres_restart_gives_fast_503_and_the_next_request_reconnects(client, proxy, postgres_through_proxy, caplog):
    # Production settings bound a new connection's wait (DATABASE_CONNECT_TIMEOUT, default 3 s).
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")
    )
    caplog.set_level(logging.INFO)
    timings = {}

    response, timings["up"] = get(client, "/outage-probe/", caplog, "pg-up")
    assert response.status_code == 200
    first_connection = postgres_through_proxy.connection
    assert first_connection is not None  # kept open between requests, like a persistent connection

    # The server restarts: the open connection is reset under the next query.
    proxy.cut()
    response, timings["cut, open connection"] = get(client, "/outage-probe/", caplog, "pg-cut-1")
    assert_503_page(response, caplog, "pg-cut-1")
    assert postgres_through_proxy.connection is None  # the broken connection was closed, not kept

    # While it is down, new connections are refused at once.
    response, timings["cut, new connection"] = get(client, "/outage-probe/", caplog, "pg-cut-2")
    assert_503_page(response, caplog, "pg-cut-2")
    response, timings["cut, API"] = get(client, "/api/v1/outage-probe/", caplog, "pg-cut-3")
    assert_503_api(response, caplog, "pg-cut-3")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503

    # Unreachable (packets go nowhere): connect_timeout ends the wait.
    proxy.blackhole()
    response, timings["unreachable"] = get(client, "/outage-probe/", caplog, "pg-hang")
    assert_503_page(response, caplog, "pg-hang")

    # Back: the same process, the same client, a new connection.
    proxy.restore()
    response, timings["restored"] = get(client, "/outage-probe/", caplog, "pg-back")
    assert response.status_code == 200 and response.content == b"probe ok 1"
    assert postgres_through_proxy.connection is not None
    assert postgres_through_proxy.connection is not first_connection
    assert client.get("/api/v1/outage-probe/").json() == {"probe": 1}
    assert client.get("/readyz").status_code == 200
    assert not errors_logged(caplog)

    print("\nrequest times:", {name: f"{seconds:.3f} s" for name, seconds in timings.items()})
    # A reset connection fails at once, without waiting out any timeout; an unreachable server costs the connect
    # timeout and no more (2 s of slack for a loaded machine).
    for name in ("cut, open connection", "cut, new connection", "cut, API"):
        assert timings[name] < CONNECT_TIMEOUT, timings
    assert timings["unreachable"] < CONNECT_TIMEOUT + 2, timings
