"""A small Django project that knows secrets under names no rule would guess, and an app
whose system check copies them (and control sequences) into its message and hint.

Used by tests/test_one_door.py: whatever the stages print, no format may show a secret or
carry a control sequence that a terminal or a CI runner would obey.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_support import SOURCE, clean_env
from tests.servers import LOOPBACK, PostgresServer, free_port

SECRET_KEY = "door-secret-key-" + "Zq8Lr2Vx6Nw0Tp4Ks9Hd3Fj7Bm1" * 2
MAIL_PASSWORD = "mail-pw-Qz7Xv2Lk9Rt"
SSL_PASSPHRASE = "ssl-phrase-Hq3Wn8Pe5Uy"
BROKER_PASSWORD = "broker-pw-Mf6Yc1Jd4Sa"
WEBHOOK_TOKEN = "Wb7xK2pQ9rT4vN6mZ3sL8dF1"
WEBHOOK_URL = f"https://hooks.chat.example/services/T0123ABC/B0456DEF/{WEBHOOK_TOKEN}"
# A line break followed by a workflow command, terminal escapes (OSC title, CSI, 8-bit CSI)
# and the runner's older command form.
HOSTILE = "banner\n::stop-commands::pwnd\n\x1b]0;owned\x07\x1b[2J\x9b31m ##[error]fake"

SETTINGS = """
import os
from urllib.parse import urlsplit

_db = urlsplit(os.environ["DOOR_DATABASE_URL"])
SECRET_KEY = os.environ["DOOR_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["upstream_preflight", "leaky"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _db.path.lstrip("/"),
        "USER": _db.username,
        "PASSWORD": _db.password,
        "HOST": _db.hostname,
        "PORT": str(_db.port),
    }
}
EMAIL_HOST_PASSWORD = os.environ["DOOR_MAIL_PASSWORD"]
CELERY_BROKER_URL = os.environ["DOOR_BROKER_URL"]
ROOT_URLCONF = "upstream_preflight.urls"
PREFLIGHT = {
    "REQUIRED_ENV": ["DB_PW", "SMTP_CREDS", "SSL_PASSPHRASE", "ALERT_WEBHOOK_URL", "BANNER"],
    "OPTIONAL_ENV": [],
    "TIMEOUT": 1,
}
"""

LEAKY_APP = '''
from django.apps import AppConfig
from django.core import checks


def leaky_check(app_configs, **kwargs):
    """A check of another app that copies what it knows into its message and hint."""
    import os

    from django.conf import settings

    return [
        checks.Warning(
            f"broker {settings.CELERY_BROKER_URL} signs with {settings.SECRET_KEY} "
            + os.environ["BANNER"],
            hint=f"mail password {settings.EMAIL_HOST_PASSWORD}, "
            f"database {settings.DATABASES['default']['PASSWORD']}, hook "
            + os.environ["ALERT_WEBHOOK_URL"],
            id="leaky.W001",
        )
    ]


class LeakyConfig(AppConfig):
    name = "leaky"

    def ready(self):
        checks.register(leaky_check)
        checks.register(leaky_check, deploy=True)
'''


def door_project(destination: Path) -> Path:
    project = destination / "doorproject"
    (project / "doorproj").mkdir(parents=True)
    (project / "doorproj" / "__init__.py").write_text("")
    (project / "doorproj" / "settings.py").write_text(SETTINGS)
    (project / "leaky").mkdir()
    (project / "leaky" / "__init__.py").write_text("")
    (project / "leaky" / "apps.py").write_text(LEAKY_APP)
    return project


def door_env(project: Path, postgres: PostgresServer, database_url: str, **values: str) -> dict:
    """The environment of a run: the live database password also under DB_PW, the mail
    password under SMTP_CREDS, a passphrase, a webhook with its token, a hostile banner."""
    env = clean_env(
        PYTHONPATH=f"{project}:{SOURCE}",
        DJANGO_SETTINGS_MODULE="doorproj.settings",
        DOOR_DATABASE_URL=database_url,
        DOOR_SECRET_KEY=SECRET_KEY,
        DOOR_MAIL_PASSWORD=MAIL_PASSWORD,
        DOOR_BROKER_URL=f"redis://:{BROKER_PASSWORD}@{LOOPBACK}:{free_port()}/0",
        DB_PW=postgres.password,
        SMTP_CREDS=MAIL_PASSWORD,
        SSL_PASSPHRASE=SSL_PASSPHRASE,
        ALERT_WEBHOOK_URL=WEBHOOK_URL,
        BANNER=HOSTILE,
    )
    env.update(values)
    return env
