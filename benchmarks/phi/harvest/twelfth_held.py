"""The held-out emitters of the twelfth corpus (see `twelfth.py`), each a real library run over
the synthetic patients of `twelfth_people.py` as the services and jobs of a Django application
handling patients run it (loopback only: 127.0.0.1):

- `tornado`: the app's patient-portal and lab-results service (`twelfth_tornado.py`), a Tornado
  application behind a proxy on a free loopback port, called by Tornado's `AsyncHTTPClient` in
  the same event loop: `tornado.access` lines, `tornado.general`'s `HTTPError` messages and
  malformed requests, `tornado.application`'s uncaught exceptions (the request's `repr` and the
  traceback), and what the app logs about its calls. Health checks, static files, slots,
  orders, inventory, devices and metrics for the benign lines.
- `peewee`: the reminder and billing service's store (`twelfth_peewee.py`), peewee models over
  SQLite in memory: the `peewee` logger's `(sql, params)` records, `IntegrityError`s,
  `DoesNotExist` messages with their SQL and params, `OperationalError`s of raw SQL, queries'
  SQL, `model_to_dict` dicts and tracebacks. Products, stock, purchase orders and devices for
  the benign lines.
- `dramatiq`: the background jobs (`twelfth_dramatiq.py`), Dramatiq actors on a `StubBroker`
  run by a real worker thread: the worker's, the actors' and the `Retries` middleware's
  records, failure callbacks and dead letters, with tracebacks. Inventory syncs, reports,
  device pings and clean-ups for the benign lines.
- `aiosmtpd`: the mail relay (`twelfth_smtp.py`), an aiosmtpd server whose handler builds on
  `Debugging`, and the app sending through it with `smtplib` at debug level 1: the client's
  debug lines, the server's `mail.log` records, the printed messages and the app's lines about
  refusals. Supply orders, device alerts, batch totals, newsletters and backups to staff
  mailboxes for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (`tenth_held._pieces_shown`). A benign line is
checked once more against every patient (`sixth_held._benign_checked`). Up to
`sixth_held.LINES` distinct lines of each emitter (a seeded choice) are labelled; the driver
samples 300 with PHI and 300 benign of them.

Memory addresses, paths, ports, message ids, savepoint names, epoch milliseconds and durations
are replaced by fixed or seeded values; every date and id is drawn from seeded sources. Needs
the `bench` extra (Faker) and tornado, peewee, dramatiq and aiosmtpd.

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

import held_apart  # noqa: E402

held_apart.stand_in_for_test_servers("twelfth")

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402
from twelfth_people import TwelfthPeople  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("aiosmtpd", "dramatiq", "peewee", "tornado")
PATIENTS = 520
Row = dict[str, Any]


class TwelfthFix(FifthFix):
    """`fifth_held.FifthFix`, then the emitter's own replacements (`extra`, in order). A printed
    message's own `Date:` and `Message-ID:` header lines, already seeded, are kept as sent
    (`fresh_held.Fix` would draw new ones for them)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        if not text.lower().startswith(("date: ", "message-id: ")):
            text = super().__call__(text)
        for fix in self.extra:
            text = fix(text)
        return text


# --- the emitters ---------------------------------------------------------------------------


def tornado_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import twelfth_tornado

    fix = TwelfthFix(seed)
    with Capture("tornado", "clinic.portal") as cap:
        twelfth_tornado.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def peewee_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import twelfth_peewee

    fix = TwelfthFix(seed)
    fix.extra.append(twelfth_peewee.Savepoints(seed + 241))
    with Capture("peewee", "clinic.store") as cap:
        twelfth_peewee.drive(seed, patients, cap)
    return cap.lines(fix)


def dramatiq_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import twelfth_dramatiq

    fix = TwelfthFix(seed)
    fix.extra.append(twelfth_dramatiq.Ids(seed + 229))
    with Capture("dramatiq", "clinic.tasks") as cap:
        twelfth_dramatiq.drive(seed, patients, cap)
    return cap.lines(fix)


def aiosmtpd_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import twelfth_smtp

    fix = TwelfthFix(seed)
    fix.extra.append(twelfth_smtp.Ports(seed + 251))
    with Capture("smtplib", "aiosmtpd", "clinic.mail") as cap:
        twelfth_smtp.drive(seed, patients, cap)
    return cap.lines(fix)


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = TwelfthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("tornado", tornado_lines, patients[:130]),
        ("peewee", peewee_lines, patients[130:260]),
        ("dramatiq", dramatiq_lines, patients[260:390]),
        ("aiosmtpd", aiosmtpd_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        if only and emitter not in only:
            continue
        whole = [ln for ln in lines_of(seed, some) if not _pieces_shown(ln)]
        lines = _some(whole, seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    held_apart.nothing_of_the_project()
    return rows
