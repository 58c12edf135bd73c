"""One entry of the catalogue: a code with its message, condition, impact and fix."""

from __future__ import annotations

import re
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
    """One line: what to do. The finding's hint. May name the project's own things as
    `{field}` (`{module}`, `{settings}`, `{key}`, `{filter}`, `{handler}`): a finding fills
    them in; the reference shows them as `<field>`."""
    stage: str
    """The `preflight run` stage that reports it."""

    @property
    def severity(self) -> Severity:
        return Severity.from_code(self.code)

    @property
    def generic_fix(self) -> str:
        """The fix as the reference shows it, each project-specific name as `<field>`."""
        return _FIELD.sub(lambda m: f"<{m.group(1)}>", self.fix)

    def hint(self, **fields: str) -> str:
        """The fix for one project: named fields filled in, the others left generic."""
        return _FIELD.sub(lambda m: str(fields.get(m.group(1), f"<{m.group(1)}>")), self.fix)

    def finding(self, detail: str | None = None, obj: str | None = None, **fields: str) -> Finding:
        message = f"{self.title}: {detail}" if detail else self.title
        return Finding(self.code, self.severity, message, self.hint(**fields), obj)


_FIELD = re.compile(r"\{(\w+)\}")
