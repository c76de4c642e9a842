"""Load test of GET /api/v1/products/ under gunicorn, measured with wrk (Debian package `wrk`).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/silkway_bench   # the 100,000-product seed
    .venv/bin/python bench/api_product_list.py --duration 20 --connections 4 --workers 2

Starts gunicorn (production settings: DEBUG off, throttles lifted so the limiter is not what is measured; see
bench/wrk_load.py), runs each scenario with wrk for --duration seconds after a short warm-up, and prints
p50/p95/p99 latency and throughput. PUBLIC_CACHE_SECONDS=0 measures the lists uncached.
Not run by the test suite.
"""

import argparse

from wrk_load import fetch, require_tools, run_wrk, web_server


def scenarios(base):
    categories = fetch(f"{base}/api/v1/categories/")
    top = categories[0]["slug"]
    # A deep page: follow `next` 50 times (page 51 of 20), the keyset cursor's whole point.
    url = f"{base}/api/v1/products/"
    for _ in range(50):
        url = base + "/api/v1/products/?" + fetch(url)["next"].split("?", 1)[1]
    return [
        ("default list (relevance)", "/api/v1/products/"),
        ("page 51 via cursor", url.removeprefix(base)),
        ("ordering=price", "/api/v1/products/?ordering=price"),
        (f"category={top} (with sub-categories)", f"/api/v1/products/?category={top}"),
        ("verified+moq_max+certification", "/api/v1/products/?verified=true&moq_max=500&certification=CE"),
        ("q=cordless drill", "/api/v1/products/?q=cordless%20drill"),
        ("q=Bohrmaschine (German)", "/api/v1/products/?q=Bohrmaschine"),
        ("page_size=100", "/api/v1/products/?page_size=100"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    require_tools()
    with web_server(workers=args.workers) as base:
        print(
            f"gunicorn {args.workers} workers, wrk {args.threads} thread(s) x {args.connections} connections, "
            f"{args.duration}s per scenario"
        )
        print(f"{'scenario':42s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'req/s':>8s} {'errors':>7s}")
        for name, path in scenarios(base):
            options = {"connections": args.connections, "threads": args.threads}
            run_wrk(base, [path], duration=args.warmup, **options)
            result = run_wrk(base, [path], duration=args.duration, **options)
            errors = result.non_2xx + result.timeouts + result.socket_errors
            print(
                f"{name:42s} {result.p50:8.1f} {result.p95:8.1f} {result.p99:8.1f} {result.rps:8.1f} {errors:7d}",
                flush=True,
            )


if __name__ == "__main__":
    main()
