"""Harvest a tenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/tenth.py` writes `benchmarks/phi/tenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`django-axes`, `fhir.resources`, `pyyaml`, `twilio`; `tenth_held.py`, written by someone who
neither read nor ran the scrubber), over patients of their own (`tenth_people.py`: Faker names,
cities and streets from locales no earlier corpus used; identifier shapes of their own),
labelled by the same `harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and
300 benign per emitter). The same file on every run: the driver runs itself again with
`PYTHONHASHSEED=0` (Faker's draws follow str hashes), every clock and id is seeded, and the
servers listen on 127.0.0.1 only.

Some emitters write their own releases into the lines: twilio its release, the OS, the machine
and Python's version into the `User-Agent` it logs, pydantic (under fhir.resources) its minor
release into every error's URL, axes its release in its start-up line. The file is byte for
byte the committed one with twilio 9.13.0, django-axes 8.3.1 (on Django 5.2), fhir.resources
8.3.0 (fhir-core 1.1.12, pydantic 2.14), PyYAML 6.0.4 and Faker 40.63.0, on Python 3.11.7 on
Linux x86_64 (`pip install twilio==9.13.0 django-axes==8.3.1 fhir.resources==8.3.0`); other
releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "tenth.jsonl"
SEED = 20261216
HELD_OUT_EMITTERS = ("django-axes", "fhir.resources", "pyyaml", "twilio")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("tenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
