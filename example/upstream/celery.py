"""The example project's Celery app: `celery -A upstream.celery:app worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.settings.prod")

app = Celery("upstream")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="upstream.ping")
def ping() -> str:
    return "pong"
