"""Harvest a twelfth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/twelfth.py` writes `benchmarks/phi/twelfth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`aiosmtpd`, `dramatiq`, `peewee`, `tornado`; `twelfth_held.py`), over patients of their own
(`twelfth_people.py`: Faker names, cities and streets from locales no earlier corpus used,
`es`, `hy_AM`, `ka_GE`, `ko_KR` and `mk_MK`, the Armenian, Georgian, Korean and Macedonian ones
written in Latin letters; identifier shapes of their own), labelled by the same `harvest.label`
and sampled like `unseen.py` (up to 300 lines with PHI and 300 benign per emitter). They are
what a Django clinic backend runs beside Django and logs patients' values through in ordinary
use: a Tornado service for the patient portal and lab results (access lines with query strings,
`HTTPError` messages, uncaught exceptions with the request), peewee for a service's own store
(its DEBUG logger prints each statement with its parameters), Dramatiq for background jobs (a
message is logged as the call with its arguments), and SMTP for reminders and statements
(`smtplib`'s debug output, an aiosmtpd relay's `mail.log` and printed messages).

Written by someone who neither read nor ran the scrubber, nor read its tests, its docs or the
earlier corpora's lines: only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
follow str hashes), every id, date and duration is seeded or fixed, no clock is logged, the
threads' records are put in one order, and every server listens on 127.0.0.1 only. The
tracebacks carry the libraries' own file names and line numbers, and the messages are those of
these releases: the file is byte for byte the same with tornado 6.6.1, peewee 4.5.3, dramatiq
2.2.1, aiosmtpd 1.4.6 (atpublic 9.0.0, attrs 26.1.0) and Faker 40.63.0, on Python 3.11.7 on
Linux x86_64 (`pip install tornado==6.6.1 peewee==4.5.3 dramatiq==2.2.1 aiosmtpd==1.4.6`);
other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "twelfth.jsonl"
SEED = 20270107
HELD_OUT_EMITTERS = ("aiosmtpd", "dramatiq", "peewee", "tornado")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("twelfth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
