"""The one model of a result: Severity, Finding, StageResult and Report (exit code lives here).

Nothing here imports Django, so the CLI can load it without booting a project.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from upstream_preflight.exit_codes import ExitCode


class Severity(enum.IntEnum):
    """Ordered like Django's check levels, so "fail at this level" is a comparison."""

    INFO = 20
    WARNING = 30
    ERROR = 40

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> Severity:
        """`monitoring.E001` is an error, `security.W004` a warning, anything else info."""
        letter = code.rsplit(".", 1)[-1][:1].upper()
        return {"E": cls.ERROR, "C": cls.ERROR, "W": cls.WARNING}.get(letter, cls.INFO)

    @classmethod
    def from_django_level(cls, level: int) -> Severity:
        if level >= cls.ERROR:
            return cls.ERROR
        if level >= cls.WARNING:
            return cls.WARNING
        return cls.INFO


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    hint: str = ""
    obj: str | None = None
    silenced: bool = False
    silenced_reason: str | None = None

    def as_silenced(self, reason: str | None = None) -> Finding:
        return replace(self, silenced=True, silenced_reason=reason or self.silenced_reason)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "hint": self.hint,
        }
        if self.obj:
            data["object"] = self.obj
        if self.silenced:
            data["silenced"] = True
            if self.silenced_reason:
                data["silenced_reason"] = self.silenced_reason
        return data


class StageStatus(enum.StrEnum):
    PASSED = "passed"
    WARNING = "warning"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class StageResult:
    id: str
    title: str
    status: StageStatus
    duration_ms: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skip_reason: str | None = None

    @staticmethod
    def status_for(findings: list[Finding]) -> StageStatus:
        active = [f for f in findings if not f.silenced]
        if any(f.severity >= Severity.ERROR for f in active):
            return StageStatus.FAILED
        if any(f.severity == Severity.WARNING for f in active):
            return StageStatus.WARNING
        return StageStatus.PASSED

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "duration_ms": self.duration_ms,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        if self.skip_reason:
            data["skip_reason"] = self.skip_reason
        return data


@dataclass(frozen=True)
class Summary:
    errors: int
    warnings: int
    info: int
    silenced: int = 0

    @classmethod
    def of(cls, findings: list[Finding]) -> Summary:
        active = [f for f in findings if not f.silenced]
        return cls(
            errors=sum(f.severity == Severity.ERROR for f in active),
            warnings=sum(f.severity == Severity.WARNING for f in active),
            info=sum(f.severity == Severity.INFO for f in active),
            silenced=len(findings) - len(active),
        )

    def exit_code(self, strict: bool) -> int:
        if self.errors:
            return ExitCode.ERRORS
        if strict and self.warnings:
            return ExitCode.STRICT_WARNINGS
        return ExitCode.OK

    def to_dict(self) -> dict[str, int]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.info,
            "silenced": self.silenced,
        }


@dataclass
class Report:
    """The result of one run: stages in order plus component health."""

    stages: list[StageResult] = field(default_factory=list)
    strict: bool = False
    deploy: bool = False
    settings_module: str | None = None
    settings_source: str | None = None
    """Where the module name came from ("--settings", "DJANGO_SETTINGS_MODULE",
    "env file .env", "manage.py", ...); None when not known."""
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    overall_status: str | None = None
    crashed: bool = False
    interrupted: bool = False
    unwritten: bool = False
    """The report could not be written to stdout (exit status 74); files may still hold it."""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    """When the run started (the report is made then); the JUnit suite's timestamp."""

    @property
    def findings(self) -> list[Finding]:
        return [f for stage in self.stages for f in stage.findings]

    @property
    def summary(self) -> Summary:
        return Summary.of(self.findings)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if self.crashed:
            return ExitCode.INTERNAL
        if self.unwritten:
            return ExitCode.CANNOT_WRITE
        return self.summary.exit_code(self.strict)
