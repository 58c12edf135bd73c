"""Harvest a held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/fresh.py` writes `benchmarks/phi/fresh.jsonl`.

`unseen.jsonl`'s held-out part was measured once and then read, so it is training data now.
This corpus starts again with four emitters chosen before any was written, all held out
(`python.exceptions`, `django.mail`, `import-export`, `uvicorn`; `fresh_held.py`, written by
someone who neither read nor ran the scrubber), labelled by the same `harvest.label` and sampled
like `unseen.py` (up to 300 lines with PHI and 300 benign per emitter).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "fresh.jsonl"
SEED = 20261204
HELD_OUT_EMITTERS = ("django.mail", "import-export", "python.exceptions", "uvicorn")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    write_corpus(held_out_rows("fresh_held", HELD_OUT_EMITTERS, SEED), options.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
