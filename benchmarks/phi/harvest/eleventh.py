"""Harvest an eleventh held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/eleventh.py` writes `benchmarks/phi/eleventh.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`aiohttp`, `cattrs`, `msgspec`, `xmltodict`; `eleventh_held.py`, written by someone who
neither read nor ran the scrubber), over patients of their own (`eleventh_people.py`: Faker
names, cities and streets from locales no earlier corpus used, Cyrillic and Greek ones written
in Latin letters; identifier shapes of their own), labelled by the same `harvest.label` and
sampled like `unseen.py` (up to 300 lines with PHI and 300 benign per emitter). The same file
on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws follow str
hashes), every id and date is seeded, no clock is logged, and the server listens on 127.0.0.1
only.

The tracebacks carry the libraries' own file names and line numbers (aiohttp's server and
client, cattrs' generated structuring code, attrs' validators), and the error messages are
those of these releases. The file is byte for byte the committed one with aiohttp 3.14.5,
cattrs 26.2.1 (attrs 26.1.0), msgspec 0.23.0, xmltodict 1.0.4 and Faker 40.63.0, on Python
3.11.7 on Linux x86_64 (`pip install cattrs==26.2.1 msgspec==0.23.0 xmltodict==1.0.4`); other
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

OUT = HERE.parent / "eleventh.jsonl"
SEED = 20261230
HELD_OUT_EMITTERS = ("aiohttp", "cattrs", "msgspec", "xmltodict")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("eleventh_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
