"""Env file interpolation: python-dotenv's own (`DotEnv(interpolate=True).dict()`, which copies
the environment and every value so far for each line) against `bootstrap.interpolated` (one
lookup chain), on the same parsed lines, in alternating rounds of this run. Nothing is set in
the environment. Prints medians and the median per-round ratio (old / new).

    python benchmarks/bench_env_file.py [--lines 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dotenv.main import resolve_variables
from dotenv.parser import parse_stream

from upstream_preflight.bootstrap import interpolated


def env_text(lines: int) -> str:
    """Every other line refers to the line above, with a default, as real files do."""
    return "".join(
        f"BENCH_{n}=value-{n}\n" if n % 2 else f"BENCH_{n}=url://${{BENCH_{n - 1}:-x}}/db\n"
        for n in range(lines)
    )


def timed(function: object, pairs: list[tuple[str, str | None]]) -> float:
    started = time.perf_counter()
    function(pairs)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pairs = [(b.key, b.value) for b in parse_stream(io.StringIO(env_text(args.lines))) if b.key]
    assert dict(resolve_variables(pairs, override=False)) == interpolated(pairs)
    old, new, ratios = [], [], []
    for _ in range(args.rounds):
        old.append(timed(lambda p: resolve_variables(p, override=False), pairs))
        new.append(timed(interpolated, pairs))
        ratios.append(old[-1] / new[-1])
    print(f"{args.lines:,} lines, {args.rounds} rounds")
    print(f"python-dotenv interpolation (baseline): median {statistics.median(old):.3f} s")
    print(f"bootstrap.interpolated:                  median {statistics.median(new):.4f} s")
    print(f"median ratio baseline / new: {statistics.median(ratios):.0f}x")


if __name__ == "__main__":
    main()
