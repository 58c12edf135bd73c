"""The held-out emitters of the fifth corpus (see `fifth.py`), each a real library or server run
over the synthetic patients of `fifth_people.py`, loopback only (127.0.0.1):

- `httpx`: the app calling partner APIs with httpx (a real `httpx.Client` over httpcore): an
  insurer's eligibility and claims API, a FHIR server and an SMS gateway, all served by a stdlib
  `http.server.ThreadingHTTPServer` on a free loopback port. Captured: `httpx`'s INFO request
  lines, `httpcore`'s DEBUG trace (response headers echo member ids, MRNs, phones), and the
  app's own lines about responses, `raise_for_status()`'s `HTTPStatusError`s (two lines each),
  timeouts, refused connections and `logger.exception` tracebacks. Inventory, slots, orders,
  health checks and versions for the benign lines.
- `jsonschema`: incoming patient payloads (intake, coverage, SMS consent, FHIR-like bundles)
  validated by `Draft202012Validator` with a format checker; logged as an app logs them:
  `error.message`, `str(error)` (the multi-line form with the schema and the instance dumped),
  `best_match`, `iter_errors` with `json_path`, `relative_path` and `validator`, `anyOf`/`oneOf`
  context errors. Orders, products, slots and stock payloads for the benign lines.
- `rq`: a real `redis-server` started from /usr/bin/redis-server on a free loopback port
  (stopped by its pid); jobs with patients' values in their arguments (reminders, eligibility
  checks, statements, record exports) enqueued and run by a real rq worker in burst mode
  (`SimpleWorker`, in this process); `rq.worker` and `rq.queue` records: job descriptions,
  results, failures with their tracebacks, retries. Inventory syncs, report builds and
  clean-ups for the benign lines.
- `auditlog`: django-auditlog over a small Django project (`fifth_site`, SQLite in a temp dir):
  patients, coverages and contacts created, edited and deleted, with and without an actor and a
  remote address (`set_actor`); each `LogEntry` logged as an app logs it: `str(entry)`,
  `entry.changes` (dict and JSON, escaped and not), `changes_str`, `changes_display_dict`,
  `object_repr`, `remote_addr`, and `auditlog.diff.model_instance_diff`. Products, orders and
  slots edited by staff for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know (an
escaped name, a lower-cased city, a date in another format, the year of birth alone) or that
shows another patient is dropped, never labelled benign (`fresh_held`'s checks, plus the year).

Ports, pids, job ids, memory addresses, temp dirs and paths are replaced by fixed or seeded
values. Needs the `bench` extra (httpx, rq, django-auditlog, jsonschema, Faker) and Debian's
redis-server. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

import fresh_held  # noqa: E402
from fifth_people import FifthPeople  # noqa: E402
from fresh_held import Fix, Line  # noqa: E402
from harvest import renderings  # noqa: E402
from patients import Patient  # noqa: E402

EMITTERS = ("auditlog", "httpx", "jsonschema", "rq")
PATIENTS = 480
Row = dict[str, Any]
_PRIMITIVE = (str, int, float, bool, type(None))
_FORMATTER = logging.Formatter()


# --- capture ----------------------------------------------------------------------------------


def _arg(value: Any) -> Any:
    if isinstance(value, _PRIMITIVE):
        return value
    return {"str": str(value), "repr": repr(value)}


class Capture(logging.Handler):
    """Keeps the records of the loggers it is attached to, as `fresh_site/jsonlog.py` writes
    them, with the patients whose action was running."""

    def __init__(self, *names: str) -> None:
        super().__init__(logging.DEBUG)
        self.names = names
        self.records: list[dict[str, Any]] = []
        self.patients: list[Patient] = []
        self.loggers: list[tuple[logging.Logger, int, bool]] = []
        # rq: the patients of each job id, and the job the worker is at (records follow it)
        self.jobs: dict[str, list[Patient]] = {}
        self.current: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        args: Any = record.args
        about = list(self.patients)
        if self.jobs:
            values = list(args.values()) if isinstance(args, dict) else list(args or ())
            for value in values:
                if isinstance(value, str) and value in self.jobs:
                    self.current = value
            about = list(self.jobs.get(self.current or "", []))
            if isinstance(args, tuple) and "PID" in str(record.msg):
                args = tuple(4242 if v == os.getpid() else v for v in args)
        if isinstance(args, dict):
            args = {k: _arg(v) for k, v in args.items()}
        elif args:
            args = [_arg(v) for v in args]
        else:
            args = None
        exc = None
        if record.exc_info:
            exc = _FORMATTER.formatException(record.exc_info)
        elif record.exc_text:
            exc = record.exc_text
        self.records.append(
            {
                "name": record.name,
                "msg": str(record.msg),
                "args": args,
                "exc": exc,
                "about": about,
            }
        )

    def __enter__(self) -> Capture:
        for name in self.names:
            logger = logging.getLogger(name)
            self.loggers.append((logger, logger.level, logger.propagate))
            logger.addHandler(self)
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
        return self

    def __exit__(self, *exc: object) -> None:
        for logger, level, propagate in self.loggers:
            logger.removeHandler(self)
            logger.setLevel(level)
            logger.propagate = propagate

    @contextlib.contextmanager
    def about(self, *patients: Patient | None) -> Iterator[None]:
        self.patients = [p for p in patients if p is not None]
        try:
            yield
        finally:
            self.patients = []

    def lines(self, fix: Fix) -> list[Line]:
        out: list[Line] = []
        for rec in self.records:
            out += fresh_held._lines(rec, fix, rec["about"])
        return out


class FifthFix(Fix):
    """`fresh_held.Fix`, then this corpus's own replacements (ports, pids, ids)."""

    def __init__(self, seed: int, tmp: Path | None = None) -> None:
        super().__init__(seed, tmp)
        self.subs: list[tuple[str, str]] = []
        self.patterns: list[tuple[re.Pattern[str], str]] = [
            (re.compile(r"\b0:00:0\d\.\d{6}\b"), "0:00:00.004127"),  # rq's job durations
        ]

    def port(self, real: int, shown: int) -> None:
        self.subs += [
            (f"127.0.0.1:{real}", f"127.0.0.1:{shown}"),
            (f"port={real}", f"port={shown}"),
        ]
        self.subs += [(f"localhost:{real}", f"localhost:{shown}")]

    def __call__(self, text: str) -> str:
        text = super().__call__(text)
        for real, fake in self.subs:
            text = text.replace(real, fake)
        for pattern, fake in self.patterns:
            text = pattern.sub(fake, text)
        return text


