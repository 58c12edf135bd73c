"""Bounded-time probes of backing services.

Every probe runs in a daemon thread joined with a deadline: a library that ignores its own
timeout can keep its thread, but never the caller (a ThreadPoolExecutor would make the
process wait for the stuck thread at exit).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from upstream_preflight.waiting import join_within

T = TypeVar("T")

# Time allowed beyond a probe's own timeout before the backstop gives up on it.
BACKSTOP_GRACE_SECONDS = 0.5


def elapsed_ms(started: float) -> int:
    """Milliseconds since `started`, a `time.monotonic()` reading."""
    return int((time.monotonic() - started) * 1000)


def import_quietly(*names: str) -> None:
    """Import client libraries before a probe's window opens, so that the window measures the
    server and not the import (on a loaded machine, importing celery and redis at once in two
    probe threads took longer than a 2 s window). A module that fails to import is left for
    the probe to import again and report."""
    for name in names:
        try:
            importlib.import_module(name)
        except (Exception, SystemExit):
            logging.getLogger("upstream_preflight").debug(
                "importing %s failed", name, exc_info=True
            )


class ProbeTimeout(TimeoutError):
    """The probe did not finish before its deadline."""


@dataclass
class _Outcome(Generic[T]):
    value: T | None = None
    error: BaseException | None = None


def run_bounded(fn: Callable[[], T], timeout: float, name: str = "probe") -> T:
    """Run `fn` in a daemon thread; return its value, re-raise its exception, or raise
    ProbeTimeout once `timeout` seconds have passed."""
    outcome: _Outcome[T] = _Outcome()

    def target() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:  # handed to the caller's thread
            outcome.error = exc

    thread = threading.Thread(target=target, name=f"preflight-{name}", daemon=True)
    thread.start()
    join_within(thread, timeout)
    if thread.is_alive():
        raise ProbeTimeout(f"{name} did not answer within {timeout:g} s")
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]
