"""Check that two checkouts of the PHI engine give the same outputs, text for text.

`python benchmarks/phi/same_spans.py --root OTHER [--extra rows.jsonl ...]` runs this checkout's
`find_spans` (sorted), `scrub_text` and `PHIScrubberFilter.filter` (both call styles) and those
of the checkout at OTHER, each in its own process, over every text of `corpus.jsonl`,
`harvested.jsonl`, the given extra corpora of the same rows (their `held_out` rows are skipped
unread), and the crafted long lines of `bench_harvested.py --linear`; it prints every
difference and exits 1 when there is one. Used to prove a speed-up changes no output.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def texts(extra: list[Path]) -> list[tuple[str, Any, Any]]:
    """(line, template, args) of every row: template and args are None when the row has none."""
    out: list[tuple[str, Any, Any]] = []
    for line in (HERE / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        args = tuple(row["args"]) if row["args"] else None
        text = row["template"] % args if args else row["template"]
        out.append((text, row["template"], args))
    for path in [HERE / "harvested.jsonl", *extra]:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("part") == "held_out" and path.name != "harvested.jsonl":
                continue
            args = row.get("args")
            if args is not None and not isinstance(args, dict):
                args = tuple(args)
            elif args is not None:
                args = (args,)
            out.append((row["text"], row.get("template"), args))
    sys.path.insert(0, str(HERE))
    from bench_harvested import CRAFTED

    for piece in CRAFTED:
        for size in (300, 2_000, 10_000):
            out.append(((piece * (size // len(piece) + 1))[:size] + " x", None, None))
    return out


def outputs(root: str, extra: list[Path]) -> list[Any]:
    sys.path.insert(0, root)
    from upstream_preflight.logging_filters import PHIScrubberFilter
    from upstream_preflight.phi import find_spans, scrub_text

    results: list[Any] = []
    for text, template, args in texts(extra):
        spans = sorted(find_spans(text))
        scrubbed = scrub_text(text)
        messages = []
        for msg, margs in ((text, None), (template, args)):
            if msg is None:
                messages.append(None)
                continue
            record = logging.LogRecord("check", logging.INFO, __file__, 1, msg, margs, None)
            PHIScrubberFilter().filter(record)
            messages.append((record.getMessage(), repr(record.msg), repr(record.args)))
        results.append((text, spans, scrubbed, messages))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True, help="the reference checkout")
    parser.add_argument("--extra", type=Path, action="append", default=[])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        sys.stdout.buffer.write(pickle.dumps(outputs(options.child, options.extra)))
        return 0
    extra = [arg for path in options.extra for arg in ("--extra", str(path))]

    def run(root: Path) -> list[Any]:
        command = [sys.executable, __file__, "--root", "-", "--child", str(root), *extra]
        done = subprocess.run(command, capture_output=True, check=True)
        return pickle.loads(done.stdout)

    ours, theirs = run(HERE.parents[1]), run(Path(options.root).resolve())
    differences = 0
    for a, b in zip(ours, theirs, strict=True):
        if a != b:
            differences += 1
            if differences <= 20:
                print(f"DIFF on {a[0][:300]!r}\n  ours: {a[1:]!r}\n  ref : {b[1:]!r}"[:3000])
    print(f"{len(ours)} texts compared: {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
