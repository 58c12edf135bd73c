"""Benchmark the PHI scrubber on the labelled corpus: `python benchmarks/phi/bench_phi.py`.

Reports, for both call styles (`log.info(line)` and `log.info(template, *args)`): recall (share
of planted PHI values gone from the formatted message), line recall (PHI lines with nothing
left), the share of benign lines changed, and microseconds per record for the filter call.
scrubadub, when installed (a benchmark-only dependency), is measured in the same run on the
pre-formatted lines as the baseline, and so is a no-op `logging.Filter`, the floor that says how
fast the machine is. The load average is printed at start and end: on a busy machine the
figures are not comparable. `--misses N` prints up to N leaks and benign changes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from upstream_preflight.logging_filters import PHIScrubberFilter

CORPUS = Path(__file__).with_name("corpus.jsonl")
TARGETS = {"recall": 0.99, "benign_changed": 0.01, "us_per_record": 25.0}


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def formatted(row: dict) -> str:
    return row["template"] % tuple(row["args"]) if row["args"] else row["template"]


def make_records(rows: list[dict], style: str) -> list[logging.LogRecord]:
    records = []
    for row in rows:
        if style == "line":
            msg, args = formatted(row), None
        else:
            msg, args = row["template"], tuple(row["args"])
        records.append(logging.LogRecord("bench", logging.INFO, __file__, 1, msg, args, None))
    return records


def leaked(value: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(value)}(?![\w])", text) is not None


def score(rows: list[dict], outputs: list[str]) -> dict[str, float]:
    planted = found = lines = clean_lines = benign = changed = 0
    for row, out in zip(rows, outputs, strict=True):
        if row["kind"] == "phi":
            lines += 1
            left = [v for v in row["phi"] if leaked(v, out)]
            planted += len(row["phi"])
            found += len(row["phi"]) - len(left)
            clean_lines += not left
        else:
            benign += 1
            changed += out != formatted(row)
    return {
        "recall": found / planted,
        "line_recall": clean_lines / lines,
        "benign_changed": changed / benign,
    }


def timed(fn: Callable[[], list[str]], repeat: int) -> tuple[list[str], float]:
    best = float("inf")
    outputs: list[str] = []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = fn()
        best = min(best, time.perf_counter() - start)
    return outputs, best


def filter_times(
    log_filter: logging.Filter, rows: list[dict], style: str, repeat: int
) -> tuple[list[float], list[logging.LogRecord]]:
    """Seconds per batch of `log_filter.filter` over fresh records, and the last batch."""
    batches = [make_records(rows, style) for _ in range(repeat)]
    times = []
    for records in batches:
        start = time.perf_counter()
        for record in records:
            log_filter.filter(record)
        times.append(time.perf_counter() - start)
    return times, batches[-1]


def run_ours(rows: list[dict], style: str, repeat: int) -> dict[str, float]:
    times, records = filter_times(PHIScrubberFilter(), rows, style, repeat)
    result = score(rows, [record.getMessage() for record in records])
    result["us_per_record"] = min(times) / len(rows) * 1e6
    result["us_per_record_median"] = statistics.median(times) / len(rows) * 1e6
    return result


def run_noop(rows: list[dict], repeat: int) -> float:
    """Microseconds per record of a filter that does nothing: the floor of the measurement."""
    times, _ = filter_times(logging.Filter(), rows, "args", repeat)
    return min(times) / len(rows) * 1e6


def run_scrubadub(rows: list[dict]) -> dict[str, float] | None:
    try:
        import scrubadub
    except ImportError:
        return None
    scrubber = scrubadub.Scrubber()
    lines = [formatted(row) for row in rows]
    outputs, seconds = timed(lambda: [scrubber.clean(line) for line in lines], 2)
    result = score(rows, outputs)
    result["us_per_record"] = seconds / len(rows) * 1e6
    return result


def misses(rows: list[dict], style: str, limit: int) -> None:
    records = make_records(rows, style)
    scrubber = PHIScrubberFilter()
    shown = 0
    for row, record in zip(rows, records, strict=True):
        scrubber.filter(record)
        out = record.getMessage()
        bad = (row["kind"] == "phi" and any(leaked(v, out) for v in row["phi"])) or (
            row["kind"] == "benign" and out != formatted(row)
        )
        if bad and shown < limit:
            shown += 1
            print(f"[{style} {row['kind']} {row['maker']}]\n  in : {formatted(row)}\n  out: {out}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--misses", type=int, default=0)
    options = parser.parse_args()
    rows = load()
    n_phi = sum(row["kind"] == "phi" for row in rows)
    print(f"corpus: {len(rows)} lines, {n_phi} with PHI, {len(rows) - n_phi} benign look-alikes")
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'':28} {'recall':>8} {'lines':>8} {'benign chg':>11} {'us/record':>10}")
    results = {}
    for style, label in (("line", "ours  log.info(line)"), ("args", "ours  log.info(tpl, *args)")):
        res = results[style] = run_ours(rows, style, options.repeat)
        print(
            f"{label:28} {res['recall']:8.2%} {res['line_recall']:8.2%} "
            f"{res['benign_changed']:11.2%} {res['us_per_record']:10.1f}"
        )
    noop = run_noop(rows, options.repeat)
    print(f"{'no-op logging.Filter':28} {'':8} {'':8} {'':11} {noop:10.2f}")
    base = run_scrubadub(rows)
    if base is None:
        print("scrubadub                    not installed (pip install scrubadub): no baseline")
    else:
        print(
            f"{'scrubadub  (line)':28} {base['recall']:8.2%} {base['line_recall']:8.2%} "
            f"{base['benign_changed']:11.2%} {base['us_per_record']:10.1f}"
        )
        ours = results["line"]
        print(
            f"ratios ours/scrubadub: recall x{ours['recall'] / max(base['recall'], 1e-9):.2f}, "
            f"time per record {ours['us_per_record'] / base['us_per_record']:.1%} (line) and "
            f"{results['args']['us_per_record'] / base['us_per_record']:.1%} (args) of scrubadub's"
        )
    ok = all(
        res["recall"] >= TARGETS["recall"]
        and res["benign_changed"] <= TARGETS["benign_changed"]
        and res["us_per_record"] <= TARGETS["us_per_record"]
        for res in results.values()
    )
    print(
        f"ratios ours/no-op filter: x{results['line']['us_per_record'] / noop:.0f} (line) and "
        f"x{results['args']['us_per_record'] / noop:.0f} (args)"
    )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    print(f"targets (recall >= 99%, benign changed <= 1%, <= 25 us): {'met' if ok else 'NOT met'}")
    for style in ("line", "args"):
        misses(rows, style, options.misses)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
