"""When Celery is enabled, which broker it uses, and whether its tasks can be tracked
(the contract's "Celery is enabled" rule).

`CELERY_ENABLED` defined (setting, or environment when the setting is undefined) decides;
when it is not defined at all, Celery is enabled exactly when a broker URL is configured: the
`CELERY_BROKER_URL` setting or variable, or the broker of the project's Celery app when that
is not Celery's built-in default.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from upstream_preflight.discovery import (
    AppLoadError,
    CeleryAppFound,
    app_broker_url,
    find_celery_app,
)
from upstream_preflight.options import Options, as_bool, setting_or_env, text_setting


class CeleryConfig:
    """The Celery configuration of the project, each part looked up at most once: a check,
    a stage or a status evaluation makes one and asks it what it needs (finding the app
    scans the project folder and may import modules)."""

    def __init__(self, options: Options) -> None:
        self.options = options

    @cached_property
    def lookup(self) -> CeleryAppFound | AppLoadError:
        """Where the app was found, or why it cannot be loaded."""
        try:
            return find_celery_app(self.options.celery_app)
        except AppLoadError as exc:
            return exc

    @property
    def app(self) -> Any:
        """The project's Celery app, or None when there is none or it cannot be loaded (the
        `celery` stage reports why: preflight.E503)."""
        found = self.lookup
        return None if isinstance(found, AppLoadError) else found.app

    @cached_property
    def broker_url(self) -> str:
        """The configured broker URL; "" when none is configured."""
        return text_setting("CELERY_BROKER_URL") or app_broker_url(self.app)

    @cached_property
    def declared(self) -> Any:
        """CELERY_ENABLED (setting, or variable when the setting is undefined); None when it
        is not defined at all."""
        return setting_or_env("CELERY_ENABLED")

    @property
    def enabled(self) -> bool:
        if self.declared is not None:
            return as_bool(self.declared)
        return bool(self.broker_url)

    @property
    def reason(self) -> str:
        """Why Celery counts as enabled or disabled, for notes and skip reasons."""
        if self.declared is not None:
            return f"CELERY_ENABLED is {'true' if as_bool(self.declared) else 'false'}"
        if text_setting("CELERY_BROKER_URL"):
            return "CELERY_BROKER_URL is configured"
        if self.broker_url:
            return "the project's Celery app has a broker configured"
        return "no broker URL is configured and CELERY_ENABLED is not set"

    @property
    def sends_task_events(self) -> bool:
        """Whether workers of the app publish task events (what Flower and exporters
        track); the Django setting when no app is found."""
        if self.app is not None:
            try:
                return bool(self.app.conf.worker_send_task_events)
            except Exception:
                return False
        return as_bool(setting_or_env("CELERY_WORKER_SEND_TASK_EVENTS"))


def celery_enabled(options: Options) -> bool:
    return CeleryConfig(options).enabled
