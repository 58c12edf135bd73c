"""Run a function as an unprivileged user, for faults that root never meets (a directory it
cannot write or read). As root, a forked child drops to the account PostgreSQL runs as
(`tests.servers`); otherwise the test process already is unprivileged and calls it directly.

The child cannot read this interpreter's files (they live under root's home), so everything the
function imports must be imported before: call it once as root first."""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from tests.servers import _pg_account

T = TypeVar("T")


def account() -> tuple[int, int] | None:
    """(uid, gid) the child runs as; None when this process is not root."""
    return _pg_account()


def call_unprivileged(function: Callable[[], T], timeout: float = 60.0) -> T:
    ids = account()
    if ids is None:
        return function()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(ids[1])
            os.setuid(ids[0])
            outcome: tuple[str, object] = ("value", function())
        except BaseException as exc:  # handed to the parent
            outcome = ("error", f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(outcome)
            while data:
                data = data[os.write(write_end, data) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"the unprivileged call did not end within {timeout:g} s")
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        raise AssertionError(f"the unprivileged call raised {value}")
    return value  # type: ignore[return-value]
