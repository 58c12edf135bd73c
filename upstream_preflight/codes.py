"""The catalogue: every code once, with its message, what it checks, why it matters and the fix.

The Django checks, the CLI (`explain`, `codes`), `validate_monitoring`, the status view and the
generated docs all read from here. Codes are permanent: never renumbered, never reused.
The entries live in `catalogue_monitoring` and `catalogue_preflight`; this module indexes them.
"""

from __future__ import annotations

from collections.abc import Iterable
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


class UnknownCode(KeyError):
    pass


def _load() -> dict[str, Code]:
    from upstream_preflight import catalogue_monitoring, catalogue_preflight

    index: dict[str, Code] = {}
    for entry in (*catalogue_monitoring.CODES, *catalogue_preflight.CODES):
        if entry.code in index:
            raise RuntimeError(f"code {entry.code} is defined twice")
        index[entry.code] = entry
    return index


CATALOGUE: dict[str, Code] = _load()


def get(code: str) -> Code:
    """Look a code up; `E001` alone means `monitoring.E001`. Case does not matter."""
    wanted = code.strip()
    if "." not in wanted:
        wanted = f"monitoring.{wanted}"
    for key, entry in CATALOGUE.items():
        if key.lower() == wanted.lower():
            return entry
    raise UnknownCode(code)


def finding(code: str, detail: str | None = None, obj: str | None = None) -> Finding:
    return CATALOGUE[code].finding(detail, obj)


def all_codes(prefix: str | None = None) -> Iterable[Code]:
    for key in sorted(CATALOGUE, key=_sort_key):
        if prefix is None or key.startswith(prefix):
            yield CATALOGUE[key]


def _sort_key(code: str) -> tuple[str, int, str]:
    app, _, rest = code.partition(".")
    letter_order = "EWI".find(rest[:1])
    return (app, letter_order, rest[1:])
