"""A probe's window measures the server, not the import of its client library.

On a loaded machine, importing redis and celery inside the probes' windows made a healthy Redis
look unreachable (a false monitoring.E010). Each case runs in a fresh interpreter in which the
client library takes longer to import than the whole window, against a real server: the probe
must still succeed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.servers import CeleryWorker, RedisServer

SLOW_IMPORT = textwrap.dedent(
    """
    import importlib.abc, json, sys, time

    class SlowImport(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == SLOW_MODULE:
                time.sleep(SLOW_SECONDS)
            return None

    sys.meta_path.insert(0, SlowImport())
    """
)


def run_probe(slow_module: str, slow_seconds: float, body: str) -> dict:
    script = (
        f"SLOW_MODULE = {slow_module!r}\nSLOW_SECONDS = {slow_seconds!r}\n"
        + SLOW_IMPORT
        + textwrap.dedent(body)
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_probe_window_opens_after_the_client_is_imported(redis_server: RedisServer) -> None:
    answer = run_probe(
        "redis",
        1.5,
        f"""
        import django
        from django.conf import settings
        settings.configure(CACHES={{"default": {{
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": {redis_server.url(3)!r}}}}})
        django.setup()
        imported_before = "redis" in sys.modules
        from upstream_preflight.probes.cache import probe_default_cache
        result = probe_default_cache(0.3)  # window 0.3 s + 0.5 s grace, import 1.5 s
        print(json.dumps({{"before": imported_before, "ok": result.ok, "detail": result.detail}}))
        """,
    )
    assert answer == {"before": False, "ok": True, "detail": ""}


def test_celery_probe_window_opens_after_celery_is_imported(celery_worker: CeleryWorker) -> None:
    answer = run_probe(
        "celery",
        2.0,
        f"""
        imported_before = "celery" in sys.modules
        from upstream_preflight.probes.celery import probe_celery
        # window 0.5 s connect + 0.5 s replies + 0.5 s grace, import 2 s
        result = probe_celery({celery_worker.broker_url!r}, 0.5, first_reply_is_enough=True)
        print(json.dumps({{
            "before": imported_before,
            "reachable": result.broker_reachable,
            "workers": len(result.workers),
            "detail": result.detail,
        }}))
        """,
    )
    assert answer == {"before": False, "reachable": True, "workers": 1, "detail": ""}
