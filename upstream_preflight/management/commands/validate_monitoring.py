"""`python manage.py validate_monitoring [--strict] [--deploy] [--json] [--timeout S]`: a shell.

Exit statuses follow the contract: 0, 1 (errors), 2 (--strict and warnings), 64 (usage),
70 (the command itself failed), 130 (interrupted).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from upstream_preflight.findings import ExitCode, Report
from upstream_preflight.monitoring.validate import failed_report, validate
from upstream_preflight.options import MAX_TIMEOUT_SECONDS, OptionError
from upstream_preflight.render.json_report import render_json
from upstream_preflight.render.validate_text import render_validate_text

logger = logging.getLogger("upstream_preflight")


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    if value > MAX_TIMEOUT_SECONDS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIMEOUT_SECONDS:g} seconds")
    return value


def _usage_error(parser: CommandParser, message: str) -> None:
    # argparse exits 2 on bad usage, which here would read as "--strict and warnings".
    if not parser.called_from_command_line:
        raise CommandError(f"Error: {message}", returncode=ExitCode.USAGE)
    parser.print_usage(sys.stderr)
    parser.exit(ExitCode.USAGE, f"{parser.prog}: error: {message}\n")


class Command(BaseCommand):
    help = "Validate monitoring configuration; exit 1 on errors, 2 on warnings with --strict."
    requires_system_checks: list[str] = []  # the checks are what this command reports

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = lambda message: _usage_error(parser, message)  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strict", action="store_true", help="Exit 2 when warnings remain.")
        parser.add_argument(
            "--deploy", action="store_true", help="Also run Django's deployment checks."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")
        parser.add_argument(
            "--timeout", type=positive_seconds, default=None, help="Seconds per network probe."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        strict, deploy = options["strict"], options["deploy"]
        try:
            report = validate(strict=strict, deploy=deploy, timeout=options["timeout"])
        except OptionError as exc:  # reached only through call_command(timeout=...)
            raise CommandError(str(exc), returncode=ExitCode.USAGE) from None
        except KeyboardInterrupt:
            report = failed_report(strict=strict, deploy=deploy, interrupted=True)
        except Exception as exc:
            logger.debug("validate_monitoring crashed", exc_info=True)
            report = failed_report(strict=strict, deploy=deploy, error=exc)
        self._write(report, as_json=options["json"])
        sys.exit(report.exit_code)

    def _write(self, report: Report, *, as_json: bool) -> None:
        text = render_json(report) + "\n" if as_json else render_validate_text(report)
        self.stdout.write(text, ending="")
        self.stdout.flush()
