"""Settings shared by every environment of the example project.

Values come from the environment (see example/.env) so that the same code runs in CI, on a
laptop and in production.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
DEBUG = False

INSTALLED_APPS = [
    "django_prometheus",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "upstream_preflight",
    "upstream",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "upstream.urls"
WSGI_APPLICATION = "upstream.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def database_from_url(url: str) -> dict:
    """sqlite:///relative/or//absolute/path, or postgres://user:password@host:port/name."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        name = path if os.path.isabs(path) else str(BASE_DIR / path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    raise ValueError(f"unsupported DATABASE_URL scheme {parts.scheme!r}")


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Upstream Alerts <alerts@upstream.cx>")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")

LOG_DIR = Path(os.environ.get("LOG_DIR", BASE_DIR / "var" / "log"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "phi_scrubber": {"()": "upstream_preflight.logging_filters.PHIScrubberFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["phi_scrubber"],
            "formatter": "plain",
        },
        # delay=True: the file is opened at the first record, never by loading settings.
        "audit_file": {
            "class": "logging.handlers.TimedRotatingFileHandler",
            "filename": str(LOG_DIR / "audit.log"),
            "when": "midnight",
            "backupCount": 2555,
            "delay": True,
            "filters": ["phi_scrubber"],
            "formatter": "plain",
        },
    },
    "loggers": {
        "upstream.audit": {"handlers": ["audit_file"], "level": "INFO", "propagate": False},
        "": {"handlers": ["console"], "level": "WARNING"},
    },
}

PREFLIGHT = {"TIMEOUT": 2.0}
