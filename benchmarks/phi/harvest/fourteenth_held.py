"""The held-out emitters of the fourteenth corpus (see `fourteenth.py`), each a real library run
over the synthetic patients of `fourteenth_people.py` as the services and jobs of a Django
application handling patients run it (loopback only: 127.0.0.1):

- `zeep`: the app's SOAP client to a payer's eligibility and an HIE's record-locator service
  (`fourteenth_zeep.py`), a zeep `Client` over a WSDL served, with the service, by a stdlib
  `http.server` on a free loopback port: `zeep.transports`' DEBUG records of each envelope
  posted and answered, the WSDL loading trace, and what the app logs: `Fault`s (message, repr,
  code, the `detail` element), `ValidationError`s, `TypeError`s with the operation's signature,
  `TransportError`s and the zeep objects answered. Pings, formulary, provider directory and
  claim-status calls for the benign lines.
- `ldap3`: the patient portal's and the staff's directory (`fourteenth_ldap.py`), ldap3 over its
  `MOCK_SYNC` strategy (no socket): the `ldap3` logger at its `EXTENDED` detail (operations, the
  requests and responses it sends and receives, cursors and definitions), and what the app logs:
  `conn.result`, entries (`repr`, `entry_to_json`, `entry_to_ldif`), `LDAPException`s with
  tracebacks, `Writer` commits. Staff, groups, devices and rooms for the benign lines.
- `apscheduler`: the app's scheduled jobs (`fourteenth_scheduler.py`), APScheduler 3 on a
  scheduler the driver steps by hand over a fixed clock, jobs run in the calling thread by its
  `DebugExecutor`: the `apscheduler.scheduler` and `apscheduler.executors` records (jobs added,
  run, missed, raising with tracebacks, removed), lookup and conflict errors, `print_jobs`, and
  the app's event listener's lines. Inventory, reports, backups and device pings for the benign
  lines.
- `cerberus`: intake payloads checked with Cerberus (`fourteenth_cerberus.py`): `errors`,
  `document_error_tree` entries, `ValidationError` reprs (with the value), coercion failures,
  normalized documents, `DocumentError`s and `SchemaError`s logged as an app logs them. Orders,
  stock, rooms and device payloads for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (`tenth_held._pieces_shown`). A benign line is
checked once more against every patient (`sixth_held._benign_checked`). Up to
`sixth_held.LINES` distinct lines of each emitter (a seeded choice) are labelled; the driver
samples 300 with PHI and 300 benign of them.

Memory addresses, paths, ports, read times and the scheduler's clock are replaced by fixed or
seeded values; every date and id is drawn from seeded sources. Needs the `bench` extra (Faker)
and zeep, ldap3, APScheduler 3 and Cerberus.

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

held_apart.stand_in_for_test_servers("fourteenth")

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fourteenth_people import FourteenthPeople  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("apscheduler", "cerberus", "ldap3", "zeep")
PATIENTS = 520
Row = dict[str, Any]


class FourteenthFix(FifthFix):
    """`fifth_held.FifthFix`, then the emitter's own replacements (`extra`, in order)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        text = super().__call__(text)
        for fix in self.extra:
            text = fix(text)
        return text


# --- the emitters ---------------------------------------------------------------------------


def zeep_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fourteenth_zeep

    fix = FourteenthFix(seed)
    with Capture("zeep.transports", "zeep.wsdl", "clinic.hie") as cap:
        fourteenth_zeep.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def ldap3_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fourteenth_ldap

    fix = FourteenthFix(seed)
    fix.extra.append(fourteenth_ldap.ReadTimes(seed + 311))
    with Capture("ldap3", "clinic.directory") as cap:
        fourteenth_ldap.drive(seed, patients, cap)
    return cap.lines(fix)


def apscheduler_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fourteenth_scheduler

    fix = FourteenthFix(seed)
    with Capture("apscheduler", "clinic.scheduler") as cap:
        fourteenth_scheduler.drive(seed, patients, cap)
    return cap.lines(fix)


def cerberus_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fourteenth_cerberus

    fix = FourteenthFix(seed)
    with Capture("clinic.intake") as cap:
        fourteenth_cerberus.drive(seed, patients, cap)
    return cap.lines(fix)


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = FourteenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("zeep", zeep_lines, patients[:130]),
        ("ldap3", ldap3_lines, patients[130:260]),
        ("apscheduler", apscheduler_lines, patients[260:390]),
        ("cerberus", cerberus_lines, patients[390:520]),
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
