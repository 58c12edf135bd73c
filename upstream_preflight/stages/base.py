"""What a stage is, and what it is given.

A stage is a function from a RunContext to a StageOutput. The runner (runner.py) owns timing,
ordering, crash handling and progress; a stage only inspects and returns findings. Stages
must not depend on each other's results, so that the runner may run them concurrently: a
stage that would repeat another stage's finding decides that from `ctx.selected` and
`ctx.deploy`, which are known before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from upstream_preflight.findings import Finding
from upstream_preflight.options import Options


@dataclass
class RunContext:
    options: Options
    """PREFLIGHT from the target's settings (defaults when Django is not set up), with
    --timeout applied."""
    deploy: bool
    strict: bool
    selected: frozenset[str]
    """Ids of the stages that run in this invocation (after --only / --skip)."""
    project_dir: Path
    """The target project's directory (where manage.py / pyproject.toml live)."""
    settings_module: str | None = None
    django_ready: bool = False
    env_file: Path | None = None
    env_file_findings: list[Finding] = field(default_factory=list)
    """Problems met while loading the env file, reported by the `env` stage."""
    env_loaded: dict[str, str] = field(default_factory=dict)
    """Variables the env file supplied (names and values; values are never shown)."""


@dataclass
class StageOutput:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """One-line facts shown under the stage ("Python 3.11.7", "1247 static files");
    never a secret value."""
    skip_reason: str | None = None
    """Set when the stage decided it does not apply (e.g. Celery disabled)."""
    components: dict[str, dict[str, Any]] | None = None
    overall_status: str | None = None


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    needs_django: bool
    run: Callable[[RunContext], StageOutput]
