"""monitoring.E016: a file handler of LOGGING whose file cannot be written.

Judged with `os.access` on the directory and on the file when it exists, as the process that
runs the check: nothing is created or opened. Relative names are resolved against the current
directory, as `logging` resolves them when it opens the file.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from typing import TYPE_CHECKING, Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding

if TYPE_CHECKING:
    from upstream_preflight.monitoring.checks import CheckContext


def check_log_files(ctx: CheckContext) -> list[Finding]:
    from django.conf import settings

    config = getattr(settings, "LOGGING", None)
    handlers = config.get("handlers") if isinstance(config, dict) else None
    if not isinstance(handlers, dict):
        return []
    problems = {}
    for name, handler in handlers.items():
        problem = file_problem(handler)
        if problem is not None:
            problems[str(name)] = problem
    if not problems:
        return []
    detail = "; ".join(f"{name}: {problem}" for name, problem in sorted(problems.items()))
    return [catalogue.finding("monitoring.E016", detail, obj=",".join(sorted(problems)))]


def file_problem(handler: Any) -> str | None:
    """Why the file of a FileHandler entry cannot be written, or None when it can (or when
    the entry is not a FileHandler with a `filename`)."""
    from upstream_preflight.monitoring.checks import handler_class

    cls = handler_class(handler)
    if cls is None or not issubclass(cls, logging.FileHandler):
        return None
    filename = handler.get("filename")
    if not isinstance(filename, str | os.PathLike):
        return None
    try:
        path = os.path.abspath(os.fspath(filename))
    except (TypeError, ValueError):
        return None
    directory = os.path.dirname(path)
    if not os.path.exists(directory):
        return f"directory {directory} does not exist"
    if not os.path.isdir(directory):
        return f"{directory} is not a directory"
    if not _can(directory, os.X_OK):
        return f"directory {directory} cannot be entered"
    if os.path.isdir(path):
        return f"{path} is a directory"
    rotates = issubclass(cls, logging.handlers.BaseRotatingHandler)
    if os.path.exists(path):
        if not _can(path, os.W_OK):
            return f"{path} is not writable"
        if rotates and not _can(directory, os.W_OK):
            return f"directory {directory} is not writable (rotation renames files in it)"
        return None
    if not _can(directory, os.W_OK):
        return f"directory {directory} is not writable ({os.path.basename(path)} cannot be created)"
    return None


def _can(path: str, mode: int) -> bool:
    if os.access in os.supports_effective_ids:
        return os.access(path, mode, effective_ids=True)
    return os.access(path, mode)
