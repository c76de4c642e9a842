"""Latency of the MCP tools buyers' agents call, over real HTTP with the SDK's client, against the ASGI app
(uvicorn, one worker) and whatever database DATABASE_URL names (the demo: `make demo`'s var/silkway.sqlite3, or a
scratch copy of it):

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/mcp_bench.py --calls 30

Each call opens its own session as a one-shot agent would (the server is stateless). Rate limits are lifted for the
run. Prints p50/p95 per tool beside GET /healthz (the process's floor) in milliseconds.
Not run by the test suite.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx2
from mcp import Client

BASE_DIR = Path(__file__).resolve().parent.parent
QUERIES = [
    "ceramic coffee mug 350 ml",
    "Edelstahl Trinkflasche 750 ml",
    "лазерный станок для резки металла",
    "cordless drill 20V brushless",
    "太阳能板 450W",
    "bolsa de viaje impermeable",
]


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def timed(client_call, n):
    samples = []
    for i in range(n):
        start = time.perf_counter()
        await client_call(i)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


async def run(base: str, n: int):
    async def tool(name, arguments):
        async with Client(f"{base}/mcp", cache=None) as client:
            result = await client.call_tool(name, arguments)
            assert not result.is_error, result.content
            return result.structured_content

    first = await tool("search_products", {"query": QUERIES[0]})
    product_id = first["results"][0]["product_id"]
    supplier_id = first["results"][0]["supplier"]["supplier_id"]
    async with httpx2.AsyncClient() as http:
        rows = [("GET /healthz", await timed(lambda i: http.get(f"{base}/healthz"), n))]

    async def list_tools(i):
        async with Client(f"{base}/mcp", cache=None) as client:
            await client.list_tools()

    rows.append(("tools/list", await timed(list_tools, n)))
    rows.append(("search_products", await timed(lambda i: tool("search_products", {"query": QUERIES[i % 6]}), n)))
    rows.append(("search_suppliers", await timed(lambda i: tool("search_suppliers", {"query": QUERIES[i % 6]}), n)))
    rows.append(("get_product", await timed(lambda i: tool("get_product", {"product_id": product_id}), n)))
    rows.append(("get_supplier", await timed(lambda i: tool("get_supplier", {"supplier_id": supplier_id}), n)))
    need = "5,000 stainless steel tumblers 600 ml with laser logo, FOB Ningbo, to Germany"
    rows.append(("compare_suppliers", await timed(lambda i: tool("compare_suppliers", {"need": need}), max(3, n // 5))))
    print(f"{'call':<20} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (p50, p95) in rows:
        print(f"{name:<20} {p50:8.1f} {p95:8.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    unlimited = "1000000/m"
    env = {
        **os.environ,
        "AGENT_RATE_ANONYMOUS": unlimited,
        "AGENT_RATE_ANONYMOUS_COMPARE": unlimited,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port), "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx2.get(f"{base}/healthz")
                break
            except httpx2.TransportError:
                time.sleep(0.1)
        anyio.run(run, base, args.calls)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
