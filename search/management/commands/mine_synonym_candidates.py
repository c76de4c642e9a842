"""Propose synonym candidates from recent search result clicks now (the daily beat task does the same).

python manage.py mine_synonym_candidates [--days 30]
"""

from django.core.management.base import BaseCommand, CommandError

from search.services import synonym_candidates_mine


class Command(BaseCommand):
    help = "Mine the search log's result clicks for synonym candidates (operators approve them in /admin/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="How many days of clicks to read (default: setting)."
        )

    def handle(self, *args, days, **options):
        if days is not None and not 1 <= days <= 365:
            raise CommandError("--days must be between 1 and 365.")
        summary = synonym_candidates_mine(days=days)
        self.stdout.write(
            f"{summary['proposals']} proposals: {summary['created']} new candidates, {summary['updated']} updated, "
            f"{summary['skipped']} already decided or in the dictionary."
        )
