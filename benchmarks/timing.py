"""Wall-clock timing of whole processes, in rounds, for bench_run.py and bench_startup.py.

A shared machine varies by up to 2x from one second to the next, so the commands compared
run one after the other in each round (A, B, C, A, B, C, ...) and the figures are medians:
of each command's times, and of the per-round ratios between two commands.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMAND_TIMEOUT_SECONDS = 180
# Every command runs on byte-compiled modules, as after `pip install` (which compiles them): an
# editable install under PYTHONDONTWRITEBYTECODE=1 would compile this package's source on every
# run, and not Django's (its .pyc files came with the install). The warm-up round fills it.
_BYTECODE = tempfile.TemporaryDirectory(prefix="preflight-bench-pyc-")


def console_script(name: str) -> list[str]:
    """Run a console script with this interpreter, never through a version-manager shim
    (pyenv's shims cost ~0.1 s per call and would flatter every ratio against python)."""
    script = Path(sys.executable).with_name(name)
    if not script.exists():
        raise SystemExit(f"{name} is not installed beside {sys.executable}")
    return [sys.executable, str(script)]


@dataclass
class Command:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    expect: tuple[int, ...] = (0, 1, 2)
    last_cpu: float = 0.0
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """User + system CPU seconds of each timed run (steadier than wall time on a busy machine)."""

    def once(self) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if result.returncode not in self.expect:
            tail = result.stderr.decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{self.name} exited {result.returncode}:\n{tail}")
        return elapsed

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def measure(commands: list[Command], rounds: int, warmup: int = 1) -> None:
    """Run every command `warmup` times (not kept), then `rounds` rounds in turn."""
    for _ in range(warmup):
        for command in commands:
            command.once()
    for index in range(rounds):
        for command in commands:
            command.times.append(command.once())
            command.cpu.append(command.last_cpu)
        shown = ", ".join(f"{c.name} {c.times[-1]:.3f} s" for c in commands)
        print(f"  round {index + 1}/{rounds}: {shown}", file=sys.stderr, flush=True)


def ratio(slow: Command, fast: Command) -> float:
    """Median of the per-round ratios slow/fast (adjacent runs share the machine's mood)."""
    return statistics.median(s / f for s, f in zip(slow.times, fast.times, strict=True))


def cpu_ratio(slow: Command, fast: Command) -> float:
    return statistics.median(s / f for s, f in zip(slow.cpu, fast.cpu, strict=True))


def difference(slow: Command, fast: Command) -> float:
    """Median of the per-round differences slow - fast, in seconds."""
    return statistics.median(s - f for s, f in zip(slow.times, fast.times, strict=True))


def print_medians(commands: list[Command]) -> None:
    for command in commands:
        spread = f"{min(command.times):.3f}-{max(command.times):.3f}"
        cpu = statistics.median(command.cpu)
        print(
            f"  {command.name:<34} median {command.median:.3f} s  (range {spread} s), "
            f"CPU {cpu:.3f} s"
        )


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def base_env(**values: str) -> dict[str, str]:
    """This environment minus anything that would steer the target project."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "PYTHONPATH",
            "SENTRY_DSN",
            "REDIS_URL",
            "PYTHONDONTWRITEBYTECODE",
        }
        and not key.startswith(("CELERY_", "_PREFLIGHT", "_BARE", "COMP_"))
    }
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "PYTHONPYCACHEPREFIX": _BYTECODE.name})
    env.update(values)
    return env
