"""Run the selected stages: boot Django, run every stage concurrently, time each one, turn a
crash into a finding, and report progress through an Observer in the fixed stage order.

Stages do not depend on each other's results (see stages/base.py), so once Django is set up
each starts in a daemon thread of its own: a run in which every backend hangs costs one probe
window, not one per probe. The observer and the report still see the stages one by one, in
order: `stage_started` is called when the runner begins waiting for a stage, and
`stage_finished` when its result is in. A stage that outlives its backstop (a library that
ignores its own timeout) is reported as preflight.E003 and abandoned; its thread cannot keep
the process alive. Stage modules are imported when their stage runs, so a missing or broken
module is a preflight.E003 finding for that stage, not the end of the run.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from upstream_preflight import catalogue
from upstream_preflight.bootstrap import Target, UsageError, one_line_reason, setup_django
from upstream_preflight.findings import Finding, Report, StageResult, StageStatus
from upstream_preflight.options import options_or_defaults, parse_options
from upstream_preflight.render.observer import NullObserver, Observer
from upstream_preflight.stage_threads import StageThread, warm_imports
from upstream_preflight.stages import NOT_SELECTED, STAGE_IDS, STAGE_TABLE
from upstream_preflight.stages.base import RunContext, Stage, StageOutput

logger = logging.getLogger("upstream_preflight")

SETUP_STAGE_ID = "django"
"""The stage that carries the reason Django could not be set up (preflight.E001 / E002) and a
failure of the tool itself outside any stage (preflight.E003): every report lists the nine
stages and no other (contract)."""

# Every probe ends within about two timeouts on its own (probes/). The backstop catches only
# what ignores its timeout, and leaves room for the CPU-bound checks of a large project.
BACKSTOP_FLOOR_SECONDS = 20.0
BACKSTOP_TIMEOUTS = 4


@dataclass(frozen=True)
class RunRequest:
    selected: tuple[str, ...] = STAGE_IDS
    strict: bool = False
    deploy: bool = False
    timeout: float | None = None
    backstop: float | None = None
    """Seconds after which a stage still running is abandoned; default from the timeout."""


def backstop_seconds(timeout: float) -> float:
    return max(BACKSTOP_FLOOR_SECONDS, BACKSTOP_TIMEOUTS * timeout + 10)


def select_stages(only: Iterable[str] = (), skip: Iterable[str] = ()) -> tuple[str, ...]:
    """Stage ids to run, in the fixed order. UsageError names an unknown id."""
    only_ids, skip_ids = _ids(only, "--only"), _ids(skip, "--skip")
    selected = tuple(
        sid for sid in STAGE_IDS if (not only_ids or sid in only_ids) and sid not in skip_ids
    )
    if not selected:
        raise UsageError("No stage left to run", "Check --only and --skip")
    return selected


def _ids(values: Iterable[str], flag: str) -> set[str]:
    ids = {part.strip().lower() for value in values for part in value.split(",") if part.strip()}
    unknown = sorted(ids.difference(STAGE_IDS))
    if unknown:
        raise UsageError(
            f"Unknown stage {', '.join(repr(u) for u in unknown)} in {flag}",
            f"Valid stages: {', '.join(STAGE_IDS)}",
        )
    return ids


def stage_for(stage_id: str) -> Stage:
    """The stage with `run` importing its module on first call."""
    title, needs_django = next((t, n) for sid, t, n in STAGE_TABLE if sid == stage_id)
    return Stage(stage_id, title, needs_django, lazy_run(stage_id))


class LazyRun:
    """`upstream_preflight.stages.<id>.run`, imported when called: an import error is then
    that stage's crash."""

    def __init__(self, stage_id: str) -> None:
        self.module_name = f"upstream_preflight.stages.{stage_id}"

    def __call__(self, ctx: RunContext) -> StageOutput:
        module = importlib.import_module(self.module_name)
        output: StageOutput = module.run(ctx)
        return output

    def preload(self) -> None:
        """Import the module in the calling thread, before the stage threads start, so that
        they never import the same modules at once. A failure is left for `__call__` (in the
        stage's thread) to raise again and report."""
        try:
            importlib.import_module(self.module_name)
        except (Exception, SystemExit):
            logger.debug("preloading %s failed", self.module_name, exc_info=True)


def lazy_run(stage_id: str) -> Callable[[RunContext], StageOutput]:
    return LazyRun(stage_id)


def execute(
    stage: Stage, ctx: RunContext, target: Target | None = None
) -> tuple[StageResult, StageOutput]:
    """Run one stage, timed; an exception becomes a preflight.E003 finding. Returns the
    result and the raw output (which may carry component health)."""
    started = time.perf_counter()
    try:
        output = stage.run(ctx)
        if not isinstance(output, StageOutput):
            raise TypeError(f"stage returned {type(output).__name__}, not StageOutput")
    except (Exception, SystemExit) as exc:
        logger.debug("stage %s crashed", stage.id, exc_info=True)
        reason = f"stage '{stage.id}' raised {one_line_reason(exc, target)}"
        output = StageOutput(findings=[catalogue.finding("preflight.E003", reason, obj=stage.id)])
    duration_ms = round((time.perf_counter() - started) * 1000)
    findings = list(output.findings)
    status = StageResult.status_for(findings)
    if output.skip_reason and not findings:
        status = StageStatus.SKIPPED
    result = StageResult(
        stage.id, stage.title, status, duration_ms, findings, list(output.notes), output.skip_reason
    )
    return result, output


def skipped(stage: Stage, reason: str) -> StageResult:
    return StageResult(stage.id, stage.title, StageStatus.SKIPPED, skip_reason=reason)


