"""`manage.py task_stats`: Celery outcomes per task over the last 24 hours and the broker's queue depths."""

import json

from django.core.management.base import BaseCommand

from core.ops import task_report


class Command(BaseCommand):
    help = "Celery task successes and failures per task name in the last 24 hours, and broker queue depths."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        report = task_report()
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        width = max([len(row["task"]) for row in report["tasks"]] + [4])
        self.stdout.write(f"{'task':<{width}}  {'ok':>6}  {'failed':>6}   (last {report['hours']} h)")
        for row in report["tasks"]:
            self.stdout.write(f"{row['task']:<{width}}  {row['success']:>6}  {row['failure']:>6}")
        self.stdout.write("")
        for queue, depth in report["queues"].items():
            self.stdout.write(f"queue {queue}: {depth}")
