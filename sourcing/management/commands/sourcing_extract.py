"""`manage.py sourcing_extract [--language xx] < request.txt`: the structured requirements of a request, as JSON.

Uses the configured AI provider (offline rules by default). Prints exactly the COMMAND_FIELDS present."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ai.exceptions import AIError
from sourcing.ai import extract_requirements


class Command(BaseCommand):
    help = "Read a buyer's request on stdin and print its structured requirements as JSON."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--language", default=None, help="Language code of the request (detected when absent).")

    def handle(self, *args, **options):
        text = self.stdin.read()
        try:
            result = extract_requirements(text, language=options["language"])
        except AIError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result.value.command_output(), ensure_ascii=False))

    def execute(self, *args, **options):
        # call_command(..., stdin=StringIO(...)) passes stdin as an option; the command line uses sys.stdin.
        self.stdin = options.pop("stdin", None) or sys.stdin
        return super().execute(*args, **options)
