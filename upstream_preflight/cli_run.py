"""The body of `preflight run`: locate the target, run, and hand the report to the renderers.

Kept apart from cli.py so that `--help` and completion import none of this. With --json,
stdout carries only the JSON document; progress and the human summary go to stderr.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TextIO

from upstream_preflight import bootstrap, runner
from upstream_preflight.findings import ExitCode, Report
from upstream_preflight.render.json_report import render_json
from upstream_preflight.render.observer import Observer, make_observer
from upstream_preflight.render.plain import write_or_silence
from upstream_preflight.render.streams import reserved_stdout

logger = logging.getLogger("upstream_preflight")


@dataclass(frozen=True)
class RunOptions:
    settings: str | None = None
    pythonpath: tuple[str, ...] = ()
    env_file: str | None = None
    project_dir: str | None = None
    strict: bool = False
    deploy: bool = False
    json_output: bool = False
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    timeout: float | None = None
    no_color: bool = False
    quiet: bool = False


def execute_run(opts: RunOptions) -> int:
    """Run and render; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")  # a non-UTF-8 terminal gets '?' instead of a crash
    try:
        selected = runner.select_stages(opts.only, opts.skip)
        target = bootstrap.locate(
            settings=opts.settings,
            pythonpath=opts.pythonpath,
            env_file=opts.env_file,
            project_dir=opts.project_dir,
        )
    except bootstrap.UsageError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        if exc.fix:
            print(f"Fix: {exc.fix}", file=sys.stderr)
        return ExitCode.USAGE
    request = runner.RunRequest(selected, opts.strict, opts.deploy, opts.timeout)
    if not opts.json_output:
        report = _run(target, request, opts, sys.stdout)
        return report.exit_code
    with reserved_stdout() as json_stream:
        report = _run(target, request, opts, sys.stderr)
        write_or_silence(json_stream, render_json(report) + "\n")
    return report.exit_code


def _run(
    target: bootstrap.Target, request: runner.RunRequest, opts: RunOptions, human: TextIO
) -> Report:
    observer: Observer = make_observer(human, no_color=opts.no_color, quiet=opts.quiet)
    report = runner.run(target, request, observer)
    try:
        observer.run_finished(report)
    except Exception as exc:
        logger.debug("rendering the summary failed", exc_info=True)
        report.crashed = True
        reason = bootstrap.one_line_reason(exc, target)
        print(f"preflight: internal error while rendering (a bug): {reason}", file=sys.stderr)
    except KeyboardInterrupt:
        report.interrupted = True
    return report
