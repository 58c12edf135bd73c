"""`env`: the settings that the deploy's variables feed, as the project really configures
them, and the problems of the env file.

Projects name their variables as they like (`DJANGO_SECRET_KEY`, `POSTGRES_*`,
`DATABASE_URL`, ...), so this stage judges the settings themselves: SECRET_KEY set, a database
configured, where the cache and the broker live, PORTAL_BASE_URL when the project defines
it, Sentry. Raw variable names are required only when REQUIRED_ENV / `[tool.preflight]
required_env` lists them. Verdicts that another stage owns (E012, W007, E011, W003, the
security stage's key strength) are left to it; what is shown here is fact.

Values are printed only where they are not secrets by nature: hosts, and URLs with their
credentials masked. Everything else is only said to be set.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.redaction import MASK
from upstream_preflight.stages.base import RunContext, StageOutput

SHOWN_LENGTH = 80
NOT_JUDGED = (
    "Settings not imported (see the django stage): the settings the variables feed were not "
    "judged, only the variables REQUIRED_ENV names"
)
DUMMY_DATABASE = "django.db.backends.dummy"


def run(ctx: RunContext) -> StageOutput:
    findings: list[Finding] = list(ctx.env_file_findings)
    notes: list[str] = []
    if ctx.env_file is not None:
        notes.append(f"Env file {ctx.env_file.name}: {len(ctx.env_loaded)} variable(s) set from it")
    if ctx.django_ready:
        settings_findings, settings_notes = judge_settings(ctx)
        findings += settings_findings
        notes += settings_notes
    else:  # the django stage says why; a pass here must not read as "the variables are fine"
        notes.append(NOT_JUDGED)
    raw_findings, raw_notes = judge_variables(ctx)
    return StageOutput(findings=findings + raw_findings, notes=notes + raw_notes)


def judge_variables(ctx: RunContext) -> tuple[list[Finding], list[str]]:
    """The raw variable names the project asked for; values are never shown."""
    findings: list[Finding] = []
    notes: list[str] = []
    for name in ctx.options.required_env:
        value = lookup(ctx, name)
        if value is None:
            findings.append(catalogue.finding("preflight.E201", name, obj=name))
        elif not value.strip():
            findings.append(catalogue.finding("preflight.E201", f"{name} (empty)", obj=name))
        else:
            notes.append(f"{name} is set")
    for name in ctx.options.optional_env:
        if name in ctx.options.required_env:
            continue
        value = lookup(ctx, name)
        if value is None or not value.strip():
            findings.append(catalogue.finding("preflight.I201", name, obj=name))
        else:
            notes.append(f"{name} is set")
    return findings, notes


def lookup(ctx: RunContext, name: str) -> str | None:
    """The process environment first; the env file's values if the runner did not export
    them."""
    value = os.environ.get(name)
    return value if value is not None else ctx.env_loaded.get(name)


def judge_settings(ctx: RunContext) -> tuple[list[Finding], list[str]]:
    from django.conf import settings

    from upstream_preflight.celery_settings import CeleryConfig
    from upstream_preflight.monitoring.checks import sentry_dsn
    from upstream_preflight.options import is_production, setting_or_env

    findings: list[Finding] = []
    notes: list[str] = []

    if _secret_key_set(settings):
        notes.append("SECRET_KEY is set")
    else:
        findings.append(
            catalogue.finding("preflight.E202", "SECRET_KEY is empty", obj="SECRET_KEY")
        )

    hosts = [str(h) for h in (getattr(settings, "ALLOWED_HOSTS", None) or [])]
    if is_production() and (not hosts or "*" in hosts):
        notes.append("ALLOWED_HOSTS is unsafe (reported by the monitoring stage: monitoring.E012)")
    else:
        notes.append(f"ALLOWED_HOSTS: {_shorten(', '.join(hosts)) or '(empty)'}")

    databases = getattr(settings, "DATABASES", None) or {}
    described = [
        f"Database {alias}: {describe_database(config)}"
        for alias, config in (databases.items() if isinstance(databases, dict) else [])
        if isinstance(config, dict) and config.get("ENGINE") != DUMMY_DATABASE
    ]
    if described:
        notes += described
    else:
        detail = "DATABASES configures no database"
        findings.append(catalogue.finding("preflight.E202", detail, obj="DATABASES"))

    notes.append(f"Cache: {describe_cache(getattr(settings, 'CACHES', None) or {})}")
    celery = CeleryConfig(ctx.options)
    if celery.enabled:
        broker = celery.broker_url
        notes.append(f"Celery broker: {shown_url(broker) if broker else '(none)'}")

    portal = setting_or_env("PORTAL_BASE_URL")
    if portal is not None:
        notes.append(f"PORTAL_BASE_URL: {shown_url(str(portal)) or '(empty)'}")

    if sentry_dsn():
        notes.append("Sentry DSN is set")
    elif not is_production():  # in production monitoring.W003 says it
        findings.append(catalogue.finding("preflight.I201", "SENTRY_DSN", obj="SENTRY_DSN"))
    return findings, notes


def _secret_key_set(settings: Any) -> bool:
    from django.core.exceptions import ImproperlyConfigured

    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        return False
    return bool(key)


def describe_database(config: dict[str, Any]) -> str:
    """`postgresql at 127.0.0.1:5432, database app`: engine, host and name, no credentials."""
    engine = str(config.get("ENGINE") or "?").rsplit(".", 1)[-1]
    name = str(config.get("NAME") or "")
    if engine == "sqlite3":
        return f"sqlite3, file {os.path.basename(name) or '(memory)'}"
    host = str(config.get("HOST") or "localhost")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"{engine} at {host}{port}, database {name or '(unnamed)'}"


def describe_cache(caches: dict[str, Any]) -> str:
    default = caches.get("default") if isinstance(caches, dict) else None
    if not isinstance(default, dict):
        return "(no default cache)"
    backend = str(default.get("BACKEND") or "?")
    location = default.get("LOCATION")
    if isinstance(location, list | tuple):
        location = location[0] if location else ""
    where = shown_url(str(location)) if location and "://" in str(location) else ""
    return f"{backend.rsplit('.', 1)[-1]} ({backend})" + (f" at {where}" if where else "")


def shown_url(value: str) -> str:
    """Scheme, host, port and path of each URL in `value` (a `;` list for failover
    brokers): user info shown as ***, query and fragment left out. Never a credential,
    whatever the setting is called."""
    shown = []
    for url in filter(None, (part.strip() for part in value.split(";"))):
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
            port = f":{parts.port}" if parts.port else ""
        except ValueError:
            shown.append(MASK)
            continue
        if not parts.scheme or not (host or parts.path):
            shown.append(MASK)
            continue
        userinfo = f"{MASK}@" if "@" in parts.netloc else ""
        host = f"[{host}]" if ":" in host else host
        shown.append(f"{parts.scheme}://{userinfo}{host}{port}{parts.path}")
    return _shorten(";".join(shown))


def _shorten(value: str) -> str:
    if len(value) <= SHOWN_LENGTH:
        return value
    return value[: SHOWN_LENGTH - 3] + "..."
