"""Harvest a thirteenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/thirteenth.py` writes `benchmarks/phi/thirteenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`flask`, `huey`, `lxml`, `pydicom`; `thirteenth_held.py`), over patients of their own
(`thirteenth_people.py`: Faker names, cities and streets from locales no earlier corpus used,
`de`, `gu_IN`, `hi_IN`, `mr_IN`, `ne_NP` and `ta_IN`, the Gujarati, Hindi, Marathi, Nepali and
Tamil ones written in Latin letters; identifier shapes of their own), labelled by the same
`harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and 300 benign per
emitter). They are what a Django clinic backend runs beside Django and logs patients' values
through in ordinary use: a Flask service for referrals and pre-registration on werkzeug's
server (request lines with query strings, logged exceptions), huey for background jobs
(execution, failure and retry records, the error signal's task arguments), lxml for partners'
XML referrals (schema and parser errors quoting values, XSLT messages, documents), and pydicom
for the imaging bridge (DICOM headers with the patient's name, id and birth date, validation
warnings, `dcmread`'s trace).

Written blind: by someone who neither read nor ran the scrubber, nor read its tests, its docs
or the earlier corpora's lines; only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
follow str hashes), every id, date and duration is seeded or fixed, no clock is logged
(werkzeug's is replaced), the server thread's records are put in one order (one request at a
time, each waited for), and the server listens on 127.0.0.1 only. The tracebacks carry the
libraries' own file names and line numbers, and the messages are those of these releases: the
file is byte for byte the same with Flask 3.1.3 (Werkzeug 3.1.9, itsdangerous 2.2.0, blinker
1.9.0, click 8.5.1), huey 3.5.4, lxml 6.2.0, pydicom 3.0.2 and Faker 40.63.0, on Python 3.11.7
on Linux x86_64 (`pip install flask==3.1.3 werkzeug==3.1.9 huey==3.5.4 lxml==6.2.0
pydicom==3.0.2`); other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "thirteenth.jsonl"
SEED = 20270121
HELD_OUT_EMITTERS = ("flask", "huey", "lxml", "pydicom")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("thirteenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
