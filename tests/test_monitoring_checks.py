"""monitoring.E001-E013, W001-W008 and preflight.E004: each fires exactly per the contract.

In-process: settings change with `override_settings`, the checks run as the Django checks
run them (`monitoring.checks.CHECKS`), and through `monitoring.status.evaluate`. The network
checks (E009/E010) live in test_redis_probe.py; here they are left out unless a test asks.
"""

from __future__ import annotations

import base64
import copy
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sentry_sdk
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings

from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import (
    CHECKS,
    from_email_problem,
    is_valid_fernet_key,
    make_context,
    run_guarded,
)
from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.options import options_or_defaults

BASE_LOGGING: dict[str, Any] = copy.deepcopy(settings.LOGGING)
BASE_MIDDLEWARE: list[str] = list(settings.MIDDLEWARE)
BEFORE = "django_prometheus.middleware.PrometheusBeforeMiddleware"
AFTER = "django_prometheus.middleware.PrometheusAfterMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
APPS_WITHOUT_PROMETHEUS = [a for a in settings.INSTALLED_APPS if a != "django_prometheus"]
FERNET_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
ENV_NAMES = (
    "CELERY_ENABLED",
    "CELERY_BROKER_URL",
    "PORTAL_BASE_URL",
    "SENTRY_DSN",
    "REAL_DATA_MODE",
    "FIELD_ENCRYPTION_KEY",
)
LOOPBACK_DSN = "http://0123456789abcdef@127.0.0.1:9/1"  # port 9: nothing listens, nothing sent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests decide which of the env-fallback variables exist."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sentry_init() -> Iterator[Any]:
    """`sentry_sdk.init` for one test; the global client is removed afterwards."""

    def init(**kwargs: Any) -> None:
        sentry_sdk.init(default_integrations=False, **kwargs)

    yield init
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@contextmanager
def project(*, delete: tuple[str, ...] = (), **overrides: Any) -> Iterator[None]:
    """Settings for one block: `overrides` set, `delete` names not defined at all."""
    with override_settings(**overrides):
        for name in delete:
            delattr(settings, name)
        yield


def run_all(network: bool = False) -> list[Finding]:
    """The monitoring checks as Django runs them (one shared probe context)."""
    opts, _problem = options_or_defaults()
    ctx = make_context(opts)
    return [f for check in CHECKS if network or not check.network for f in run_guarded(check, ctx)]


def found(*, delete: tuple[str, ...] = (), **overrides: Any) -> set[str]:
    with project(delete=delete, **overrides):
        return {f.code for f in run_all()}


def findings_of(code: str, **overrides: Any) -> list[Finding]:
    with project(**overrides):
        return [f for f in run_all() if f.code == code]


def logging_with(**handlers: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(BASE_LOGGING)
    config["handlers"].update(handlers)
    return config


def test_baseline_has_only_the_expected_production_warnings() -> None:
    # tests/settings.py is production with a local-memory cache and no Sentry DSN.
    assert found() == {"monitoring.W003", "monitoring.W007"}


def test_baseline_through_django_run_checks_matches() -> None:
    ids = {m.id for m in run_checks(tags=["monitoring"])}
    assert ids == {"monitoring.W003", "monitoring.W007"}


# --- E001 / W001 / W002: django-prometheus --------------------------------------------------


def test_E001_fires_when_django_prometheus_not_installed() -> None:
    codes = found(INSTALLED_APPS=APPS_WITHOUT_PROMETHEUS)
    assert "monitoring.E001" in codes


def test_E001_fires_when_django_prometheus_cannot_be_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "django_prometheus", None)  # import now raises
    assert "monitoring.E001" in found()


def test_E001_does_not_fire_when_installed() -> None:
    assert "monitoring.E001" not in found()


def test_W001_fires_when_before_middleware_missing() -> None:
    middleware = [m for m in BASE_MIDDLEWARE if m != BEFORE]
    [finding] = findings_of("monitoring.W001", MIDDLEWARE=middleware)
    assert "missing" in finding.message


