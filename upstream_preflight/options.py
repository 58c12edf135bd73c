"""The target project's configuration as preflight reads it.

`PREFLIGHT = {...}` in Django settings (with defaults and type checks), and the settings that
may come from the environment instead (see the contract: a setting defined at all wins, even
as ""). Django is imported lazily so this module is cheap to import.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})

DEFAULTS: dict[str, Any] = {
    "METRICS_MODULE": None,  # discovered: <top>.metrics (discovery.py)
    "CELERY_MONITORING_MODULE": None,  # discovered: <top>.celery_monitoring
    "CELERY_APP": None,
    "PHI_FILTER": "phi_scrubber",
    "AUDIT_HANDLER": "audit_file",
    "TIMEOUT": 3.0,
    "STATUS_CACHE_SECONDS": 5.0,
    "STATUS_TOKEN": None,
    # Raw variable names only: the env stage judges the settings themselves, whatever the
    # variables that feed them are called.
    "REQUIRED_ENV": (),
    "OPTIONAL_ENV": (),
}
_NUMBERS = ("TIMEOUT", "STATUS_CACHE_SECONDS")
MAX_TIMEOUT_SECONDS = 600.0
"""The longest probe timeout accepted anywhere (--timeout, PREFLIGHT['TIMEOUT'], [tool.preflight]
timeout): longer ones overflow client libraries (PostgreSQL's statement_timeout is an int32 of
milliseconds) and no deploy gate should wait that long for one backend."""
_TEXTS = ("PHI_FILTER", "AUDIT_HANDLER")
_OPTIONAL_TEXTS = ("CELERY_APP", "STATUS_TOKEN")
_OPTIONAL_MODULES = ("METRICS_MODULE", "CELERY_MONITORING_MODULE")
_NAME_LISTS = ("REQUIRED_ENV", "OPTIONAL_ENV")


class OptionError(ValueError):
    """A PREFLIGHT value of the wrong type; the message names the key and what it must be."""


@dataclass(frozen=True)
class Options:
    metrics_module: str | None
    """Named in PREFLIGHT; None: discovered (see discovery.metrics_module)."""
    celery_monitoring_module: str | None
    celery_app: str | None
    phi_filter: str
    audit_handler: str
    timeout: float
    status_cache_seconds: float
    status_token: str | None
    required_env: tuple[str, ...]
    optional_env: tuple[str, ...]


def parse_options(raw: Any, timeout_override: float | None = None) -> Options:
    """Validate a PREFLIGHT dict. Raises OptionError naming the first bad key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise OptionError(f"PREFLIGHT must be a dict, not {type(raw).__name__}")
    values = dict(DEFAULTS)
    for key, value in raw.items():
        if key not in DEFAULTS:
            continue  # unknown keys are tolerated so newer settings work with older tools
        values[key] = _validated(key, value)
    if timeout_override is not None:
        values["TIMEOUT"] = _validated("TIMEOUT", timeout_override)
    return Options(**{key.lower(): value for key, value in values.items()})


def _validated(key: str, value: Any) -> Any:
    if key in _NUMBERS:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise OptionError(f"PREFLIGHT['{key}'] must be a positive number, not {value!r}")
        if key == "TIMEOUT" and value > MAX_TIMEOUT_SECONDS:
            limit = f"{MAX_TIMEOUT_SECONDS:g}"
            raise OptionError(f"PREFLIGHT['TIMEOUT'] must be at most {limit} s, not {value!r}")
        return float(value)
    if key in _TEXTS:
        if not isinstance(value, str) or not value.strip():
            raise OptionError(f"PREFLIGHT['{key}'] must be a non-empty string")
        return value.strip()
    if key in _OPTIONAL_TEXTS:
        if value is not None and not isinstance(value, str):
            raise OptionError(f"PREFLIGHT['{key}'] must be a string or None")
        return value or None
    if key in _OPTIONAL_MODULES:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise OptionError(f"PREFLIGHT['{key}'] must be a module name, or None to discover it")
        return value.strip()
    if key in _NAME_LISTS:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise OptionError(f"PREFLIGHT['{key}'] must be a list of variable names")
        return tuple(value)
    return value


def options(timeout_override: float | None = None) -> Options:
    """The effective options of the configured Django project."""
    from django.conf import settings

    return parse_options(getattr(settings, "PREFLIGHT", None), timeout_override)


def options_or_defaults(timeout_override: float | None = None) -> tuple[Options, str | None]:
    """Like `options`, but a bad PREFLIGHT falls back to defaults and returns the problem."""
    try:
        return options(timeout_override), None
    except OptionError as exc:
        return parse_options({}, timeout_override), str(exc)


_MISSING = object()


def setting_or_env(name: str) -> Any:
    """A Django setting, or the environment variable of that name when the setting is not
    defined at all. Returns None when neither exists."""
    from django.conf import settings

    value = getattr(settings, name, _MISSING)
    if value is _MISSING:
        return os.environ.get(name)
    return value


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def bool_setting(name: str) -> bool:
    return as_bool(setting_or_env(name))


def text_setting(name: str) -> str:
    """A setting-or-env value as stripped text; "" when missing or not text."""
    value = setting_or_env(name)
    return value.strip() if isinstance(value, str) else ""


def is_production() -> bool:
    from django.conf import settings

    return settings.DEBUG is False
