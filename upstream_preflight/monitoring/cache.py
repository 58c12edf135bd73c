"""The status view's per-process memory of the last evaluation.

Within `max_age` every caller gets the stored outcome. After that, the first caller starts
one refresh in a background thread; every caller meanwhile gets the stale outcome, so a hung
backend never makes requests queue up behind probes (with sync WSGI workers, a request that
computed inline would hold its whole worker for up to the probe timeout). The caller that
starts a refresh may wait up to `stale_wait` seconds for it, so a quick refresh is still
answered fresh. With nothing stored yet, callers wait up to `wait_limit` for the one refresh
in flight. At most one evaluation runs per process at a time (`clear()` forgets one in flight).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from upstream_preflight.waiting import wait_for

T = TypeVar("T")

logger = logging.getLogger("upstream_preflight")


class _Refresh(Generic[T]):
    """One computation in flight and what it produced."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None
        self.awaited = False
        """A caller will re-raise `error`; otherwise the thread logs it."""


class SharedRefreshCache(Generic[T]):
    def __init__(
        self, compute: Callable[[], T], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._compute = compute
        self._clock = clock
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stored_at = 0.0
        self._refreshing: _Refresh[T] | None = None
        self.computations = 0
        """Computations that finished without raising."""

    def get(self, max_age: float, wait_limit: float, stale_wait: float | None = None) -> T | None:
        """The stored value if younger than `max_age`; else a fresh one, or the stale one while
        a refresh runs. None only when nothing is stored and the first computation outlasts
        `wait_limit`.

        The caller that starts a refresh of a stale value waits for it up to `stale_wait`
        seconds (default: `wait_limit`), then answers with the stale value; 0 answers at once.
        A computation's exception reaches the caller that started it and waited for it.
        """
        with self._lock:
            if self._value is not None and self._clock() - self._stored_at < max_age:
                return self._value
            refresh = self._refreshing
            started = refresh is None
            if refresh is None:
                refresh = self._refreshing = _Refresh()
                self._start(refresh)
            if self._value is not None:
                if not started:
                    return self._value
                limit = wait_limit if stale_wait is None else min(stale_wait, wait_limit)
                if limit <= 0:
                    return self._value
            else:
                limit = wait_limit
            if started:
                refresh.awaited = True
        wait_for(refresh.done, limit)
        with self._lock:
            if refresh.done.is_set():
                if refresh.error is not None and started:
                    raise refresh.error
                return refresh.value if refresh.error is None else self._value
            refresh.awaited = False  # gave up: the thread reports a late error itself
            return self._value

    def clear(self) -> None:
        """Forget the stored value and any refresh in flight (its result is discarded)."""
        with self._lock:
            self._value = None
            self._stored_at = 0.0
            self._refreshing = None

    def _start(self, refresh: _Refresh[T]) -> None:
        thread = threading.Thread(
            target=self._run, args=(refresh,), name="preflight-status-refresh", daemon=True
        )
        thread.start()

    def _run(self, refresh: _Refresh[T]) -> None:
        try:
            value = self._compute()
        except BaseException as exc:  # handed to the waiting caller, or logged
            with self._lock:
                refresh.error = exc
                if self._refreshing is refresh:
                    self._refreshing = None
                report = not refresh.awaited
            refresh.done.set()
            if report:
                logger.error("monitoring status refresh failed", exc_info=exc)
            return
        with self._lock:
            refresh.value = value
            self.computations += 1
            if self._refreshing is refresh:  # not cleared meanwhile
                self._value, self._stored_at = value, self._clock()
                self._refreshing = None
        refresh.done.set()
