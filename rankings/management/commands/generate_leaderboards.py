from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rankings import services


class Command(BaseCommand):
    help = "Publish this week's (or --period's) snapshot of every leaderboard; published boards are skipped."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Any date in the week to generate, YYYY-MM-DD (default: today).")

    def handle(self, *args, period=None, **options):
        try:
            day = date.fromisoformat(period) if period else None
        except ValueError:
            raise CommandError("--period must be a date, YYYY-MM-DD.") from None
        try:
            run = services.leaderboard_generate_all(period=day, trigger="command")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        elapsed = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"Week of {run.period}: {run.snapshots_created} snapshots published, {run.boards_skipped} already "
            f"published, in {elapsed:.1f} s."
        )
