"""The body of `preflight run`: merge flags with [tool.preflight], locate the target, run,
silence, and hand the report to the renderers.

Kept apart from cli/app.py so that `--help` and completion import none of this. With a machine
format on the console (--json, --format json|junit|github|sarif), stdout carries only that
document; progress and the human summary go to stderr. Each --output file is written after
the run, whatever its outcome. Every stage result and the finished report pass through the
door (redaction/door.py) before any renderer sees them: no format can show a secret or a
control sequence of the project. A report that cannot be written exits 74.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from upstream_preflight import bootstrap, project_config, runner
from upstream_preflight.findings import ExitCode, Report
from upstream_preflight.redaction.controls import neutralise
from upstream_preflight.redaction.door import DoorObserver
from upstream_preflight.redaction.text import redact_text
from upstream_preflight.render.formats import render
from upstream_preflight.render.locations import locations_for
from upstream_preflight.render.observer import make_observer
from upstream_preflight.render.outputs import OutputFile, console_format, parse_outputs
from upstream_preflight.render.streams import GuardedStream, open_standard_streams, reserved_stdout
from upstream_preflight.silencing import Silencer, SilencingObserver
from upstream_preflight.stages.base import Stage

logger = logging.getLogger("upstream_preflight")


@dataclass(frozen=True)
class RunOptions:
    settings: str | None = None
    pythonpath: tuple[str, ...] = ()
    env_file: str | None = None
    project_dir: str | None = None
    strict: bool | None = None
    deploy: bool | None = None
    json_output: bool = False
    output_format: str | None = None
    outputs: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    timeout: float | None = None
    no_color: bool = False
    quiet: bool = False


@dataclass(frozen=True)
class Plan:
    target: bootstrap.Target
    request: runner.RunRequest
    stages: list[Stage] | None
    silencer: Silencer
    console: str
    outputs: list[OutputFile]


def execute_run(opts: RunOptions) -> int:
    """Run and render; returns the exit status."""
    stdout_closed, _stderr_closed = open_standard_streams()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")  # a non-UTF-8 terminal gets '?' instead of a crash
    try:
        plan = make_plan(opts)
    except bootstrap.UsageError as exc:
        say(f"Error: {exc.message}")
        if exc.fix:
            say(f"Fix: {exc.fix}")
        return ExitCode.USAGE
    if plan.console == "text":
        console = GuardedStream(None if stdout_closed else sys.stdout)
        report, shown = _run(plan, opts, console)
    else:
        with reserved_stdout() as console:
            if stdout_closed:
                console = GuardedStream(None)
            report, shown = _run(plan, opts, GuardedStream(sys.stderr, "stderr"))
            console.write(_rendered(plan, plan.console, shown))
            console.flush()
    if console.failure is not None:
        report.unwritten = shown.unwritten = True
    code = _write_outputs(plan, report, shown)
    if console.failure is not None:
        say(f"preflight: could not write the report to {console.name}: {console.failure}")
    return code


def say(line: str) -> None:
    """One line for people on stderr, masked and without control sequences."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(neutralise(redact_text(line, bootstrap.known_secrets())), file=sys.stderr)


def make_plan(opts: RunOptions) -> Plan:
    """Everything decided before the run; UsageError (exit 64) for what cannot work."""
    console = console_format(opts.json_output, opts.output_format)
    outputs = parse_outputs(opts.outputs)
    config = project_config.load(Path(opts.project_dir or "."))
    flags = project_config.Flags(
        opts.settings, opts.strict, opts.deploy, opts.timeout, opts.only, opts.skip, opts.ignore
    )
    effective = project_config.merge(config, flags)
    selected = runner.select_stages(effective.only.value, effective.skip.value)
    from_file = effective.settings.origin == project_config.FILE
    target = bootstrap.locate(
        settings=effective.settings.value if opts.settings is not None or from_file else None,
        pythonpath=opts.pythonpath,
        env_file=opts.env_file,
        project_dir=opts.project_dir,
    )
    if from_file:
        target.settings_source = f"{project_config.TABLE} in {project_config.FILE}"
    request = runner.RunRequest(
        selected, effective.strict.value, effective.deploy.value, effective.timeout.value
    )
    stages = project_config.configured_stages(selected, effective)
    return Plan(target, request, stages, Silencer(effective.ignore), console, outputs)


def _run(plan: Plan, opts: RunOptions, human: GuardedStream) -> tuple[Report, Report]:
    """The report as the core has it, and as it leaves through the door (what is shown)."""
    inner = make_observer(
        human,  # type: ignore[arg-type]
        no_color=opts.no_color,
        quiet=opts.quiet,
        progress_only=plan.console != "text",
    )
    door = DoorObserver(inner, plan.target.env_loaded)
    observer = SilencingObserver(door, plan.silencer)
    report = runner.run(plan.target, plan.request, observer, plan.stages)
    plan.silencer.report(report)  # the report may hold results the observer never saw
    shown = door.door().report(report)
    try:
        inner.run_finished(shown)
    except Exception as exc:
        logger.debug("rendering the summary failed", exc_info=True)
        report.crashed = shown.crashed = True
        reason = bootstrap.one_line_reason(exc, plan.target)
        say(f"preflight: internal error while rendering (a bug): {reason}")
    except KeyboardInterrupt:
        report.interrupted = shown.interrupted = True
    return report, shown


def _rendered(plan: Plan, fmt: str, shown: Report) -> str:
    target = plan.target
    where = locations_for(target.project_dir, target.settings_module, target.env_file)
    return render(fmt, shown, where)


def _write_outputs(plan: Plan, report: Report, shown: Report) -> int:
    code = report.exit_code
    for output in plan.outputs:
        problem = output.write(_rendered(plan, output.fmt, shown))
        if problem:
            say(f"Error: {problem}")
            code = ExitCode.CANNOT_WRITE
    return code
