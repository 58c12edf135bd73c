"""Production-like settings that need no server: SQLite, a local-memory cache, Celery off.

`preflight run` on these shows what a team would see before wiring up Redis and Sentry.
"""

from upstream.settings.base import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_ENABLED = False
