"""Harvest a ninth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/ninth.py` writes `benchmarks/phi/ninth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`botocore`, `jinja2`, `pyjwt`, `vobject`; `ninth_held.py`, written by someone who neither read
nor ran the scrubber), over patients of their own (`ninth_people.py`: Faker names, cities and
streets from locales no earlier corpus used; identifier shapes of their own), labelled by the
same `harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and 300 benign per
emitter). The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0`
(Faker's draws follow str hashes). botocore writes its own release into the User-Agent it
sends, so the file is byte for byte the committed one with boto3 and botocore 1.44.8
(`pip install boto3==1.44.8 botocore==1.44.8`); another release writes other botocore lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "ninth.jsonl"
SEED = 20261209
HELD_OUT_EMITTERS = ("botocore", "jinja2", "pyjwt", "vobject")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("ninth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
