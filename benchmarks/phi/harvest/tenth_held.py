"""The held-out emitters of the tenth corpus (see `tenth.py`), each a real library run over the
synthetic patients of `tenth_people.py` as the jobs and services of a Django application
handling patients run it (loopback only: 127.0.0.1):

- `twilio`: the Twilio REST client of the app's SMS reminder, verification and phone-check jobs
  (`tenth_sms.py`), its `requests` session mounted on an adapter that sends every request to a
  stdlib `ThreadingHTTPServer` on a free loopback port answering as Twilio's API does (the
  lines still name Twilio's hosts, as in production). Captured: the `twilio.http_client`
  logger (`-- BEGIN Twilio API Request --`, the request line with its query string, `Query
  Params: {...}`, each header, `Response Status Code`, `Response Headers: {...}`) over
  `messages.create`/`list`/`fetch`, Lookups v2 identity-match and line-type checks (name,
  address, date of birth and national id in the query), Verify v2 verifications and checks;
  and what the jobs log: `TwilioRestException`s (`HTTP 400 error: Unable to create record:
  ...` with code, method and URI; error 21211, 21610, 21614, 21408, 20404, 60200, 60203),
  message and verification fields, instance `repr`s, TwiML (`VoiceResponse`,
  `MessagingResponse`) of reminder calls and replies, webhook parameters failing
  `RequestValidator`, `logger.exception` tracebacks. Account usage, phone-number inventory,
  on-call and supplier messages for the benign lines.
- `django-axes`: django-axes 8 guarding the patient portal's logins (`tenth_lockouts.py`), in
  a Django configured in this process over an in-memory SQLite database: `authenticate()` with
  wrong passwords from the patients' addresses and browsers (usernames are their e-mails,
  MRNs, phones or member ids), lock-outs, successful logins that reset, log-outs, the help
  desk's resets; the `axes` loggers at INFO, as the portal's logging configuration has them
  (`AXES: New login failure by {username: ..., ip_address: ..., user_agent: ..., path_info:
  ...}`, `Repeated login failure`, `Locking out`, `Successful login`, `Successful logout`,
  `Deleted %d failed login attempts`, resets of old access logs) and what the portal logs: the
  `user_locked_out` signal, `AccessAttempt`, `AccessLog` and `AccessFailureLog` rows and
  `str`s, their `post_data`, `axes_list_attempts` output. Staff, kiosk and service logins from
  the clinic's own network, dashboards and resets for the benign lines.
- `fhir.resources`: FHIR R5 and R4B models (`tenth_fhir.py`) built from the chart and from
  partners' payloads, as the app's FHIR facade logs them: `model_dump_json()` (one line and
  indented, line by line), `model_dump()` dicts, `repr`s of elements (`HumanName`,
  `ContactPoint`, `Address`, `Identifier`), Patient, Coverage, Account, Observation,
  RelatedPerson and Bundle resources, and the pydantic `ValidationError`s the models raise on
  bad input (dates in other forms, extra fields such as `ssn`, wrong types, missing required
  elements, invalid JSON), whole, line by line and as `errors()`. Organization, Location,
  Medication, Device and Slot resources (clinic names, NPIs, NDC and RxNorm codes, lots,
  serials, dates) and their errors for the benign lines.
- `pyyaml`: PyYAML in the app's referral import and record export jobs (`tenth_yaml.py`):
  `safe_dump` of referral and intake records (block and flow styles, with and without
  `allow_unicode`, line by line), `dump` of the app's dataclasses (`!!python/object:` tags),
  `RepresenterError`s, records loaded back (`repr`s with `datetime.date`s), and the
  `ScannerError`/`ParserError`/`ComposerError`/`ConstructorError` messages of malformed
  uploads (problem marks with the upload's name and the offending source line). Formulary,
  schedule, supplier and feature-flag documents and their errors for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (a pydantic or YAML `...` elision, a YAML line
wrap: `_pieces_shown`). A benign line is checked once more against every patient
(`sixth_held._benign_checked`). Up to `sixth_held.LINES` distinct lines of each emitter (a
seeded choice) are labelled; the driver samples 300 with PHI and 300 benign of them.

Memory addresses, paths and the port are replaced by fixed values; the Twilio server's clock
and SIDs, axes' and Django's clock and every other date and id are drawn from seeded sources.
Needs the `bench` extra (Faker; Django is a runtime dependency) and twilio, django-axes,
fhir.resources and PyYAML.

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

import held_apart  # noqa: E402

held_apart.stand_in_for_test_servers("tenth")

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_people import TenthPeople  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("django-axes", "fhir.resources", "pyyaml", "twilio")
PATIENTS = 520
Row = dict[str, Any]


# --- lines that show a piece of a value ----------------------------------------------------

_ELISION = re.compile(r"\.\.\.|\u2026")


def _values(p: Patient) -> list[str]:
    return [str(v) for k, v in p.planted() if k != "dob" and len(str(v)) >= 3]


def _pieces_shown(line: Line) -> bool:
    """A piece of a patient's value that an emitter cut: next to an elision (`...`, as pydantic
    shortens an `input_value` and PyYAML a long source line) or at the end or start of a line
    of a value wrapped over two lines (a YAML scalar folded at its width). `harvest.label`
    knows whole values only: such a line is dropped, never labelled."""
    if not line.patients:
        return False
    text = line.text
    values = [v for p in line.patients for v in _values(p)]
    for match in _ELISION.finditer(text):
        before, after = text[: match.start()].rstrip(" "), text[match.end() :].lstrip(" ")
        for v in values:
            for k in range(3, len(v)):
                if before.endswith(v[:k]) or after.startswith(v[-k:]):
                    return True
    stripped = text.strip()
    for v in values:
        if " " not in v or v in stripped:
            continue
        words = v.split(" ")
        for i in range(1, len(words)):
            head, tail = " ".join(words[:i]), " ".join(words[i:])
            if len(head) >= 4 and re.search(rf"(?<!\w){re.escape(head)}['\"]?\Z", stripped):
                return True
            if len(tail) >= 4 and re.match(rf"['\"]?{re.escape(tail)}(?!\w)", stripped):
                return True
    return False


# --- the emitters ---------------------------------------------------------------------------


def twilio_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import tenth_sms

    fix = FifthFix(seed)
    with Capture("twilio", "clinic.sms") as cap:
        tenth_sms.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def axes_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import tenth_lockouts

    with Capture("axes", "clinic.portal.login") as cap:
        tenth_lockouts.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def fhir_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import tenth_fhir

    with Capture("clinic.fhir") as cap:
        tenth_fhir.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def yaml_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import tenth_yaml

    with Capture("clinic.referrals") as cap:
        tenth_yaml.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = TenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("django-axes", axes_lines, patients[:130]),
        ("fhir.resources", fhir_lines, patients[130:260]),
        ("pyyaml", yaml_lines, patients[260:390]),
        ("twilio", twilio_lines, patients[390:520]),
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
