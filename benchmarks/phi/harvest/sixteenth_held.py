"""The held-out emitters of the sixteenth corpus (see `sixteenth.py`), each a real library run
over the synthetic patients of `sixteenth_people.py` as the services and jobs of a Django
application handling patients run it (loopback only: 127.0.0.1):

- `opentelemetry-sdk`: the app's tracing and logs through the OpenTelemetry SDK
  (`sixteenth_otel.py`): spans of patient visits, check-ins, eligibility checks, SMS reminders
  and chart queries with the attributes an instrumented app sets (the user, the URL with its
  query, the client's address, the SQL with its literals, the patient's identifiers), their
  events, statuses and recorded exceptions (`exception.stacktrace`), and the app's log records
  through the SDK's `LoggingHandler` (body, attributes, the code's place), all written by
  `ConsoleSpanExporter` and `ConsoleLogExporter` (indented JSON, or one line) into the app's
  log; the SDK's own warnings (attributes of a wrong type, spans ended twice). Health checks,
  nightly reports, stock syncs and cache refreshes for the benign lines.
- `authlib`: the app as a SMART-on-FHIR client of a patient portal's authorization server
  (`sixteenth_oauth.py`), Authlib's `OAuth2Session` (requests) against a server on a free
  loopback port: authorization URLs (`login_hint`, `launch`, PKCE), token responses with their
  launch context (`OAuth2Token`), ID tokens decoded and validated with `authlib.jose`
  (`CodeIDToken` claims, `InvalidClaimError`, `ExpiredTokenError`, `MissingClaimError`,
  `BadSignatureError`), userinfo answers, `OAuthError`s with the server's
  `error_description`, refreshes and revocations, tracebacks. Backend-service tokens, discovery
  documents, staff logins and key sets for the benign lines.
- `pypdf`: intake packets, consent forms, statements and referral letters written with pypdf
  and read back (`sixteenth_pdf.py`): document information (`DocumentInformation`, its
  fields), AcroForm fields (`get_fields`, `get_form_text_fields`), extracted page text, outline
  titles, attachment names, files encrypted with the patient's date of birth and opened with a
  wrong one (`FileNotDecryptedError`, `WrongPasswordError`), damaged files and the `pypdf`
  logger's warnings about them, `PdfReadError` tracebacks. Supply invoices, fax cover sheets and
  staff rosters for the benign lines.
- `websockets`: the front desk's live check-in board and the portal's chat over WebSockets
  (`sixteenth_ws.py`), a `websockets.sync` server on a free loopback port in a thread and its
  client: the `websockets.client` and `websockets.server` DEBUG records (the opening handshake's
  request line and headers, each frame sent and received with its text, close codes and
  reasons, rejected handshakes), and what the app logs: messages, `ConnectionClosed` and
  `InvalidStatus` errors, tracebacks. Queue lengths, room states, heartbeats and versions for
  the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (`tenth_held._pieces_shown`). A benign line is
checked once more against every patient (`sixth_held._benign_checked`). Up to
`sixth_held.LINES` distinct lines of each emitter (a seeded choice) are labelled; the driver
samples 300 with PHI and 300 benign of them.

Memory addresses, thread ids, ports, clocks, trace and span ids, WebSocket keys and paths are
replaced by fixed or seeded values; the libraries' and the standard library's files are shown
relative to where they are installed (`authlib/jose/rfc7519/claims.py`), wherever they are
written (a traceback's `File "..."`, a stack trace inside JSON, a log record's
`code.file.path`). Needs the `bench` extra (Faker) and opentelemetry-sdk, authlib (requests),
pypdf (cryptography) and websockets.

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

held_apart.stand_in_for_test_servers("sixteenth")

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixteenth_people import SixteenthPeople  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("authlib", "opentelemetry-sdk", "pypdf", "websockets")
PATIENTS = 520
Row = dict[str, Any]
_SPAN_ID = re.compile(r'(?<=")0x(?=[0-9a-f]{16}")')


def _installed() -> list[str]:
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


class SixteenthFix(FifthFix):
    """The installed files relative to where they are installed, wherever they are written,
    then `fifth_held.FifthFix`, then the emitter's own replacements (`extra`, in order)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.places = re.compile("|".join(re.escape(p.rstrip("/") + "/") for p in _installed()))
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        text = self.places.sub("", text)
        # seeded span ids (`"0x" + 16 hex digits` in JSON) are not memory addresses: kept
        text = _SPAN_ID.sub("0\ue000x", text)
        text = super().__call__(text).replace("0\ue000x", "0x")
        for fix in self.extra:
            text = fix(text)
        return text


# --- the emitters ---------------------------------------------------------------------------


def otel_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixteenth_otel

    fix = SixteenthFix(seed)
    with Capture("opentelemetry", "clinic.telemetry") as cap:
        sixteenth_otel.drive(seed, patients, cap)
    return cap.lines(fix)


def authlib_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixteenth_oauth

    fix = SixteenthFix(seed)
    with Capture("authlib", "clinic.smart") as cap:
        sixteenth_oauth.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def pypdf_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixteenth_pdf

    fix = SixteenthFix(seed)
    with Capture("pypdf", "clinic.documents") as cap:
        sixteenth_pdf.drive(seed, patients, cap)
    return cap.lines(fix)


def websockets_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixteenth_ws

    fix = SixteenthFix(seed)
    with Capture() as cap:  # the emitter hands its records on itself, in a fixed order
        sixteenth_ws.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = SixteenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("opentelemetry-sdk", otel_lines, patients[:130]),
        ("authlib", authlib_lines, patients[130:260]),
        ("pypdf", pypdf_lines, patients[260:390]),
        ("websockets", websockets_lines, patients[390:520]),
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
