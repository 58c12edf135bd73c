"""The default cache's round trip: one key of our own, short expiry, deleted afterwards.

A Redis cache is probed with a private redis-py client built from the alias's settings,
timeouts forced on and retries off, so neither Django's nor django-redis's pools (the latter
are process-global) are touched. Any other cache backend is probed through Django itself.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from upstream_preflight.probes import (
    BACKSTOP_GRACE_SECONDS,
    ProbeTimeout,
    elapsed_ms,
    import_quietly,
    run_bounded,
)
from upstream_preflight.redaction import redact_url

REDIS_CLIENT_MODULES = ("redis", "redis.backoff", "redis.retry")
REDIS_BACKENDS = frozenset(
    {"django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache"}
)
PROBE_KEY_PREFIX = "upstream_preflight:probe:"
PROBE_KEY_TTL_SECONDS = 30

SERVER_LOADING = (
    "the server is loading its dataset into memory (LOADING): it answers commands once the "
    "load has finished"
)
_CERTIFICATE_FAILED = re.compile(r"certificate verify failed:?([^(\n]*)", re.IGNORECASE)

# Django RedisCache OPTIONS that configure the cache client, not the redis-py connection.
_DJANGO_CLIENT_OPTIONS = frozenset({"pool_class", "parser_class", "serializer"})


class CacheUnreachable(Exception):
    """The server could not be reached: refused, unresolvable or silent (E010)."""


class CacheBroken(Exception):
    """The server answered but the round trip failed (E009)."""


@dataclass(frozen=True)
class CacheProbeResult:
    backend: str
    is_redis: bool
    location: str
    """Redacted: safe to show to an operator, not meant for anonymous callers."""
    ok: bool
    unreachable: bool = False
    detail: str = ""
    elapsed_ms: int = 0


def default_cache_config() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.CACHES.get("default") or {})


def is_redis_backend(config: dict[str, Any]) -> bool:
    return config.get("BACKEND") in REDIS_BACKENDS


def cache_client_modules() -> tuple[str, ...]:
    """What a probe of the default cache imports: the Redis client, or nothing."""
    try:
        config = default_cache_config()
    except Exception:  # a malformed CACHES is the probe's to report
        return ()
    return REDIS_CLIENT_MODULES if is_redis_backend(config) else ()


def probe_default_cache(timeout: float) -> CacheProbeResult:
    config = default_cache_config()
    backend = str(config.get("BACKEND", ""))
    is_redis = is_redis_backend(config)
    import_quietly(*(REDIS_CLIENT_MODULES if is_redis else ()))
    started = time.monotonic()
    location = redact_url(", ".join(_servers(config))) if is_redis else ""
    try:
        if is_redis:
            run_bounded(
                lambda: _redis_round_trip(config, timeout),
                timeout + BACKSTOP_GRACE_SECONDS,
                "redis",
            )
        else:
            run_bounded(_django_cache_round_trip, timeout + BACKSTOP_GRACE_SECONDS, "cache")
    except (CacheUnreachable, ProbeTimeout) as exc:
        return CacheProbeResult(
            backend, is_redis, location, False, True, str(exc), elapsed_ms(started)
        )
    except CacheBroken as exc:
        return CacheProbeResult(
            backend, is_redis, location, False, False, str(exc), elapsed_ms(started)
        )
    except Exception as exc:  # a backend we do not know failed in a way we do not know
        detail = f"round trip failed ({type(exc).__name__})"
        return CacheProbeResult(
            backend, is_redis, location, False, False, detail, elapsed_ms(started)
        )
    return CacheProbeResult(backend, is_redis, location, True, elapsed_ms=elapsed_ms(started))


def _servers(config: dict[str, Any]) -> list[str]:
    location = config.get("LOCATION") or ""
    if isinstance(location, str):
        return [part.strip() for part in location.replace(";", ",").split(",") if part.strip()]
    if isinstance(location, list | tuple):
        return [str(part) for part in location]
    return [str(location)]  # nonsense such as a number: the round trip reports it as E009


def _redis_client_kwargs(config: dict[str, Any], timeout: float) -> dict[str, Any]:
    options = dict(config.get("OPTIONS") or {})
    kwargs: dict[str, Any] = {}
    if config.get("BACKEND") == "django_redis.cache.RedisCache":
        kwargs.update(options.get("CONNECTION_POOL_KWARGS") or {})
        for option, kwarg in (("PASSWORD", "password"), ("USERNAME", "username")):
            if options.get(option):
                kwargs[kwarg] = options[option]
    else:
        kwargs.update({k: v for k, v in options.items() if k not in _DJANGO_CLIENT_OPTIONS})
    # The probe sets its own timeouts and retries; the target's would collide with them.
    for forced in ("connection_class", "socket_connect_timeout", "socket_timeout", "retry"):
        kwargs.pop(forced, None)
    return kwargs


def _redis_round_trip(config: dict[str, Any], timeout: float) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    servers = _servers(config)
    if not servers:
        raise CacheBroken("CACHES['default']['LOCATION'] is empty")
    try:
        client = redis.Redis.from_url(
            servers[0],
            **_redis_client_kwargs(config, timeout),
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
    except (ValueError, TypeError) as exc:
        raise CacheBroken(
            f"the cache LOCATION is not a valid Redis URL ({type(exc).__name__})"
        ) from None
    key = f"{PROBE_KEY_PREFIX}{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        client.set(key, value, ex=PROBE_KEY_TTL_SECONDS)
        returned = client.get(key)
        client.delete(key)
    except redis.exceptions.AuthenticationError:
        raise CacheBroken("authentication failed") from None
    except redis.exceptions.BusyLoadingError:  # a ConnectionError, but the server answered
        raise CacheBroken(SERVER_LOADING) from None
    except redis.exceptions.TimeoutError:
        raise CacheUnreachable(f"no answer within {timeout:g} s") from None
    except redis.exceptions.ConnectionError as exc:
        unverified = certificate_problem(str(exc))
        if unverified:
            raise CacheBroken(unverified) from None
        raise CacheUnreachable(_connection_reason(exc)) from None
    except redis.exceptions.ResponseError as exc:
        raise CacheBroken(f"server error: {_first_words(str(exc))}") from None
    except redis.exceptions.RedisError as exc:
        raise CacheBroken(f"round trip failed ({type(exc).__name__})") from None
    finally:
        client.close()
        client.connection_pool.disconnect()
    if returned is None or returned.decode("utf-8", "replace") != value:
        raise CacheBroken("the value read back differs from the value written")


def certificate_problem(text: str) -> str | None:
    """ "the server's TLS certificate did not verify (<OpenSSL's reason>)" when `text` is a TLS
    verification failure (redis-py and kombu keep OpenSSL's words), else None."""
    match = _CERTIFICATE_FAILED.search(text)
    if match is None:
        return None
    reason = match.group(1).strip().rstrip(".")
    return f"the server's TLS certificate did not verify ({reason[:100] or 'no reason given'})"


def _connection_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename" in text or "resolve" in text:
        return "host name cannot be resolved"
    if "timed out" in text or "timeout" in text:
        return "connection timed out"
    return "connection failed"


def _first_words(text: str) -> str:
    """Redis error replies are short and fixed (no secrets); keep at most one line of one."""
    return text.splitlines()[0][:80] if text else "unknown"


def _django_cache_round_trip() -> None:
    from django.core.cache import caches

    cache = caches["default"]
    key = f"{PROBE_KEY_PREFIX}{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, PROBE_KEY_TTL_SECONDS)
    try:
        if cache.get(key) != value:
            raise CacheBroken("the value read back differs from the value written")
    finally:
        cache.delete(key)
