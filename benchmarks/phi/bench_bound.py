"""The per-record bound of PHIScrubberFilter: `python benchmarks/phi/bench_bound.py`.

For each slow piece of the issue (`"1 "`, `"@"`, `"ssn="`) repeated to 1 MB, times one logging
call through a handler with the filter, against the baseline measured in the same run: the
engine on the whole message (what the filter cost before the bound). Best of `--runs`. The
load average is printed at start and end: on a busy machine only the ratios compare.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from upstream_preflight.logging_filters import DEFAULT_MAX_CHARS, PHIScrubberFilter
from upstream_preflight.phi import scrub_text

PIECES = ("1 ", "@", "ssn=")


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    logger = logging.getLogger("bench.bound")
    handler = logging.StreamHandler(io.StringIO())
    handler.addFilter(PHIScrubberFilter())
    logger.addHandler(handler)
    logger.propagate = False
    print(f"bound: {DEFAULT_MAX_CHARS:,} characters per record; message: {args.size:,}")
    print(f"{'piece':8} {'engine on all (s)':>18} {'logging call (s)':>17} {'ratio':>7}")
    for piece in PIECES:
        message = (piece * (args.size // len(piece) + 1))[: args.size]
        whole = best(lambda m=message: scrub_text(m), args.runs)
        call = best(lambda m=message: logger.warning(m), args.runs)
        print(f"{piece!r:8} {whole:18.3f} {call:17.3f} {call / whole:7.3f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