def start_stages(
    stages: Sequence[Stage], ctx: RunContext, target: Target, django_ok: bool
) -> dict[str, StageThread]:
    """Start every stage that can run, after importing in this thread what several of them
    import (see stage_threads.warm_imports)."""
    runnable = [s for s in stages if django_ok or not s.needs_django]
    for stage in runnable:
        preload = getattr(stage.run, "preload", None)
        if callable(preload):
            preload()
    if django_ok:
        try:
            warm_imports(ctx)
        except Exception:  # only an optimisation: the stages meet the same problem and say so
            logger.debug("warming imports failed", exc_info=True)
    return {stage.id: StageThread(stage, ctx, target, execute) for stage in runnable}


def run(
    target: Target,
    request: RunRequest,
    observer: Observer | None = None,
    stages: Sequence[Stage] | None = None,
) -> Report:
    """Boot the target and run the selected stages (or `stages`, given in order; ids must be
    unique) concurrently, reporting them in order. Never raises: Ctrl-C marks the report
    interrupted, a bug of the tool marks it crashed; either way the partial report is
    returned."""
    observer = observer or NullObserver()
    report = Report(
        strict=request.strict,
        deploy=request.deploy,
        settings_module=target.settings_module,
        settings_source=target.settings_source,
    )
    if stages is None:
        stages = [stage_for(stage_id) for stage_id in STAGE_IDS]
        selected = frozenset(request.selected)
    else:
        selected = frozenset(stage.id for stage in stages)
    try:
        observer.run_started(target.settings_module, stages, settings_source=target.settings_source)
        ctx, failure = _boot(target, request, selected)
        chosen = [stage for stage in stages if stage.id in selected]
        running = start_stages(chosen, ctx, target, django_ok=failure is None)
        backstop = request.backstop or backstop_seconds(ctx.options.timeout)
        deadline = time.monotonic() + backstop
        for stage in stages:
            if stage.id == SETUP_STAGE_ID and failure is not None:
                status, findings = StageStatus.FAILED, [failure.finding]
                result = StageResult(stage.id, stage.title, status, failure.duration_ms, findings)
            elif stage.id not in selected:
                result = skipped(stage, NOT_SELECTED)
            elif stage.needs_django and failure is not None:
                code = failure.finding.code
                result = skipped(
                    stage, f"Django is not set up ({code}: {catalogue.get(code).title})"
                )
            else:
                try:
                    observer.stage_started(stage)
                    result, output = running[stage.id].result(deadline)
                    _take_components(report, output)
                except KeyboardInterrupt:
                    result = skipped(stage, "interrupted (Ctrl-C)")
                    report.interrupted = True
            report.stages.append(result)
            observer.stage_finished(result)
            if report.interrupted:
                break
    except KeyboardInterrupt:
        report.interrupted = True
    except Exception as exc:
        _record_crash(report, exc, target, observer)
    _complete(report, stages)
    return report


@dataclass(frozen=True)
class SetupFailure:
    finding: Finding
    duration_ms: int


def _boot(
    target: Target, request: RunRequest, selected: frozenset[str]
) -> tuple[RunContext, SetupFailure | None]:
    started = time.perf_counter()
    problem = setup_django(target)
    failure = None
    if problem is None:
        options, _problem = options_or_defaults(request.timeout)  # E004: the monitoring stage's
    else:
        options = parse_options({}, request.timeout)
        failure = SetupFailure(problem, round((time.perf_counter() - started) * 1000))
    ctx = RunContext(
        options=options,
        deploy=request.deploy,
        strict=request.strict,
        selected=selected,
        project_dir=target.project_dir,
        settings_module=target.settings_module,
        django_ready=problem is None,
        env_file=target.env_file,
        env_file_findings=list(target.env_findings),
        env_loaded=dict(target.env_loaded),
    )
    return ctx, failure


def _take_components(report: Report, output: StageOutput) -> None:
    if output.components is not None:
        report.components.update(output.components)
    if output.overall_status is not None:
        report.overall_status = output.overall_status


def _record_crash(report: Report, exc: Exception, target: Target, observer: Observer) -> None:
    """A bug outside any stage: the `django` stage says so and the exit status becomes 70."""
    logger.debug("preflight crashed", exc_info=True)
    report.crashed = True
    detail = f"preflight itself failed (a bug): {one_line_reason(exc, target)}"
    finding = catalogue.finding("preflight.E003", detail, obj="preflight")
    stage = next((s for s in report.stages if s.id == SETUP_STAGE_ID), None)
    if stage is None:
        title = next(t for sid, t, _n in STAGE_TABLE if sid == SETUP_STAGE_ID)
        stage = StageResult(SETUP_STAGE_ID, title, StageStatus.FAILED)
        report.stages.append(stage)
    stage.findings.append(finding)
    stage.status = StageStatus.FAILED
    try:
        observer.stage_finished(stage)
    except Exception:  # the observer may be what failed; the summary still says it
        logger.debug("observer failed while reporting a crash", exc_info=True)


def _complete(report: Report, stages: Sequence[Stage]) -> None:
    """Every stage once, in order, whatever ended the run early: the ones that did not get to
    run are skipped with the reason."""
    why = "interrupted (Ctrl-C)" if report.interrupted else "not run: preflight itself failed"
    done = {result.id: result for result in report.stages}
    ids = {stage.id for stage in stages}
    extra = [result for result in report.stages if result.id not in ids]  # a crash's stage
    report.stages[:] = [done.get(stage.id) or skipped(stage, why) for stage in stages] + extra
