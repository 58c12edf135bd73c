"""`GET /api/monitoring/status/`: the seed's status document for load balancers and dashboards.

Thin: evaluation lives in `monitoring.status`, caching in `monitoring.cache` (refreshed in a
background thread, so only a process's very first request waits for probes). Anonymous callers
get the status and generic messages; a caller presenting PREFLIGHT['STATUS_TOKEN'] (compared in
constant time) also gets latencies and backends. Every document leaves through the door
(redaction/door.py), whose secrets are collected once per outcome.
`GET /api/monitoring/live/` answers liveness without touching any backend.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from upstream_preflight.monitoring import status_page
from upstream_preflight.monitoring.cache import SharedRefreshCache
from upstream_preflight.monitoring.status import (
    COMPONENT_ORDER,
    UNHEALTHY,
    MonitoringOutcome,
    evaluate,
)
from upstream_preflight.options import options_or_defaults
from upstream_preflight.redaction.door import Door

logger = logging.getLogger("upstream_preflight")


def _evaluate() -> MonitoringOutcome:
    options, _problem = options_or_defaults()
    return evaluate(options)


# While the view is polled (a request within this many seconds), the outcome is refreshed in
# the background before it goes stale, so a poller slower than STATUS_CACHE_SECONDS gets the
# state of at most about STATUS_CACHE_SECONDS ago, not of its own previous poll (a refresh with
# Celery enabled and no worker answering outlasts STALE_WAIT_SECONDS). Load balancers and
# readiness probes poll every 5 to 30 s.
KEEP_WARM_SECONDS = 60.0

status_cache: SharedRefreshCache[MonitoringOutcome] = SharedRefreshCache(
    _evaluate, keep_warm=KEEP_WARM_SECONDS
)

# How long the request that finds the outcome stale waits for the refresh it starts before
# answering with the stale outcome: a healthy refresh fits (so it is answered fresh), a hung
# backend does not hold a sync worker for the probe timeout.
STALE_WAIT_SECONDS = 0.1

UNAVAILABLE_DOCUMENT = {
    "overall_status": UNHEALTHY,
    **{name: False for name in COMPONENT_ORDER},
    "components": {
        name: {"healthy": False, "message": "Status could not be computed"}
        for name in COMPONENT_ORDER
    },
}


# The last anonymous rendering: outcomes are immutable and shared by every request until the
# next refresh, so serialising each one once keeps the view close to a constant answer.
_last_rendered: tuple[MonitoringOutcome, bytes, int] | None = None
_last_door: tuple[MonitoringOutcome, Door] | None = None


def _door(outcome: MonitoringOutcome) -> Door:
    global _last_door
    last = _last_door
    if last is not None and last[0] is outcome:
        return last[1]
    door = Door.collect()
    _last_door = (outcome, door)
    return door


def _rendered(outcome: MonitoringOutcome, with_details: bool) -> tuple[bytes, int]:
    global _last_rendered
    last = _last_rendered
    if not with_details and last is not None and last[0] is outcome:
        return last[1], last[2]
    document = _door(outcome).value(outcome.status_document(with_details=with_details))
    body = json.dumps(document).encode()
    status = 503 if outcome.overall_status == UNHEALTHY else 200
    if not with_details:
        _last_rendered = (outcome, body, status)
    return body, status


def _has_token(request: HttpRequest, token: str | None) -> bool:
    if not token:
        return False
    offered = request.headers.get("X-Preflight-Token", "")
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer":  # the scheme is case-insensitive (RFC 7235, section 2.1)
        offered = credentials.strip()
    return hmac.compare_digest(offered.encode(), token.encode())


# csrf_exempt: the view only reads, and without it CsrfViewMiddleware would answer a POST
# with 403 before require_http_methods can answer 405.
@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def monitoring_status(request: HttpRequest) -> HttpResponse:
    options, _problem = options_or_defaults()
    try:
        outcome = status_cache.get(
            options.status_cache_seconds,
            wait_limit=options.timeout * 3 + 2,
            stale_wait=min(STALE_WAIT_SECONDS, options.timeout),
        )
    except Exception:
        logger.exception("monitoring status could not be computed")
        outcome = None
    if status_page.wants_html(request.headers.get("Accept", "")):
        with_details = outcome is not None and _has_token(request, options.status_token)
        response = status_page.page_response(
            outcome, with_details, options.status_cache_seconds, UNAVAILABLE_DOCUMENT
        )
    else:
        if outcome is None:
            body, status = json.dumps(UNAVAILABLE_DOCUMENT).encode(), 503
        else:
            body, status = _rendered(outcome, _has_token(request, options.status_token))
        response = HttpResponse(body, status=status, content_type="application/json")
    if request.method == "HEAD":
        response.content = b""
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept"])
    # Django logs every 5xx answer at ERROR, and Sentry's logging integration makes each an
    # event: during an outage every load-balancer poll would add one (and the logging halved
    # the view's throughput in benchmarks/bench_status_view.py). This 503 is the answer, not
    # a server error; `log_response` skips responses marked as already logged.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


LIVE_BODY = json.dumps({"status": "alive"}).encode()


# Liveness, for Kubernetes' livenessProbe beside the status view as readinessProbe: it proves
# only that this process answers HTTP. It touches no backend, so a Redis or database outage
# takes pods out of the pool (status: 503) without getting every one of them restarted.
@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def monitoring_live(request: HttpRequest) -> HttpResponse:
    body = b"" if request.method == "HEAD" else LIVE_BODY
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response
