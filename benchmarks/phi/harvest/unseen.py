"""Harvest the second corpus, from emitters the scrubber was never tuned on:
`python benchmarks/phi/harvest/unseen.py` writes `benchmarks/phi/unseen.jsonl`.

`harvest.py`'s corpus was used to tune the scrubber: its training part line by line, its
held-out part through aggregate figures read while tuning, and one held-out emitter was studied
through fresh lines. So it is all training data now. This corpus starts again with eight emitters
nobody had looked at, split before any of them was written:

    EMITTERS = sorted(["mariadb", "nginx.access", "sentry.events", "django.request", "urllib3",
                       "pydantic", "loguru", "django.validation"])
    random.Random(20261203).sample(EMITTERS, 4)

held out `django.request`, `django.validation`, `loguru` and `urllib3`, whole. Their emitters
live in `unseen_held.py`, written by someone who did not tune the scrubber; the training
emitters live in `unseen_train.py`. The held-out part was measured once, after tuning, on
2026-12-03 and reported as it came out (docs/hipaa.md, "Figures on emitters it was never tuned
on"); its misses were read after that, so from then on it is training data too.

Each emitter module has `EMITTERS` and `collect(seed) -> rows` (`emitter`, `text`, `template`,
`args`, `spans`, built by `harvest._row`, so labelled the same way as the first harvest). This
driver keeps distinct lines, samples up to 300 with PHI and 300 benign per emitter, and marks
each row's `part`. `--only train` harvests the training emitters alone (the held-out module is
not even imported), for tuning.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import write_corpus  # noqa: E402

OUT = HERE.parent / "unseen.jsonl"
SEED = 20261203
PER_EMITTER = {"phi": 300, "benign": 300}
HELD_OUT_EMITTERS = ("django.request", "django.validation", "loguru", "urllib3")
TRAIN_EMITTERS = ("mariadb", "nginx.access", "pydantic", "sentry.events")
MODULES = {"held_out": "unseen_held", "train": "unseen_train"}


def collect(part: str) -> list[dict[str, Any]]:
    module = importlib.import_module(MODULES[part])
    expected = HELD_OUT_EMITTERS if part == "held_out" else TRAIN_EMITTERS
    if tuple(sorted(module.EMITTERS)) != expected:
        raise SystemExit(f"{module.__name__}.EMITTERS is {module.EMITTERS}, not {expected}")
    # Each module's patients come from their own seed: no patient is in both parts.
    rows = module.collect(SEED + (100 if part == "held_out" else 200))
    for row in rows:
        if row["emitter"] not in expected:
            raise SystemExit(f"{module.__name__} wrote a row for {row['emitter']!r}")
        row["part"] = part
    return rows


def sample(rows: list[dict[str, Any]], emitters: tuple[str, ...]) -> list[dict[str, Any]]:
    r = random.Random(SEED + 3)
    seen: set[str] = set()
    pools: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        if row["text"] in seen:
            continue
        seen.add(row["text"])
        kind = "phi" if row["spans"] else "benign"
        pools.setdefault((row["emitter"], kind), []).append(row)
    out: list[dict[str, Any]] = []
    for emitter in emitters:
        for kind in ("phi", "benign"):
            pool = pools.get((emitter, kind), [])
            out.extend(r.sample(pool, min(len(pool), PER_EMITTER[kind])))
    r.shuffle(out)
    keys = ("emitter", "part", "text", "template", "args", "spans")
    return [{k: row[k] for k in keys} for row in out]


def held_out_rows(
    module_name: str, emitters: tuple[str, ...], seed: int, **options: Any
) -> list[dict[str, Any]]:
    """What `module_name`'s `collect(seed, **options)` harvests, every row held out, sampled as
    `sample` does. The module must name exactly `emitters` and write rows for no other (the
    drivers of the later corpora: `fresh.py`, `fifth.py`, `sixth.py`, `seventh.py`)."""
    module = importlib.import_module(module_name)
    if tuple(sorted(module.EMITTERS)) != emitters:
        raise SystemExit(f"{module_name}.EMITTERS is {module.EMITTERS}")
    rows = module.collect(seed, **options)
    for row in rows:
        if row["emitter"] not in emitters:
            raise SystemExit(f"{module_name} wrote a row for {row['emitter']!r}")
        row["part"] = "held_out"
    return sample(rows, emitters)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", choices=["train", "held_out"], default=None)
    options = parser.parse_args()
    parts = [options.only] if options.only else ["train", "held_out"]
    rows: list[dict[str, Any]] = []
    for part in parts:
        emitters = HELD_OUT_EMITTERS if part == "held_out" else TRAIN_EMITTERS
        rows.extend(sample(collect(part), emitters))
    write_corpus(rows, options.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
