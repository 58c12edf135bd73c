"""Keep stdout for the one JSON document: while the run goes on, anything the target project
or a library prints to stdout (at the Python or the file-descriptor level) goes to stderr."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


@contextmanager
def reserved_stdout() -> Iterator[TextIO]:
    """Yield a stream to the real stdout; sys.stdout and fd 1 point at stderr until exit."""
    original = sys.stdout
    original.flush()
    try:
        fd = original.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        fd = None  # not a real file (e.g. a test runner's capture): swap the object only
    if fd is None:
        sys.stdout = sys.stderr
        try:
            yield original
        finally:
            sys.stdout = original
        return
    saved = os.dup(fd)
    sys.stderr.flush()
    os.dup2(sys.stderr.fileno(), fd)
    sys.stdout = sys.stderr
    out = open(saved, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    try:
        yield out
    finally:
        out.flush()
        sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)
        sys.stdout = original
