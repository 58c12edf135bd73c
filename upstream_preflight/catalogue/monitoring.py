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
        "The metrics module (PREFLIGHT['METRICS_MODULE'], else `<top>.metrics` beside the "
        "settings package when it exists) imports, but defines no prometheus_client metric "
        "registered in the default registry.",
        "Business metrics unavailable.",
        "Define your Prometheus metrics in {module}, or point {key} at the module that does",
        MONITORING,
    ),
    Code(
        "monitoring.E003",
        "Cannot import custom metrics",
        "The metrics module cannot be imported: PREFLIGHT['METRICS_MODULE'] names a module "
        "that is missing, or the module (named, or found at `<top>.metrics`) raises on import. "
        "A `<top>.metrics` that does not exist is not an error.",
        "Metrics tracking broken.",
        "Fix the import of {module}, or set {key} to the module that defines your metrics",
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
        "Add the '{filter}' filter (upstream_preflight.logging_filters.PHIScrubberFilter) "
        "to LOGGING in {settings} and list it on every handler",
        MONITORING,
    ),
    Code(
        "monitoring.E007",
        "Celery enabled but no broker configured",
        "Celery is enabled (CELERY_ENABLED is true), but no broker URL is configured: "
        "CELERY_BROKER_URL (setting or variable) is missing or empty and the project's Celery "
        "app names no broker.",
        "Background tasks cannot run.",
        "Set CELERY_BROKER_URL in {settings} or the environment, or CELERY_ENABLED=False",
        MONITORING,
    ),
    Code(
        "monitoring.E008",
        "Celery monitoring not available",
        "Celery is enabled, and PREFLIGHT['CELERY_MONITORING_MODULE'] names a module that "
        "cannot be imported, or the module found at `<top>.celery_monitoring` raises on "
        "import. A `<top>.celery_monitoring` that does not exist is not an error (see W010).",
        "No task execution tracking.",
        "Fix the import of {module}, or set {key} to the module that tracks your tasks",
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
        "Production (DEBUG is False), PORTAL_BASE_URL is defined (setting, or variable when "
        "the setting is undefined), and it is empty or not an absolute http(s) URL. A "
        "project that does not define PORTAL_BASE_URL is not judged.",
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
        "Use upstream_preflight.logging_filters.PHIScrubberFilter as the '{filter}' filter",
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
        "Add an '{handler}' handler for 7-year retention, or set PREFLIGHT['AUDIT_HANDLER'] "
        "to the name of yours",
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
    Code(
        "monitoring.W010",
        "Celery tasks cannot be tracked",
        "Celery is enabled, no Celery monitoring module is named or found "
        "(PREFLIGHT['CELERY_MONITORING_MODULE'], `<top>.celery_monitoring`), and the Celery "
        "app does not send task events (`worker_send_task_events` is off).",
        "Failed and stuck background jobs go unnoticed: nothing records task execution.",
        "Set CELERY_WORKER_SEND_TASK_EVENTS = True in {settings} (with a consumer such as "
        "Flower or an exporter), or name your monitoring module in "
        "PREFLIGHT['CELERY_MONITORING_MODULE']",
        MONITORING,
    ),
    Code(
        "monitoring.E015",
        "Sentry would receive log records with PHI unscrubbed",
        "An active Sentry client (with a DSN) has the logging integration on (it is by "
        "default) sending breadcrumbs, events or Sentry Logs, and canary data shaped as the "
        "integration builds it, passed through the client's before_breadcrumb, before_send "
        "and before_send_log hooks in the SDK's order (nothing is sent), still shows a planted "
        "value; the message names each such path and the missing hooks.",
        "HIPAA violation: Sentry reads every INFO+ record before any handler filter and sends "
        "it with the next error event, so PHI the logs never show reaches Sentry.",
        "Pass before_send/before_breadcrumb from upstream_preflight.sentry to sentry_sdk.init",
        MONITORING,
    ),
    Code(
        "monitoring.E016",
        "Log file cannot be written",
        "A LOGGING handler whose class is a logging.FileHandler (or subclass) names a "
        "`filename` whose directory does not exist, is not a directory, or is not writable by "
        "this process, or the file exists and is not writable (rotating handlers also need a "
        "writable directory). Judged with os.access, nothing is created; relative names "
        "against the current directory; '()' factories are not judged.",
        "The first record sent to that handler fails (FileNotFoundError, PermissionError) "
        "and is lost: audit records are not kept.",
        "Create the log directory and make it writable by the application's user",
        MONITORING,
    ),
)
