"""The runner: selection, order, timing, crash handling, interrupts and the observer.

Stages here are small real functions; Django is the test project's (tests/settings.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from upstream_preflight import catalogue, runner
from upstream_preflight.bootstrap import Target, UsageError
from upstream_preflight.findings import ExitCode, Report, StageResult, StageStatus
from upstream_preflight.runner import RunRequest, select_stages
from upstream_preflight.stages import STAGE_IDS
from upstream_preflight.stages.base import RunContext, Stage, StageOutput

W101 = catalogue.finding("preflight.W101")
E301 = catalogue.finding("preflight.E301", "alias 'default'")


class Recorder:
    """An observer that keeps what it was told, in order."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.events: list[tuple[str, str]] = []
        self.fail_on = fail_on
        self.contexts: list[RunContext] = []

    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Stage],
        settings_source: str | None = None,
    ) -> None:
        self.events.append(("run_started", settings_module or ""))

    def stage_started(self, stage: Stage) -> None:
        if stage.id == self.fail_on:
            raise ValueError("renderer bug")
        self.events.append(("started", stage.id))

    def stage_finished(self, result: StageResult) -> None:
        self.events.append(("finished", f"{result.id}:{result.status.value}"))

    def run_finished(self, report: Report) -> None:
        self.events.append(("run_finished", str(report.exit_code)))


