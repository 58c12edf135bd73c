"""The held-out emitters of the fifteenth corpus (see `fifteenth.py`), each a real library run
over the synthetic patients of `fifteenth_people.py` as the services and jobs of a Django
application handling patients run it (loopback only: 127.0.0.1):

- `stripe`: the app's patient billing (`fifteenth_stripe.py`), Stripe's Python library over a
  Stripe-shaped API served by a stdlib `http.server` on a free loopback port: the `stripe`
  logger's records (each request, its form-encoded parameters, each response and its body,
  dashboard links, API errors, retries), and what the app logs: the objects answered (their
  `str` and `repr`, JSON over several lines), `StripeError`s (`str`, `repr`, `user_message`,
  the error body, tracebacks), connection errors against a closed loopback port, webhook
  events' objects and signature errors. Products, prices, balance, payouts, events and webhook
  endpoints for the benign lines.
- `django-anymail`: the app's e-mail (appointment reminders, statements, results notices, portal
  invitations) sent with Django's `EmailMessage` through Anymail's Postmark and Brevo
  backends, their APIs served on a free loopback port (`fifteenth_anymail.py`): Anymail's
  `DEBUG_API_REQUESTS` dump of each request and response (which it prints: captured and logged
  line by line), and what the app logs: `anymail_status` (its `repr`, recipients and their
  statuses), `AnymailRequestsAPIError`s with the ESP's answer, `AnymailRecipientsRefused`,
  `AnymailInvalidAddress` and tracebacks, and the tracking events of Anymail's webhook views
  (the normalized `AnymailTrackingEvent`'s fields and the ESP's raw event). Staff notices,
  supply orders and reports for the benign lines.
- `paramiko`: the app's file exchange with a clearinghouse and a reference lab over SFTP
  (`fifteenth_sftp.py`), paramiko's client against paramiko's own SFTP server (an in-memory
  file system) over a socket pair, a connection per batch: the `paramiko.transport` and
  `paramiko.transport.sftp` records (the handshake, authentication, channels, each operation
  with its paths), and what the app logs: listings (`SFTPAttributes`), `IOError`s with paths,
  `SSHException`s of refused logins, tracebacks. Remittance files, batch acknowledgements,
  price lists and logs for the benign lines.
- `xmlschema`: XML documents the app receives and sends (referrals, eligibility responses, lab
  orders, e-prescriptions) checked with `xmlschema` against XSDs of their own
  (`fifteenth_xmlschema.py`): validation and decoding errors (`str` over many lines: reason,
  schema component, the instance, path; `repr`, `reason`, `path`, `message`), `iter_errors`,
  `to_dict` results and `lax` decodings with their errors, and `XMLSchemaParseError`s of a
  schema edited wrong. Inventory, device, schedule and formulary documents for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (`tenth_held._pieces_shown`). A benign line is
checked once more against every patient (`sixth_held._benign_checked`). Up to
`sixth_held.LINES` distinct lines of each emitter (a seeded choice) are labelled; the driver
samples 300 with PHI and 300 benign of them.

Memory addresses, thread ids, ports, dates of the HTTP answers and paths are replaced by fixed or
seeded values; the libraries' file names in tracebacks are shown relative to where they are
installed (`stripe/_api_requestor.py`), the standard library's too; every date and id is drawn
from seeded sources. Needs the `bench` extra (Faker) and stripe, django-anymail (Django),
paramiko and xmlschema.

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import os
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

held_apart.stand_in_for_test_servers("fifteenth")

import fifth_held  # noqa: E402
from fifteenth_people import FifteenthPeople  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("django-anymail", "paramiko", "stripe", "xmlschema")
PATIENTS = 520
Row = dict[str, Any]


def _installed() -> list[str]:
    """Where libraries and the standard library live, longest first: a traceback shows a file
    below one of them by its path relative to it."""
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


class FifteenthFix(FifthFix):
    """The files of tracebacks relative to where they are installed, then `fifth_held.FifthFix`,
    then the emitter's own replacements (`extra`, in order)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.places = [re.escape(p.rstrip("/") + "/") for p in _installed()]
        self.file = re.compile(r'(File ")(?:' + "|".join(self.places) + ")")
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        text = self.file.sub(r"\1", text)
        text = super().__call__(text)
        for fix in self.extra:
            text = fix(text)
        return text


# --- the emitters ---------------------------------------------------------------------------


def stripe_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifteenth_stripe

    fix = FifteenthFix(seed)
    with Capture("stripe", "clinic.billing") as cap:
        fifteenth_stripe.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def anymail_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifteenth_anymail

    fix = FifteenthFix(seed)
    with Capture("anymail", "clinic.mail") as cap:
        fifteenth_anymail.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def paramiko_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifteenth_sftp

    fix = FifteenthFix(seed)
    fix.extra.append(fifteenth_sftp.fixed)
    with Capture("paramiko", "clinic.exchange") as cap:
        fifteenth_sftp.drive(seed, patients, cap)
    return cap.lines(fix)


def xmlschema_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import fifteenth_xmlschema

    fix = FifteenthFix(seed)
    with Capture("xmlschema", "clinic.documents") as cap:
        fifteenth_xmlschema.drive(seed, patients, cap)
    return cap.lines(fix)


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = FifteenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("stripe", stripe_lines, patients[:130]),
        ("django-anymail", anymail_lines, patients[130:260]),
        ("paramiko", paramiko_lines, patients[260:390]),
        ("xmlschema", xmlschema_lines, patients[390:520]),
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
