"""`celery`: the broker answers, workers answer a ping, and every configured queue has a
consumer. All network work is bounded (probes/celery.py).

The queues the project sends to come from its Celery app: PREFLIGHT['CELERY_APP'], else
`<root package of the settings module>.celery:app` when that module exists, else Celery's
default queue `celery`.
"""

from __future__ import annotations

import importlib
import os
from typing import Any
from urllib.parse import parse_qs, urlsplit

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import celery_enabled
from upstream_preflight.options import text_setting
from upstream_preflight.probes.celery import probe_celery
from upstream_preflight.redaction import redact_url
from upstream_preflight.stages.base import RunContext, StageOutput

DEFAULT_QUEUE = "celery"
UNVERIFIED = {"none", "cert_none", "optional", "cert_optional"}


class AppLoadError(Exception):
    """The configured (or discovered) Celery app cannot be loaded; the message says why."""


def run(ctx: RunContext) -> StageOutput:
    if not celery_enabled():
        return StageOutput(skip_reason="Celery is disabled (CELERY_ENABLED is not true)")
    broker_url = text_setting("CELERY_BROKER_URL")
    if not broker_url:
        return StageOutput(skip_reason="No broker URL configured (see monitoring.E007)")

    findings: list[Finding] = []
    notes = [f"Broker: {redact_url(broker_url)}"]
    app = None
    try:
        app, app_path = load_app(ctx.options.celery_app, settings_module_of(ctx))
    except AppLoadError as exc:
        findings.append(catalogue.finding("preflight.E503", str(exc), obj=ctx.options.celery_app))
        app_path = None
    queues = configured_queues(app) if app is not None else {DEFAULT_QUEUE}
    notes.append(f"Celery app: {app_path}" if app_path else "Celery app: not found, queue 'celery'")

    tls_problem = unverified_tls(broker_url, app)
    if tls_problem:
        findings.append(catalogue.finding("preflight.W502", tls_problem, obj="CELERY_BROKER_URL"))

    # The probe builds its own app on the broker URL: the target app may publish elsewhere.
    ssl_options = getattr(app.conf, "broker_use_ssl", None) if app is not None else None
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


def settings_module_of(ctx: RunContext) -> str | None:
    from django.conf import settings

    return (
        ctx.settings_module
        or getattr(settings, "SETTINGS_MODULE", None)
        or os.environ.get("DJANGO_SETTINGS_MODULE")
    )


def load_app(configured: str | None, settings_module: str | None) -> tuple[Any, str | None]:
    """The target's Celery app and the path it was found at; (None, None) when no app is
    configured and none is found where projects usually put it."""
    if configured:
        return _import_app(configured), configured
    if not settings_module:
        return None, None
    module_name = f"{settings_module.split('.')[0]}.celery"
    try:
        importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None, None  # no such module: the project has no conventional Celery app
        raise AppLoadError(f"{module_name}: module {exc.name} not found") from exc
    except Exception as exc:
        raise AppLoadError(f"importing {module_name} raised {type(exc).__name__}") from exc
    path = f"{module_name}:app"
    return _import_app(path), path


def _import_app(path: str) -> Any:
    module_name, _, attr = path.partition(":")
    if not attr:
        module_name, _, attr = path.rpartition(".")
    if not module_name or not attr:
        raise AppLoadError(f"{path!r} is not of the form 'pkg.module:app'")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise AppLoadError(f"{path}: module {exc.name} not found") from exc
    except Exception as exc:
        raise AppLoadError(f"importing {module_name} raised {type(exc).__name__}") from exc
    app = getattr(module, attr, None)
    if app is None:
        raise AppLoadError(f"{module_name} has no attribute {attr!r}")
    from celery import Celery

    if not isinstance(app, Celery):
        raise AppLoadError(f"{path} is a {type(app).__name__}, not a Celery app")
    return app


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


def unverified_tls(broker_url: str, app: Any) -> str | None:
    """Why a TLS broker connection would not verify the server's certificate, if it would
    not."""
    ssl_conf = getattr(app.conf, "broker_use_ssl", None) if app is not None else None
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
