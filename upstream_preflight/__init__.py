"""upstream-preflight: prove that a Django application's monitoring works before it ships."""

import logging as _logging
from typing import Any


def __getattr__(name: str) -> Any:
    # Resolved on first use: reading package metadata costs start-up time that
    # `preflight --help` and completion should not pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("upstream-preflight")
        except PackageNotFoundError:  # a source tree that was never installed
            value = "0.0.0"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The tool's own records must never reach the target project's handlers (or its Sentry).
_logger = _logging.getLogger("upstream_preflight")
_logger.addHandler(_logging.NullHandler())
_logger.propagate = False


def _redact_record(record: _logging.LogRecord) -> bool:
    from upstream_preflight.redaction import redact_record

    return redact_record(record)


_logger.addFilter(_redact_record)
