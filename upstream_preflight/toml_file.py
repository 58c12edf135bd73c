"""Reading the target's pyproject.toml the same way everywhere (the python stage and
[tool.preflight]): a UTF-8 byte order mark is accepted, and a document too deep for tomllib's
recursive parser is invalid TOML, never a RecursionError (which would be exit status 70)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


class TomlError(ValueError):
    """The text is not TOML that can be read (the message says where or why)."""


def read_text(path: Path) -> str:
    """The file as text, without a leading byte order mark (some editors on Windows write
    one; tomllib refuses it as an invalid first statement). OSError, UnicodeDecodeError."""
    return path.read_text(encoding="utf-8-sig")


def loads(text: str) -> dict[str, Any]:
    """tomllib.loads; TomlError for invalid TOML, including arrays or inline tables nested
    about a thousand levels deep (tomllib parses them recursively)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(str(exc)) from None
    except RecursionError:
        raise TomlError("arrays or inline tables are nested too deeply to be read") from None
