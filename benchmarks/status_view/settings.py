"""Settings of the bench project: DEBUG off, a monitored app that passes the checks.

BENCH_REDIS_URL is the default cache (a real Redis, or a blackhole for the hung scenarios),
BENCH_DB_PATH the SQLite database, BENCH_PREFLIGHT_TIMEOUT preflight's probe timeout,
BENCH_LOG_DIR where the audit log would go.
"""

import os

SECRET_KEY = "bench-only-key-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django_prometheus",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "health_check",
    "watchman",
    "upstream_preflight",
]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
ROOT_URLCONF = "status_view.urls"
WSGI_APPLICATION = "status_view.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BENCH_DB_PATH", ":memory:"),
    }
}
# A typical production cache: Django's Redis backend with 5 s socket timeouts. The two
# anchors probe through it; preflight probes with its own client and PREFLIGHT TIMEOUT.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DEFAULT_FROM_EMAIL = "Upstream Alerts <alerts@upstream.cx>"
PORTAL_BASE_URL = "https://app.upstream.cx"
SENTRY_DSN = ""
CELERY_ENABLED = False
REAL_DATA_MODE = False

_LOG_DIR = os.environ.get("BENCH_LOG_DIR", ".")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"phi_scrubber": {"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["phi_scrubber"]},
        "audit_file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": os.path.join(_LOG_DIR, "audit.log"),
            "maxBytes": 1_000_000,
            "backupCount": 2,
            "delay": True,
            "filters": ["phi_scrubber"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}

PREFLIGHT = {
    "METRICS_MODULE": "status_view.metrics",
    "TIMEOUT": float(os.environ.get("BENCH_PREFLIGHT_TIMEOUT", "0.5")),
    "STATUS_CACHE_SECONDS": 5,
}

WATCHMAN_CHECKS = ("watchman.checks.caches", "watchman.checks.databases")
WATCHMAN_AUTH_DECORATOR = None
