"""Harvest an eighteenth held-out corpus from emitters nobody has tuned on or looked at:
`python benchmarks/phi/harvest/eighteenth.py` writes `benchmarks/phi/eighteenth.jsonl`.

Four emitters chosen before any was written, none used by the earlier corpora, all held out
(`backoff`, `schedule`, `rich`, `beartype`; `eighteenth_held.py`), over patients of their own
(`eighteenth_people.py`: names, towns with their postal codes and streets of four places whose
locales no earlier corpus used, `am_ET` (Ethiopia, names in Latin letters), `el_CY` (Cyprus,
Greek Cypriot names in Latin letters), `sr_BA` (Republika Srpska, Serbian names in Latin script)
and `it_CH` (Ticino), drawn by those locales' seeded Fakers from that module's own lists, since
Faker has no person nor address provider for them; identifier shapes of their own; phones in the
national formats of the name's locale; postal codes as those countries write them), labelled by
the same `harvest.label` and sampled like `unseen.py` (up to 300 lines with PHI and 300 benign
per emitter). They are what a Django clinic backend runs beside Django and logs patients' values
through in ordinary use: backoff for its retried calls and jobs (SMS reminders, eligibility
checks, address checks, portal invitations over `requests` to loopback fakes of the gateway and
the insurer, chart exports and lab result polls: backoff's own `Backing off fn(...) for ...` and
`Giving up fn(...) after ...` lines with the exception or the polled value, and the app's
`on_backoff`/`on_giveup`/`on_success` handlers logging the details dicts with `args` and
`kwargs`), schedule for its in-process scheduler (`every(...).do(job, *args, **kwargs)` per
patient, `Running job Job(...)` with the job's arguments, job `repr`s with their last and next
runs, cancellations, clears by tag, failing jobs' tracebacks), rich for its console logging
(`RichHandler` with `rich_tracebacks=True`, with and without `tracebacks_show_locals=True`,
`Console.log`, `pretty.pprint`, `print_json` and tables, rendered as plain text at fixed widths,
one row per rendered line: boxes of tracebacks with their code and locals panels holding
patients' dicts) and beartype for its type-checked service layer (`BeartypeCallHintParamViolation`,
`BeartypeCallHintReturnViolation` and `BeartypeDoorHintViolation` messages quoting the offending
values, logged with `logger.exception`, `logger.warning("... %s", exc)` and `repr`). A quarter of
the records of backoff, schedule and beartype is written as the app's JSON log handler writes
them (ECS keys), one line each, the rest as plain messages.

Written blind: by someone who neither read nor ran the scrubber, nor read its tests, its docs
or the earlier corpora's lines; only the earlier harvesters, for their interface and labelling.

The same file on every run: the driver runs itself again with `PYTHONHASHSEED=0` (Faker's draws
follow str hashes), every id, date, timestamp and duration is seeded or fixed (backoff's and
schedule's `datetime` read a fake clock that their waits move on, their `time.sleep` does not
wait; backoff's jitter, schedule's random intervals and beartype's choice of the container item
it checks come from the `random` module seeded by the emitters; rich's time column and
`Console.log` times from a fixed clock; the JSON lines' `@timestamp` from a fixed clock), no
clock of this machine is logged, the loopback fakes answer one request at a time on 127.0.0.1
only, and the ports shown are fixed ones (18080 for the fakes, 18081 for the port nothing
listens on). The tracebacks carry the libraries' and the standard library's own file names,
relative to where they are installed, and line numbers, and the messages are those of these
releases: the file is byte for byte the same with backoff 2.2.1, schedule 1.2.2, rich 15.0.0
(Pygments 2.21.0), beartype 0.23.1, requests 2.34.2 (urllib3 2.8.0) and Faker 40.63.0, on Python
3.11.7 on Linux x86_64 (`pip install backoff==2.2.1 schedule==1.2.2 rich==15.0.0
beartype==0.23.1`); other releases write other lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from harvest import with_fixed_hash_seed, write_corpus  # noqa: E402
from unseen import held_out_rows  # noqa: E402

OUT = HERE.parent / "eighteenth.jsonl"
SEED = 20271019
HELD_OUT_EMITTERS = ("backoff", "beartype", "rich", "schedule")


def main() -> int:
    with_fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=None, help="emitters to harvest (testing)")
    options = parser.parse_args()
    write_corpus(
        held_out_rows("eighteenth_held", HELD_OUT_EMITTERS, SEED, only=options.only), options.out
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
