"""Harvest a sixth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/sixth.py` writes `benchmarks/phi/sixth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`django.server`, `marshmallow`, `pandas`, `phonenumbers`; `sixth_held.py`, written by someone
who neither read nor ran the scrubber), over patients of their own (`sixth_people.py`: Faker
names, cities and streets from locales no earlier corpus used; identifier shapes of their own),
labelled by the same `harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and
300 benign per emitter). The same file on every run: the driver runs itself again with
`PYTHONHASHSEED=0` (Faker's draws follow str hashes).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from unseen import sample  # noqa: E402

OUT = HERE.parent / "sixth.jsonl"
SEED = 20261206
HELD_OUT_EMITTERS = ("django.server", "marshmallow", "pandas", "phonenumbers")


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Faker draws some values from sets: their order, so the patients, follow str hashes.
        os.execve(
            sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    import sixth_held

    if tuple(sorted(sixth_held.EMITTERS)) != HELD_OUT_EMITTERS:
        raise SystemExit(f"sixth_held.EMITTERS is {sixth_held.EMITTERS}")
    rows = sixth_held.collect(SEED)
    for row in rows:
        if row["emitter"] not in HELD_OUT_EMITTERS:
            raise SystemExit(f"sixth_held wrote a row for {row['emitter']!r}")
        row["part"] = "held_out"
    rows = sample(rows, HELD_OUT_EMITTERS)
    with options.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, list[int]] = {}
    for row in rows:
        c = counts.setdefault(row["emitter"], [0, 0])
        c[0 if row["spans"] else 1] += 1
    for emitter, (phi, benign) in sorted(counts.items()):
        print(f"{emitter:22} phi {phi:5} benign {benign:5}")
    print(f"{len(rows)} rows written to {options.out.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
