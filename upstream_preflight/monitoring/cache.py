"""The status view's per-process memory of the last evaluation.

Within `max_age` every caller gets the stored outcome. After that, the first caller starts
one refresh in a background thread; every caller meanwhile gets the stale outcome, so a hung
backend never makes requests queue up behind probes (with sync WSGI workers, a request that
computed inline would hold its whole worker for up to the probe timeout). The caller that
starts a refresh may wait up to `stale_wait` seconds for it, so a quick refresh is still
answered fresh. With nothing stored yet, callers wait up to `wait_limit` for the one refresh
in flight. At most one evaluation runs per process at a time (`clear()` forgets one in flight).

A refresh slower than `stale_wait` (Celery with no worker answering waits out the whole reply
window) would give a caller that polls less often than `max_age` the previous poll's state,
every time. With `keep_warm`, the cache refreshes itself in the background, timed to finish as
the stored value goes stale, for as long as some caller came within the last `keep_warm`
seconds: such a poller gets a value at most about `max_age` old. Each process then evaluates
about once per `max_age` while it is polled (never more often than every MIN_WARM_GAP_SECONDS),
and not at all once nobody asks.
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

MIN_WARM_GAP_SECONDS = 1.0


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
        self,
        compute: Callable[[], T],
        clock: Callable[[], float] = time.monotonic,
        keep_warm: float = 0.0,
    ) -> None:
        self._compute = compute
        self._clock = clock
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stored_at = 0.0
        self._refreshing: _Refresh[T] | None = None
        self._keep_warm = keep_warm
        self._asked_at = 0.0
        self._max_age = 0.0
        self._cleared = threading.Event()
        """Set by `clear()` (then replaced): ends the background refreshes of `keep_warm`."""
        self._warm_chain: object | None = None
        """The thread whose refreshes keep the value warm; a newer one ends an older one."""
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
            self._asked_at, self._max_age = self._clock(), max_age
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
            self._cleared.set()
            self._cleared = threading.Event()

    def _start(self, refresh: _Refresh[T]) -> None:
        """Called with the lock held."""
        chain = self._warm_chain = object()
        thread = threading.Thread(
            target=self._run_and_keep_warm,
            args=(refresh, self._cleared, chain),
            name="preflight-status-refresh",
            daemon=True,
        )
        thread.start()

    def _run_and_keep_warm(
        self, refresh: _Refresh[T], cleared: threading.Event, chain: object
    ) -> None:
        next_refresh: _Refresh[T] | None = refresh
        while next_refresh is not None:
            started = self._clock()
            if not self._run(next_refresh) or self._keep_warm <= 0:
                return
            next_refresh = self._next_warm_refresh(started, cleared, chain)

    def _next_warm_refresh(
        self, started: float, cleared: threading.Event, chain: object
    ) -> _Refresh[T] | None:
        """Wait until the refresh that keeps the value warm is due, and register it; None when
        nobody asked within `keep_warm` seconds, the cache was cleared, or a newer thread
        keeps it warm."""
        with self._lock:
            duration = self._clock() - started
            delay = max(self._max_age - duration, MIN_WARM_GAP_SECONDS)
        if cleared.wait(delay):
            return None
        with self._lock:
            idle = self._clock() - self._asked_at > self._keep_warm
            superseded = self._warm_chain is not chain or self._refreshing is not None
            if cleared.is_set() or idle or superseded:
                return None
            refresh = self._refreshing = _Refresh()
            return refresh

    def _run(self, refresh: _Refresh[T]) -> bool:
        """Compute and store; True when the value was stored."""
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
            return False
        with self._lock:
            refresh.value = value
            self.computations += 1
            stored = self._refreshing is refresh  # not cleared meanwhile
            if stored:
                self._value, self._stored_at = value, self._clock()
                self._refreshing = None
        refresh.done.set()
        return stored