def test_W001_fires_when_before_middleware_not_first() -> None:
    [finding] = findings_of("monitoring.W001", MIDDLEWARE=[COMMON, BEFORE, AFTER])
    assert "position 2 of 3" in finding.message


def test_W001_W002_do_not_fire_when_prometheus_not_installed() -> None:
    codes = found(INSTALLED_APPS=APPS_WITHOUT_PROMETHEUS, MIDDLEWARE=[COMMON])
    assert not codes & {"monitoring.W001", "monitoring.W002"}


def test_W001_W002_do_not_fire_when_first_and_last() -> None:
    assert not found() & {"monitoring.W001", "monitoring.W002"}


def test_W002_fires_when_after_middleware_missing() -> None:
    assert "monitoring.W002" in found(MIDDLEWARE=[BEFORE, COMMON])
    assert "monitoring.W001" not in found(MIDDLEWARE=[BEFORE, COMMON])


def test_W002_fires_when_after_middleware_not_last() -> None:
    codes = found(MIDDLEWARE=[BEFORE, AFTER, COMMON])
    assert "monitoring.W002" in codes
    assert "monitoring.W001" not in codes


def test_W001_W002_fire_when_middleware_empty() -> None:
    assert {"monitoring.W001", "monitoring.W002"} <= found(MIDDLEWARE=[])


# --- E002 / E003: the metrics module --------------------------------------------------------


def test_E002_fires_when_metrics_module_has_no_registered_metric() -> None:
    codes = found(PREFLIGHT={"METRICS_MODULE": "tests.projects.metrics_unregistered"})
    assert "monitoring.E002" in codes
    assert "monitoring.E003" not in codes


def test_E002_fires_when_metrics_module_defines_nothing() -> None:
    assert "monitoring.E002" in found(PREFLIGHT={"METRICS_MODULE": "tests.projects"})


def test_E002_E003_do_not_fire_when_metrics_registered() -> None:
    assert not found() & {"monitoring.E002", "monitoring.E003"}


@pytest.mark.parametrize(
    "module",
    [
        "tests.projects.no_such_metrics",
        "tests.projects.metrics_raises",
        "tests.projects.metrics_missing_dependency",
    ],
)
def test_E003_fires_when_metrics_module_cannot_be_imported(module: str) -> None:
    codes = found(PREFLIGHT={"METRICS_MODULE": module})
    assert "monitoring.E003" in codes
    assert "monitoring.E002" not in codes


def test_E003_message_says_why_without_exception_text() -> None:
    [finding] = findings_of(
        "monitoring.E003", PREFLIGHT={"METRICS_MODULE": "tests.projects.metrics_raises"}
    )
    assert "RuntimeError" in finding.message
    assert "broken on purpose" not in finding.message


# --- E004 / W003 / W004: Sentry --------------------------------------------------------------


def test_E004_fires_when_dsn_set_and_sentry_sdk_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # import now raises
    codes = found(SENTRY_DSN=LOOPBACK_DSN)
    assert "monitoring.E004" in codes
    assert "monitoring.W004" not in codes


def test_E004_does_not_fire_without_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)
    assert "monitoring.E004" not in found(SENTRY_DSN="")


def test_E004_W004_do_not_fire_when_sentry_initialised_with_dsn(sentry_init: Any) -> None:
    sentry_init(dsn=LOOPBACK_DSN)
    assert not found(SENTRY_DSN=LOOPBACK_DSN) & {
        "monitoring.E004",
        "monitoring.W003",
        "monitoring.W004",
    }


def test_W003_fires_in_production_without_dsn() -> None:
    assert "monitoring.W003" in found(DEBUG=False, SENTRY_DSN="")


def test_W003_fires_when_dsn_setting_is_empty_even_if_env_has_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SENTRY_DSN", LOOPBACK_DSN)
    assert "monitoring.W003" in found(SENTRY_DSN="")


def test_W003_does_not_fire_outside_production() -> None:
    assert "monitoring.W003" not in found(DEBUG=True, SENTRY_DSN="")


