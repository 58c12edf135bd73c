"""What a held-out corpus's emitters module needs to run apart from the test suite and the
project: the helpers it shares with the earlier corpora import the test suite's `servers`
module, which none of its emitters uses, so a stand-in is put in its place; the test suite's
folder, which those helpers put on the path, is taken off it; and, once the rows are collected,
a check that nothing of `tests/` nor of the project's package was imported (its writer neither
read nor ran the scrubber).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def stand_in_for_test_servers(corpus: str) -> None:
    """Put a `servers` module whose functions refuse to run in place of the test suite's."""

    def unused(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"the {corpus} corpus starts no server of the test suite")

    servers = types.ModuleType("servers")
    servers.free_port = unused  # type: ignore[attr-defined]
    servers.stop_pid = unused  # type: ignore[attr-defined]
    servers.wait_for_port = unused  # type: ignore[attr-defined]
    sys.modules.setdefault("servers", servers)


def drop_tests_from_path() -> None:
    """The shared helpers put the test suite's folder on the path: nothing is to come from it."""
    sys.path[:] = [p for p in sys.path if Path(p).resolve() != (ROOT / "tests").resolve()]


def nothing_of_the_project() -> None:
    """No module of the test suite or of the project's package was imported."""
    barred = [(ROOT / "tests").resolve(), (ROOT / "upstream_preflight").resolve()]
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None)
        if where and any(Path(where).resolve().is_relative_to(b) for b in barred):
            raise SystemExit(f"{name} was imported from {where}")
