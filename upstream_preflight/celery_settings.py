"""When Celery is enabled, which broker it uses, and whether its tasks can be tracked
(the contract's "Celery is enabled" rule).

`CELERY_ENABLED` defined (setting, or environment when the setting is undefined) decides;
when it is not defined at all, Celery is enabled exactly when a broker URL is configured: the
`CELERY_BROKER_URL` setting or variable, or the broker of the project's Celery app when that
is not Celery's built-in default.
"""

from __future__ import annotations

from typing import Any

from upstream_preflight.discovery import AppLoadError, app_broker_url, find_celery_app
from upstream_preflight.options import Options, as_bool, setting_or_env, text_setting


def project_app(options: Options) -> Any:
    """The project's Celery app, or None when there is none or it cannot be loaded (the
    `celery` stage reports why: preflight.E503)."""
    try:
        return find_celery_app(options.celery_app).app
    except AppLoadError:
        return None


def broker_url(options: Options) -> str:
    """The configured broker URL; "" when none is configured."""
    return text_setting("CELERY_BROKER_URL") or app_broker_url(project_app(options))


def celery_enabled(options: Options) -> bool:
    declared = setting_or_env("CELERY_ENABLED")
    if declared is not None:
        return as_bool(declared)
    return bool(broker_url(options))


def enabled_reason(options: Options) -> str:
    """Why Celery counts as enabled or disabled, for notes and skip reasons."""
    declared = setting_or_env("CELERY_ENABLED")
    if declared is not None:
        return f"CELERY_ENABLED is {'true' if as_bool(declared) else 'false'}"
    if text_setting("CELERY_BROKER_URL"):
        return "CELERY_BROKER_URL is configured"
    if broker_url(options):
        return "the project's Celery app has a broker configured"
    return "no broker URL is configured and CELERY_ENABLED is not set"


def sends_task_events(app: Any) -> bool:
    """Whether workers of `app` publish task events (what Flower and exporters track);
    the Django setting when no app is found."""
    if app is not None:
        try:
            return bool(app.conf.worker_send_task_events)
        except Exception:
            return False
    return as_bool(setting_or_env("CELERY_WORKER_SEND_TASK_EVENTS"))
