"""Settings of the fresh clinic site: SQLite in a temp dir, mail and records as JSON lines."""

from __future__ import annotations

import os

SECRET_KEY = "harvest-fresh-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "portal.clinic.example"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "import_export",
    "fresh_site",
]
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.common.BrokenLinkEmailsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "fresh_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("FRESH_SITE_DB", ":memory:"),
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = False
LANGUAGE_CODE = "en-us"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y", "%d %b %Y"]
LANGUAGES = [("en", "English"), ("es", "Spanish")]
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
EMAIL_BACKEND = "fresh_site.mail.LoggingBackend"
ADMINS = [("Portal Ops", "ops@clinic.example")]
MANAGERS = [("Web Team", "web@clinic.example")]
SERVER_EMAIL = "django@portal.clinic.example"
DEFAULT_FROM_EMAIL = "Riverside Clinic <noreply@clinic.example>"
EMAIL_SUBJECT_PREFIX = "[Portal] "
IMPORT_EXPORT_USE_TRANSACTIONS = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "jsonl": {
            "()": "fresh_site.jsonlog.JsonLines",
            "path": os.environ.get("FRESH_SITE_LOG", os.devnull),
        }
    },
    "loggers": {
        name: {"handlers": ["jsonl"], "level": "DEBUG", "propagate": False}
        for name in ("clinic", "import_export")
    },
}
