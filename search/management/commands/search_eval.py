"""Score search against graded judgments: nDCG@10, recall@50 and MRR, per language and overall.

    python manage.py search_eval bench/search_eval_queries.jsonl [--json] [--kind head|long-tail]

Each line: {"id", "lang", "query", "judgments": {"<external_id>": grade 0-3}}. Gains are 2^grade - 1; a result
counts as relevant for recall and MRR at grade 2 or more. Queries run as a buyer with that UI language would
(the language is detected, not forced), and are not written to the search log.
"""

import json
import math
import time
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.models import Product
from search.engine import product_search

RELEVANT = 2


def ndcg_at(ranked_grades, all_grades, k=10):
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ranked_grades[:k]))
    ideal = sorted(all_grades, reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked_grades, all_grades, k=50):
    relevant = sum(1 for g in all_grades if g >= RELEVANT)
    return sum(1 for g in ranked_grades[:k] if g >= RELEVANT) / relevant if relevant else 0.0


def reciprocal_rank(ranked_grades):
    return next((1 / (i + 1) for i, g in enumerate(ranked_grades) if g >= RELEVANT), 0.0)


class Command(BaseCommand):
    help = "Evaluate product search on a graded query set (nDCG@10, recall@50, MRR per language)."

    def add_arguments(self, parser):
        parser.add_argument("queries_file")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--kind", help="Only queries of this kind (e.g. head, long-tail).")

    def handle(self, *args, queries_file, kind, **options):
        path = Path(queries_file)
        if not path.is_file():
            raise CommandError(f"No such file: {queries_file}")
        queries = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                query, judgments = str(item["query"]), {str(k): int(v) for k, v in item["judgments"].items()}
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise CommandError(f"line {n}: expected query and judgments ({error})") from None
            if kind and item.get("kind") != kind:
                continue
            queries.append((item.get("id", f"line{n}"), item.get("lang", "en"), query, judgments))
        if not queries:
            raise CommandError("No queries to evaluate.")
        external = dict(Product.objects.exclude(external_id="").values_list("pk", "external_id"))
        per_language, rows, started = defaultdict(list), [], time.monotonic()
        for query_id, language, query, judgments in queries:
            result = product_search(q=query, ui_language=language, per_page=96, hydrate=False)
            ranked = [judgments.get(external.get(hit["product_id"], ""), 0) for hit in result.hits[:50]]
            grades = list(judgments.values())
            scores = {
                "ndcg@10": ndcg_at(ranked, grades),
                "recall@50": recall_at(ranked, grades),
                "mrr": reciprocal_rank(ranked),
            }
            per_language[language].append(scores)
            per_language["all"].append(scores)
            rows.append(
                {"id": query_id, "lang": language, "query": query, **{k: round(v, 4) for k, v in scores.items()}}
            )
        summary = {
            language: {
                "queries": len(items),
                **{
                    metric: round(sum(s[metric] for s in items) / len(items), 4)
                    for metric in ("ndcg@10", "recall@50", "mrr")
                },
            }
            for language, items in sorted(per_language.items(), key=lambda kv: (kv[0] == "all", kv[0]))
        }
        elapsed = time.monotonic() - started
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"summary": summary, "queries": rows, "seconds": round(elapsed, 1)}, ensure_ascii=False, indent=2
                )
            )
            return
        self.stdout.write(f"{'language':<10} {'queries':>7} {'nDCG@10':>8} {'recall@50':>9} {'MRR':>6}")
        for language, data in summary.items():
            self.stdout.write(
                f"{language:<10} {data['queries']:>7} {data['ndcg@10']:>8.3f} {data['recall@50']:>9.3f} "
                f"{data['mrr']:>6.3f}"
            )
        worst = sorted(rows, key=lambda r: r["ndcg@10"])[:5]
        self.stdout.write("weakest: " + "; ".join(f"{r['query']} ({r['ndcg@10']:.2f})" for r in worst))
        self.stdout.write(f"{len(rows)} queries in {elapsed:.1f}s")
