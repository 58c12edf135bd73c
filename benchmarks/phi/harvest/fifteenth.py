"""Harvest a fifteenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/fifteenth.py` writes `benchmarks/phi/fifteenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`django-anymail`, `paramiko`, `stripe`, `xmlschema`; `fifteenth_held.py`), over patients of
their own (`fifteenth_people.py`: Faker names, cities and streets from locales no earlier corpus
used, `ar_DZ`, `ar_SA`, `fa_IR` and `he_IL`, the Arabic, Persian and Hebrew ones written in Latin
letters; identifier shapes of their own; phones in the national formats of the name's locale),
labelled by the same `harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and
300 benign per emitter). They are what a Django clinic backend runs beside Django and logs
patients' values through in ordinary use: Stripe's library for patient billing (its own
`stripe` logger at DEBUG: each request with its form-encoded parameters, each response body,
API errors and retries; the objects, errors and webhook events the app logs; the API served on
127.0.0.1), django-anymail for the clinic's e-mail through Postmark and Brevo (its
`DEBUG_API_REQUESTS` dumps of requests and responses, send statuses, API errors, refused and
invalid addresses, the tracking events of its webhook view; the ESPs served on 127.0.0.1),
paramiko for the SFTP exchange with a clearinghouse and a lab (its transport and SFTP records
with the paths of the files sent and fetched, listings, I/O errors, refused logins; client and
server over a socket pair), and xmlschema for the XML documents received and sent (referrals,
eligibility answers, lab orders, e-prescriptions, card authorizations: validation and decoding
errors with the instance and its path, decoded documents, tracebacks).

Written blind: by someone who neither read nor ran the scrubber, nor read its tests, its docs
or the earlier corpora's lines; only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
follow str hashes), every id, date, timestamp and duration is seeded or fixed (the Stripe and ESP
servers' ids and dates, the message ids Anymail draws, the answers' `Date` headers, the SSH host
key), no clock is logged, the HTTP servers' threads answer one request at a time, each waited
for, and listen on 127.0.0.1 only; the ports shown are fixed ones. paramiko's client writes from
two threads: each connection's records are put in a fixed order once it is closed and its
threads joined, and the few that the closing races are left out; file times are shown in UTC.
The tracebacks carry the libraries' own file names, relative to where they are installed, and
line numbers, and the messages are those of these releases: the file is byte for byte the same
with stripe 16.1.0 (requests 2.34.2), django-anymail 15.2 (Django 5.2.19), paramiko 5.1.0
(cryptography 51.0.1, bcrypt 5.0.0, PyNaCl 1.6.2), xmlschema 4.3.2 (elementpath 5.1.4) and
Faker 40.63.0, on Python 3.11.7 on Linux x86_64 (`pip install stripe==16.1.0
django-anymail==15.2 paramiko==5.1.0 xmlschema==4.3.2`); other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "fifteenth.jsonl"
SEED = 20270419
HELD_OUT_EMITTERS = ("django-anymail", "paramiko", "stripe", "xmlschema")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("fifteenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
