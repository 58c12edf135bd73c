"""Silencing: one pass over finished stages that marks findings silenced, with the reason.

Three sources, later ones giving the reason when several name a code: Django's
SILENCED_SYSTEM_CHECKS (read once Django is set up), `ignore` in [tool.preflight], and
`--ignore CODE[=REASON]`. Any code can be silenced, in any stage. A silenced finding stays in
the report, is counted as silenced, and does not count towards a stage's status or the exit
status. The pass is applied as each stage finishes (so live output already shows it) and once
more over the whole report; applying it twice changes nothing.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from upstream_preflight import catalogue
from upstream_preflight.findings import Report, StageResult, StageStatus
from upstream_preflight.render.observer import Observer
from upstream_preflight.stages.base import Stage

SILENCED_SYSTEM_CHECKS = "SILENCED_SYSTEM_CHECKS"
FLAG_REASON = "--ignore on the command line"
_CODE = re.compile(r"[A-Za-z_][\w.]*\.[A-Za-z]\d+|[A-Za-z]\d+")
_OUR_APPS = ("monitoring", "preflight")


class IgnoreError(ValueError):
    """A code that cannot be silenced as written; the message says why."""


@dataclass(frozen=True)
class Rule:
    code: str
    reason: str
    origin: str
    """Where the rule came from: `--ignore`, `pyproject.toml`, `SILENCED_SYSTEM_CHECKS`."""


def normalize_code(text: str) -> str:
    """`e010` -> `monitoring.E010`; Django's and other apps' codes pass as written. Our own
    apps' codes must exist in the catalogue (a typo would silence nothing)."""
    raw = text.strip()
    if not _CODE.fullmatch(raw):
        raise IgnoreError(f"{text!r} is not a check code (like monitoring.W003 or security.W004)")
    try:
        return catalogue.get(raw).code
    except catalogue.UnknownCode:
        app = raw.split(".", 1)[0].lower() if "." in raw else "monitoring"
        if app not in _OUR_APPS:
            return raw
    known = [c.code for c in catalogue.all_codes()]
    close = difflib.get_close_matches(raw, known, n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise IgnoreError(f"unknown code {raw!r}.{hint}")


def flag_rules(values: Iterable[str]) -> list[Rule]:
    """`--ignore CODE`, `--ignore CODE,CODE` or `--ignore 'CODE=reason'`."""
    rules: list[Rule] = []
    for value in values:
        if "=" in value:
            code, reason = value.split("=", 1)
            rules.append(Rule(normalize_code(code), reason.strip() or FLAG_REASON, "--ignore"))
            continue
        for part in value.split(","):
            if part.strip():
                rules.append(Rule(normalize_code(part), FLAG_REASON, "--ignore"))
    return rules


def silenced_system_checks() -> list[Rule]:
    """SILENCED_SYSTEM_CHECKS of the target, once Django's settings are configured; none
    before (reading them must never import a settings module that failed)."""
    conf = sys.modules.get("django.conf")
    if conf is None:
        return []
    try:
        settings = conf.settings
        if not settings.configured:
            return []
        listed = getattr(settings, SILENCED_SYSTEM_CHECKS, ())
        names = [] if isinstance(listed, str) else [str(code) for code in listed]
    except Exception:  # a broken settings object is reported elsewhere
        return []
    reason = f"listed in {SILENCED_SYSTEM_CHECKS}"
    return [Rule(code.strip(), reason, SILENCED_SYSTEM_CHECKS) for code in names if code.strip()]


class Silencer:
    """The rules of one run: explicit ones given up front, Django's read when first needed."""

    def __init__(self, rules: Sequence[Rule] = ()) -> None:
        self.explicit = tuple(rules)

    def table(self) -> dict[str, Rule]:
        table: dict[str, Rule] = {}
        for rule in (*silenced_system_checks(), *self.explicit):
            table[rule.code.lower()] = rule
        return table

    def stage(self, result: StageResult, table: dict[str, Rule] | None = None) -> None:
        """Silence in place (the report holds this same object) and recompute the status."""
        table = self.table() if table is None else table
        if not table:
            return
        changed = False
        findings = []
        for finding in result.findings:
            rule = table.get(finding.code.lower())
            if rule is not None and not (finding.silenced and finding.silenced_reason):
                finding = finding.as_silenced(rule.reason)
                changed = True
            findings.append(finding)
        if changed:
            result.findings[:] = findings
            if result.status is not StageStatus.SKIPPED:
                result.status = StageResult.status_for(findings)

    def report(self, report: Report) -> None:
        table = self.table()
        for result in report.stages:
            self.stage(result, table)


class SilencingObserver:
    """Silences each stage's findings before the inner observer shows them."""

    def __init__(self, inner: Observer, silencer: Silencer) -> None:
        self.inner = inner
        self.silencer = silencer

    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Stage],
        settings_source: str | None = None,
    ) -> None:
        self.inner.run_started(settings_module, stages, settings_source=settings_source)

    def stage_started(self, stage: Stage) -> None:
        self.inner.stage_started(stage)

    def stage_finished(self, result: StageResult) -> None:
        self.silencer.stage(result)
        self.inner.stage_finished(result)

    def run_finished(self, report: Report) -> None:
        self.silencer.report(report)
        self.inner.run_finished(report)
