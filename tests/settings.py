"""Settings for in-process tests: a healthy baseline that each test changes with
`django.test.override_settings`. Servers come from fixtures (tests/servers.py)."""

import tempfile
from pathlib import Path

SECRET_KEY = "tests-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django_prometheus",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "upstream_preflight",
]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
ROOT_URLCONF = "tests.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEFAULT_FROM_EMAIL = "Upstream Alerts <alerts@upstream.cx>"
PORTAL_BASE_URL = "https://app.upstream.cx"
SENTRY_DSN = ""
CELERY_ENABLED = False
REAL_DATA_MODE = False
USE_TZ = True
LOGGING_CONFIG = None  # tests inspect LOGGING; they never need it applied to this process
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"phi_scrubber": {"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["phi_scrubber"]},
        "audit_file": {
            "class": "logging.handlers.TimedRotatingFileHandler",
            # A directory that exists and is writable (E016); never opened: delay=True.
            "filename": str(Path(tempfile.gettempdir()) / "preflight-tests-audit.log"),
            "when": "midnight",
            "backupCount": 2555,
            "delay": True,
            "filters": ["phi_scrubber"],
        },
    },
}
PREFLIGHT = {"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": 2.0}