def test_W003_does_not_fire_when_dsn_comes_from_env(
    monkeypatch: pytest.MonkeyPatch, sentry_init: Any
) -> None:
    monkeypatch.setenv("SENTRY_DSN", LOOPBACK_DSN)
    sentry_init(dsn=LOOPBACK_DSN)
    assert "monitoring.W003" not in found(delete=("SENTRY_DSN",))


def test_W004_fires_when_dsn_set_but_init_never_called() -> None:
    assert "monitoring.W004" in found(SENTRY_DSN=LOOPBACK_DSN)


def test_W004_fires_when_init_called_without_dsn(sentry_init: Any) -> None:
    sentry_init(dsn=None)
    assert "monitoring.W004" in found(SENTRY_DSN=LOOPBACK_DSN)


def test_W004_does_not_fire_without_dsn() -> None:
    assert "monitoring.W004" not in found(SENTRY_DSN="")


# --- E005 / E006 / W005 / W006: logging ------------------------------------------------------

LOGGING_CODES = {"monitoring.E006", "monitoring.W005", "monitoring.W006"}


@pytest.mark.parametrize("value", [{}, None])
def test_E005_fires_when_logging_empty_and_suppresses_E006_W005_W006(value: Any) -> None:
    codes = found(LOGGING=value)
    assert "monitoring.E005" in codes
    assert not codes & LOGGING_CODES


def test_E005_fires_when_logging_not_defined() -> None:
    codes = found(delete=("LOGGING",))
    assert "monitoring.E005" in codes
    assert not codes & LOGGING_CODES


def test_E005_does_not_fire_when_logging_configured() -> None:
    assert "monitoring.E005" not in found()


def test_E006_fires_when_no_phi_filter_defined() -> None:
    config = copy.deepcopy(BASE_LOGGING)
    config["filters"] = {"other": {"()": "logging.Filter"}}
    [finding] = findings_of("monitoring.E006", LOGGING=config)
    assert "phi_scrubber" in finding.message


def test_E006_fires_when_handler_lacks_filter_and_names_the_handlers() -> None:
    config = logging_with(
        mail={"class": "logging.StreamHandler"},
        syslog={"class": "logging.StreamHandler", "filters": ["other"]},
    )
    [finding] = findings_of("monitoring.E006", LOGGING=config)
    assert "mail" in finding.message and "syslog" in finding.message
    assert "console" not in finding.message and "audit_file" not in finding.message


def test_E006_does_not_fire_when_every_handler_filters() -> None:
    assert "monitoring.E006" not in found()


def test_E006_accepts_filter_given_as_a_string() -> None:
    config = logging_with(console={"class": "logging.StreamHandler", "filters": "phi_scrubber"})
    assert "monitoring.E006" not in found(LOGGING=config)


@pytest.mark.parametrize("cls", ["logging.NullHandler", "tests.projects.handlers.QuietHandler"])
def test_E006_exempts_null_handler(cls: str) -> None:
    assert "monitoring.E006" not in found(LOGGING=logging_with(null={"class": cls}))


def test_E006_uses_the_configured_filter_name() -> None:
    config = copy.deepcopy(BASE_LOGGING)
    config["filters"] = {"scrub": config["filters"]["phi_scrubber"]}
    for handler in config["handlers"].values():
        handler["filters"] = ["scrub"]
    assert "monitoring.E006" in found(LOGGING=config)
    preflight = {**settings.PREFLIGHT, "PHI_FILTER": "scrub"}
    assert "monitoring.E006" not in found(LOGGING=config, PREFLIGHT=preflight)


def test_W005_fires_when_no_audit_handler() -> None:
    config = copy.deepcopy(BASE_LOGGING)
    del config["handlers"]["audit_file"]
    assert "monitoring.W005" in found(LOGGING=config)


def test_W005_does_not_fire_with_audit_handler() -> None:
    assert "monitoring.W005" not in found()


def test_W005_uses_the_configured_handler_name() -> None:
    preflight = {**settings.PREFLIGHT, "AUDIT_HANDLER": "hipaa_audit"}
    assert "monitoring.W005" in found(PREFLIGHT=preflight)
    config = logging_with(hipaa_audit=copy.deepcopy(BASE_LOGGING["handlers"]["audit_file"]))
    assert "monitoring.W005" not in found(LOGGING=config, PREFLIGHT=preflight)


