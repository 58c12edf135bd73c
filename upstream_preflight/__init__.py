"""upstream-preflight: prove that a Django application's monitoring works before it ships."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("upstream-preflight")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

import logging as _logging

# The tool's own records must never reach the target project's handlers (or its Sentry).
_logger = _logging.getLogger("upstream_preflight")
_logger.addHandler(_logging.NullHandler())
_logger.propagate = False
