"""Is SECRET_KEY the same in every process? Import the settings module again, in a child
process of the same environment, and compare a digest of its SECRET_KEY with this process's.

A key generated at random per process (`os.environ.get("DJANGO_SECRET_KEY") or
get_random_secret_key()`) differs; every worker then signs sessions and tokens with its own.
Neither the key nor its digest is ever shown. The child runs in a session of its own and is
killed with everything it started once its bound has passed; a probe that cannot decide
(the child fails, is too slow, cannot start) says so and never judges.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARK = "PREFLIGHT-SECRET-KEY-DIGEST"
REAP_SECONDS = 2.0

# The child prints the digest after a mark: the settings module may print too.
_CHILD = f"""
import hashlib, importlib, json, sys
sys.path[:0] = json.loads(sys.argv[1])
module = importlib.import_module(sys.argv[2])
key = getattr(module, "SECRET_KEY", None)
data = key if isinstance(key, bytes) else repr(key).encode("utf-8", "surrogatepass")
print("\\n{MARK} " + hashlib.sha256(data).hexdigest(), flush=True)
"""


@dataclass(frozen=True)
class KeyStability:
    judged: bool
    same: bool = True
    reason: str = ""
    """Why the probe could not decide (when not judged)."""


def digest(key: Any) -> str:
    data = key if isinstance(key, bytes) else repr(key).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


_cache: dict[tuple[Any, ...], KeyStability] = {}


def compare_secret_key(
    module_name: str, key: Any, bound: float, cwd: Path | None = None
) -> KeyStability:
    """Import `module_name` in a child process and compare its SECRET_KEY with `key` (this
    process's). Within about `bound` seconds; the result is reused for the same module, key,
    path and environment."""
    mine = digest(key)
    cache_key = (module_name, mine, tuple(sys.path), tuple(sorted(os.environ.items())))
    if cache_key not in _cache:
        _cache[cache_key] = _compare(module_name, mine, bound, cwd)
    return _cache[cache_key]


def _compare(module_name: str, mine: str, bound: float, cwd: Path | None) -> KeyStability:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": module_name, "PYTHONUNBUFFERED": "1"}
    argv = [sys.executable, "-c", _CHILD, json.dumps(sys.path), module_name]
    try:
        child = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # may hold a traceback with settings values: never read
            start_new_session=True,
        )
    except OSError as exc:
        return KeyStability(False, reason=f"a new process could not start ({type(exc).__name__})")
    try:
        output, _ = child.communicate(timeout=bound)
    except subprocess.TimeoutExpired:
        _kill_group(child)
        return KeyStability(
            False, reason=f"importing the settings again took longer than {bound:g} s"
        )
    theirs = [
        line.split()[-1]
        for line in output.decode("utf-8", "replace").splitlines()
        if line.startswith(MARK + " ")
    ]
    if child.returncode != 0 or not theirs:
        reason = f"importing the settings in a new process failed (status {child.returncode})"
        return KeyStability(False, reason=reason)
    return KeyStability(True, same=theirs[-1] == mine)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    """Kill the child and whatever it started (its own session), then reap it."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        child.kill()
    try:
        child.communicate(timeout=REAP_SECONDS)
    except subprocess.TimeoutExpired:  # a grandchild of its own session keeps the pipe open
        child.wait()
