"""Harvest a sixteenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/sixteenth.py` writes `benchmarks/phi/sixteenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`authlib`, `opentelemetry-sdk`, `pypdf`, `websockets`; `sixteenth_held.py`), over patients of
their own (`sixteenth_people.py`: Faker names, cities and streets from locales no earlier corpus
used, `ar_AA`, `ar_PS`, `th_TH` and `th`, the Arabic and Thai ones written in Latin letters;
identifier shapes of their own; phones in the national formats of the name's locale), labelled
by the same `harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and 300
benign per emitter). They are what a Django clinic backend runs beside Django and logs patients'
values through in ordinary use: the OpenTelemetry SDK for its traces and logs (the console
exporters' JSON of spans with the attributes an instrumented app sets, their events, error
statuses and recorded exceptions, and of the app's log records through the SDK's
`LoggingHandler`; the SDK's own warnings), Authlib as the SMART-on-FHIR client of a patient
portal's authorization server (authorization URLs, token responses with their launch context,
ID-token claims and their validation errors, userinfo answers, OAuth errors with the server's
descriptions; the server on 127.0.0.1), pypdf for the PDFs the app writes and files (document
information, form fields, extracted text, attachments, encrypted statements, damaged files and
the warnings and errors about them), and websockets for the front desk's live board and the
portal's chat (the handshakes, frames and close frames its loggers write at DEBUG, refused
handshakes, handler failures; server and client on 127.0.0.1).

Written blind: by someone who neither read nor ran the scrubber, nor read its tests, its docs
or the earlier corpora's lines; only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
follow str hashes), every id, date, timestamp and duration is seeded or fixed (the trace and span
ids from a seeded id generator, every span's, event's and log record's time from a seeded clock,
the OAuth tokens, codes, states, nonces and verifiers, the ID tokens' times and the clock Authlib
checks expiry against, the PDFs' dates, the WebSocket handshake's key and the answers' `Date`
header), no clock of this machine is logged, the HTTP server answers one request at a time and
the WebSocket server serves one connection at a time, each waited for, all on 127.0.0.1 only;
the ports shown are fixed ones. The websockets client and server write from several threads:
each connection's records are put in a fixed order once it is closed and its threads joined.
The tracebacks and the SDK's `code.file.path` and stack traces carry the libraries' own file
names, relative to where they are installed, and line numbers, and the messages are those of
these releases: the file is byte for byte the same with opentelemetry-sdk 1.45.2
(opentelemetry-api 1.45.2, opentelemetry-semantic-conventions 0.66b2), Authlib 1.9.10 (joserfc
1.8.0, requests 2.34.2, cryptography 51.0.1), pypdf 7.1.1, websockets 17.4 and Faker 40.63.0,
on Python 3.11.7 on Linux x86_64 (`pip install opentelemetry-sdk==1.45.2 Authlib==1.9.10
pypdf==7.1.1 websockets==17.4`); other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "sixteenth.jsonl"
SEED = 20270607
HELD_OUT_EMITTERS = ("authlib", "opentelemetry-sdk", "pypdf", "websockets")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("sixteenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
