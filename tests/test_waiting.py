"""Ctrl-C reaches a main thread that waits on a stage or a probe, whichever thread the kernel
delivered SIGINT to. `signal.pthread_kill` aims the signal at a worker thread, the case in which
a plain `join(timeout)` sleeps through it until the timeout ends."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from upstream_preflight.waiting import join_within, wait_for

LONG_WAIT = 30.0


@pytest.fixture(autouse=True)
def sigint_raises() -> Iterator[None]:
    """Python's own SIGINT handler for the test: a test process started in the background by a
    shell without job control inherits SIGINT ignored, and Python then installs none."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def interrupted_after(wait: Callable[[threading.Thread], object]) -> float:
    """Seconds the main thread spent in `wait` before SIGINT, sent to a worker thread after
    0.2 s, ended it with KeyboardInterrupt."""
    release = threading.Event()
    worker = threading.Thread(target=release.wait, daemon=True)
    worker.start()
    assert worker.ident is not None
    sender = threading.Timer(0.2, signal.pthread_kill, args=(worker.ident, signal.SIGINT))
    # Should the interrupt never come, the worker ends and the test fails instead of hanging.
    backstop = threading.Timer(LONG_WAIT, release.set)
    backstop.start()
    started = time.monotonic()
    try:
        # Started inside the block, so the KeyboardInterrupt cannot land outside it and end
        # the test session.
        with pytest.raises(KeyboardInterrupt):
            sender.start()
            wait(worker)
        return time.monotonic() - started
    finally:
        release.set()
        backstop.cancel()
        if sender.is_alive():
            sender.join()
        worker.join(5)


def test_join_within_is_interrupted_when_the_signal_lands_on_another_thread() -> None:
    waited = interrupted_after(lambda worker: join_within(worker, LONG_WAIT))
    assert waited < LONG_WAIT / 2


def test_join_within_without_timeout_is_interrupted_too() -> None:
    waited = interrupted_after(lambda worker: join_within(worker))
    assert waited < LONG_WAIT / 2


def test_wait_for_is_interrupted_when_the_signal_lands_on_another_thread() -> None:
    never = threading.Event()
    waited = interrupted_after(lambda _worker: wait_for(never, LONG_WAIT))
    assert waited < LONG_WAIT / 2


def test_join_within_returns_when_the_thread_ends_or_the_time_is_up() -> None:
    quick = threading.Thread(target=time.sleep, args=(0.05,))
    quick.start()
    join_within(quick, LONG_WAIT)
    assert not quick.is_alive()

    release = threading.Event()
    slow = threading.Thread(target=release.wait, daemon=True)
    slow.start()
    join_within(slow, 0.15)
    assert slow.is_alive()
    release.set()
    slow.join(5)


def test_wait_for_reports_whether_the_event_was_set() -> None:
    done = threading.Event()
    threading.Timer(0.05, done.set).start()
    assert wait_for(done, LONG_WAIT) is True
    assert wait_for(threading.Event(), 0.15) is False
