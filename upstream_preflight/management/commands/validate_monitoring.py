"""`python manage.py validate_monitoring [--strict] [--deploy] [--json]`: a thin shell."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from upstream_preflight.monitoring.validate import validate
from upstream_preflight.render.json_report import render_json
from upstream_preflight.render.validate_text import render_validate_text


class Command(BaseCommand):
    help = "Validate monitoring configuration; exit 1 on errors, 2 on warnings with --strict."
    requires_system_checks: list[str] = []  # the checks are what this command reports

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strict", action="store_true", help="Exit 2 when warnings remain.")
        parser.add_argument(
            "--deploy", action="store_true", help="Also run Django's deployment checks."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")
        parser.add_argument("--timeout", type=float, default=None, help="Seconds per probe.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = validate(
            strict=options["strict"], deploy=options["deploy"], timeout=options["timeout"]
        )
        text = render_json(report) + "\n" if options["json"] else render_validate_text(report)
        self.stdout.write(text, ending="")
        self.stdout.flush()
        sys.exit(report.exit_code)