@pytest.mark.parametrize("cls", ["logging.FileHandler", "tests.projects.handlers.AppFileHandler"])
def test_W006_fires_for_plain_file_handler(cls: str) -> None:
    handler = {"class": cls, "filename": "/nonexistent/x.log", "filters": ["phi_scrubber"]}
    [finding] = findings_of("monitoring.W006", LOGGING=logging_with(app_log=handler))
    assert "app_log" in finding.message


@pytest.mark.parametrize(
    "cls",
    [
        "logging.handlers.RotatingFileHandler",
        "logging.handlers.TimedRotatingFileHandler",
        "logging.handlers.WatchedFileHandler",
        "tests.projects.handlers.AppRotatingHandler",
        "logging.StreamHandler",
    ],
)
def test_W006_does_not_fire_for_rotating_watched_or_stream(cls: str) -> None:
    handler = {"class": cls, "filename": "/nonexistent/x.log", "filters": ["phi_scrubber"]}
    assert "monitoring.W006" not in found(LOGGING=logging_with(app_log=handler))


def test_W006_does_not_judge_factory_handlers() -> None:
    handler = {
        "()": "tests.projects.handlers.file_handler_factory",
        "class": "logging.FileHandler",  # ignored by dictConfig when "()" is given
        "filename": "/nonexistent/x.log",
        "filters": ["phi_scrubber"],
    }
    assert "monitoring.W006" not in found(LOGGING=logging_with(app_log=handler))


# --- E007 / E008: Celery ---------------------------------------------------------------------


def test_E007_fires_when_celery_enabled_without_broker() -> None:
    assert "monitoring.E007" in found(CELERY_ENABLED=True, delete=("CELERY_BROKER_URL",))


def test_E007_fires_when_broker_setting_empty_even_if_env_has_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    assert "monitoring.E007" in found(CELERY_ENABLED=True, CELERY_BROKER_URL="")


def test_E007_does_not_fire_when_broker_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    assert "monitoring.E007" not in found(CELERY_ENABLED=True, delete=("CELERY_BROKER_URL",))


