"""Celery apps whose configured queues the `celery` stage compares with the workers' queues."""

from celery import Celery
from kombu import Queue

# Sends to `default` (consumed by the session worker) and routes reports to `reports` (not).
routed = Celery("preflight_routed", set_as_current=False)
routed.conf.update(
    task_default_queue="default",
    task_routes={"reports.*": {"queue": "reports"}, "mail.send": "celery"},
)

# Declares only queues the session worker consumes.
covered = Celery("preflight_covered", set_as_current=False)
covered.conf.update(task_default_queue="default", task_queues=[Queue("default"), Queue("celery")])

not_an_app = "just a string"