@pytest.fixture(autouse=True)
def keep_settings_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """setup_django sets DJANGO_SETTINGS_MODULE; put the test project's value back."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", os.environ["DJANGO_SETTINGS_MODULE"])
    path = list(sys.path)
    yield
    sys.path[:] = path


def target(settings_module: str = "tests.settings") -> Target:
    return Target(Path.cwd(), settings_module, "--settings")


def stage(stage_id: str, fn, needs_django: bool = False) -> Stage:  # type: ignore[no-untyped-def]
    return Stage(stage_id, stage_id.title(), needs_django, fn)


def returns(*findings, **output):  # type: ignore[no-untyped-def]
    return lambda ctx: StageOutput(findings=list(findings), **output)


def raises(exc: BaseException):  # type: ignore[no-untyped-def]
    def run(ctx: RunContext) -> StageOutput:
        raise exc

    return run


def test_select_stages() -> None:
    assert select_stages() == STAGE_IDS
    assert select_stages(["Monitoring, python"]) == ("python", "monitoring")
    assert select_stages([], ["celery", "static,security"]) == (
        "python", "env", "django", "monitoring", "database", "metrics"
    )  # fmt: skip
    assert select_stages(["env,celery"], ["celery"]) == ("env",)


def test_unknown_stage_names_the_valid_ones() -> None:
    with pytest.raises(UsageError) as raised:
        select_stages(["python,montoring"])
    assert "'montoring'" in raised.value.message and "--only" in raised.value.message
    assert raised.value.fix == f"Valid stages: {', '.join(STAGE_IDS)}"
    with pytest.raises(UsageError, match="No stage left"):
        select_stages(["env"], ["env"])


def test_stages_run_in_order_with_status_and_observer_events() -> None:
    recorder = Recorder()
    stages = [
        stage("python", returns(notes=["Python 3"])),
        stage("env", returns(W101)),
        stage("database", returns(E301, W101), needs_django=True),
        stage("celery", returns(skip_reason="Celery is disabled"), needs_django=True),
    ]
    report = runner.run(target(), RunRequest(timeout=7.5), recorder, stages)
    assert [(s.id, s.status) for s in report.stages] == [
        ("python", StageStatus.PASSED),
        ("env", StageStatus.WARNING),
        ("database", StageStatus.FAILED),
        ("celery", StageStatus.SKIPPED),
    ]
    assert report.stages[0].notes == ["Python 3"]
    assert report.stages[3].skip_reason == "Celery is disabled"
    assert all(s.duration_ms >= 0 for s in report.stages)
    assert report.exit_code == ExitCode.ERRORS
    assert recorder.events == [
        ("run_started", "tests.settings"),
        ("started", "python"),
        ("finished", "python:passed"),
        ("started", "env"),
        ("finished", "env:warning"),
        ("started", "database"),
        ("finished", "database:failed"),
        ("started", "celery"),
        ("finished", "celery:skipped"),
    ]


def test_context_carries_options_with_the_timeout_and_the_selection() -> None:
    seen: list[RunContext] = []

    def look(ctx: RunContext) -> StageOutput:
        seen.append(ctx)
        return StageOutput()

    runner.run(target(), RunRequest(deploy=True, timeout=7.5), None, [stage("python", look)])
    [ctx] = seen
    assert ctx.django_ready and ctx.deploy and not ctx.strict
    assert ctx.options.timeout == 7.5
    assert ctx.selected == frozenset({"python"})
    assert ctx.settings_module == "tests.settings"


def test_a_crashing_stage_is_e003_and_the_rest_still_run() -> None:
    boom = RuntimeError("lost redis://svc:pa55word@127.0.0.1:6379/0\nmore detail")
    stages = [stage("python", raises(boom)), stage("env", returns())]
    report = runner.run(target(), RunRequest(), None, stages)
    [finding] = report.stages[0].findings
    assert finding.code == "preflight.E003" and finding.obj == "python"
    assert finding.message == (
        "A check crashed: stage 'python' raised RuntimeError: lost redis://svc:***@127.0.0.1:6379/0"
    )
    assert report.stages[1].status is StageStatus.PASSED
    assert report.exit_code == ExitCode.ERRORS and not report.crashed


def test_a_missing_stage_module_is_e003() -> None:
    stages = [Stage("ghost", "Ghost", False, runner.lazy_run("ghost")), runner.stage_for("python")]
    report = runner.run(target(), RunRequest(), None, stages)
    [finding] = report.stages[0].findings
    assert finding.code == "preflight.E003"
    assert finding.message.endswith(
        "stage 'ghost' raised ModuleNotFoundError: "
        "No module named 'upstream_preflight.stages.ghost'"
    )
    assert report.stages[1].id == "python" and report.stages[1].status is not StageStatus.FAILED


@pytest.mark.parametrize("exc", [SystemExit(3), TypeError("not iterable")])
def test_system_exit_and_wrong_types_are_crashes_too(exc: BaseException) -> None:
    report = runner.run(target(), RunRequest(), None, [stage("python", raises(exc))])
    assert report.stages[0].findings[0].code == "preflight.E003"


def test_a_stage_returning_the_wrong_type_is_a_crash() -> None:
    report = runner.run(target(), RunRequest(), None, [stage("python", lambda ctx: [])])
    assert "not StageOutput" in report.stages[0].findings[0].message


def test_ctrl_c_stops_the_run_and_keeps_the_partial_report() -> None:
    recorder = Recorder()
    stages = [
        stage("python", returns(W101)),
        stage("env", raises(KeyboardInterrupt())),
        stage("security", returns()),
    ]
    report = runner.run(target(), RunRequest(), recorder, stages)
    assert report.interrupted and report.exit_code == ExitCode.INTERRUPTED
    assert [(s.id, s.status) for s in report.stages] == [
        ("python", StageStatus.WARNING),
        ("env", StageStatus.SKIPPED),
        ("security", StageStatus.SKIPPED),  # every stage is listed, run or not
    ]
    assert report.stages[1].skip_reason == "interrupted (Ctrl-C)"
    assert report.stages[2].skip_reason == "interrupted (Ctrl-C)"
    assert ("finished", "env:skipped") in recorder.events


def test_a_bug_outside_the_stages_exits_70_with_a_report_that_says_so() -> None:
    recorder = Recorder(fail_on="env")
    stages = [stage("python", returns()), stage("env", returns()), stage("security", returns())]
    report = runner.run(target(), RunRequest(), recorder, stages)
    assert report.crashed and report.exit_code == ExitCode.INTERNAL
    # No tenth stage: the crash is the django stage's finding (here added, as no stage of that
    # id was given), and the stages that did not get to run are listed as such.
    assert [s.id for s in report.stages] == ["python", "env", "security", "django"]
    crash = report.stages[-1]
    assert crash.id == runner.SETUP_STAGE_ID and crash.status is StageStatus.FAILED
    assert crash.findings[0].code == "preflight.E003"
    assert "preflight itself failed (a bug): ValueError: renderer bug" in crash.findings[0].message
    assert report.stages[2].skip_reason == "not run: preflight itself failed"


def test_settings_that_do_not_import_skip_the_django_stages() -> None:
    seen: list[RunContext] = []

    def look(ctx: RunContext) -> StageOutput:
        seen.append(ctx)
        return StageOutput()

    recorder = Recorder()
    stages = [
        stage("python", look),
        stage("django", returns(), needs_django=True),
        stage("security", returns(), needs_django=True),
    ]
    report = runner.run(target("tests.no_such_settings"), RunRequest(timeout=4), recorder, stages)
    assert [(s.id, s.status) for s in report.stages] == [
        ("python", StageStatus.PASSED),
        ("django", StageStatus.FAILED),  # the reason Django is not set up
        ("security", StageStatus.SKIPPED),
    ]
    [finding] = report.stages[1].findings
    assert finding.code == "preflight.E001"
    assert finding.message.endswith(
        "tests.no_such_settings (from --settings): "
        "ModuleNotFoundError: No module named 'tests.no_such_settings'"
    )
    assert report.stages[2].skip_reason == (
        "Django is not set up (preflight.E001: Settings module cannot be imported)"
    )
    assert not seen[0].django_ready and seen[0].options.timeout == 4
    assert ("started", "django") not in recorder.events
    assert report.exit_code == ExitCode.ERRORS


def test_components_come_from_the_stage_output() -> None:
    components = {"redis": {"healthy": False, "message": "Cannot connect to Redis cache"}}
    stages = [stage("monitoring", returns(components=components, overall_status="unhealthy"))]
    report = runner.run(target(), RunRequest(), None, stages)
    assert report.components == components and report.overall_status == "unhealthy"


def test_strict_makes_warnings_exit_2() -> None:
    report = runner.run(target(), RunRequest(strict=True), None, [stage("env", returns(W101))])
    assert report.exit_code == ExitCode.STRICT_WARNINGS