def test_E007_E008_do_not_fire_when_celery_disabled() -> None:
    codes = found(
        CELERY_ENABLED=False,
        CELERY_BROKER_URL="",
        PREFLIGHT={"CELERY_MONITORING_MODULE": "tests.projects.no_such_module"},
    )
    assert not codes & {"monitoring.E007", "monitoring.E008"}


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "yes", "Yes", "on", "ON", " true "])
def test_E007_fires_when_celery_enabled_by_env_word(
    monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    monkeypatch.setenv("CELERY_ENABLED", word)
    assert "monitoring.E007" in found(delete=("CELERY_ENABLED", "CELERY_BROKER_URL"))


@pytest.mark.parametrize("word", ["0", "false", "no", "off", "", "enabled", "2"])
def test_E007_does_not_fire_when_env_word_is_not_true(
    monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    monkeypatch.setenv("CELERY_ENABLED", word)
    assert "monitoring.E007" not in found(delete=("CELERY_ENABLED", "CELERY_BROKER_URL"))


def test_E007_setting_defined_as_empty_wins_over_env_true(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CELERY_ENABLED", "true")
    assert "monitoring.E007" not in found(CELERY_ENABLED="", delete=("CELERY_BROKER_URL",))


def test_E008_fires_when_celery_monitoring_module_missing() -> None:
    codes = found(
        CELERY_ENABLED=True,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        PREFLIGHT={"CELERY_MONITORING_MODULE": "tests.projects.no_such_module"},
    )
    assert "monitoring.E008" in codes
    assert "monitoring.E007" not in codes


def test_E008_fires_when_celery_monitoring_module_raises() -> None:
    codes = found(
        CELERY_ENABLED=True,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        PREFLIGHT={"CELERY_MONITORING_MODULE": "tests.projects.metrics_raises"},
    )
    assert "monitoring.E008" in codes


def test_E008_does_not_fire_when_module_imports() -> None:
    codes = found(
        CELERY_ENABLED=True,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        PREFLIGHT={"CELERY_MONITORING_MODULE": "tests.worker_app"},
    )
    assert not codes & {"monitoring.E007", "monitoring.E008"}


# --- E011 / E012: production settings --------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["", "   ", "app.upstream.cx", "/portal", "ftp://app.upstream.cx", "https://"]
)
def test_E011_fires_when_portal_url_missing_or_not_absolute_http(url: str) -> None:
    assert "monitoring.E011" in found(PORTAL_BASE_URL=url)


def test_E011_does_not_judge_a_project_that_does_not_define_portal_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    assert "monitoring.E011" not in found(delete=("PORTAL_BASE_URL",))
    monkeypatch.setenv("PORTAL_BASE_URL", "portal.example.org")  # defined by the environment
    assert "monitoring.E011" in found(delete=("PORTAL_BASE_URL",))


def test_E011_setting_defined_as_empty_wins_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_BASE_URL", "https://app.upstream.cx")
    assert "monitoring.E011" in found(PORTAL_BASE_URL="")


@pytest.mark.parametrize("url", ["https://app.upstream.cx", "http://portal.internal:8080/x"])
def test_E011_does_not_fire_for_absolute_http_url(url: str) -> None:
    assert "monitoring.E011" not in found(PORTAL_BASE_URL=url)


def test_E011_does_not_fire_when_url_comes_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_BASE_URL", "https://app.upstream.cx")
    assert "monitoring.E011" not in found(delete=("PORTAL_BASE_URL",))


def test_E011_does_not_fire_outside_production() -> None:
    assert "monitoring.E011" not in found(DEBUG=True, PORTAL_BASE_URL="")


@pytest.mark.parametrize("hosts", [[], ["*"], ["app.upstream.cx", "*"]])
def test_E012_fires_when_allowed_hosts_empty_or_wildcard(hosts: list[str]) -> None:
    assert "monitoring.E012" in found(ALLOWED_HOSTS=hosts)


@pytest.mark.parametrize("hosts", [["app.upstream.cx"], [".upstream.cx", "127.0.0.1"]])
def test_E012_does_not_fire_for_specific_hosts(hosts: list[str]) -> None:
    assert "monitoring.E012" not in found(ALLOWED_HOSTS=hosts)


def test_E012_does_not_fire_outside_production() -> None:
    assert "monitoring.E012" not in found(DEBUG=True, ALLOWED_HOSTS=["*"])


# --- E013: field encryption ------------------------------------------------------------------

BAD_KEYS = [
    "",
    "not-a-key",
    "!" * 43 + "=",
    base64.urlsafe_b64encode(b"k" * 31).decode(),  # 44 characters, 31 bytes
]


# Fernet itself decodes leniently and takes '+' and '/'; the contract asks for url-safe base64.
STRICTER_THAN_FERNET = [
    base64.b64encode(b"\xfb" * 32).decode(),  # standard alphabet
    FERNET_KEY + "A",  # 45 characters (Fernet ignores what follows the padding)
    FERNET_KEY[:-1],  # 43 characters, no padding (cryptography 51 decodes it; 50 did not)
]


def test_fernet_key_judgement_matches_cryptography_where_available() -> None:
    fernet = pytest.importorskip("cryptography.fernet")
    assert is_valid_fernet_key(fernet.Fernet.generate_key().decode())
    for key in BAD_KEYS:
        with pytest.raises((ValueError, TypeError)):
            fernet.Fernet(key)


@pytest.mark.parametrize("key", [*BAD_KEYS, *STRICTER_THAN_FERNET])
def test_E013_fires_when_key_is_not_a_fernet_key(key: str) -> None:
    assert not is_valid_fernet_key(key)
    assert "monitoring.E013" in found(REAL_DATA_MODE=True, FIELD_ENCRYPTION_KEY=key)


def test_E013_fires_when_key_missing() -> None:
    codes = found(REAL_DATA_MODE=True, delete=("FIELD_ENCRYPTION_KEY",))
    assert "monitoring.E013" in codes


def test_E013_fires_when_real_data_mode_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REAL_DATA_MODE", "yes")
    assert "monitoring.E013" in found(delete=("REAL_DATA_MODE", "FIELD_ENCRYPTION_KEY"))


def test_E013_key_setting_defined_as_empty_wins_over_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", FERNET_KEY)
    assert "monitoring.E013" in found(REAL_DATA_MODE=True, FIELD_ENCRYPTION_KEY="")


@pytest.mark.parametrize("key", [FERNET_KEY, FERNET_KEY.encode()])
def test_E013_does_not_fire_with_valid_fernet_key(key: str | bytes) -> None:
    assert "monitoring.E013" not in found(REAL_DATA_MODE=True, FIELD_ENCRYPTION_KEY=key)


def test_E013_does_not_fire_with_valid_key_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REAL_DATA_MODE", "on")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", FERNET_KEY)
    assert "monitoring.E013" not in found(delete=("REAL_DATA_MODE", "FIELD_ENCRYPTION_KEY"))


def test_E013_does_not_fire_without_real_data_mode() -> None:
    assert "monitoring.E013" not in found(REAL_DATA_MODE=False, FIELD_ENCRYPTION_KEY="")
    assert "monitoring.E013" not in found(delete=("REAL_DATA_MODE", "FIELD_ENCRYPTION_KEY"))


def test_E013_message_never_shows_the_key() -> None:
    bad = "s3cr3t-not-a-real-key"
    [finding] = findings_of("monitoring.E013", REAL_DATA_MODE=True, FIELD_ENCRYPTION_KEY=bad)
    assert bad not in finding.message


# --- W007 / W008 -----------------------------------------------------------------------------


def test_W007_fires_in_production_with_non_redis_cache() -> None:
    [finding] = findings_of("monitoring.W007")
    assert "LocMemCache" in finding.message


def test_W007_does_not_fire_outside_production() -> None:
    assert "monitoring.W007" not in found(DEBUG=True)


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache"]
)
def test_W007_does_not_fire_with_redis_cache(backend: str) -> None:
    caches = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"}}
    assert "monitoring.W007" not in found(CACHES=caches)  # network checks are left out here


