"""Waiting on threads and events so that Ctrl-C is never held back.

CPython runs signal handlers in the main thread only. A process-directed SIGINT is delivered
by the kernel to any thread that does not block it; when that is not the main thread, a main
thread blocked in `Thread.join(timeout)` or `Event.wait(timeout)` is not woken, and the
KeyboardInterrupt waits until the timeout ends (seen: Ctrl-C ignored for the whole 130 s
stage backstop, about one run in fifteen on a loaded machine). Waiting in short slices lets
the main thread notice the pending signal within one slice.
"""

from __future__ import annotations

import threading
import time

SLICE_SECONDS = 0.1


def join_within(thread: threading.Thread, timeout: float | None = None) -> None:
    """`thread.join(timeout)`, interruptible by Ctrl-C within SLICE_SECONDS."""
    deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
    while thread.is_alive():
        remaining = SLICE_SECONDS if deadline is None else deadline - time.monotonic()
        if remaining <= 0:
            return
        thread.join(min(remaining, SLICE_SECONDS))


def wait_for(event: threading.Event, timeout: float) -> bool:
    """`event.wait(timeout)`, interruptible by Ctrl-C within SLICE_SECONDS."""
    deadline = time.monotonic() + max(0.0, timeout)
    while not event.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        event.wait(min(remaining, SLICE_SECONDS))
    return True
