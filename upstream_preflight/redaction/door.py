"""The one door for secrets: every string of a report is masked here, once, on its way from
the core to the renderers, so no renderer can show what it never sees.

`Door.collect()` learns the secret values of the run once (redaction/known.py: settings,
URLs, environment, env file); `Door.text` masks them and the patterns of `redact_text` in
one string, then makes control sequences inert (redaction/controls.py); `Door.report`,
`Door.stage` and `Door.value` apply it to every string of a report, a stage result or a
JSON-like document, returning copies. `DoorObserver` puts the door in front of a live or
plain observer; the CLI renders every format from the report the door returns, and
`validate_monitoring` and the status view go through it too. Nothing here raises.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from upstream_preflight.findings import Finding, Report, StageResult
from upstream_preflight.redaction.controls import neutralise
from upstream_preflight.redaction.known import known_secrets
from upstream_preflight.redaction.text import known_pattern, redact_patterns
from upstream_preflight.redaction.urls import MASK


class Door:
    def __init__(self, secrets: Sequence[str] = ()) -> None:
        self.secrets = tuple(secrets)
        self._pattern = known_pattern(self.secrets)

    @classmethod
    def collect(cls, env_loaded: Mapping[str, str] | None = None) -> Door:
        """A door for the secrets the process knows now (see redaction/known.py)."""
        return cls(known_secrets(env_loaded))

    def text(self, value: str) -> str:
        """One string, masked and with its control sequences made inert."""
        if not isinstance(value, str) or isinstance(value, enum.Enum) or not value:
            return value
        try:
            if self._pattern is not None:
                value = self._pattern.sub(MASK, value)
            return neutralise(redact_patterns(value))
        except Exception:
            return MASK

    def value(self, value: Any, depth: int = 0) -> Any:
        """Every string of a JSON-like value (dicts, lists, tuples); keys are kept."""
        if isinstance(value, str):
            return self.text(value)
        if depth > 20:
            return value
        if isinstance(value, dict):
            return {key: self.value(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.value(item, depth + 1) for item in value)
        return value

    def finding(self, finding: Finding) -> Finding:
        return replace(
            finding,
            code=self.text(finding.code),
            message=self.text(finding.message),
            hint=self.text(finding.hint),
            obj=self.text(finding.obj) if finding.obj else finding.obj,
            silenced_reason=self.text(finding.silenced_reason)
            if finding.silenced_reason
            else finding.silenced_reason,
        )

    def stage(self, result: StageResult) -> StageResult:
        return StageResult(
            result.id,
            self.text(result.title),
            result.status,
            result.duration_ms,
            [self.finding(f) for f in result.findings],
            [self.text(note) for note in result.notes],
            self.text(result.skip_reason) if result.skip_reason else result.skip_reason,
        )

    def report(self, report: Report) -> Report:
        """A copy of `report` with every string through the door (same exit status)."""
        return replace(
            report,
            stages=[self.stage(stage) for stage in report.stages],
            settings_module=self.text(report.settings_module)
            if report.settings_module
            else report.settings_module,
            settings_source=self.text(report.settings_source)
            if report.settings_source
            else report.settings_source,
            components=self.value(report.components),
        )


def django_configured() -> bool:
    conf = sys.modules.get("django.conf")
    try:
        return bool(conf is not None and conf.settings.configured)
    except Exception:
        return False


class DoorObserver:
    """Passes each stage result and the finished report through the door before the inner
    observer shows them. The secrets are collected once before Django is set up and once
    after (settings add secrets), then reused."""

    def __init__(self, inner: Any, env_loaded: Mapping[str, str] | None = None) -> None:
        self.inner = inner
        self.env_loaded = dict(env_loaded or {})
        self._door: Door | None = None
        self._configured: bool | None = None

    def door(self) -> Door:
        configured = django_configured()
        if self._door is None or configured != self._configured:
            self._door = Door.collect(self.env_loaded)
            self._configured = configured
        return self._door

    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Any],
        settings_source: str | None = None,
    ) -> None:
        door = self.door()
        shown = door.text(settings_module) if settings_module else settings_module
        source = door.text(settings_source) if settings_source else settings_source
        self.inner.run_started(shown, stages, settings_source=source)

    def stage_started(self, stage: Any) -> None:
        self.inner.stage_started(stage)

    def stage_finished(self, result: StageResult) -> None:
        self.inner.stage_finished(self.door().stage(result))

    def run_finished(self, report: Report) -> None:
        self.inner.run_finished(self.door().report(report))
