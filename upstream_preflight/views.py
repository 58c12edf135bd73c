"""`GET /api/monitoring/status/`: the seed's status document for load balancers and dashboards.

Thin: evaluation lives in `monitoring.status`, caching in `monitoring.cache`. Anonymous callers
get the status and generic messages; a caller presenting PREFLIGHT['STATUS_TOKEN'] (compared in
constant time) also gets latencies and backends.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from upstream_preflight.monitoring.cache import SharedRefreshCache
from upstream_preflight.monitoring.status import (
    COMPONENT_ORDER,
    UNHEALTHY,
    MonitoringOutcome,
    evaluate,
)
from upstream_preflight.options import options_or_defaults

logger = logging.getLogger("upstream_preflight")


def _evaluate() -> MonitoringOutcome:
    options, _problem = options_or_defaults()
    return evaluate(options)


status_cache: SharedRefreshCache[MonitoringOutcome] = SharedRefreshCache(_evaluate)

UNAVAILABLE_DOCUMENT = {
    "overall_status": UNHEALTHY,
    **{name: False for name in COMPONENT_ORDER},
    "components": {
        name: {"healthy": False, "message": "Status could not be computed"}
        for name in COMPONENT_ORDER
    },
}


def _has_token(request: HttpRequest, token: str | None) -> bool:
    if not token:
        return False
    offered = request.headers.get("X-Preflight-Token", "")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        offered = auth[len("Bearer ") :]
    return hmac.compare_digest(offered.encode(), token.encode())


@require_http_methods(["GET", "HEAD"])
def monitoring_status(request: HttpRequest) -> HttpResponse:
    options, _problem = options_or_defaults()
    try:
        outcome = status_cache.get(options.status_cache_seconds, wait_limit=options.timeout * 3 + 2)
    except Exception:
        logger.exception("monitoring status could not be computed")
        outcome = None
    if outcome is None:
        document, status = UNAVAILABLE_DOCUMENT, 503
    else:
        document = outcome.status_document(with_details=_has_token(request, options.status_token))
        status = 503 if outcome.overall_status == UNHEALTHY else 200
    body = b"" if request.method == "HEAD" else json.dumps(document).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response
