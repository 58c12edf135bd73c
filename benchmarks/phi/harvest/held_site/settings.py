"""Settings of the held-out clinic site: SQLite in a temp dir, records as JSON lines."""

from __future__ import annotations

import os

SECRET_KEY = "harvest-held-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "portal.clinic.example"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "held_site",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "held_site.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HELD_SITE_DB", ":memory:"),
    }
}
TEMPLATES: list[dict[str, object]] = []
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "jsonl": {
            "class": "held_site.jsonlog.JsonLines",
            "path": os.environ.get("HELD_SITE_LOG", os.devnull),
        }
    },
    "loggers": {
        name: {"handlers": ["jsonl"], "level": "DEBUG", "propagate": False}
        for name in ("django.server", "django.request", "django.security", "clinic")
    },
}
