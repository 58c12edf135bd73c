"""monitoring.E015: Sentry's logging integration would send PHI unscrubbed.

Sentry's logging integration reads each record when it is logged, past every handler's
filters: INFO+ records become breadcrumbs sent with the next error event, ERROR+ records
events, and with Sentry Logs on, logs. The check takes the active client's options and passes
canary data shaped as the integration builds it (planted PHI, as E014 plants) through the
client's own hooks, in the SDK's order: `before_breadcrumb` then `before_send` for
breadcrumbs, `before_send` for events, `before_send_log` for logs. It fires when a planted
value comes out readable. It judges what the hooks do, not their names; nothing is sent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.logging_canary import CANARY

if TYPE_CHECKING:
    from upstream_preflight.monitoring.checks import CheckContext

_LOG = logging.getLogger("upstream_preflight")
_DROPPED = object()
_HOOK_OF = {"breadcrumbs": "before_breadcrumb", "events": "before_send", "logs": "before_send_log"}


def check_sentry_scrubbing(ctx: CheckContext) -> list[Finding]:
    try:
        import sentry_sdk
    except Exception:
        return []  # E004 says so when a DSN is configured
    client = sentry_sdk.get_client()
    if not client.is_active() or not client.dsn:
        return []
    paths = logging_paths(client)
    if not paths:
        return []
    options = client.options
    leaks: dict[str, set[str]] = {}
    for path in paths:
        leaked = _leaked(_through_hooks(path, options))
        if leaked:
            leaks[path] = leaked
    if not leaks:
        return []
    hooks = _missing_hooks(options, leaks)
    detail = "; ".join(f"{path} ({', '.join(sorted(kinds))})" for path, kinds in leaks.items())
    if hooks:
        detail += f"; no {' / '.join(hooks)} hook"
    return [catalogue.finding("monitoring.E015", detail, obj="sentry_sdk.init")]


def logging_paths(client: Any) -> list[str]:
    """Which of `breadcrumbs`, `events`, `logs` the client's logging integration sends."""
    integration = client.get_integration("logging")
    if integration is None:
        return []
    paths = []
    # Private attributes of LoggingIntegration: when absent (another SDK version), assume the
    # defaults, which send breadcrumbs and events.
    if getattr(integration, "_breadcrumb_handler", True) is not None:
        paths.append("breadcrumbs")
    if getattr(integration, "_handler", True) is not None:
        paths.append("events")
    if getattr(integration, "_sentry_logs_handler", None) is not None and _logs_on(
        client.options, type(integration)
    ):
        paths.append("logs")
    return paths


def _logs_on(options: dict[str, Any], integration: type) -> bool:
    capture = getattr(integration, "capture_sentry_logs", None)
    if capture is True:
        return True
    if capture is False:
        return False
    experiments = options.get("_experiments") or {}
    return bool(options.get("enable_logs") or experiments.get("enable_logs"))


def _hook(options: dict[str, Any], name: str) -> Callable[..., Any] | None:
    hook = options.get(name) or (options.get("_experiments") or {}).get(name)
    return hook if callable(hook) else None


def _call(hook: Callable[..., Any] | None, value: Any, hint: dict[str, Any]) -> Any:
    """What the SDK keeps after a hook: the hook's result; dropped when it returns None or
    raises (the SDK then drops the event too)."""
    if hook is None:
        return value
    try:
        result = hook(value, hint)
    except Exception:
        _LOG.debug("a Sentry hook raised on the canary", exc_info=True)
        return _DROPPED
    return _DROPPED if result is None else result


def _through_hooks(path: str, options: dict[str, Any]) -> Any:
    if path == "logs":
        return _call(_hook(options, "before_send_log"), canary_log(), {})
    before_send = _hook(options, "before_send")
    if path == "events":
        return _call(before_send, canary_event(), {})
    record = logging.LogRecord("upstream_preflight.canary", logging.INFO, __file__, 1, "", (), None)
    crumb = _call(_hook(options, "before_breadcrumb"), canary_breadcrumb(), {"log_record": record})
    if crumb is _DROPPED:
        return _DROPPED
    event = {"level": "error", "message": "canary", "breadcrumbs": {"values": [_serialized(crumb)]}}
    return _call(before_send, event, {})


def _serialized(value: Any) -> Any:
    """What the SDK's serializer makes of a breadcrumb before `before_send` sees it."""
    try:
        from sentry_sdk.serializer import serialize

        return serialize(value)
    except Exception:
        return json.loads(json.dumps(value, default=repr))


def _leaked(output: Any) -> set[str]:
    if output is _DROPPED:
        return set()
    text = json.dumps(output, default=repr, ensure_ascii=False)
    return {kind for kind, value in CANARY.items() if value in text}


def _missing_hooks(options: dict[str, Any], leaks: dict[str, set[str]]) -> list[str]:
    wanted = {
        "breadcrumbs": "before_breadcrumb",
        "events": "before_send",
        "logs": "before_send_log",
    }
    return [wanted[path] for path in leaks if _hook(options, wanted[path]) is None]


class _CanaryRequest:
    def __repr__(self) -> str:
        c = CANARY
        return f"<WSGIRequest: GET '/patients/search/?dob={c['date of birth']}&ssn={c['ssn']}'>"


def _name() -> str:
    return f"{CANARY['first name']} {CANARY['last name']}"


def canary_breadcrumb() -> dict[str, Any]:
    """As the logging integration records `log.info("patient_name=%s ...", ...)` with
    `extra=`: the formatted message, and the extra values as objects."""
    c = CANARY
    return {
        "type": "log",
        "level": "info",
        "category": "upstream_preflight.canary",
        "message": f"patient_name={_name()} ssn={c['ssn']} email={c['email']}",
        "data": {"request": _CanaryRequest(), "phone": c["phone"], "mrn": c["MRN"]},
    }


def canary_event() -> dict[str, Any]:
    """As the logging integration builds an event for `log.exception(...)`, serialized."""
    c = CANARY
    template = "patient_name=%s dob=%s card=%s"
    params = [_name(), c["date of birth"], c["card number"]]
    return {
        "level": "error",
        "logger": "upstream_preflight.canary",
        "logentry": {"message": template, "params": params, "formatted": template % tuple(params)},
        "extra": {"patient_email": c["email"], "request": repr(_CanaryRequest())},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"duplicate patient ssn={c['ssn']} phone={c['phone']}",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "import_chart",
                                "module": "upstream.intake",
                                "vars": {"mrn": repr(c["MRN"]), "patient_email": repr(c["email"])},
                            }
                        ]
                    },
                }
            ]
        },
    }


def canary_log() -> dict[str, Any]:
    """As the logging integration builds a Sentry log for `log.info("patient_name=%s", ...)`."""
    c = CANARY
    return {
        "severity_text": "info",
        "severity_number": 9,
        "body": f"patient_name={_name()} ssn={c['ssn']}",
        "attributes": {
            "sentry.message.template": "patient_name=%s ssn=%s",
            "sentry.message.parameter.0": _name(),
            "sentry.message.parameter.1": c["ssn"],
            "patient_email": c["email"],
            "request": _CanaryRequest(),
            "logger.name": "upstream_preflight.canary",
        },
        "time_unix_nano": 0,
        "trace_id": None,
        "span_id": None,
    }
