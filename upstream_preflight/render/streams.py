"""The console streams of a run: stdout kept for the one machine document, and writes that
never crash the run.

- `reserved_stdout`: while the run goes on, anything the target project or a library prints
  to stdout (at the Python or the file-descriptor level) goes to stderr.
- `GuardedStream`: a reader that went away (`preflight run | head`, EPIPE) silences the
  stream quietly; any other failure to write (a full disk, `/dev/full`, a closed stdout) is
  remembered as `failure`, the stream is silenced, and the CLI exits 74 (could not write the
  report) after the run, saying so in one line on stderr.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class GuardedStream:
    """Wraps a text stream (or None, for a closed one); see the module."""

    def __init__(self, stream: TextIO | None, name: str = "stdout") -> None:
        self.stream = stream
        self.name = name
        self.failure: str | None = None
        self.silenced = False
        if stream is None:
            self.failure, self.silenced = f"{name} is closed", True

    def write(self, text: str) -> int:
        if not self.silenced:
            try:
                assert self.stream is not None
                self.stream.write(text)
            except (OSError, ValueError) as exc:
                self._failed(exc)
        return len(text)

    def flush(self) -> None:
        if not self.silenced:
            try:
                assert self.stream is not None
                self.stream.flush()
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def isatty(self) -> bool:
        try:
            return not self.silenced and self.stream is not None and self.stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def _failed(self, exc: Exception) -> None:
        self.silenced = True
        if not isinstance(exc, BrokenPipeError):
            self.failure = _reason(exc)
        # Later writes, and the interpreter's last flush, go nowhere instead of failing again.
        with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
            assert self.stream is not None
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.EBADF:
        return "it is closed"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


def open_standard_streams() -> tuple[bool, bool]:
    """Point a closed fd 1 or 2 at /dev/null, so that no file the run opens takes its number
    (a print would then write into it). Returns whether stdout and stderr were closed."""
    closed = []
    for fd in (1, 2):
        try:
            os.fstat(fd)
            closed.append(False)
        except OSError:
            closed.append(True)
            with contextlib.suppress(OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                if devnull != fd:
                    os.dup2(devnull, fd)
                    os.close(devnull)
    return closed[0], closed[1]


@contextmanager
def reserved_stdout() -> Iterator[GuardedStream]:
    """Yield a guarded stream to the real stdout; sys.stdout and fd 1 point at stderr until
    exit. Unbuffered, so a failed write leaves nothing to fail again later."""
    original = sys.stdout
    if original is None:
        yield GuardedStream(None)
        return
    with contextlib.suppress(OSError, ValueError):
        original.flush()
    try:
        fd = original.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        fd = None  # not a real file (e.g. a test runner's capture): swap the object only
    if fd is None:
        sys.stdout = sys.stderr
        try:
            yield GuardedStream(original)
        finally:
            sys.stdout = original
        return
    saved = os.dup(fd)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os.dup2(sys.stderr.fileno(), fd)
    sys.stdout = sys.stderr
    raw = io.FileIO(saved, "w", closefd=False)
    out = GuardedStream(
        io.TextIOWrapper(raw, encoding="utf-8", errors="replace", write_through=True)
    )
    try:
        yield out
    finally:
        out.flush()
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)
        sys.stdout = original
