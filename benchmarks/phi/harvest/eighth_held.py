"""The held-out emitters of the eighth corpus (see `eighth.py`), each a real library run over the
synthetic patients of `eighth_people.py` as the jobs and services of a Django application
handling patients run it (nothing listens: no network at all):

- `sqlalchemy`: SQLAlchemy 2 (ORM and Core) over an in-memory SQLite database in the app's
  registration, contact, billing and eligibility jobs (`eighth_sql.py`), with the
  `sqlalchemy.engine` and `sqlalchemy.pool` loggers at DEBUG, as `echo="debug"` shows them: the
  SQL of each statement, its bound parameters (`[generated in ...]`, `[cached since ... ago]`,
  tuples and `executemany` lists), `Col`/`Row` lines of results, BEGIN/COMMIT/ROLLBACK and pool
  check-outs; and what the jobs log: `IntegrityError`s (UNIQUE, CHECK constraints) and
  `StatementError`s (a date given as a string, a missing bind parameter) with their `[SQL: ...]`
  and `[parameters: ...]` lines, `logger.exception` tracebacks, queries compiled with
  `literal_binds`, legacy raw SQL with inlined values. Products, restocks, appointment slots and
  housekeeping for the benign lines.
- `graphql`: graphql-core executing the patient API's schema (`eighth_graphql.py`), built from
  SDL with a `Date` scalar and resolvers over the patients: queries, searches and contact
  mutations with variables, as a GraphQL view logs them: the operation and its variables, the
  result's `data`, and each `GraphQLError` as `message`, `formatted` (locations, paths) and
  `str(error)` (the message with the offending line of the request and its caret); errors
  from resolvers, variable coercion (`Int cannot represent ...`), validation (unknown fields
  and arguments with suggestions) and syntax errors in requests with inlined literals.
  Inventory, supplier, slot and order queries for the benign lines.
- `icalendar`: appointment invitations built, serialised and parsed with icalendar
  (`eighth_ics.py`): VCALENDAR/VEVENT content lines (`ATTENDEE;CN=...:mailto:...`, `SUMMARY`,
  `DESCRIPTION`, `LOCATION`, yearly birthday greetings with a `VALUE=DATE` start) logged one
  line each, parsed events walked (`event["summary"]`, decoded dates, attendee parameters,
  `repr` of components and of `vText`/`vCalAddress` values), and the parse errors icalendar
  records or raises on replies from patients' calendar clients (`Content line could not be
  parsed into parts`, `Expected datetime, date, or time`). Staff rotas, room bookings, supplier
  deliveries and maintenance windows for the benign lines (folded `.ics` output too).
- `tenacity`: tenacity retrying the app's calls to flaky partners (`eighth_retry.py`): SMS and
  fax gateways, an eligibility API, a geocoder and a card processor whose errors quote the
  patient's value; `before_log`, `after_log` and `before_sleep_log` records (with and without
  `exc_info`), `RetryError`s (their `last_attempt` errors, `logger.exception` tracebacks with
  the chained partner error), `RetryCallState` reprs and `statistics`. Supplier syncs, report
  builds, webhooks and purchase-order e-mails to suppliers for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`). A benign
line is checked once more against every patient (`sixth_held._benign_checked`). Up to `LINES`
distinct lines of each emitter (a seeded choice) are labelled; the driver samples 300 with PHI
and 300 benign of them.

Memory addresses, object ids, paths, statement timings and call durations are replaced by fixed
or seeded values. Needs the `bench` extra (SQLAlchemy, graphql-core, icalendar, tenacity, Faker).
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

import fifth_held  # noqa: E402
from eighth_people import EighthPeople  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402

EMITTERS = ("graphql", "icalendar", "sqlalchemy", "tenacity")
PATIENTS = 520
Row = dict[str, Any]


class EighthFix(FifthFix):
    """`FifthFix`, then the timings this corpus's emitters write (SQLAlchemy's statement
    timings, tenacity's call durations and `RetryCallState` ids) as seeded values."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        # one seeded clock per pattern: a line one pattern misses cannot shift the others' draws
        clocks = [random.Random(seed + 7 + k) for k in range(4)]
        number = r"\d+(?:\.\d+)?(?:e[-+]?\d+)?"
        self.patterns += [
            (
                re.compile(rf"\b(generated in|no key) {number}s"),
                lambda m: f"{m.group(1)} {clocks[0].uniform(0.00003, 0.0009):.5f}s",
            ),
            (
                re.compile(rf"\bcached since {number}s ago"),
                lambda m: f"cached since {clocks[1].uniform(0.001, 4.5):.4g}s ago",
            ),
            (
                re.compile(rf"\bafter {number}\(s\)"),
                lambda m: f"after {clocks[2].uniform(0.01, 2.5):.3g}(s)",
            ),
            (re.compile(r"<RetryCallState \d+:"), lambda m: "<RetryCallState 139871402553104:"),
            (
                re.compile(rf"'(start_time|delay_since_first_attempt)': {number}"),
                lambda m: f"'{m.group(1)}': {clocks[3].uniform(0.01, 900):.6f}",
            ),
        ]


def sqlalchemy_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighth_sql

    with Capture("sqlalchemy.engine", "sqlalchemy.pool", "clinic.db") as cap:
        eighth_sql.drive(seed, patients, cap)
    return cap.lines(EighthFix(seed))


def graphql_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighth_graphql

    with Capture("clinic.graphql") as cap:
        eighth_graphql.drive(seed, patients, cap)
    return cap.lines(EighthFix(seed))


def icalendar_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighth_ics

    with Capture("clinic.calendar") as cap:
        eighth_ics.drive(seed, patients, cap)
    return cap.lines(EighthFix(seed))


def tenacity_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighth_retry

    with Capture("clinic.partners") as cap:
        eighth_retry.drive(seed, patients, cap)
    return cap.lines(EighthFix(seed))


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = EighthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("graphql", graphql_lines, patients[:130]),
        ("icalendar", icalendar_lines, patients[130:260]),
        ("sqlalchemy", sqlalchemy_lines, patients[260:390]),
        ("tenacity", tenacity_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        if only and emitter not in only:
            continue
        lines = _some(lines_of(seed, some), seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    return rows
