"""The held-out emitters of the eighteenth corpus (see `eighteenth.py`), each a real library run
over the synthetic patients of `eighteenth_people.py` as the services and jobs of a Django
application handling patients run it (loopback only: 127.0.0.1):

- `backoff`: the app's retrying calls (`eighteenth_backoff.py`), decorated with
  `backoff.on_exception` and `backoff.on_predicate` (exponential, Fibonacci and constant waits,
  jitter, `max_tries`, `max_time`, `giveup`), over patient-facing jobs: SMS reminders and
  eligibility checks posted with `requests` to a loopback fake of the SMS gateway and of the
  insurer (503s, 429s, 404s, refused connections), chart exports and lab result fetches that
  raise the app's own errors or poll until a result is ready. Captured: backoff's own default
  handlers on the `backoff` logger and on a logger of the app's (`Backing off fn(...) for 1.2s
  (requests.exceptions.HTTPError: 503 Server Error: ... for url: ...)`, `Giving up fn(...) after
  4 tries (...)`, the polled value for `on_predicate`), the app's `on_backoff`, `on_giveup` and
  `on_success` handlers logging the details dicts (`args`, `kwargs`, `tries`, `elapsed`,
  `wait`, `exception`, `value`), and what the jobs log around them. Stock syncs, health pings,
  rate refreshes and metric pushes for the benign lines.
- `schedule`: the clinic's in-process scheduler (`eighteenth_schedule.py`), `schedule`'s
  `every(...).do(job, *args, **kwargs)` for each patient (reminder calls, recall letters,
  follow-ups, portal invitations, tagged with the MRN), run by `run_pending()` on a fixed clock:
  the `schedule` logger at DEBUG (`Running job Job(interval=..., unit=..., do=...,
  args=(...), kwargs={...})`, `Cancelling job ...`, `Deleting all jobs tagged "..."`,
  `Running *all* ... jobs`), the app's lines around it (each job's `repr` with its last and
  next run, `get_jobs(tag)`, `idle_seconds()`), and the exceptions of jobs that fail, logged
  by the app's `catch_exceptions` wrapper with their tracebacks. Backups, cache warm-ups,
  report builds and clean-ups for the benign lines.
- `rich`: the app's logging through `rich.logging.RichHandler` (`eighteenth_rich.py`), with
  `rich_tracebacks=True` and `tracebacks_show_locals=True` as many apps configure it, and
  without locals, and `Console.log`, `rich.pretty.pprint`, `print_json` and tables, rendered to
  plain text at fixed console widths (`Console(file=..., width=..., force_terminal=False,
  color_system=None)`): each rendered line is a row (a log shipper's view of the console):
  the time, level and path columns, wrapped messages, the boxes of the tracebacks with their
  code and `locals` panels holding patients' dicts, tables of appointments. Stock, rooms,
  deploys and queue statistics for the benign lines.
- `beartype`: the app's service layer type-checked with `@beartype` (`eighteenth_beartype.py`),
  called with values of the wrong type as real code does (a phone where an int is hinted, a
  dob as a string, a patient dict whose values break a `dict[str, int]` or a `TypedDict`, a
  list of contacts, `Annotated[str, Is[...]]` validators, a dataclass whose methods are
  checked, returns of the wrong type): `BeartypeCallHintParamViolation` and
  `BeartypeCallHintReturnViolation` messages, which quote the offending value's repr, logged by
  the app with `logger.exception`, `logger.warning("... %s", exc)` and `repr(exc)`, and
  `beartype.door`'s `die_if_unbearable`. Stock, rooms and device checks for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`); each
line rich renders is a row of its own. A seeded quarter of the records of `backoff`, `schedule`
and `beartype` is written instead as the app's JSON log handler writes a record, one line (ECS
keys: `@timestamp`, `log.level`, `log.logger`, `message` and, with an exception,
`error.stack_trace`), which keeps no template. A line about a patient that holds one of their
values in a form `harvest.label` does not know, or that shows another patient, is dropped, never
labelled benign (`fifth_held._rows`); so is one that holds a piece of a value cut by an emitter
(`tenth_held._pieces_shown`, and `_cut_by_rich` for a value rich wrapped over two lines), and
one where a patient's four-digit postal code stands as another number (`_stray_postal_code`: a
line number, a port, a count). A benign line is checked once more against every patient
(`sixth_held._benign_checked`). Up to `sixth_held.LINES` distinct lines of each emitter (a seeded
choice) are labelled; the driver samples 300 with PHI and 300 benign of them.

Memory addresses, ports, clocks, durations and paths are replaced by fixed or seeded values; the
libraries' and the standard library's files are shown relative to where they are installed
(`backoff/_sync.py`), wherever they are written. Needs the `bench` extra (Faker) and backoff,
schedule, rich and beartype (and requests, a runtime dependency of the app's HTTP calls).

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import random
import re
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

import held_apart  # noqa: E402

held_apart.stand_in_for_test_servers("eighteenth")

import fifth_held  # noqa: E402
import fresh_held  # noqa: E402
from eighteenth_people import EighteenthPeople  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("backoff", "beartype", "rich", "schedule")
PATIENTS = 520
JSON_SHARE = 0.25
Row = dict[str, Any]


def installed() -> list[str]:
    """Where libraries, the standard library and these modules live, longest first: a file
    below one of them is shown by its path relative to it."""
    places = {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        sysconfig.get_paths()["stdlib"],
        os.path.dirname(os.__file__),
        str(HERE),
    }
    for path in list(places):
        places.add(os.path.realpath(path))
    return sorted(places, key=len, reverse=True)


class EighteenthFix(FifthFix):
    """The installed files relative to where they are installed, wherever they are written,
    then `fifth_held.FifthFix` (memory addresses, paths, ports), then the emitter's own
    replacements (`extra`, in order)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.places = re.compile("|".join(re.escape(p.rstrip("/") + "/") for p in installed()))
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        text = self.places.sub("", text)
        text = super().__call__(text)
        for fix in self.extra:
            text = fix(text)
        return text


