"""`database`: every alias connects read-only in bounded time; migrations are complete.

Nothing is written: connections are read-only copies (probes/database.py), and the migration
checks only read (never `migrate --check`, whose `prepare_database()` can write).
"""

from __future__ import annotations

from typing import Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.probes.database import (
    DatabaseProbeResult,
    database_settings,
    probe_databases,
)
from upstream_preflight.stages.base import RunContext, StageOutput

DEFAULT_ALIAS = "default"
LISTED_APPS = 6


def run(ctx: RunContext) -> StageOutput:
    try:
        configs = database_settings()
    except Exception as exc:
        detail = f"DATABASES is invalid ({type(exc).__name__})"
        return StageOutput([catalogue.finding("preflight.E301", detail, obj="DATABASES")])
    configs = {a: c for a, c in configs.items() if not str(c.get("ENGINE", "")).endswith("dummy")}
    if not configs:
        return StageOutput(skip_reason="No database is configured")

    graph_findings, graph_loads = check_migration_files()
    findings: list[Finding] = []
    notes: list[str] = []
    for result in probe_databases(configs, ctx.options.timeout, with_migrations=graph_loads):
        alias_findings, alias_notes = judge_alias(result)
        findings += alias_findings
        notes += alias_notes
    return StageOutput(findings=findings + graph_findings, notes=notes)


def judge_alias(result: DatabaseProbeResult) -> tuple[list[Finding], list[str]]:
    alias = result.alias
    where = f"alias '{alias}' ({result.target})" if result.target else f"alias '{alias}'"
    if not result.ok:
        return [catalogue.finding("preflight.E301", f"{where}: {result.detail}", obj=alias)], []
    notes = [f"{alias}: {result.vendor} {result.target}, connected in {result.elapsed_ms} ms"]
    if result.in_memory:
        return [], [*notes, f"{alias}: in-memory SQLite, migrations not checked"]
    state = result.migrations
    if state is None:
        return [], notes
    if state.error:
        return [catalogue.finding("preflight.E305", f"{where}: {state.error}", obj=alias)], notes
    findings = []
    if state.inconsistent:
        findings.append(catalogue.finding("preflight.E304", state.inconsistent, obj=alias))
    if not state.recorded and alias != DEFAULT_ALIAS:
        # A secondary alias that was never migrated (a replica, a legacy database).
        return findings, [*notes, f"{alias}: no migration history (not migrated here)"]
    if state.unapplied:
        detail = f"{where}: {len(state.unapplied)} pending: {summarise(state.unapplied)}"
        findings.append(catalogue.finding("preflight.W301", detail, obj=alias))
    else:
        notes.append(f"{alias}: {state.applied} migrations applied, none pending")
    return findings, notes


def summarise(migrations: list[str]) -> str:
    """`auth.0001_initial .. auth.0012_x (12), stagedb.0002_widget_size`, in plan order."""
    by_app: dict[str, list[str]] = {}
    for label in migrations:
        by_app.setdefault(label.partition(".")[0], []).append(label)
    parts = [
        names[0] if len(names) == 1 else f"{names[0]} .. {names[-1]} ({len(names)})"
        for names in by_app.values()
    ]
    shown = ", ".join(parts[:LISTED_APPS])
    if len(parts) > LISTED_APPS:
        shown += f" and {len(parts) - LISTED_APPS} more apps"
    return shown


def check_migration_files() -> tuple[list[Finding], bool]:
    """Conflicts (E302) and model changes without migrations (E303), from the migration files
    alone. Returns the findings and whether the migration graph loads at all (E305 if not)."""
    from django.db.migrations.loader import MigrationLoader

    try:
        loader = MigrationLoader(None, ignore_no_migrations=True)
    except Exception as exc:
        return [catalogue.finding("preflight.E305", _first_line(exc))], False
    conflicts = loader.detect_conflicts()
    if conflicts:
        return [
            catalogue.finding("preflight.E302", f"{app}: {', '.join(sorted(names))}", obj=app)
            for app, names in sorted(conflicts.items())
        ], True
    try:
        changes = model_changes(loader)
    except Exception as exc:
        detail = f"comparing models with migrations raised {type(exc).__name__}"
        return [catalogue.finding("preflight.E003", detail)], True
    findings = []
    for app, migrations in sorted(changes.items()):
        described = [op.describe() for m in migrations for op in m.operations]
        detail = f"{app}: {'; '.join(described)}"
        if len(detail) > 200:
            detail = detail[:197] + "..."
        findings.append(catalogue.finding("preflight.E303", detail, obj=app))
    return findings, True


def model_changes(loader: Any) -> dict[str, list[Any]]:
    """What `makemigrations --dry-run` would write, without asking anything or exiting."""
    from django.apps import apps
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.questioner import MigrationQuestioner
    from django.db.migrations.state import ProjectState

    # The base questioner never prompts and never calls sys.exit (the non-interactive one does).
    questioner = MigrationQuestioner(specified_apps=set(), dry_run=True)
    autodetector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(apps), questioner
    )
    return autodetector.changes(graph=loader.graph)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {line[:200]}" if line else type(exc).__name__
