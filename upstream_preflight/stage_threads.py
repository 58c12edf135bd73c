"""Stages in threads of their own: start, collect with a deadline, clean up.

A stage thread is a daemon: one that outlives the runner's backstop is abandoned, reported as
preflight.E003, and cannot keep the process alive. Django opens database connections per
thread, so each stage thread closes its own before it ends.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from upstream_preflight import catalogue
from upstream_preflight.bootstrap import Target
from upstream_preflight.findings import StageResult, StageStatus
from upstream_preflight.probes import import_quietly
from upstream_preflight.stages.base import RunContext, Stage, StageOutput
from upstream_preflight.waiting import join_within

logger = logging.getLogger("upstream_preflight")

Execute = Callable[[Stage, RunContext, Target], tuple[StageResult, StageOutput]]


class StageThread:
    """One stage running in a daemon thread of its own, collected with a deadline."""

    def __init__(self, stage: Stage, ctx: RunContext, target: Target, execute: Execute) -> None:
        self.stage = stage
        self._started = time.perf_counter()
        self._outcome: tuple[StageResult, StageOutput] | None = None
        self._raised: BaseException | None = None
        self._thread = threading.Thread(
            target=self._work,
            args=(execute, ctx, target),
            name=f"preflight-{stage.id}",
            daemon=True,
        )
        self._thread.start()

    def _work(self, execute: Execute, ctx: RunContext, target: Target) -> None:
        try:
            self._outcome = execute(self.stage, ctx, target)
        except BaseException as exc:  # Ctrl-C raised inside a stage: the caller's to handle
            self._raised = exc
        finally:
            close_thread_connections()

    def result(self, deadline: float) -> tuple[StageResult, StageOutput]:
        """The stage's result, its KeyboardInterrupt re-raised, or preflight.E003 once
        `deadline` (time.monotonic) has passed."""
        join_within(self._thread, deadline - time.monotonic())
        if self._thread.is_alive():
            waited = time.perf_counter() - self._started
            logger.debug("stage %s abandoned after %.1f s", self.stage.id, waited)
            detail = f"stage '{self.stage.id}' did not finish within {waited:.0f} s (abandoned)"
            finding = catalogue.finding("preflight.E003", detail, obj=self.stage.id)
            result = StageResult(
                self.stage.id,
                self.stage.title,
                StageStatus.FAILED,
                round(waited * 1000),
                [finding],
            )
            return result, StageOutput(findings=[finding])
        if self._raised is not None:
            raise self._raised
        assert self._outcome is not None
        return self._outcome


def close_thread_connections() -> None:
    """Django opens database connections per thread; close those this thread opened."""
    if "django.db" not in sys.modules:
        return
    try:
        from django.db import connections

        connections.close_all()
    except Exception:
        logger.debug("closing a stage thread's database connections failed", exc_info=True)


def warm_imports(ctx: RunContext) -> None:
    """Import, in the calling thread and before the stage threads start, what several stages
    import and what the probes need.

    Two threads importing one package through different modules can deadlock or see it
    half-initialised (measured: the example's Celery app loaded in one stage while its Celery
    monitoring module loaded in another failed 2 runs in 8). And a probe's window should
    measure the server, not the import of its client library while other stages compete for
    the interpreter. A module that fails here is imported again, and reported, by its stage.
    """
    from django.conf import settings

    from upstream_preflight import discovery
    from upstream_preflight.celery_settings import CeleryConfig

    wanted = ctx.selected
    names: list[str] = []
    if wanted & {"django", "metrics"}:
        names.append(str(getattr(settings, "ROOT_URLCONF", "") or ""))
    if wanted & {"monitoring", "metrics"}:
        names.append(discovery.metrics_module(ctx.options.metrics_module).name or "")
    if "monitoring" in wanted:
        from upstream_preflight.probes.cache import cache_client_modules

        names += cache_client_modules()
    if "database" in wanted:
        names += _database_backend_modules(settings)
    celery = CeleryConfig(ctx.options)
    with_celery = bool(wanted & {"monitoring", "celery"}) and celery.enabled
    if with_celery:
        from upstream_preflight.probes.celery import client_modules

        monitoring_module = discovery.celery_monitoring_module(ctx.options.celery_monitoring_module)
        names += [*client_modules(celery.broker_url), monitoring_module.name or ""]
    import_quietly(*(name for name in names if name))


def _database_backend_modules(settings: Any) -> list[str]:
    databases = getattr(settings, "DATABASES", None) or {}
    if not isinstance(databases, dict):
        return []
    engines = {str(c.get("ENGINE") or "") for c in databases.values() if isinstance(c, dict)}
    return [f"{engine}.base" for engine in sorted(engines) if engine]
