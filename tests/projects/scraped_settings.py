"""The example's production settings as a Prometheus inside the cluster sees them: /metrics over
plain HTTP (SECURE_SSL_REDIRECT would send the scraper to https), and a 1 s status cache so a
test sees a change within seconds. The modules discovery would find under `upstream` are named,
since this module lives under `tests`."""

from upstream.settings.prod import *  # noqa: F403

SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
PREFLIGHT = {
    **PREFLIGHT,  # noqa: F405
    "METRICS_MODULE": "upstream.metrics",
    "CELERY_MONITORING_MODULE": "upstream.celery_monitoring",
    "CELERY_APP": "upstream.celery:app",
    "STATUS_CACHE_SECONDS": 1,
}
