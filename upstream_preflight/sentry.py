"""Hooks that scrub PHI from what the Sentry SDK sends, with the engine of the logging filter.

Sentry's logging integration reads every INFO+ record when it is logged, whatever the
handlers' filters do, keeps it as a breadcrumb and sends the breadcrumbs with the next error
event; ERROR records become events; with Sentry Logs on, records are sent as logs. Pass the
hooks to `sentry_sdk.init`:

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        before_send=upstream_preflight.sentry.before_send,
        before_breadcrumb=upstream_preflight.sentry.before_breadcrumb,
        before_send_transaction=upstream_preflight.sentry.before_send_transaction,
        before_send_log=upstream_preflight.sentry.before_send_log,  # with enable_logs=True
    )

Each hook is a pure function of its argument: it returns a scrubbed copy and never raises (if
scrubbing fails, what is returned says the content was withheld). Event fields that carry no
PHI by nature (ids, timestamps, levels, SDK and runtime facts, code locations) are kept; every
other string is scrubbed, and a value whose key labels PHI (`ssn`, `patient_email`, a frame
variable named `dob`) is replaced whole.
"""

from __future__ import annotations

from typing import Any

from upstream_preflight.logging_filters import Budget, scrub_value

MAX_CHARS = 262_144
"""Characters scanned per event, breadcrumb or log at most; the rest is marked, not sent."""
WITHHELD = "[event withheld: the PHI scrubber failed on it]"

# Keys whose values carry no PHI by nature and are kept as they are (also for speed: frames).
_KEEP = frozenset(
    {
        "event_id",
        "timestamp",
        "start_timestamp",
        "level",
        "platform",
        "sdk",
        "modules",
        "release",
        "environment",
        "dist",
        "type",
        "category",
        "logger",
        "debug_meta",
        "trace_id",
        "span_id",
        "parent_span_id",
        "op",
        "status",
        "filename",
        "abs_path",
        "module",
        "function",
        "lineno",
        "colno",
        "in_app",
        "package",
        "instruction_addr",
        "pre_context",
        "context_line",
        "post_context",
        "severity_text",
        "severity_number",
        "time_unix_nano",
        "mechanism",
    }
)
_FREE = frozenset({"extra", "data", "vars", "tags", "user", "request", "attributes"})
"""Fields that hold the application's data: everything under them is scrubbed."""
_SDK_CONTEXTS = frozenset({"trace", "runtime", "os", "device", "app", "otel", "cloud_resource"})
_KEEP_LOG_ATTRIBUTES = ("code.", "thread.", "process.", "logger.", "sentry.sdk.", "server.")
_KEPT_LOG_ATTRIBUTES = frozenset(
    {"sentry.environment", "sentry.release", "sentry.origin", "sentry.trace.parent_span_id"}
)
_TEMPLATE = "sentry.message.template"
_PARAMETER = "sentry.message.parameter."


def before_send(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """`before_send` hook: the event with every field that may hold PHI scrubbed."""
    try:
        return scrub_event(event)
    except Exception:
        return _withheld(event)


def before_send_transaction(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """`before_send_transaction` hook: span descriptions (SQL, URLs) and data scrubbed."""
    return before_send(event, hint)


def before_breadcrumb(crumb: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """`before_breadcrumb` hook: the breadcrumb's message and data scrubbed (the data of a
    logging breadcrumb holds the record's `extra` values as objects, `request` included)."""
    try:
        return _walk(crumb, None, Budget(MAX_CHARS), 0)
    except Exception:
        return {k: crumb[k] for k in ("type", "category", "level", "timestamp") if k in crumb} | {
            "message": WITHHELD
        }


def before_send_log(log: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """`before_send_log` hook (Sentry Logs): the body and the attributes scrubbed."""
    try:
        return scrub_log(log)
    except Exception:
        return {k: v for k, v in log.items() if k != "attributes"} | {"body": WITHHELD}


def scrub_event(event: dict[str, Any]) -> dict[str, Any]:
    return _walk(event, None, Budget(MAX_CHARS), 0)


def scrub_log(log: dict[str, Any]) -> dict[str, Any]:
    budget = Budget(MAX_CHARS)
    out = dict(log)
    attributes = dict(log.get("attributes") or {})
    body = log.get("body")
    if isinstance(body, str):
        clean = budget.scrub(body)
        if clean != body:
            # The template and its parameters would give back what the body lost.
            out["body"] = clean
            attributes = {
                k: v
                for k, v in attributes.items()
                if k != _TEMPLATE and not str(k).startswith(_PARAMETER)
            }
    for key, value in attributes.items():
        if isinstance(key, str) and (
            key.startswith(_KEEP_LOG_ATTRIBUTES) or key in _KEPT_LOG_ATTRIBUTES
        ):
            continue
        attributes[key] = scrub_value(value, key, 0, budget)
    out["attributes"] = attributes
    return out


def _walk(value: Any, key: Any, budget: Budget, depth: int, free: bool = False) -> Any:
    """A scrubbed copy of `value`, found under `key`. Outside the fields that hold the
    application's own data (`free`), keys of `_KEEP` are kept as they are."""
    if isinstance(key, str) and not free:
        if key in _KEEP:
            return value
        if key == "logentry" and isinstance(value, dict):
            return _logentry(value, budget)
        if key == "contexts" and isinstance(value, dict):
            return {
                name: ctx if name in _SDK_CONTEXTS else _walk(ctx, name, budget, depth + 1, True)
                for name, ctx in value.items()
            }
        free = key in _FREE
    if key == "query_string" and isinstance(value, str):
        # The engine reads `q=`, `search=` as search terms only inside a URL query.
        return budget.scrub(f"?{value}")[1:]
    if depth < 32:
        if isinstance(value, dict):
            return {_key(k, budget): _walk(v, k, budget, depth + 1, free) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [_walk(v, key, budget, depth + 1, free) for v in value]
    return scrub_value(value, key, 0, budget)


def _key(key: Any, budget: Budget) -> Any:
    if isinstance(key, str) and (key.isidentifier() or len(key) < 5):
        return key
    return scrub_value(key, None, 0, budget)


def _logentry(entry: dict[str, Any], budget: Budget) -> dict[str, Any]:
    """A logging event's `logentry`: the template and its parameters are scrubbed as the
    whole message (a label in the template, `ssn=%s`, names its parameter's value)."""
    out = dict(entry)
    message, params = entry.get("message"), entry.get("params")
    formatted = entry.get("formatted")
    if not isinstance(formatted, str) and isinstance(message, str):
        formatted = message
        if params:
            try:
                formatted = message % (tuple(params) if isinstance(params, list) else params)
            except Exception:
                formatted = f"{message} {params!r}"
    if isinstance(formatted, str):
        clean = budget.scrub(formatted)
        if clean != formatted:
            out["message"] = out["formatted"] = clean
            out["params"] = []
        # else: template and parameters are kept, so Sentry still groups by the template
    return out


def _withheld(event: dict[str, Any]) -> dict[str, Any]:
    kept = {k: event[k] for k in ("event_id", "timestamp", "level", "platform") if k in event}
    return kept | {"message": WITHHELD}
