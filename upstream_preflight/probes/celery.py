"""Celery broker and worker probes, bounded by the recipe measured in shared/PROBES.md.

Workers answer a broadcast ping whatever app they run, so a private app built from the broker
URL is enough: the target's own Celery app is neither imported nor configured here.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from upstream_preflight.probes import (
    BACKSTOP_GRACE_SECONDS,
    ProbeTimeout,
    elapsed_ms,
    import_quietly,
    run_bounded,
)
from upstream_preflight.probes.cache import SERVER_LOADING, certificate_problem

CELERY_CLIENT_MODULES = ("celery", "celery.app.control")
REDIS_TRANSPORT_SCHEMES = frozenset({"redis", "rediss", "sentinel"})

# How long a broadcast waits for replies once the broker is connected.
MAX_REPLY_WINDOW_SECONDS = 1.0


@dataclass(frozen=True)
class CeleryProbeResult:
    broker_reachable: bool
    workers: list[str] = field(default_factory=list)
    queues: dict[str, list[str]] = field(default_factory=dict)
    """Worker name -> names of the queues it consumes (only when asked for)."""
    detail: str = ""
    elapsed_ms: int = 0
    """Connection time: how long the broker took to accept the connection (the window spent
    waiting for ping replies is not included); when the broker is unreachable, how long the
    probe tried."""


def client_modules(broker_url: str) -> list[str]:
    """What a probe of `broker_url` imports: Celery, its control API and the transport."""
    scheme = broker_url.partition(":")[0].lower()
    transport = ["kombu.transport.redis"] if scheme in REDIS_TRANSPORT_SCHEMES else []
    return [*CELERY_CLIENT_MODULES, *transport]


def probe_celery(
    broker_url: str,
    timeout: float,
    *,
    first_reply_is_enough: bool = False,
    with_queues: bool = False,
    app: Any = None,
    broker_use_ssl: Any = None,
) -> CeleryProbeResult:
    """Connect to the broker and ping the workers, all within about `timeout` seconds.

    `first_reply_is_enough` returns as soon as one worker answers (for health status);
    otherwise every worker gets the whole reply window so they can be counted.

    `app` must use `broker_url` as its broker: control broadcasts are published through the
    app's own producer pool. Without one, a private app is built, with the target's
    `broker_use_ssl` when given (certificates for a rediss:// broker)."""
    import_quietly(*client_modules(broker_url))
    started = time.monotonic()
    # With limit=1 the broadcast returns at the first reply, so a long window costs a healthy
    # run nothing and spares a loaded machine a false "no workers".
    reply_window = timeout if first_reply_is_enough else min(MAX_REPLY_WINDOW_SECONDS, timeout)
    try:
        return run_bounded(
            lambda: _probe(
                broker_url,
                timeout,
                reply_window,
                first_reply_is_enough,
                with_queues,
                app,
                broker_use_ssl,
            ),
            timeout + reply_window * (2 if with_queues else 1) + BACKSTOP_GRACE_SECONDS,
            "celery",
        )
    except ProbeTimeout:
        return CeleryProbeResult(
            False,
            detail=f"broker did not answer within {timeout:g} s",
            elapsed_ms=elapsed_ms(started),
        )
    except Exception as exc:
        return CeleryProbeResult(
            False, detail=_reason(exc, timeout, broker_url), elapsed_ms=elapsed_ms(started)
        )


def _probe(
    broker_url: str,
    timeout: float,
    reply_window: float,
    first_reply_is_enough: bool,
    with_queues: bool,
    app: Any,
    broker_use_ssl: Any = None,
) -> CeleryProbeResult:
    from celery import Celery

    own_app = app is None
    if own_app:
        app = Celery("upstream_preflight_probe", broker=broker_url, set_as_current=False)
        if broker_use_ssl:
            app.conf.broker_use_ssl = broker_use_ssl
    conn = app.connection_for_write(
        url=broker_url,
        connect_timeout=timeout,
        transport_options={
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "max_retries": 0,
        },
    )
    try:
        connecting = time.monotonic()
        conn.ensure_connection(max_retries=0)
        connect_ms = elapsed_ms(connecting)
        inspect = app.control.inspect(
            timeout=reply_window, connection=conn, limit=1 if first_reply_is_enough else None
        )
        replies = inspect.ping() or {}
        queues: dict[str, list[str]] = {}
        if with_queues and replies:
            active = (
                app.control.inspect(
                    timeout=reply_window, connection=conn, limit=len(replies)
                ).active_queues()
                or {}
            )
            queues = {
                worker: sorted(q.get("name", "") for q in qs) for worker, qs in active.items()
            }
        return CeleryProbeResult(True, sorted(replies), queues, elapsed_ms=connect_ms)
    finally:
        conn.release()
        if own_app:
            app.close()


# The Celery extra that installs each transport's client (`pip install 'celery[EXTRA]'`).
_TRANSPORT_EXTRAS = {
    "redis": "redis", "rediss": "redis", "sentinel": "redis", "sqs": "sqs",
    "mongodb": "mongodb", "zookeeper": "zookeeper", "consul": "consul",
    "azureservicebus": "azureservicebus", "azurestoragequeues": "azureblockblob",
    "gcpubsub": "gcpubsub", "librabbitmq": "librabbitmq", "couchdb": "couchdb",
    "pyro": "pyro", "slmq": "slmq", "sqla": "sqlalchemy", "sqlalchemy": "sqlalchemy",
}  # fmt: skip
_MISSING_CLIENT = ("no module named", "is not installed", "requires the pycurl")


def _reason(exc: Exception, timeout: float, broker_url: str = "") -> str:
    text = str(exc).lower()
    if isinstance(exc, ImportError) or any(words in text for words in _MISSING_CLIENT):
        return f"the broker's transport is not installed ({_install_hint(broker_url)})"
    if "refused" in text:
        return "broker refused the connection"
    if "timed out" in text or "timeout" in text:
        return f"broker did not answer within {timeout:g} s"
    permission = permission_refused(text)
    if permission:
        return permission
    certificate = certificate_problem(str(exc))
    if certificate:
        return f"broker: {certificate}"
    if "loading" in text and "dataset" in text:
        return f"broker: {SERVER_LOADING}"
    if "auth" in text or "password" in text or "noauth" in text:
        return "broker rejected the credentials"
    return f"broker connection failed ({type(exc).__name__})"


def _install_hint(broker_url: str) -> str:
    scheme = broker_url.partition("://")[0].lower().partition("+")[0]
    extra = _TRANSPORT_EXTRAS.get(scheme)
    if extra is None:
        return f"install the client library of the {scheme or 'configured'} transport"
    return f"pip install 'celery[{extra}]'"


# Redis ACL categories of the commands kombu's Redis transport sends (`ACL CAT <category>`).
_ACL_CATEGORIES = {
    **dict.fromkeys(
        ("publish", "subscribe", "psubscribe", "unsubscribe", "punsubscribe"), "@pubsub"
    ),
    **dict.fromkeys(("lpush", "rpush", "brpop", "lpop", "rpop", "llen", "lrange"), "@list"),
    **dict.fromkeys(("sadd", "srem", "smembers", "scard"), "@set"),
    **dict.fromkeys(("zadd", "zrem", "zrangebyscore", "zrevrangebyscore"), "@sortedset"),
    **dict.fromkeys(("eval", "evalsha", "script"), "@scripting"),
}
_COMMAND = re.compile(r"run the '([^']+)' command")


def permission_refused(text: str) -> str | None:
    """What a Redis ACL refused (NOPERM), in the operator's terms; None for anything else."""
    if "no permissions" not in text and "noperm" not in text:
        return None
    if "channel" in text:
        return (
            "broker refused a permission: its Redis ACL user may not use pub/sub channels, "
            "which Celery's broadcasts (the worker ping) need (grant channels: `&*`)"
        )
    command = _COMMAND.search(text)
    if command:
        name = command.group(1).split("|")[0]
        category = _ACL_CATEGORIES.get(name, "that holds it")
        return (
            f"broker refused a permission: its Redis ACL user may not run the '{name}' "
            f"command (ACL category {category})"
        )
    if "key" in text:
        return (
            "broker refused a permission: its Redis ACL user may not access the keys Celery "
            "uses (grant key patterns: `~*`)"
        )
    return "broker refused a permission (Redis ACL)"
