"""Exit statuses of `preflight run`, `validate_monitoring` and the shim (see the contract).

A module of its own so the CLI can name them without loading the finding model.
"""

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    ERRORS = 1
    STRICT_WARNINGS = 2
    USAGE = 64
    INTERNAL = 70
    CANNOT_WRITE = 74
    """EX_IOERR: the report could not be written (a full disk, a closed stdout)."""
    INTERRUPTED = 130
