"""The `monitoring` checks: each a small function returning findings from the catalogue.

Conditions follow the contract to the letter. Every check reads Django settings only; none
writes anything except the Redis probe's own short-lived key.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from upstream_preflight import catalogue, discovery
from upstream_preflight.celery_settings import CeleryConfig
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring import logging_canary, logging_files, sentry_checks
from upstream_preflight.options import (
    OptionError,
    Options,
    bool_setting,
    is_production,
    parse_options,
    setting_or_env,
    text_setting,
)
from upstream_preflight.probes.cache import CacheProbeResult, is_redis_backend, probe_default_cache

PROMETHEUS_APP = "django_prometheus"
BEFORE_MIDDLEWARE = "django_prometheus.middleware.PrometheusBeforeMiddleware"
AFTER_MIDDLEWARE = "django_prometheus.middleware.PrometheusAfterMiddleware"
BAD_EMAIL_DOMAINS = ("localhost", "example.com", "example.org")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_FERNET_ALPHABET = re.compile(r"^[A-Za-z0-9_\-]{43}=$")


@dataclass
class CheckContext:
    options: Options
    cache_probe: Callable[[], CacheProbeResult]


def check_preflight_setting(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    try:
        parse_options(getattr(settings, "PREFLIGHT", None))
    except OptionError as exc:
        return [catalogue.finding("preflight.E004", str(exc), obj="PREFLIGHT")]
    return []


def check_prometheus_installed(ctx: CheckContext) -> list[Finding]:
    return [] if _prometheus_installed() else [catalogue.finding("monitoring.E001")]


def _prometheus_installed() -> bool:
    from django.apps import apps

    if not apps.is_installed(PROMETHEUS_APP):
        return False
    try:
        importlib.import_module(PROMETHEUS_APP)
    except Exception:
        return False
    return True


def check_metrics_module(ctx: CheckContext) -> list[Finding]:
    choice = discovery.metrics_module(ctx.options.metrics_module)
    if not choice.judged():
        return []  # nothing named, nothing at <top>.metrics: the metrics stage notes it
    assert choice.name is not None
    name = choice.name
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        return [
            catalogue.finding(
                "monitoring.E003",
                _import_failure(name, exc),
                obj=name,
                module=name,
                key=choice.how_to_change,
            )
        ]
    if not registered_metrics(module):
        detail = f"{name} defines no registered metric"
        return [
            catalogue.finding(
                "monitoring.E002", detail, obj=name, module=name, key=choice.how_to_change
            )
        ]
    return []


def registered_metrics(module: Any) -> dict[str, Any]:
    """Module-level prometheus_client metrics of `module` that the default registry holds."""
    from prometheus_client import REGISTRY
    from prometheus_client.metrics import MetricWrapperBase

    registered = set(getattr(REGISTRY, "_collector_to_names", {}))
    return {
        attr: value
        for attr, value in vars(module).items()
        if isinstance(value, MetricWrapperBase) and value in registered
    }


def _import_failure(name: str, exc: Exception) -> str:
    if isinstance(exc, ModuleNotFoundError) and exc.name and name.startswith(exc.name):
        return f"module {name} not found"
    if isinstance(exc, ImportError) and exc.name:
        return f"importing {name} failed: module {exc.name} not found"
    return f"importing {name} raised {type(exc).__name__}"


def check_prometheus_middleware(ctx: CheckContext) -> list[Finding]:
    from django.apps import apps
    from django.conf import settings

    if not apps.is_installed(PROMETHEUS_APP):
        return []
    middleware = list(settings.MIDDLEWARE or [])
    findings = []
    if not middleware or middleware[0] != BEFORE_MIDDLEWARE:
        findings.append(
            catalogue.finding("monitoring.W001", _position(middleware, BEFORE_MIDDLEWARE, "first"))
        )
    if not middleware or middleware[-1] != AFTER_MIDDLEWARE:
        findings.append(
            catalogue.finding("monitoring.W002", _position(middleware, AFTER_MIDDLEWARE, "last"))
        )
    return findings


def _position(middleware: list[str], name: str, wanted: str) -> str:
    if name not in middleware:
        return "missing from MIDDLEWARE"
    return f"at position {middleware.index(name) + 1} of {len(middleware)}, must be {wanted}"


def sentry_dsn() -> str:
    """SENTRY_DSN (setting or variable), else the DSN the project passed to sentry_sdk.init
    under whatever name it reads it from."""
    configured = text_setting("SENTRY_DSN")
    if configured:
        return configured
    sdk = sys.modules.get("sentry_sdk")
    if sdk is None:
        return ""
    try:
        return str(sdk.get_client().dsn or "")
    except Exception:
        return ""


def check_sentry(ctx: CheckContext) -> list[Finding]:
    dsn = sentry_dsn()
    if not dsn:
        return [catalogue.finding("monitoring.W003")] if is_production() else []
    try:
        import sentry_sdk
    except Exception:
        return [catalogue.finding("monitoring.E004")]
    client = sentry_sdk.get_client()
    if not client.is_active() or not client.dsn:
        return [catalogue.finding("monitoring.W004")]
    return []


def check_logging(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    config = getattr(settings, "LOGGING", None)
    if not isinstance(config, dict) or not config:
        return [catalogue.finding("monitoring.E005")]
    # Sections of the wrong type are judged as empty rather than crashing the check.
    handlers = _section(config, "handlers")
    filters = _section(config, "filters")
    phi_filter = ctx.options.phi_filter
    names = {"filter": phi_filter, "settings": discovery.settings_file_defining("LOGGING")}
    findings = []
    if phi_filter not in filters:
        detail = f"no filter named '{phi_filter}' in LOGGING['filters']"
        findings.append(catalogue.finding("monitoring.E006", detail, **names))
    else:
        unfiltered = sorted(
            name
            for name, handler in handlers.items()
            if not is_null_handler(handler) and phi_filter not in (_filters_of(handler))
        )
        if unfiltered:
            detail = f"handlers without '{phi_filter}': {', '.join(unfiltered)}"
            findings.append(
                catalogue.finding("monitoring.E006", detail, obj=",".join(unfiltered), **names)
            )
    audit = ctx.options.audit_handler
    if audit not in handlers:
        detail = f"no handler named '{audit}'"
        findings.append(catalogue.finding("monitoring.W005", detail, handler=audit))
    unrotated = sorted(name for name, handler in handlers.items() if _is_unrotated_file(handler))
    if unrotated:
        findings.append(
            catalogue.finding(
                "monitoring.W006", f"handlers: {', '.join(unrotated)}", obj=",".join(unrotated)
            )
        )
    return findings


def _section(config: dict[str, Any], name: str) -> dict[str, Any]:
    value = config.get(name)
    return value if isinstance(value, dict) else {}


def _filters_of(handler: Any) -> list[str]:
    if not isinstance(handler, dict):
        return []
    names = handler.get("filters") or []
    return [names] if isinstance(names, str) else list(names)


def handler_class(handler: Any) -> type | None:
    """The class a dictConfig handler entry names; None for '()' factories or bad paths."""
    if not isinstance(handler, dict) or "()" in handler:
        return None
    path = handler.get("class")
    if isinstance(path, type):
        return path
    if not isinstance(path, str):
        return None
    from django.utils.module_loading import import_string

    try:
        found = import_string(path)
    except Exception:
        return None
    return found if isinstance(found, type) else None


def is_null_handler(handler: Any) -> bool:
    cls = handler_class(handler)
    return cls is not None and issubclass(cls, logging.NullHandler)


def _is_unrotated_file(handler: Any) -> bool:
    import logging.handlers

    cls = handler_class(handler)
    if cls is None or not issubclass(cls, logging.FileHandler):
        return False
    keeps_files_bounded = (
        logging.handlers.RotatingFileHandler,
        logging.handlers.TimedRotatingFileHandler,
        logging.handlers.WatchedFileHandler,
    )
    return not issubclass(cls, keeps_files_bounded)


def check_celery(ctx: CheckContext) -> list[Finding]:
    celery = CeleryConfig(ctx.options)
    if not celery.enabled:
        return []
    findings = []
    settings_file = discovery.settings_file()
    if not celery.broker_url:
        detail = celery.reason
        findings.append(catalogue.finding("monitoring.E007", detail, settings=settings_file))
    choice = discovery.celery_monitoring_module(ctx.options.celery_monitoring_module)
    if choice.judged():
        assert choice.name is not None
        try:
            importlib.import_module(choice.name)
        except Exception as exc:
            findings.append(
                catalogue.finding(
                    "monitoring.E008",
                    _import_failure(choice.name, exc),
                    obj=choice.name,
                    module=choice.name,
                    key=choice.how_to_change,
                )
            )
    elif not celery.sends_task_events:
        findings.append(catalogue.finding("monitoring.W010", settings=settings_file))
    return findings


def check_redis_cache(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    if not is_redis_backend(dict(settings.CACHES.get("default") or {})):
        return []
    result = ctx.cache_probe()
    if result.ok:
        return []
    detail = f"{result.detail} ({result.location})" if result.location else result.detail
    code = "monitoring.E010" if result.unreachable else "monitoring.E009"
    return [catalogue.finding(code, detail, obj="CACHES['default']")]


def check_portal_url(ctx: CheckContext) -> list[Finding]:
    """Only a project that defines PORTAL_BASE_URL (setting or variable) is judged."""
    if not is_production():
        return []
    value = setting_or_env("PORTAL_BASE_URL")
    if value is None:
        return []
    url = value.strip() if isinstance(value, str) else ""
    if not url:
        return [catalogue.finding("monitoring.E011", "PORTAL_BASE_URL is empty")]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        detail = "PORTAL_BASE_URL is not an absolute http(s) URL"
        return [catalogue.finding("monitoring.E011", detail)]
    return []


def check_allowed_hosts(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    if not is_production():
        return []
    hosts = list(settings.ALLOWED_HOSTS or [])
    if not hosts:
        return [catalogue.finding("monitoring.E012", "ALLOWED_HOSTS is empty")]
    if "*" in hosts:
        return [catalogue.finding("monitoring.E012", "ALLOWED_HOSTS contains '*'")]
    return []


def check_field_encryption(ctx: CheckContext) -> list[Finding]:
    if not bool_setting("REAL_DATA_MODE"):
        return []
    key = setting_or_env("FIELD_ENCRYPTION_KEY")
    if not key:
        return [catalogue.finding("monitoring.E013", "FIELD_ENCRYPTION_KEY is not set")]
    if not is_valid_fernet_key(key):
        return [
            catalogue.finding("monitoring.E013", "FIELD_ENCRYPTION_KEY is not a valid Fernet key")
        ]
    return []


def is_valid_fernet_key(key: Any) -> bool:
    if isinstance(key, bytes):
        try:
            key = key.decode("ascii")
        except UnicodeDecodeError:
            return False
    if not isinstance(key, str) or not _FERNET_ALPHABET.match(key):
        return False
    try:
        return len(base64.urlsafe_b64decode(key)) == 32
    except (binascii.Error, ValueError):
        return False


def check_redis_in_production(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    if not is_production():
        return []
    config = dict(settings.CACHES.get("default") or {})
    if is_redis_backend(config):
        return []
    return [
        catalogue.finding(
            "monitoring.W007", f"default cache is {config.get('BACKEND') or 'not set'}"
        )
    ]


def check_from_email(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    if not is_production():
        return []
    problem = from_email_problem(getattr(settings, "DEFAULT_FROM_EMAIL", ""))
    return [catalogue.finding("monitoring.W008", problem)] if problem else []


def from_email_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "DEFAULT_FROM_EMAIL is empty"
    if value.strip() == "webmaster@localhost":
        return "DEFAULT_FROM_EMAIL is Django's default webmaster@localhost"
    _name, address = parseaddr(value)
    if not address or not _EMAIL.match(address):
        return "DEFAULT_FROM_EMAIL is not an email address"
    domain = address.rsplit("@", 1)[1].lower().rstrip(".")
    if any(domain == bad or domain.endswith("." + bad) for bad in BAD_EMAIL_DOMAINS):
        return f"DEFAULT_FROM_EMAIL is at {domain}"
    return None


@dataclass(frozen=True)
class MonitoringCheck:
    function: Callable[[CheckContext], list[Finding]]
    codes: tuple[str, ...]
    network: bool = False
    """Touches the network: registered with deploy=True so `migrate` never waits on it."""


CHECKS: tuple[MonitoringCheck, ...] = (
    MonitoringCheck(check_preflight_setting, ("preflight.E004",)),
    MonitoringCheck(check_prometheus_installed, ("monitoring.E001",)),
    MonitoringCheck(check_metrics_module, ("monitoring.E002", "monitoring.E003")),
    MonitoringCheck(check_prometheus_middleware, ("monitoring.W001", "monitoring.W002")),
    MonitoringCheck(check_sentry, ("monitoring.E004", "monitoring.W003", "monitoring.W004")),
    MonitoringCheck(
        check_logging,
        ("monitoring.E005", "monitoring.E006", "monitoring.W005", "monitoring.W006"),
    ),
    MonitoringCheck(check_celery, ("monitoring.E007", "monitoring.E008", "monitoring.W010")),
    MonitoringCheck(check_redis_cache, ("monitoring.E009", "monitoring.E010"), network=True),
    MonitoringCheck(check_portal_url, ("monitoring.E011",)),
    MonitoringCheck(check_allowed_hosts, ("monitoring.E012",)),
    MonitoringCheck(check_field_encryption, ("monitoring.E013",)),
    MonitoringCheck(check_redis_in_production, ("monitoring.W007",)),
    MonitoringCheck(check_from_email, ("monitoring.W008",)),
    MonitoringCheck(logging_canary.check_phi_leaks, ("monitoring.E014",)),
    MonitoringCheck(logging_canary.check_audit_retention, ("monitoring.W009",)),
    MonitoringCheck(sentry_checks.check_sentry_scrubbing, ("monitoring.E015",)),
    MonitoringCheck(logging_files.check_log_files, ("monitoring.E016",)),
)


def run_guarded(check: MonitoringCheck, ctx: CheckContext) -> list[Finding]:
    """Run one check; an exception becomes a finding under the check's first code."""
    try:
        return check.function(ctx)
    except Exception as exc:
        logging.getLogger("upstream_preflight").debug(
            "check %s crashed", check.function.__name__, exc_info=True
        )
        return [
            catalogue.finding(check.codes[0], f"the check itself crashed ({type(exc).__name__})")
        ]


def make_context(options: Options) -> CheckContext:
    """A context whose cache probe runs at most once, however many checks ask for it."""
    cached: list[CacheProbeResult] = []

    def cache_probe() -> CacheProbeResult:
        if not cached:
            cached.append(probe_default_cache(options.timeout))
        return cached[0]

    return CheckContext(options, cache_probe)
