"""Catalogue entries for the `preflight run` stages other than `django` and `monitoring`.

Numbering: 0xx the run itself, 1xx python, 2xx env, 3xx database, 4xx static, 5xx celery,
6xx metrics, 7xx security. A new code takes the next free number in its stage's range.
"""

from upstream_preflight.catalogue.model import Code

CODES: tuple[Code, ...] = (
    # --- the run itself -------------------------------------------------------------------
    Code(
        "preflight.E001",
        "Settings module cannot be imported",
        "The Django settings module named by --settings, DJANGO_SETTINGS_MODULE or ./manage.py "
        "is missing, raises, or has a syntax error.",
        "Nothing that needs Django can be checked; the project would not start either.",
        "Fix the settings module named in the message (see the reason given)",
        "django",
    ),
    Code(
        "preflight.E002",
        "Django could not be set up",
        "django.setup() raised: an app in INSTALLED_APPS is missing or fails to load.",
        "Nothing that needs Django can be checked; the project would not start either.",
        "Fix the error named in the message; run `python manage.py check` to reproduce",
        "django",
    ),
    Code(
        "preflight.E003",
        "A check crashed",
        "A check or stage raised an unexpected exception; the other checks still ran.",
        "That part of the project was not checked.",
        "Run with the same settings and report the error named in the message",
        "django",
    ),
    Code(
        "preflight.E004",
        "PREFLIGHT setting is invalid",
        "The PREFLIGHT dict in Django settings is not a dict, or one of its keys has a value of "
        "the wrong type; the defaults are used instead.",
        "The checks ran with default names and timeouts, not the project's.",
        "Fix the key named in the message (see docs: PREFLIGHT settings)",
        "monitoring",
    ),
    Code(
        "preflight.W001",
        "Environment file has lines that cannot be parsed",
        "The env file (--env-file, default ./.env) has lines that are not KEY=VALUE or not "
        "UTF-8, a value with a NUL byte, or more than 10,000 new variables (the rest unset).",
        "Variables on those lines are not set for the run, nor in production.",
        "Fix or remove the lines named in the message",
        "env",
    ),
    Code(
        "preflight.W002",
        "Settings module selected by the env file",
        "No --settings was given and DJANGO_SETTINGS_MODULE was not set in the environment, "
        "but the env file set it: the env file, not the caller, chose the settings module "
        "(the message names manage.py's module when it differs).",
        "A .env left on a machine silently selects other settings (often production) for "
        "every command run there.",
        "Pass --settings or export DJANGO_SETTINGS_MODULE, and remove it from the env file",
        "env",
    ),
    # --- python ---------------------------------------------------------------------------
    Code(
        "preflight.E101",
        "Python version does not satisfy the project's requirement",
        "The running interpreter is outside `requires-python` of the target's pyproject.toml. "
        "When a runtime pin differs too, the one mismatch is reported once, as preflight.E102, "
        "which then names the requirement as well. (A .python-version naming another "
        "major.minor was E101 in earlier releases; it is a runtime pin, now E102.)",
        "The deploy may run code on an interpreter it was never tested with.",
        "Run preflight with the interpreter the project requires",
        "python",
    ),
    Code(
        "preflight.E102",
        "Python version differs from the one the runtime is pinned to",
        "The major.minor version of the running interpreter differs from the one pinned by "
        "runtime.txt (`python-3.11.7`), .python-version, or the Dockerfile (`Dockerfile`, or "
        "`compose/production/django/Dockerfile`): the last stage built on a `python` image "
        "(`FROM python:3.12-slim`, `docker.io/library/python:3.12`, a stage built on such a "
        "stage, a version from an `ARG` default) or on a `python3.X` tag. One finding names "
        "every pin that differs.",
        "The checks ran on another interpreter than production: what passed here may not "
        "import, or behave the same, there.",
        "Run preflight with the pinned Python version, or update the pin named in the message",
        "python",
    ),
    Code(
        "preflight.W101",
        "Not running in a virtual environment",
        "sys.prefix equals sys.base_prefix and no VIRTUAL_ENV or CONDA_PREFIX is set.",
        "The checks ran against system packages, which may not be what production installs.",
        "Activate the project's virtual environment",
        "python",
    ),
    Code(
        "preflight.W102",
        "Python requirement cannot be read",
        "The target's pyproject.toml is not valid TOML, its `requires-python` is not a valid "
        "version specifier, or runtime.txt or .python-version cannot be read or names no "
        "version.",
        "The interpreter version was not checked against the project's requirement.",
        "Fix the file named in the message",
        "python",
    ),
    # --- env ------------------------------------------------------------------------------
    Code(
        "preflight.E201",
        "Required environment variable not set",
        "A variable named in PREFLIGHT['REQUIRED_ENV'] or `[tool.preflight] required_env` "
        "(none by default: the settings themselves are judged, see E202) is not set, or is set "
        "to an empty value.",
        "The application falls back to defaults that are wrong in production.",
        "Set the variable named in the message (the environment or the env file), or drop it "
        "from required_env",
        "env",
    ),
    Code(
        "preflight.E202",
        "Required setting not configured",
        "SECRET_KEY is empty, or DATABASES configures no database (empty, or only Django's "
        "dummy backend), whatever variables the settings read them from.",
        "Django cannot sign sessions or reach its data: the deploy fails at the first request.",
        "Set the variable your settings read it from (e.g. DJANGO_SECRET_KEY, DATABASE_URL)",
        "env",
    ),
    Code(
        "preflight.I201",
        "Optional environment variable not set",
        "Outside production, no Sentry DSN is configured (SENTRY_DSN setting or variable, or "
        "the DSN given to sentry_sdk.init), or a variable named in PREFLIGHT['OPTIONAL_ENV'] "
        "is not set. In production monitoring.W003 says it instead.",
        "The feature it configures is off.",
        "Set it if the feature is wanted",
        "env",
    ),
    # --- database -------------------------------------------------------------------------
    Code(
        "preflight.E301",
        "Database cannot be reached",
        "A DATABASES alias does not connect read-only within the timeout (refused, silent, bad "
        "credentials, missing SQLite file).",
        "The application cannot serve requests.",
        "Check the database server, credentials and network for the alias named",
        "database",
    ),
    Code(
        "preflight.E302",
        "Conflicting migrations",
        "An app has more than one leaf migration.",
        "`migrate` refuses to run; the deploy stops half-way.",
        "Run `python manage.py makemigrations --merge`",
        "database",
    ),
    Code(
        "preflight.E303",
        "Model changes without migrations",
        "The autodetector finds model changes that no migration records.",
        "The schema in production will not match the code.",
        "Run `python manage.py makemigrations` and commit the result",
        "database",
    ),
    Code(
        "preflight.E304",
        "Migration history is inconsistent",
        "An applied migration depends on one that is not applied.",
        "`migrate` fails with InconsistentMigrationHistory.",
        "Repair the django_migrations table or the migration dependencies",
        "database",
    ),
    Code(
        "preflight.W301",
        "Unapplied migrations",
        "Migrations exist that are not applied to the alias named.",
        "Code that expects the new schema fails until `migrate` runs.",
        "Run `python manage.py migrate` as part of the deploy",
        "database",
    ),
    Code(
        "preflight.E305",
        "Migrations cannot be loaded",
        "Building the migration graph raised: a migration file fails to import, or depends on "
        "a migration that does not exist.",
        "`migrate` fails before it applies anything.",
        "Fix the migration named in the message",
        "database",
    ),
    # --- static ---------------------------------------------------------------------------
    Code(
        "preflight.E401",
        "STATIC_ROOT not set",
        "DEBUG is False and STATIC_ROOT is not set.",
        "collectstatic has nowhere to write; static files are not served.",
        "Set STATIC_ROOT and run `python manage.py collectstatic`",
        "static",
    ),
    Code(
        "preflight.E402",
        "Static files not collected",
        "DEBUG is False and STATIC_ROOT does not exist, cannot be read, or holds no files "
        "(links to nothing and folders that cannot be read are not counted).",
        "Pages render without CSS and JavaScript.",
        "Run `python manage.py collectstatic --noinput`",
        "static",
    ),
    Code(
        "preflight.E403",
        "Static files manifest missing",
        "A manifest storage (ManifestStaticFilesStorage or subclass) is used and "
        "staticfiles.json is not in STATIC_ROOT.",
        "Every page that uses {% static %} raises a 500.",
        "Run `python manage.py collectstatic --noinput`",
        "static",
    ),
    Code(
        "preflight.E404",
        "Static files storage cannot be loaded",
        "DEBUG is False and the backend of STORAGES['staticfiles'] (or STATICFILES_STORAGE) "
        "cannot be imported.",
        "collectstatic and every {% static %} tag fail.",
        "Fix the storage backend path or install its package",
        "static",
    ),
    Code(
        "preflight.W401",
        "STATICFILES_STORAGE is set but Django ignores it",
        "DEBUG is False, Django is 5.1 or later (which removed the setting), and the settings "
        "still set STATICFILES_STORAGE. (Django 4.2 to 5.0 still read it, and refuse to start "
        "when STORAGES is set as well.)",
        "The storage it names is not used: no manifest or compression is built, and the files "
        "are served as Django's default storage (or STORAGES) says.",
        "Move it to STORAGES['staticfiles']['BACKEND'] and delete STATICFILES_STORAGE",
        "static",
    ),
    # --- celery ---------------------------------------------------------------------------
    Code(
        "preflight.E501",
        "Celery broker cannot be reached",
        "Celery is enabled and the broker does not accept a connection within the timeout, "
        "or refuses what a worker ping needs (a Redis ACL without pub/sub).",
        "Background tasks are not queued.",
        "Check the broker server and CELERY_BROKER_URL",
        "celery",
    ),
    Code(
        "preflight.E502",
        "No Celery worker answers",
        "Celery is enabled, the broker is reachable, and no worker answers a ping within the "
        "timeout.",
        "Queued tasks are never run.",
        "Start the Celery workers (celery -A <app> worker)",
        "celery",
    ),
    Code(
        "preflight.E503",
        "Celery app cannot be loaded",
        "Celery is enabled and PREFLIGHT['CELERY_APP'] (or the app found automatically) "
        "cannot be imported.",
        "Workers and the web process may not share one configuration.",
        "Set PREFLIGHT['CELERY_APP'] to 'pkg.module:app'",
        "celery",
    ),
    Code(
        "preflight.W501",
        "Queue not consumed by any worker",
        "A queue that the Celery app routes tasks to has no worker consuming it.",
        "Tasks sent to that queue wait forever.",
        "Start a worker with -Q naming the queue",
        "celery",
    ),
    Code(
        "preflight.W502",
        "TLS broker without certificate verification",
        "The broker URL uses rediss:// and no ssl_cert_reqs is set.",
        "The connection is encrypted but the server is not authenticated.",
        "Add ssl_cert_reqs=required to the broker URL or broker_use_ssl",
        "celery",
    ),
    # --- metrics --------------------------------------------------------------------------
    Code(
        "preflight.E601",
        "Metrics registry does not render valid exposition text",
        "prometheus_client.generate_latest() raises, or its output does not parse back.",
        "Prometheus scrapes fail; every metric is lost.",
        "Fix the collector named in the message",
        "metrics",
    ),
    Code(
        "preflight.W601",
        "Metrics URL does not resolve",
        "django_prometheus is installed but the URL named 'prometheus-django-metrics' "
        "does not resolve.",
        "Prometheus has nothing to scrape.",
        "Add path('', include('django_prometheus.urls')) to the root URLconf",
        "metrics",
    ),
    # --- security -------------------------------------------------------------------------
    Code(
        "preflight.E701",
        "DEBUG is enabled",
        "DEBUG is True.",
        "Tracebacks with settings and PHI are shown to anyone who triggers an error.",
        "Set DEBUG = False for production",
        "security",
    ),
    Code(
        "preflight.E702",
        "SECRET_KEY is weak or a default",
        "SECRET_KEY is shorter than 50 characters, has fewer than 5 distinct characters, "
        "starts with 'django-insecure-', or is a well-known placeholder.",
        "Sessions, password-reset tokens and signed data can be forged.",
        "Generate a new key (django.core.management.utils.get_random_secret_key)",
        "security",
    ),
    Code(
        "preflight.E703",
        "SECRET_KEY differs between processes",
        "DEBUG is False and importing the settings module again, in a new process of the "
        "same environment, gives another SECRET_KEY (compared by SHA-256 digest; the key is "
        "never shown): it is generated at random per process, typically "
        "`os.environ.get(...) or get_random_secret_key()` with the variable missing. When "
        "the new process fails or takes too long, nothing is judged and a note says why.",
        "Each worker signs sessions, password-reset links and CSRF tokens with its own key: "
        "users are logged out at random, links fail, and every restart invalidates them all.",
        "Set the variable the settings read SECRET_KEY from (the same value for every process)",
        "security",
    ),
)
