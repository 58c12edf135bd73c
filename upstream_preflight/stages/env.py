"""`env`: required and optional environment variables, and problems of the env file.

Values are shown only when they cannot be secret: a name that looks secret shows
"configured", a URL shows with its password masked, anything else is shortened.
"""

from __future__ import annotations

import os
import re

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.redaction import MASK, redact_url
from upstream_preflight.stages.base import RunContext, StageOutput

SECRET_NAME = re.compile(
    r"KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASS\b|PWD|DSN|CREDENTIAL|PRIVATE|AUTH|SALT|COOKIE",
    re.IGNORECASE,
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
SHOWN_LENGTH = 80


def run(ctx: RunContext) -> StageOutput:
    findings: list[Finding] = list(ctx.env_file_findings)
    notes: list[str] = []
    if ctx.env_file is not None:
        count = len(ctx.env_loaded)
        notes.append(f"Env file {ctx.env_file.name}: {count} variable(s) set from it")
    for name in ctx.options.required_env:
        value = lookup(ctx, name)
        if value is None:
            findings.append(catalogue.finding("preflight.E201", name, obj=name))
        elif not value.strip():
            findings.append(catalogue.finding("preflight.E201", f"{name} (empty)", obj=name))
        else:
            notes.append(f"{name}: {shown_value(name, value)}")
    for name in ctx.options.optional_env:
        if name in ctx.options.required_env:
            continue
        value = lookup(ctx, name)
        if value is None or not value.strip():
            findings.append(catalogue.finding("preflight.I201", name, obj=name))
        else:
            notes.append(f"{name}: {shown_value(name, value)}")
    return StageOutput(findings=findings, notes=notes)


def lookup(ctx: RunContext, name: str) -> str | None:
    """The process environment first; the env file's values if the runner did not export
    them."""
    value = os.environ.get(name)
    return value if value is not None else ctx.env_loaded.get(name)


def shown_value(name: str, value: str) -> str:
    """What may be printed for a variable's value: never a secret."""
    value = value.strip()
    if SECRET_NAME.search(name):
        return "configured"
    if _URL.match(value):
        redacted = redact_url(value)
        if redacted != value or MASK in redacted:
            return f"configured ({_shorten(redacted)})"
        return _shorten(value)
    return _shorten(value)


def _shorten(value: str) -> str:
    if len(value) <= SHOWN_LENGTH:
        return value
    return value[: SHOWN_LENGTH - 3] + "..."