@pytest.mark.parametrize(
    "value",
    [
        "",
        "webmaster@localhost",
        "not an address",
        "alerts@",
        "alerts@localhost",
        "Alerts <alerts@example.com>",
        "alerts@mail.example.org",
        "ALERTS@EXAMPLE.COM",
    ],
)
def test_W008_fires_for_bad_from_email(value: str) -> None:
    assert from_email_problem(value) is not None
    assert "monitoring.W008" in found(DEFAULT_FROM_EMAIL=value)


@pytest.mark.parametrize(
    "value", ["alerts@upstream.cx", "Upstream Alerts <alerts@upstream.cx>", "a@example.com.au"]
)
def test_W008_does_not_fire_for_real_address(value: str) -> None:
    assert "monitoring.W008" not in found(DEFAULT_FROM_EMAIL=value)


def test_W008_does_not_fire_outside_production() -> None:
    assert "monitoring.W008" not in found(DEBUG=True, DEFAULT_FROM_EMAIL="webmaster@localhost")


def test_W008_fires_for_django_default_when_setting_not_defined() -> None:
    # Django's own default applies when the project does not set it.
    assert "monitoring.W008" in found(delete=("DEFAULT_FROM_EMAIL",))


# --- preflight.E004: the PREFLIGHT setting --------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "not a dict",
        ["TIMEOUT", 3],
        {"TIMEOUT": -1},
        {"TIMEOUT": 0},
        {"TIMEOUT": "3"},
        {"TIMEOUT": True},
        {"STATUS_CACHE_SECONDS": -5},
        {"METRICS_MODULE": ""},
        {"PHI_FILTER": 7},
        {"REQUIRED_ENV": "SECRET_KEY"},
    ],
)
def test_preflight_E004_fires_for_bad_preflight_setting(value: Any) -> None:
    codes = found(PREFLIGHT=value)
    assert "preflight.E004" in codes
    # The other checks still run, on the defaults.
    assert "monitoring.W003" in codes