class JsonCapture(Capture):
    """`fifth_held.Capture`, with a seeded share of the records written as the app's JSON log
    handler writes them (ECS keys, one line each, a fixed clock moving on a little each
    record)."""

    def __init__(self, seed: int, *names: str, share: float = JSON_SHARE) -> None:
        super().__init__(*names)
        self.seed = seed
        self.share = share

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        self.records[-1]["level"] = record.levelname

    def lines(self, fix: Any) -> list[Line]:
        r = random.Random(self.seed)
        now = datetime.datetime(2026, 10, 5, 6, 0, 0, 0)
        out: list[Line] = []
        for rec in self.records:
            now += datetime.timedelta(milliseconds=r.randint(2, 1900))
            if r.random() >= self.share:
                out += fresh_held._lines(rec, fix, rec["about"])
                continue
            args = rec["args"]
            if isinstance(args, dict):
                args = {k: fresh_held._value(v, fix) for k, v in args.items()}
            elif args:
                args = tuple(fresh_held._value(v, fix) for v in args)
            record = logging.makeLogRecord(
                {"name": rec["name"], "msg": fix(rec["msg"]), "args": args}
            )
            payload: dict[str, Any] = {
                "@timestamp": now.isoformat(timespec="milliseconds") + "Z",
                "log.level": rec.get("level", "INFO").lower(),
                "log.logger": rec["name"],
                "message": record.getMessage(),
            }
            if rec.get("exc"):
                payload["error.stack_trace"] = fix(rec["exc"])
            text = json.dumps(payload, ensure_ascii=False)
            out.append(Line(text, "%s", [text], rec["name"], rec["about"]))
        return out


# --- lines that show a value in pieces or a postal code as another number ---------------------

_BOX = re.compile(r"[\u2500-\u257f\u2190-\u21ff\u276f]")


def _cut_by_rich(line: Line) -> bool:
    """A piece of a patient's value of several words (a street, a town, a phone, a grouped
    number) at the end of a line's text or at the start of it: rich wrapped the value over two
    lines (of a message, a table cell or a panel). `harvest.label` knows whole values only:
    such a line is dropped, never labelled."""
    if not line.patients:
        return False
    text = _BOX.sub(" ", line.text)
    for p in line.patients:
        for name, value in p.planted():
            v = str(value)
            if name == "dob" or not re.search(r"[ /.-]", v):
                continue
            for cut in (m.start() for m in re.finditer(r"[ /.-]", v)):
                head, tail = v[: cut + (v[cut] != " ")].rstrip(), v[cut + 1 :]
                if len(head) >= 3 and re.search(
                    rf"(?<![\w+]){re.escape(head)}(?:['\"]\+\d+|['\"]?,?(?:\s*$|\s{{2,}}))", text
                ):
                    return True
                if (
                    len(tail) >= 3
                    and v not in text
                    and re.search(rf"(?:^|\s{{2,}})['\"]?{re.escape(tail)}(?![\w])", text)
                ):
                    return True
    return False


def _stray_postal_code(line: Line) -> bool:
    """A patient's postal code of four digits standing as another number in a line about
    them: after `line `, `:` (a line number, a port), a digit or a dot, or before a unit.
    `harvest.label` would label it: such a line is dropped."""
    for p in line.patients:
        code = p.zip
        if len(code) != 4:
            continue
        for m in re.finditer(rf"(?<![\w%]){code}(?!\w)", line.text):
            before = line.text[: m.start()]
            after = line.text[m.end() :]
            if re.search(r"(?:line |[\d.:]|\+|0x)$", before):
                return True
            if re.match(r"(?:\.\d|\s*(?:ms|s|tries|bytes|items|rows|jobs)\b)", after):
                return True
    return False


# --- the emitters ---------------------------------------------------------------------------


def backoff_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighteenth_backoff

    fix = EighteenthFix(seed)
    names = ("backoff", "clinic.retry", "clinic.jobs")
    with JsonCapture(seed + 21, *names) as cap:
        eighteenth_backoff.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def schedule_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighteenth_schedule

    fix = EighteenthFix(seed)
    with JsonCapture(seed + 22, "schedule", "clinic.scheduler") as cap:
        eighteenth_schedule.drive(seed, patients, cap)
    return cap.lines(fix)


def rich_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighteenth_rich

    fix = EighteenthFix(seed)
    return eighteenth_rich.drive(seed, patients, fix)


def beartype_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eighteenth_beartype

    fix = EighteenthFix(seed)
    with JsonCapture(seed + 24, "clinic.services", "clinic.api") as cap:
        eighteenth_beartype.drive(seed, patients, cap)
    return cap.lines(fix)


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = EighteenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("backoff", backoff_lines, patients[:130]),
        ("schedule", schedule_lines, patients[130:260]),
        ("rich", rich_lines, patients[260:390]),
        ("beartype", beartype_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        if only and emitter not in only:
            continue
        whole = [
            ln
            for ln in lines_of(seed, some)
            if not (_pieces_shown(ln) or _cut_by_rich(ln) or _stray_postal_code(ln))
        ]
        lines = _some(whole, seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    held_apart.nothing_of_the_project()
    return rows
