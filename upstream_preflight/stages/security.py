"""`security`: DEBUG, SECRET_KEY strength and stability, and ALLOWED_HOSTS, each reported by
one stage only.

With --deploy, the `django` stage runs Django's security.W018 (DEBUG) and security.W009 /
W025 (SECRET_KEY, its fallbacks); then this stage only notes that. In production, ALLOWED_HOSTS
is monitoring.E012, which this stage reports only when the `monitoring` stage does not run.
The key itself is never shown.
"""

from __future__ import annotations

import sys
from typing import Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import check_allowed_hosts, make_context
from upstream_preflight.stages.base import RunContext, StageOutput

INSECURE_PREFIX = "django-insecure-"
MIN_LENGTH = 50
MIN_UNIQUE = 5
PLACEHOLDERS = (
    "changeme",
    "change-me",
    "change_me",
    "replace-me",
    "replace_me",
    "replaceme",
    "your-secret-key",
    "your_secret_key",
    "yoursecretkey",
    "secret-key-here",
    "not-a-secret",
    "notsecret",
    "insecure",
)


def run(ctx: RunContext) -> StageOutput:
    from django.conf import settings

    findings: list[Finding] = []
    notes: list[str] = []
    django_covers = ctx.deploy and "django" in ctx.selected

    if settings.DEBUG is False:
        notes.append("DEBUG disabled")
    elif django_covers:
        notes.append("DEBUG is enabled (reported by the django stage: security.W018)")
    else:
        findings.append(catalogue.finding("preflight.E701", obj="DEBUG"))

    key_problems = secret_key_problems()
    if not key_problems:
        notes.append("Custom SECRET_KEY configured")
    elif django_covers:
        notes.append("SECRET_KEY is weak (reported by the django stage: security.W009)")
    else:
        findings += [catalogue.finding("preflight.E702", p, obj=obj) for obj, p in key_problems]
    if settings.DEBUG is False:
        unstable, note = same_key_in_every_process(ctx)
        if unstable:  # a strong key that changes per process is no "custom key configured"
            notes = [n for n in notes if n != "Custom SECRET_KEY configured"]
        findings += unstable
        notes += note

    hosts_findings = check_allowed_hosts(make_context(ctx.options))
    if not hosts_findings:
        notes.append(_hosts_note(settings.ALLOWED_HOSTS))
    elif "monitoring" in ctx.selected:  # E012 is the monitoring stage's: no note beside it
        notes.append("ALLOWED_HOSTS is unsafe (reported by the monitoring stage: monitoring.E012)")
    else:
        findings += hosts_findings
    return StageOutput(findings=findings, notes=notes)


# Importing the settings again starts an interpreter and may import Django, Sentry and the
# project's own modules: more than one network probe's window, well within the runner's
# backstop (runner.backstop_seconds).
KEY_PROBE_FLOOR_SECONDS = 10.0
KEY_PROBE_TIMEOUTS = 2


def same_key_in_every_process(ctx: RunContext) -> tuple[list[Finding], list[str]]:
    """preflight.E703 when importing the settings module again gives another SECRET_KEY
    (generated at random per process); a note when that cannot be decided."""
    from django.conf import settings

    from upstream_preflight.probes.secret_key import compare_secret_key

    module_name = getattr(settings, "SETTINGS_MODULE", None) or ctx.settings_module
    module = sys.modules.get(module_name or "")
    if module is None or not getattr(module, "SECRET_KEY", None):
        return [], []  # nothing imported to compare with, or an empty key (E702 says it)
    bound = max(KEY_PROBE_FLOOR_SECONDS, KEY_PROBE_TIMEOUTS * ctx.options.timeout)
    result = compare_secret_key(module.__name__, module.SECRET_KEY, bound, ctx.project_dir)
    if not result.judged:
        return [], [f"SECRET_KEY not compared across processes: {result.reason}"]
    if result.same:
        return [], ["SECRET_KEY is the same in a new process"]
    detail = f"importing {module.__name__} again gave another SECRET_KEY"
    return [catalogue.finding("preflight.E703", detail, obj="SECRET_KEY")], []


def secret_key_problems() -> list[tuple[str, str]]:
    """(setting, why it is weak) for SECRET_KEY and each of SECRET_KEY_FALLBACKS."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    problems = []
    why = weakness(key)
    if why:
        problems.append(("SECRET_KEY", why))
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", None) or []
    for index, fallback in enumerate(fallbacks):
        why = weakness(fallback)
        if why:
            problems.append((f"SECRET_KEY_FALLBACKS[{index}]", f"fallback {index}: {why}"))
    return problems


def weakness(key: Any) -> str | None:
    """Why a key is weak, or None. Never includes the key."""
    if isinstance(key, bytes):
        key = key.decode("utf-8", "replace")
    if not isinstance(key, str) or not key:
        return "SECRET_KEY is empty"
    if key.startswith(INSECURE_PREFIX):
        return f"starts with '{INSECURE_PREFIX}' (generated for development)"
    lowered = key.lower()
    if any(word in lowered for word in PLACEHOLDERS):
        return "looks like a placeholder"
    if len(key) < MIN_LENGTH:
        return f"{len(key)} characters, fewer than {MIN_LENGTH}"
    if len(set(key)) < MIN_UNIQUE:
        return f"only {len(set(key))} distinct characters"
    return None


def _hosts_note(hosts: Any) -> str:
    shown = ", ".join(str(h) for h in (hosts or [])) or "(empty)"
    return f"ALLOWED_HOSTS: {shown}"
