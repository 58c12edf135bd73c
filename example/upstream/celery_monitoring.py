"""Task execution metrics, hooked to Celery's signals."""

from celery.signals import task_failure, task_success
from prometheus_client import Counter

tasks_finished = Counter("upstream_celery_tasks", "Celery tasks finished", ["task", "state"])


@task_success.connect
def _count_success(sender=None, **kwargs):
    tasks_finished.labels(task=getattr(sender, "name", "unknown"), state="success").inc()


@task_failure.connect
def _count_failure(sender=None, **kwargs):
    tasks_finished.labels(task=getattr(sender, "name", "unknown"), state="failure").inc()