@pytest.mark.parametrize("value", [{}, {"TIMEOUT": 1}, {"UNKNOWN_KEY": object()}])
def test_preflight_E004_does_not_fire_for_valid_preflight_setting(value: Any) -> None:
    assert "preflight.E004" not in found(PREFLIGHT=value)


def test_preflight_E004_does_not_fire_when_preflight_not_defined() -> None:
    assert "preflight.E004" not in found(delete=("PREFLIGHT",))


def test_preflight_E004_names_the_bad_key_through_django_checks() -> None:
    with project(PREFLIGHT={"TIMEOUT": -1}):
        [message] = [m for m in run_checks(tags=["monitoring"]) if m.id == "preflight.E004"]
    assert "TIMEOUT" in message.msg
    assert message.is_serious()


# --- Django registration, silencing, evaluate ------------------------------------------------


def test_django_checks_carry_message_hint_and_level() -> None:
    with project(LOGGING={}):
        [message] = [m for m in run_checks(tags=["monitoring"]) if m.id == "monitoring.E005"]
    assert message.is_serious()
    assert message.msg and message.hint


def test_every_non_network_code_fires_through_django_and_evaluate_alike() -> None:
    overrides: dict[str, Any] = {
        "LOGGING": logging_with(
            mail={"class": "logging.FileHandler", "filename": "/nonexistent/mail.log"}
        ),
        "MIDDLEWARE": [COMMON],
        "SENTRY_DSN": LOOPBACK_DSN,
        "CELERY_ENABLED": True,
        "CELERY_BROKER_URL": "",
        "PORTAL_BASE_URL": "",
        "ALLOWED_HOSTS": ["*"],
        "REAL_DATA_MODE": True,
        "FIELD_ENCRYPTION_KEY": "nope",
        "DEFAULT_FROM_EMAIL": "webmaster@localhost",
        "PREFLIGHT": {
            "METRICS_MODULE": "tests.projects.no_such_metrics",
            "CELERY_MONITORING_MODULE": "tests.projects.no_such_module",
            "TIMEOUT": 2,
        },
    }
    with project(**overrides):
        django_ids = {m.id for m in run_checks(tags=["monitoring"])}
        outcome = evaluate(options_or_defaults()[0])
    evaluated = {f.code for f in outcome.findings}
    assert django_ids == evaluated
    assert evaluated == {
        "monitoring.E003",
        "monitoring.E006",
        "monitoring.E007",
        "monitoring.E008",
        "monitoring.E011",
        "monitoring.E012",
        "monitoring.E013",
        "monitoring.E014",
        "monitoring.E016",
        "monitoring.W001",
        "monitoring.W002",
        "monitoring.W004",
        "monitoring.W006",
        "monitoring.W007",
        "monitoring.W008",
    }


def test_silenced_checks_are_dropped_by_django_and_flagged_by_evaluate() -> None:
    silenced = ["monitoring.W007", "monitoring.W003"]
    out = io.StringIO()
    with project(SILENCED_SYSTEM_CHECKS=silenced):
        silenced_by_django = {m.id: m.is_silenced() for m in run_checks(tags=["monitoring"])}
        call_command("check", tags=["monitoring"], stdout=out, stderr=out)
        outcome = evaluate(options_or_defaults()[0])
    assert silenced_by_django == dict.fromkeys(silenced, True)
    assert "no issues (2 silenced)" in out.getvalue()
    flagged = {f.code: f.silenced for f in outcome.findings}
    assert flagged == {"monitoring.W007": True, "monitoring.W003": True}


def test_malformed_logging_sections_are_judged_not_crashed_on() -> None:
    # Sections of the wrong type are nonsense a project can still write.
    with project(LOGGING={"version": 1, "handlers": ["console"], "filters": "phi_scrubber"}):
        findings = run_all()
    assert {"monitoring.E006", "monitoring.W005"} <= {f.code for f in findings}
    assert not [f for f in findings if "crashed" in f.message]
