"""One entry of the catalogue: a code with its message, condition, impact and fix."""

from __future__ import annotations

from dataclasses import dataclass

from upstream_preflight.findings import Finding, Severity


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    """One line, under 80 characters: what is wrong. The finding's message."""
    checks: str
    """The exact condition under which the code fires."""
    impact: str
    """Why it matters."""
    fix: str
    """One line: what to do. The finding's hint."""
    stage: str
    """The `preflight run` stage that reports it."""

    @property
    def severity(self) -> Severity:
        return Severity.from_code(self.code)

    def finding(self, detail: str | None = None, obj: str | None = None) -> Finding:
        message = f"{self.title}: {detail}" if detail else self.title
        return Finding(self.code, self.severity, message, self.fix, obj)
