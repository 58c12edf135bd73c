"""The Celery app the test workers run: broker from PREFLIGHT_TEST_BROKER."""

import os

from celery import Celery

app = Celery("preflight_tests", broker=os.environ.get("PREFLIGHT_TEST_BROKER", "memory://"))
app.conf.update(worker_hijack_root_logger=False, broker_connection_retry_on_startup=True)


@app.task(name="tests.ping")
def ping() -> str:
    return "pong"
