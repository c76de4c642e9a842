"""Pages under load, beside a hello-world Django view in the same run: gunicorn (or uvicorn) with production
settings on the database in DATABASE_URL (the demo data: `make seed` on PostgreSQL), driven by wrk (Debian `wrk`).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_load   # migrated and `make seed`ed
    .venv/bin/python bench/load_pages.py [--workers 2] [--worker-class sync|gthread|asgi] [--threads 1] [--duration 20]

Each scenario cycles through many URLs (40 categories, 200 products, 36 searches in 9 languages, 8 API list
variants), so a cache has to earn its hits. `/healthz` is the hello-world view: the whole middleware stack, no
query. The first table is at --connections (50) with throughput as a share of hello-world's and the targets of
issue 18; the second at --burst-connections (200) checks p99 < 1 s with no timeouts. PUBLIC_CACHE_SECONDS=0
measures everything uncached. Not run by the test suite.
"""

import argparse
import urllib.parse

from wrk_load import fetch, require_tools, run_wrk, web_server

SEARCHES = [
    "cordless drill",
    "solar panel 400W",
    "stainless steel water bottle",
    "ceramic mug 350 ml logo",
    "LED strip 12V",
    "led panel light",
    "network cable cat6",
    "circuit breaker 63A",
    "Akku-Bohrschrauber",
    "Solarmodul",
    "Keramikbecher",
    "Edelstahl Flasche",
    "perceuse sans fil",
    "panneau solaire",
    "tasse en céramique",
    "taladro inalámbrico",
    "panel solar 400 W",
    "botella de acero inoxidable",
    "furadeira sem fio",
    "painel solar",
    "garrafa térmica",
    "дрель аккумуляторная",
    "солнечная панель",
    "кружка керамическая",
    "مثقاب لاسلكي",
    "لوح شمسي",
    "コードレスドリル",
    "ソーラーパネル",
    "マグカップ",
    "无线电钻",
    "太阳能板",
    "陶瓷杯",
    "不锈钢保温杯",
    "supplier with CE certificate under 5 USD",
    "t-shirt cotton 200gsm",
    "drill bit hss",
]

# The targets of issue 18 at 50 connections: throughput as a share of hello-world's.
TARGETS = {"home": 0.10, "category": None, "product": 0.10, "search": 0.05, "API list": 0.10}


def local_path(url: str) -> str:
    """The path and query of an absolute URL the site built (https://…, as wrk's proxy header asks)."""
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def scenarios(base: str) -> list[tuple[str, list[str]]]:
    categories = fetch(f"{base}/api/v1/categories/")
    category_slugs = [top["slug"] for top in categories] + [
        child["slug"] for top in categories for child in top["children"]
    ]
    products, url = [], f"{base}/api/v1/products/?page_size=100"
    while url and len(products) < 200:
        page = fetch(url)
        products += [local_path(item["web_url"]) for item in page["results"]]
        url = page["next"] and base + local_path(page["next"])
    quoted = [urllib.parse.quote(query) for query in SEARCHES]
    return [
        ("hello", ["/healthz"]),
        ("home", ["/"]),
        ("category", [f"/categories/{slug}/" for slug in category_slugs]),
        ("product", products[:200]),
        ("search", [f"/search/?q={query}" for query in quoted]),
        (
            "API list",
            [
                "/api/v1/products/",
                "/api/v1/products/?ordering=price",
                f"/api/v1/products/?category={category_slugs[0]}",
                f"/api/v1/products/?category={category_slugs[-1]}",
                "/api/v1/products/?verified=true&moq_max=500",
                "/api/v1/products/?q=cordless%20drill",
                "/api/v1/products/?q=Solarmodul",
                "/api/v1/products/?page_size=50",
            ],
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", default="sync", choices=["sync", "gthread", "asgi"], help="gunicorn's, or asgi: uvicorn"
    )
    parser.add_argument("--threads", type=int, default=1, help="per worker, with --worker-class gthread")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--burst-connections", type=int, default=200)
    parser.add_argument("--burst-duration", type=int, default=20)
    parser.add_argument("--only", nargs="*", help="scenario names to run (hello always runs)")
    parser.add_argument("--port", type=int, default=None, help="default: a free one")
    args = parser.parse_args()
    require_tools()

    with web_server(port=args.port, workers=args.workers, worker_class=args.worker_class, threads=args.threads) as base:
        chosen = [
            (name, paths) for name, paths in scenarios(base) if not args.only or name == "hello" or name in args.only
        ]
        print(
            f"gunicorn {args.workers} {args.worker_class} worker(s) x {args.threads} thread(s); wrk 2 threads; "
            f"{args.duration} s per scenario after {args.warmup} s of warm-up"
        )
        print(f"\nat {args.connections} connections")
        print(
            f"{'scenario':10s} {'URLs':>5s} {'req/s':>8s} {'of hello':>9s} {'target':>7s} {'p50 ms':>8s} "
            f"{'p99 ms':>8s} {'non-2xx':>8s} {'timeouts':>9s}"
        )
        hello_rps = None
        for name, paths in chosen:
            run_wrk(base, paths, duration=args.warmup, connections=args.connections)
            result = run_wrk(base, paths, duration=args.duration, connections=args.connections)
            hello_rps = hello_rps or result.rps
            share = result.rps / hello_rps
            target = TARGETS.get(name)
            verdict = "" if target is None else f"{target:.0%} {'ok' if share >= target else 'MISS'}"
            print(
                f"{name:10s} {len(paths):5d} {result.rps:8.1f} {share:9.1%} {verdict:>7s} {result.p50:8.1f} "
                f"{result.p99:8.1f} {result.non_2xx:8d} {result.timeouts:9d}",
                flush=True,
            )

        print(f"\nat {args.burst_connections} connections (target: p99 < 1000 ms, no timeouts)")
        print(
            f"{'scenario':10s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'non-2xx':>8s} {'timeouts':>9s} "
            f"{'socket errors':>14s}"
        )
        for name, paths in chosen:
            if name == "hello":
                continue
            result = run_wrk(base, paths, duration=args.burst_duration, connections=args.burst_connections)
            ok = result.p99 < 1000 and result.timeouts == 0
            print(
                f"{name:10s} {result.rps:8.1f} {result.p50:8.1f} {result.p99:8.1f} {result.non_2xx:8d} "
                f"{result.timeouts:9d} {result.socket_errors:14d} {'ok' if ok else 'MISS'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
