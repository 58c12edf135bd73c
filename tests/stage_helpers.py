"""Helpers for the stage tests: a RunContext, and a temporary extra database alias for setup."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from upstream_preflight.findings import Finding
from upstream_preflight.options import parse_options
from upstream_preflight.stages import STAGE_IDS
from upstream_preflight.stages.base import RunContext, StageOutput

ALL_STAGES = frozenset(STAGE_IDS)
SETUP_ALIAS = "stage_setup"


def make_ctx(
    *,
    timeout: float = 2.0,
    selected: frozenset[str] = ALL_STAGES,
    deploy: bool = False,
    project_dir: Path | None = None,
    settings_module: str | None = "tests.settings",
    **preflight: Any,
) -> RunContext:
    raw = {"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": timeout}
    raw.update({key.upper(): value for key, value in preflight.items()})
    return RunContext(
        options=parse_options(raw),
        deploy=deploy,
        strict=False,
        selected=selected,
        project_dir=project_dir or Path.cwd(),
        settings_module=settings_module,
        django_ready=True,
    )


def codes_of(output: StageOutput) -> list[str]:
    return [f.code for f in output.findings]


def only(output: StageOutput, code: str) -> list[Finding]:
    return [f for f in output.findings if f.code == code]


def rendered(output: StageOutput) -> str:
    """Everything a stage would show: messages, hints, objects, notes, skip reason."""
    parts = [f"{f.message} {f.hint} {f.obj or ''}" for f in output.findings]
    return "\n".join([*parts, *output.notes, output.skip_reason or ""])


@contextlib.contextmanager
def setup_database(config: dict[str, Any]) -> Iterator[str]:
    """Register `config` as an extra alias of this process for test setup (migrate into it);
    the stage under test never sees it."""
    from django.conf import settings
    from django.db import connections

    both = {"default": copy.deepcopy(settings.DATABASES["default"]), SETUP_ALIAS: config}
    connections.settings[SETUP_ALIAS] = connections.configure_settings(both)[SETUP_ALIAS]
    try:
        yield SETUP_ALIAS
    finally:
        with contextlib.suppress(Exception):
            connections[SETUP_ALIAS].close()
        with contextlib.suppress(AttributeError):
            del connections[SETUP_ALIAS]
        del connections.settings[SETUP_ALIAS]
