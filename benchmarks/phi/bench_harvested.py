"""Benchmark the PHI scrubber on the harvested corpus: `python benchmarks/phi/bench_harvested.py`.

The corpus (`harvested.jsonl`, written by `harvest/harvest.py`) holds what real emitters logged
for synthetic patients, each planted value labelled. It is split by emitter: the `held_out`
part (three emitters whole and 30% of the others' lines) is never looked at line by line while
the scrubber is tuned; only these aggregate figures are.

For each part and both call styles (`log.info(line)` and `log.info(template, *args)`, the
record's own template and arguments) it reports recall (planted values gone from the message),
per type and per emitter, the share of benign lines changed, and microseconds per record for the
filter call, beside scrubadub (on the formatted lines; `pip install -e '.[bench]'`) and a no-op
`logging.Filter` in the same run. `--misses N` prints up to N leaks and benign changes of the
TRAINING part only. `--root DIR` measures the engine of another checkout (a baseline).
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
from collections import Counter
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).with_name("harvested.jsonl")
TARGETS = {
    "recall": 0.99,
    "type_recall": 0.97,
    "benign_changed": 0.01,
    "us_per_record": 25.0,
    "share_of_scrubadub": 0.10,
}


def load(part: str | None = None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if part is None or row["part"] == part]


def make_records(rows: list[dict[str, Any]], style: str) -> list[logging.LogRecord]:
    records = []
    for row in rows:
        if style == "line" or row["template"] is None:
            msg, args = (row["text"], None) if style == "line" else ("%s", (row["text"],))
        else:
            msg = row["template"]
            args = (row["args"],) if isinstance(row["args"], dict) else tuple(row["args"])
        records.append(logging.LogRecord("bench", logging.INFO, __file__, 1, msg, args, None))
    return records


def leaked(value: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) is not None


def score(rows: list[dict[str, Any]], outputs: list[str]) -> dict[str, Any]:
    planted: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    em_planted: Counter[str] = Counter()
    em_caught: Counter[str] = Counter()
    em_benign: Counter[str] = Counter()
    em_changed: Counter[str] = Counter()
    lines = clean_lines = 0
    for row, out in zip(rows, outputs, strict=True):
        text, emitter = row["text"], row["emitter"]
        if not row["spans"]:
            em_benign[emitter] += 1
            em_changed[emitter] += out != text
            continue
        lines += 1
        left = 0
        for start, end, kind in row["spans"]:
            gone = not leaked(text[start:end], out)
            planted[kind] += 1
            caught[kind] += gone
            em_planted[emitter] += 1
            em_caught[emitter] += gone
            left += not gone
        clean_lines += not left
    benign = sum(em_benign.values())
    return {
        "recall": sum(caught.values()) / max(1, sum(planted.values())),
        "line_recall": clean_lines / max(1, lines),
        "benign_changed": sum(em_changed.values()) / max(1, benign),
        "by_type": {k: (caught[k] / planted[k], planted[k]) for k in sorted(planted)},
        "by_emitter": {
            e: (
                em_caught[e] / em_planted[e] if em_planted[e] else None,
                em_changed[e] / em_benign[e] if em_benign[e] else None,
            )
            for e in sorted(set(em_planted) | set(em_benign))
        },
    }


def filter_times(
    log_filter: logging.Filter, rows: list[dict[str, Any]], style: str, repeat: int
) -> tuple[list[float], list[logging.LogRecord]]:
    batches = [make_records(rows, style) for _ in range(repeat)]
    times = []
    for records in batches:
        start = time.perf_counter()
        for record in records:
            log_filter.filter(record)
        times.append(time.perf_counter() - start)
    return times, batches[-1]


def run_ours(rows: list[dict[str, Any]], style: str, repeat: int) -> dict[str, Any]:
    from upstream_preflight.logging_filters import PHIScrubberFilter

    times, records = filter_times(PHIScrubberFilter(), rows, style, repeat)
    result = score(rows, [record.getMessage() for record in records])
    result["us_per_record"] = min(times) / len(rows) * 1e6
    result["us_per_record_median"] = statistics.median(times) / len(rows) * 1e6
    return result


def run_noop(rows: list[dict[str, Any]], repeat: int) -> float:
    times, _ = filter_times(logging.Filter(), rows, "args", repeat)
    return min(times) / len(rows) * 1e6


def run_scrubadub(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    try:
        import scrubadub
    except ImportError:
        return None
    scrubber = scrubadub.Scrubber()
    lines = [row["text"] for row in rows]
    start = time.perf_counter()
    outputs = [scrubber.clean(line) for line in lines]
    seconds = time.perf_counter() - start
    result = score(rows, outputs)
    result["us_per_record"] = seconds / len(rows) * 1e6
    return result


def meets(result: dict[str, Any], scrubadub_us: float | None) -> bool:
    fast = result["us_per_record"] <= TARGETS["us_per_record"] or (
        scrubadub_us is not None
        and result["us_per_record"] <= TARGETS["share_of_scrubadub"] * scrubadub_us
    )
    return (
        result["recall"] >= TARGETS["recall"]
        and all(r >= TARGETS["type_recall"] for r, _ in result["by_type"].values())
        and result["benign_changed"] <= TARGETS["benign_changed"]
        and fast
    )


def report(part: str, rows: list[dict[str, Any]], repeat: int, scrubadub: bool) -> bool:
    n_phi = sum(bool(row["spans"]) for row in rows)
    print(f"\n== {part}: {len(rows)} lines, {n_phi} with PHI, {len(rows) - n_phi} benign ==")
    print(f"{'':28} {'recall':>8} {'lines':>8} {'benign chg':>11} {'us/record':>10}")
    results = {}
    for style, label in (("line", "ours  log.info(line)"), ("args", "ours  log.info(tpl, *args)")):
        res = results[style] = run_ours(rows, style, repeat)
        print(
            f"{label:28} {res['recall']:8.2%} {res['line_recall']:8.2%} "
            f"{res['benign_changed']:11.2%} {res['us_per_record']:10.1f}"
        )
    noop = run_noop(rows, repeat)
    print(f"{'no-op logging.Filter':28} {'':8} {'':8} {'':11} {noop:10.2f}")
    base = run_scrubadub(rows) if scrubadub else None
    if base is not None:
        print(
            f"{'scrubadub  (line)':28} {base['recall']:8.2%} {base['line_recall']:8.2%} "
            f"{base['benign_changed']:11.2%} {base['us_per_record']:10.1f}"
        )
        print(
            "ours/scrubadub time: "
            + ", ".join(f"{results[s]['us_per_record'] / base['us_per_record']:.1%} ({s})"
                        for s in ("line", "args"))
        )  # fmt: skip
    ours = results["line"]
    print(f"{'type':12} {'planted':>8} {'ours':>8}" + (f" {'scrubadub':>10}" if base else ""))
    for kind, (recall, planted) in ours["by_type"].items():
        extra = f" {base['by_type'][kind][0]:10.2%}" if base else ""
        print(f"{kind:12} {planted:8} {recall:8.2%}{extra}")
    print(f"{'emitter':22} {'recall':>8} {'benign chg':>11}")
    for emitter, (recall, changed) in ours["by_emitter"].items():
        r = f"{recall:8.2%}" if recall is not None else f"{'-':>8}"
        c = f"{changed:11.2%}" if changed is not None else f"{'-':>11}"
        print(f"{emitter:22} {r} {c}")
    scrubadub_us = base["us_per_record"] if base else None
    ok = all(meets(res, scrubadub_us) for res in results.values())
    print(
        f"{part} targets (recall >= 99%, every type >= 97%, benign changed <= 1%, <= 25 us or "
        f"<= 10% of scrubadub): {'met' if ok else 'NOT met'}"
    )
    return ok


def misses(rows: list[dict[str, Any]], limit: int, emitter: str | None) -> None:
    from upstream_preflight.logging_filters import PHIScrubberFilter

    scrubber = PHIScrubberFilter()
    shown = 0
    for row, record in zip(rows, make_records(rows, "line"), strict=True):
        if emitter and row["emitter"] != emitter:
            continue
        scrubber.filter(record)
        out = record.getMessage()
        text = row["text"]
        left = [(text[s:e], k) for s, e, k in row["spans"] if leaked(text[s:e], out)]
        if (left or (not row["spans"] and out != text)) and shown < limit:
            shown += 1
            print(f"[{row['emitter']}] left={left}\n  in : {text[:600]}\n  out: {out[:600]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--emitter", default=None, help="with --misses: only this emitter")
    parser.add_argument("--part", choices=["held_out", "train", "both"], default="both")
    parser.add_argument("--no-scrubadub", action="store_true")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    options = parser.parse_args()
    sys.path.insert(0, str(options.root))
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    parts = ["held_out", "train"] if options.part == "both" else [options.part]
    ok = True
    for part in parts:
        ok &= report(part, load(part), options.repeat, not options.no_scrubadub)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    if options.misses:
        misses(load("train"), options.misses, options.emitter)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
