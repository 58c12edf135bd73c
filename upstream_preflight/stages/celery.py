"""`celery`: the broker answers, workers answer a ping, and every configured queue has a
consumer. All network work is bounded (probes/celery.py).

Whether Celery is enabled, its broker and its app come from celery_settings.py and
discovery.py (PREFLIGHT['CELERY_APP'], the CELERY_APP variable, else where `celery -A` and the
common layouts put it). The queues are the app's; Celery's default queue `celery` when no app
is found.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from upstream_preflight import catalogue
from upstream_preflight.celery_settings import CeleryConfig
from upstream_preflight.discovery import AppLoadError
from upstream_preflight.findings import Finding
from upstream_preflight.probes.celery import probe_celery
from upstream_preflight.redaction import redact_url
from upstream_preflight.stages.base import RunContext, StageOutput

DEFAULT_QUEUE = "celery"
UNVERIFIED = {"none", "cert_none", "optional", "cert_optional"}


def run(ctx: RunContext) -> StageOutput:
    celery = CeleryConfig(ctx.options)
    if not celery.enabled:
        return StageOutput(skip_reason=f"Celery is disabled: {celery.reason}")
    broker_url = celery.broker_url
    if not broker_url:
        return StageOutput(skip_reason="No broker URL configured (see monitoring.E007)")

    findings: list[Finding] = []
    notes = [f"Broker: {redact_url(broker_url)}"]
    found = celery.lookup
    if isinstance(found, AppLoadError):
        findings.append(catalogue.finding("preflight.E503", str(found), obj=ctx.options.celery_app))
    elif found.path:
        notes.append(f"Celery app: {found.path}")
    else:
        notes.append("Celery app: none found; checking Celery's default queue 'celery'")
    app = celery.app
    queues = configured_queues(app) if app is not None else {DEFAULT_QUEUE}

    tls_problem = unverified_tls(broker_url, app)
    if tls_problem:
        findings.append(catalogue.finding("preflight.W502", tls_problem, obj="CELERY_BROKER_URL"))

    # The probe builds its own app on the broker URL: the target app may publish elsewhere.
    ssl_options = broker_ssl_options(app)
    result = probe_celery(
        broker_url, ctx.options.timeout, with_queues=True, broker_use_ssl=ssl_options
    )
    if not result.broker_reachable:
        detail = f"{result.detail} ({redact_url(broker_url)})"
        findings.append(catalogue.finding("preflight.E501", detail, obj="CELERY_BROKER_URL"))
        return StageOutput(findings, notes)
    notes.append(f"Broker reachable in {result.elapsed_ms} ms")
    if not result.workers:
        window = min(1.0, ctx.options.timeout)
        findings.append(catalogue.finding("preflight.E502", f"no reply within {window:g} s"))
        return StageOutput(findings, notes)
    notes.append(f"{len(result.workers)} worker(s) answering: {', '.join(result.workers)}")

    consumed = {name for names in result.queues.values() for name in names}
    if not result.queues:
        notes.append("Workers did not report their queues: queue coverage not checked")
    else:
        for queue in sorted(queues - consumed):
            findings.append(catalogue.finding("preflight.W501", f"queue '{queue}'", obj=queue))
        notes.append(f"Queues configured: {', '.join(sorted(queues))}")
    return StageOutput(findings, notes)


def configured_queues(app: Any) -> set[str]:
    """Queues the app sends tasks to: the default queue, declared queues, routed queues."""
    conf = app.conf
    queues = {str(conf.task_default_queue or DEFAULT_QUEUE)}
    for queue in conf.task_queues or ():
        name = getattr(queue, "name", queue)
        if isinstance(name, str) and name:
            queues.add(name)
    routes = conf.task_routes
    for table in routes if isinstance(routes, list | tuple) else [routes]:
        if isinstance(table, dict):
            queues.update(_route_queues(table))
    return queues


def _route_queues(table: dict[Any, Any]) -> set[str]:
    found = set()
    for route in table.values():
        queue = route.get("queue") if isinstance(route, dict) else route
        name = getattr(queue, "name", queue)
        if isinstance(name, str) and name:
            found.add(name)
    return found


def broker_ssl_options(app: Any) -> Any:
    """`broker_use_ssl` of the app, else the CELERY_BROKER_USE_SSL setting (which the app
    reads when it is configured from Django settings)."""
    from django.conf import settings

    configured = getattr(app.conf, "broker_use_ssl", None) if app is not None else None
    return configured or getattr(settings, "CELERY_BROKER_USE_SSL", None)


def unverified_tls(broker_url: str, app: Any) -> str | None:
    """Why a TLS broker connection would not verify the server's certificate, if it would
    not."""
    ssl_conf = broker_ssl_options(app)
    for url in filter(None, (u.strip() for u in broker_url.split(";"))):
        try:
            parts = urlsplit(url)
        except ValueError:  # malformed (`redis://[::1`): the probe reports it as E501
            continue
        if parts.scheme != "rediss":
            continue
        requested = parse_qs(parts.query).get("ssl_cert_reqs", [None])[0]
        if requested is None and isinstance(ssl_conf, dict):
            requested = ssl_conf.get("ssl_cert_reqs", ssl_conf.get("cert_reqs"))
        if requested is None:
            return "rediss:// broker URL without ssl_cert_reqs"
        if str(getattr(requested, "name", requested)).lower() in UNVERIFIED:
            return f"rediss:// broker URL with ssl_cert_reqs={requested}"
    return None
