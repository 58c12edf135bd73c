"""The status view's per-process memory of the last evaluation.

Within STATUS_CACHE_SECONDS every caller gets the stored outcome. After that, the first
caller refreshes it while concurrent callers keep getting the stale outcome, so a hung
backend never makes requests queue up behind probes. With nothing stored yet, callers wait
for the one refresh in flight. At most one evaluation runs per process at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedRefreshCache(Generic[T]):
    def __init__(
        self, compute: Callable[[], T], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._compute = compute
        self._clock = clock
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stored_at = 0.0
        self._refreshing: threading.Event | None = None
        self.computations = 0

    def get(self, max_age: float, wait_limit: float) -> T | None:
        """The stored value if younger than `max_age`; else a fresh one, or a stale one while
        someone else refreshes. None only when the first computation outlasts `wait_limit`."""
        with self._lock:
            if self._value is not None and self._clock() - self._stored_at < max_age:
                return self._value
            in_flight = self._refreshing
            if in_flight is None:
                in_flight = self._refreshing = threading.Event()
                leader = True
            else:
                leader = False
                if self._value is not None:
                    return self._value
        if not leader:
            in_flight.wait(wait_limit)
            with self._lock:
                return self._value
        try:
            value = self._compute()
            with self._lock:
                self._value, self._stored_at = value, self._clock()
                self.computations += 1
            return value
        finally:
            with self._lock:
                self._refreshing = None
            in_flight.set()

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._stored_at = 0.0