def _year_shown(line: Line) -> bool:
    """A patient's year of birth alone, outside a labelled date (`Jan. 2, 1980`, `1980-01`)."""
    years = {str(p.dob.year) for p in line.patients}
    if not years:
        return False
    rest = line.text
    for p in line.patients:
        for form in sorted(renderings(p.dob), key=len)[::-1]:
            rest = rest.replace(form, " ")
    return any(re.search(rf"(?<!\d){y}(?!\d)", rest) for y in years)


def _rows(emitter: str, lines: list[Line], everyone: list[Patient]) -> list[Row]:
    """The labelled rows of the distinct lines (the first of each text: the sample keeps one)."""
    seen: set[str] = set()
    distinct: list[Line] = []
    for line in lines:
        if line.text not in seen:
            seen.add(line.text)
            distinct.append(line)
    return fresh_held._rows(emitter, [ln for ln in distinct if not _year_shown(ln)], everyone)


# --- httpx ------------------------------------------------------------------------------------


def httpx_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifth_partners

    fix = FifthFix(seed)
    with (
        fifth_partners.serving() as (port, closed_port),
        Capture("httpx", "httpcore", "clinic") as cap,
    ):
        fix.port(port, 8443)
        fix.port(closed_port, 8444)
        fifth_partners.drive(seed, port, closed_port, patients, cap)
    return cap.lines(fix)


# --- jsonschema -------------------------------------------------------------------------------


def jsonschema_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifth_intake

    with Capture("clinic.intake") as cap:
        fifth_intake.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


# --- rq ---------------------------------------------------------------------------------------


def rq_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifth_jobs

    with Capture("rq") as cap:
        fifth_jobs.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


# --- auditlog ---------------------------------------------------------------------------------


def auditlog_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifth_audit

    with tempfile.TemporaryDirectory(prefix="harvest-fifth-") as name:
        tmp = Path(name)
        fifth_audit.setup(tmp)
        with Capture("clinic.audit", "auditlog") as cap:
            fifth_audit.drive(seed, patients, cap)
        return cap.lines(FifthFix(seed, tmp))


# --- collect ----------------------------------------------------------------------------------


def collect(seed: int) -> list[Row]:
    people = FifthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    rows: list[Row] = []
    rows += _rows("auditlog", auditlog_lines(seed, patients[370:480]), patients)
    rows += _rows("httpx", httpx_lines(seed, patients[:150]), patients)
    rows += _rows("jsonschema", jsonschema_lines(seed, patients[150:270]), patients)
    rows += _rows("rq", rq_lines(seed, patients[270:370]), patients)
    return rows
