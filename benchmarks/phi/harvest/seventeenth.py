"""Harvest a seventeenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/seventeenth.py` writes `benchmarks/phi/seventeenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`pynetdicom`, `slack_sdk`, `elasticsearch`, `voluptuous`; `seventeenth_held.py`), over patients
of their own (`seventeenth_people.py`: names, cities and streets of five countries whose Faker
locales no earlier corpus used, `sq_AL`, `bs_BA`, `mt_MT`, `es_VE` and `lb_LU`, drawn by those
locales' seeded Fakers from that module's own lists, since Faker has no person nor address
provider for them; identifier shapes of their own; phones in the national formats of the name's
locale), labelled by the same `harvest.label` and sampled like `unseen.py` (up to 300 lines with
PHI and 300 benign per emitter). They are what a Django clinic backend runs beside Django and
logs patients' values through in ordinary use: pynetdicom for its imaging bridge (an SCP and
SCU on 127.0.0.1 with `debug_logger()`'s DEBUG output: association summaries, DIMSE messages,
C-FIND identifiers dumped element by element, C-STORE statuses, rejected and aborted
associations, handler exceptions and their tracebacks, and the app's own lines, stored datasets
as pydicom prints them), slack_sdk for alerts to the staff's channels (a `WebClient` and
`WebhookClient`s against a loopback fake of Slack; the SDK's DEBUG lines with each request's and
response's payload, `SlackApiError` messages, rate limits and retries, blocks and attachments
with patients' details), the Elasticsearch client for the front desk's patient search (against
a loopback fake of Elasticsearch: `elastic_transport`'s request lines and its DEBUG dumps of
each request's and response's headers and body, query DSL with names, phones and e-mails,
`BulkIndexError`, `BadRequestError` for a mapping that refuses a value, `NotFoundError`,
`ConflictError`, retries) and voluptuous for intake payloads and settings (`MultipleInvalid` and
`Invalid` messages and paths, `humanize_error`'s lines, which quote the offending values). A
quarter of each emitter's records is written as the app's JSON log handler writes them, one line
each, the rest as plain messages.

Written blind: by someone who neither read nor ran the scrubber, nor read its tests, its docs
or the earlier corpora's lines; only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
and pynetdicom's proposed transfer syntaxes follow str hashes), every id, UID, date, timestamp
and duration is seeded or fixed (DICOM UIDs under pydicom's root from a seeded source, message
ids from a counter, study dates from a seeded calendar; Slack channel ids, message `ts` and
request ids; the Elasticsearch transport's, node's and node pool's clock; the JSON lines' `time`
from a fixed clock), no clock of this machine is logged, the HTTP servers answer one request at
a time and the DICOM associations follow one another, each waited for, all on 127.0.0.1 only;
the ports shown are fixed ones (11112 for the archive, 8088 for Slack, 9200 for Elasticsearch,
one more each for a port nothing listens on), and the kernel release slack_sdk puts in its
User-Agent is a fixed one. pynetdicom's SCU, the SCP's association threads and both DUL
reactors write at once: each association's records are put in a fixed order once it has ended
and its threads are joined. The tracebacks carry the libraries' own file names, relative to
where they are installed, and line numbers, and the messages are those of these releases: the
file is byte for byte the same with pynetdicom 3.0.4 (pydicom 3.0.2), slack_sdk 3.48.0,
elasticsearch 9.5.1 (elastic-transport 9.4.2, urllib3 2.8.0), voluptuous 0.16.0 and Faker
40.63.0, on Python 3.11.7 on Linux x86_64 (`pip install pynetdicom==3.0.4 slack_sdk==3.48.0
elasticsearch==9.5.1 voluptuous==0.16.0`); other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "seventeenth.jsonl"
SEED = 20270812
HELD_OUT_EMITTERS = ("elasticsearch", "pynetdicom", "slack_sdk", "voluptuous")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("seventeenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
