"""Harvest a fourteenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/fourteenth.py` writes `benchmarks/phi/fourteenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`apscheduler`, `cerberus`, `ldap3`, `zeep`; `fourteenth_held.py`), over patients of their own
(`fourteenth_people.py`: Faker names, cities and streets from locales no earlier corpus used,
`bn_BD`, `en`, `or_IN` and `si_LK`, the Bengali, Odia and Sinhala ones written in Latin letters;
identifier shapes of their own), labelled by the same `harvest.label` and sampled like
`unseen.py` (up to 300 lines with PHI and 300 benign per emitter). They are what a Django clinic
backend runs beside Django and logs patients' values through in ordinary use: zeep for the SOAP
calls to a payer's eligibility and an HIE's record-locator service (served on 127.0.0.1: the
envelopes zeep logs, faults with their details, validation and signature errors, the objects
answered), ldap3 for the patient portal's and the staff's directory (its own log at `EXTENDED`
detail over the `MOCK_SYNC` strategy: requests, responses, cursors; entries, results and
exceptions), APScheduler for the scheduled jobs (jobs added, run, missed, failing with
tracebacks, removed; id conflicts and look-ups, listings, the listener's lines), and Cerberus for
the intake payloads (errors, `ValidationError` reprs with their values, coercion failures,
normalized documents, documents that are not mappings).

Written blind: by someone who neither read nor ran the scrubber, nor read its tests, its docs
or the earlier corpora's lines; only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
follow str hashes), every id, date and duration is seeded or fixed, no clock is logged (the
scheduler's and its executors' `datetime.now` read a clock the driver moves; ldap3's read and
execution times are replaced), the SOAP server's thread answers one request at a time, each
waited for, and listens on 127.0.0.1 only. The tracebacks carry the libraries' own file names and
line numbers, and the messages are those of these releases: the file is byte for byte the same
with zeep 4.3.3 (lxml 6.2.0, requests 2.34.2, isodate 0.7.2), ldap3 2.9.1 (pyasn1 0.6.5),
APScheduler 3.11.3 (tzlocal 5.4.5), Cerberus 1.3.8 and Faker 40.63.0, on Python 3.11.7 on Linux
x86_64 (`pip install zeep==4.3.3 lxml==6.2.0 ldap3==2.9.1 APScheduler==3.11.3
Cerberus==1.3.8`); other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "fourteenth.jsonl"
SEED = 20270304
HELD_OUT_EMITTERS = ("apscheduler", "cerberus", "ldap3", "zeep")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("fourteenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
