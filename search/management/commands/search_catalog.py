"""Run one product search from the shell and print the ranked results with their external ids.

python manage.py search_catalog "cordless drill 18V brushless" [--lang de] [--limit 20] [--json]
"""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from marketplace.models import Product
from search.engine import product_search
from search.text import PG_CONFIGS

MAX_LIMIT = 96


class Command(BaseCommand):
    help = "Search published products the way /search/ does and print the ranked results."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--lang", help="Language of the query (default: detected).")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, query, lang, limit, **options):
        as_json = options["json"]
        if lang and lang not in PG_CONFIGS:
            raise CommandError(f"--lang must be one of {', '.join(PG_CONFIGS)}.")
        if not 1 <= limit <= MAX_LIMIT:
            raise CommandError(f"--limit must be between 1 and {MAX_LIMIT}.")
        per_page = next(size for size in (12, 24, 48, 96) if size >= limit)
        result = product_search(
            q=query, query_language=lang, ui_language=lang or "en", per_page=per_page, hydrate=False
        )
        hits = result.hits[:limit]
        products = Product.objects.in_bulk([h["product_id"] for h in hits])
        rows = [
            {
                "rank": i,
                "product_id": h["product_id"],
                "external_id": products[h["product_id"]].external_id,
                "title": products[h["product_id"]].title,
                "score": round(h["score"], 4),
            }
            for i, h in enumerate(hits, 1)
            if h["product_id"] in products
        ]
        payload = {
            "query": result.query.text,
            "language": result.query.language,
            "backend": result.backend,
            "total": result.total,
            "relaxed": result.relaxed,
            "did_you_mean": result.suggestion,
            "understood": [{"key": c.key, "label": c.label, "kind": c.kind} for c in result.query.chips],
            "results": rows,
        }
        if as_json:
            self.stdout.write(_dumps(payload))
            return
        self.stdout.write(
            f"{payload['total']} results ({payload['language']}, {payload['backend']})"
            + (f", relaxed: {payload['relaxed']}" if payload["relaxed"] else "")
        )
        for chip in payload["understood"]:
            self.stdout.write(f"  understood: {chip['label']} ({chip['kind']})")
        for row in rows:
            self.stdout.write(
                f"{row['rank']:>3}. {row['score']:.3f}  {row['external_id'] or row['product_id']:<14} {row['title']}"
            )


def _dumps(payload):
    return jsonlib.dumps(payload, ensure_ascii=False, indent=2)
