"""Catalogue entries for the `monitoring` system checks (tag `monitoring`)."""

from upstream_preflight.catalogue.model import Code

MONITORING = "monitoring"

CODES: tuple[Code, ...] = (
    Code(
        "monitoring.E001",
        "django-prometheus not installed",
        "`django_prometheus` is not in INSTALLED_APPS, or it cannot be imported.",
        "No metrics collection: dashboards and alerts go blind.",
        "Add 'django_prometheus' to INSTALLED_APPS (pip install django-prometheus)",
        MONITORING,
    ),
    Code(
        "monitoring.E002",
        "Custom metrics not properly registered",
        "PREFLIGHT['METRICS_MODULE'] imports, but defines no prometheus_client metric "
        "registered in the default registry.",
        "Business metrics unavailable.",
        "Ensure upstream.metrics defines Prometheus metrics in the default registry",
        MONITORING,
    ),
    Code(
        "monitoring.E003",
        "Cannot import custom metrics",
        "PREFLIGHT['METRICS_MODULE'] cannot be imported: it is missing, or importing it raises.",
        "Metrics tracking broken.",
        "Check upstream/metrics.py for import errors",
        MONITORING,
    ),
    Code(
        "monitoring.E004",
        "Sentry SDK not installed",
        "A Sentry DSN is configured (SENTRY_DSN setting or environment), but `sentry_sdk` "
        "cannot be imported.",
        "Error tracking broken: exceptions in production are never reported.",
        "Install sentry-sdk: pip install sentry-sdk",
        MONITORING,
    ),
    Code(
        "monitoring.E005",
        "LOGGING configuration not found",
        "The LOGGING setting is missing or empty.",
        "No application logging, and no audit trail.",
        "Add a LOGGING configuration to settings",
        MONITORING,
    ),
    Code(
        "monitoring.E006",
        "PHI scrubbing filter not configured",
        "LOGGING has no filter named PREFLIGHT['PHI_FILTER'] (default 'phi_scrubber'), or a "
        "handler other than a NullHandler does not list it in its `filters`; the message "
        "names the handlers.",
        "HIPAA violation risk: protected health information written to logs.",
        "Add the 'phi_scrubber' filter to LOGGING and list it on every handler",
        MONITORING,
    ),
    Code(
        "monitoring.E007",
        "Celery enabled but no broker configured",
        "CELERY_ENABLED is true, but CELERY_BROKER_URL is missing or empty.",
        "Background tasks cannot run.",
        "Set CELERY_BROKER_URL in settings or the environment",
        MONITORING,
    ),
    Code(
        "monitoring.E008",
        "Celery monitoring not available",
        "CELERY_ENABLED is true, but PREFLIGHT['CELERY_MONITORING_MODULE'] cannot be imported.",
        "No task execution tracking.",
        "Ensure upstream.celery_monitoring is importable",
        MONITORING,
    ),
    Code(
        "monitoring.E009",
        "Redis cache not working properly",
        "The default cache is a Redis cache and the server answers, but a set/get round trip "
        "through it does not return what was set (authentication, a TLS certificate that does "
        "not verify, a server still loading its dataset, database index, errors). "
        "Deployment check: runs with --deploy, in validate_monitoring and in preflight run.",
        "Cache and sessions broken.",
        "Check Redis connectivity and configuration",
        MONITORING,
    ),
    Code(
        "monitoring.E010",
        "Cannot connect to Redis cache",
        "The default cache is a Redis cache and the server cannot be reached within "
        "PREFLIGHT['TIMEOUT'] (refused, unresolvable, or silent). Deployment check.",
        "Application may be degraded: every cached page and session hits a dead server.",
        "Check the Redis server is running and reachable from this host",
        MONITORING,
    ),
    Code(
        "monitoring.E011",
        "PORTAL_BASE_URL not configured for production",
        "Production (DEBUG is False), and PORTAL_BASE_URL is missing, empty, or not an "
        "absolute http(s) URL.",
        "Alert email links broken.",
        "Set PORTAL_BASE_URL to the portal's absolute https URL",
        MONITORING,
    ),
    Code(
        "monitoring.E012",
        "ALLOWED_HOSTS not properly configured",
        "Production (DEBUG is False), and ALLOWED_HOSTS is empty or contains '*'.",
        "Security vulnerability: host header attacks, poisoned password-reset links.",
        "Set ALLOWED_HOSTS to specific domains (not '*')",
        MONITORING,
    ),
    Code(
        "monitoring.E013",
        "Field encryption not configured for real PHI data",
        "REAL_DATA_MODE is true, and FIELD_ENCRYPTION_KEY is missing or not a valid Fernet key "
        "(44 characters of url-safe base64 that decode to 32 bytes).",
        "HIPAA violation: unencrypted PHI at rest.",
        "Generate FIELD_ENCRYPTION_KEY (Fernet.generate_key()) when REAL_DATA_MODE=True",
        MONITORING,
    ),
    Code(
        "monitoring.E014",
        "PHI would leak through a log handler",
        "Canary records carrying planted PHI, passed through each configured handler's "
        "filters and formatter (nothing is emitted), come out with the PHI still readable; "
        "the message names each such handler.",
        "HIPAA violation: a configured filter does not really scrub what reaches that handler.",
        "Use upstream_preflight.logging_filters.PHIScrubberFilter as the 'phi_scrubber' filter",
        MONITORING,
    ),
    Code(
        "monitoring.W001",
        "PrometheusBeforeMiddleware not configured",
        "django_prometheus is installed, and PrometheusBeforeMiddleware is missing from "
        "MIDDLEWARE or is not first.",
        "Incomplete request metrics.",
        "Put django_prometheus.middleware.PrometheusBeforeMiddleware first in MIDDLEWARE",
        MONITORING,
    ),
    Code(
        "monitoring.W002",
        "PrometheusAfterMiddleware not configured",
        "django_prometheus is installed, and PrometheusAfterMiddleware is missing from "
        "MIDDLEWARE or is not last.",
        "Incomplete response metrics.",
        "Put django_prometheus.middleware.PrometheusAfterMiddleware last in MIDDLEWARE",
        MONITORING,
    ),
    Code(
        "monitoring.W003",
        "Sentry not configured in production",
        "Production (DEBUG is False), and no Sentry DSN is configured.",
        "Errors not tracked (recommended but not required).",
        "Set the SENTRY_DSN environment variable",
        MONITORING,
    ),
    Code(
        "monitoring.W004",
        "Sentry SDK initialized but no client configured",
        "A DSN is configured and sentry_sdk imports, but no active client exists "
        "(sentry_sdk.init was not called, or was called without the DSN).",
        "Error tracking may not work.",
        "Call sentry_sdk.init(dsn=SENTRY_DSN) in the production settings",
        MONITORING,
    ),
    Code(
        "monitoring.W005",
        "Audit logging not configured",
        "LOGGING has no handler named PREFLIGHT['AUDIT_HANDLER'] (default 'audit_file').",
        "HIPAA compliance risk: no audit trail.",
        "Add an 'audit_file' handler for 7-year retention",
        MONITORING,
    ),
    Code(
        "monitoring.W006",
        "Log rotation not configured",
        "A handler whose class is a logging.FileHandler (or subclass) neither rotates "
        "(RotatingFileHandler, TimedRotatingFileHandler) nor is a WatchedFileHandler; "
        "handlers built by a '()' factory are not judged.",
        "Disk space issues over time.",
        "Use TimedRotatingFileHandler or RotatingFileHandler",
        MONITORING,
    ),
    Code(
        "monitoring.W007",
        "Not using Redis cache in production",
        "Production (DEBUG is False), and the default cache is neither "
        "django.core.cache.backends.redis.RedisCache nor django_redis.cache.RedisCache.",
        "Performance degradation; per-process caches disagree across workers.",
        "Use Redis for the default cache",
        MONITORING,
    ),
    Code(
        "monitoring.W008",
        "DEFAULT_FROM_EMAIL not properly configured",
        "Production (DEBUG is False), and DEFAULT_FROM_EMAIL is empty, Django's default "
        "'webmaster@localhost', not an address ('Name <addr>' is fine), or at "
        "localhost / example.com / example.org.",
        "Alert emails may fail.",
        "Set DEFAULT_FROM_EMAIL to a real email address",
        MONITORING,
    ),
    Code(
        "monitoring.W009",
        "Audit log retention shorter than seven years",
        "The audit handler rotates by time and its interval times backupCount is under 2,555 "
        "days, or it rotates by size, which cannot promise any age.",
        "HIPAA compliance risk: audit records deleted before the six-year minimum plus margin.",
        "Use TimedRotatingFileHandler with when='midnight' and backupCount >= 2555",
        MONITORING,
    ),
)
